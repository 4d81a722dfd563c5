//! Stoplight Prism in proxy mode (`prism proxy openapi.yaml <upstream>`), from the Node tools
//! pinned in `tools/` (`npm ci --prefix tools`): it forwards each request to the fake, passes
//! the answer back, and logs every way a request or response breaks the spec as a
//! `Violation:` line, which [`PrismProxy::violations`] returns. (Without `--errors`: with it,
//! a violating answer is replaced by Prism's 500, which hides what the fake said; the log
//! names every violation either way.) Like
//! the contract tests of `tests/`, a missing Node or Prism skips, and fails with
//! `GIGS_CONTRACT_TESTS=1` (which `.ci/run` sets).

use std::io::{BufRead, BufReader, Read};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

/// The variable that turns missing tools into a failure.
const REQUIRED_VAR: &str = "GIGS_CONTRACT_TESTS";
/// Prism reads the spec in a few seconds; the limit only stops a broken install from hanging.
const STARTUP_LIMIT: Duration = Duration::from_secs(120);

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root")
}

fn prism_entry() -> PathBuf {
    workspace_root().join("tools/node_modules/@stoplight/prism-cli/dist/index.js")
}

/// A running Prism proxy; dropping it kills the process it started.
pub struct PrismProxy {
    child: Child,
    port: u16,
    output: Arc<Mutex<String>>,
}

impl PrismProxy {
    /// Starts a proxy in front of `upstream`, or `None` (after a notice) when the tools are
    /// missing and not required.
    ///
    /// # Panics
    /// When the tools are missing and required, or Prism does not come up.
    pub fn start(upstream: &str) -> Option<Self> {
        let node = Command::new("node").arg("--version").output();
        let missing = match node {
            Ok(output) if output.status.success() && prism_entry().is_file() => None,
            Ok(output) if output.status.success() => Some(format!(
                "{} is missing: run `npm ci --prefix tools`",
                prism_entry().display()
            )),
            _ => Some("Node.js is not available: install Node 20 or newer".to_owned()),
        };
        if let Some(missing) = missing {
            let required = std::env::var(REQUIRED_VAR).is_ok_and(|v| !v.is_empty() && v != "0");
            assert!(
                !required,
                "{REQUIRED_VAR} is set, but Prism cannot run: {missing}"
            );
            eprintln!("note: skipping the Prism proxy conformance test: {missing}");
            return None;
        }
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port")
            .port();
        let mut child = Command::new("node")
            .arg(prism_entry())
            .args(["proxy", "--host", "127.0.0.1", "--port", &port.to_string()])
            .arg(workspace_root().join("openapi.yaml"))
            .arg(upstream)
            .current_dir(workspace_root())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("node starts");
        let output = Arc::new(Mutex::new(String::new()));
        drain(child.stdout.take(), &output);
        drain(child.stderr.take(), &output);
        let mut proxy = Self {
            child,
            port,
            output,
        };
        let started = Instant::now();
        while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            if let Ok(Some(status)) = proxy.child.try_wait() {
                panic!("Prism exited ({status}):\n{}", proxy.output());
            }
            assert!(
                started.elapsed() < STARTUP_LIMIT,
                "Prism did not listen within {STARTUP_LIMIT:?}:\n{}",
                proxy.output()
            );
            thread::sleep(Duration::from_millis(100));
        }
        // Prism listens a moment before it has read the spec; its log says when it is ready.
        while !proxy.output().contains("Prism is listening") && started.elapsed() < STARTUP_LIMIT {
            thread::sleep(Duration::from_millis(50));
        }
        Some(proxy)
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Every violation Prism logged so far: `<location> <message>`, such as
    /// `response.body.items.0.porting Response body property items.0.porting must be object`.
    pub fn violations(&self) -> Vec<String> {
        self.output()
            .lines()
            .filter_map(|line| {
                line.split_once("Violation: ")
                    .map(|(_, violation)| violation.to_owned())
            })
            .collect()
    }

    /// [`Self::violations`] once one that `wanted` matches is printed, or when `timeout` has
    /// passed: Prism logs a response's violations while it forwards the response, so the
    /// client can hold the answer before the log line is read.
    pub fn violations_once(&self, wanted: impl Fn(&str) -> bool, timeout: Duration) -> Vec<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let violations = self.violations();
            if violations.iter().any(|v| wanted(v)) || Instant::now() >= deadline {
                return violations;
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Everything Prism printed (its request log and violations).
    pub fn output(&self) -> String {
        self.output
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Drop for PrismProxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn drain(pipe: Option<impl Read + Send + 'static>, output: &Arc<Mutex<String>>) {
    let Some(pipe) = pipe else { return };
    let output = Arc::clone(output);
    thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            let mut output = output.lock().unwrap_or_else(PoisonError::into_inner);
            output.push_str(&line);
            output.push('\n');
        }
    });
}
