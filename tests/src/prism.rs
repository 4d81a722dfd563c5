//! Stoplight Prism, the independent mock server of the contract tests, run from the Node tools
//! pinned in `tools/` (installed with `npm ci --prefix tools`, never globally).
//!
//! [`Prism::start`] serves `openapi.yaml` on a free loopback port and returns once Prism answers
//! HTTP; dropping the handle stops the process. [`shared`] is the one instance of the test binary,
//! stopped when the binary exits. Prism runs with `--errors`: a request that breaks the spec gets
//! an error status, with the violations in the `sl-violations` response header.

use std::fmt;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, Once, OnceLock, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

/// The command that installs the pinned tools, from the workspace root.
pub const INSTALL_COMMAND: &str = "npm ci --prefix tools";
/// The environment variable that turns a missing tool into a test failure instead of a skip.
pub const REQUIRED_VAR: &str = "GIGS_CONTRACT_TESTS";
/// The response header in which Prism lists the ways a request breaks the spec.
pub const VIOLATIONS_HEADER: &str = "sl-violations";

/// How long Prism may take to answer after it is spawned. It needs a few seconds to read the
/// spec; the limit only keeps a broken installation from hanging the suite.
const STARTUP_LIMIT: Duration = Duration::from_secs(120);
/// How often a fresh port is tried when another process takes the chosen one first.
const PORT_ATTEMPTS: usize = 3;

/// The workspace root (the folder of `openapi.yaml` and `tools/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate lives in the workspace")
        .to_owned()
}

/// The Prism CLI's entry script inside `tools/node_modules`, run with `node` so that the process
/// id we hold is Prism's own on every platform.
fn prism_entry() -> PathBuf {
    workspace_root().join("tools/node_modules/@stoplight/prism-cli/dist/index.js")
}

/// Why the contract tests cannot run on this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unavailable {
    /// `node` cannot be run.
    NodeMissing(String),
    /// `tools/node_modules` has no Prism.
    ToolsMissing(PathBuf),
}

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NodeMissing(reason) => write!(
                f,
                "Node.js is not available (`node --version` failed: {reason}); install Node 20 \
                 or newer, then run `{INSTALL_COMMAND}` in the workspace root"
            ),
            Self::ToolsMissing(entry) => write!(
                f,
                "the pinned Node tools are not installed ({} is missing); run \
                 `{INSTALL_COMMAND}` in the workspace root",
                entry.display()
            ),
        }
    }
}

/// Checks that Node runs and that Prism is installed under `tools/`.
pub fn check_tools() -> Result<(), Unavailable> {
    match Command::new("node").arg("--version").output() {
        Ok(output) if output.status.success() => {}
        Ok(output) => {
            return Err(Unavailable::NodeMissing(format!(
                "exit status {}",
                output.status
            )))
        }
        Err(error) => return Err(Unavailable::NodeMissing(error.to_string())),
    }
    let entry = prism_entry();
    if entry.is_file() {
        Ok(())
    } else {
        Err(Unavailable::ToolsMissing(entry))
    }
}

/// Whether `GIGS_CONTRACT_TESTS` asks for the contract tests (any value but empty or `0`).
pub fn contract_tests_required() -> bool {
    std::env::var(REQUIRED_VAR).is_ok_and(|value| !value.is_empty() && value != "0")
}

/// A running Prism mock server. Dropping it stops the process.
pub struct Prism {
    child: Mutex<Option<Child>>,
    pid: u32,
    address: SocketAddr,
    output: Arc<Mutex<String>>,
}

impl Prism {
    /// Starts `prism mock --errors` on `spec` on a free loopback port and waits until it answers.
    ///
    /// # Errors
    /// What is missing ([`Unavailable`]), or why Prism did not come up, with what it printed.
    pub fn start(spec: &Path) -> Result<Self, String> {
        check_tools().map_err(|missing| missing.to_string())?;
        let mut last_failure = String::new();
        for _ in 0..PORT_ATTEMPTS {
            let prism = Self::spawn(spec)?;
            match prism.wait_until_answering() {
                Ok(()) => return Ok(prism),
                // Between choosing the port and Prism binding it, another process may take it.
                Err(failure) if prism.output().contains("EADDRINUSE") => last_failure = failure,
                Err(failure) => return Err(failure),
            }
        }
        Err(last_failure)
    }

    fn spawn(spec: &Path) -> Result<Self, String> {
        let port = free_loopback_port()?;
        let mut child = Command::new("node")
            .arg(prism_entry())
            .arg("mock")
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .arg("--errors")
            .arg(spec)
            .current_dir(workspace_root())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|error| format!("cannot start Prism with node: {error}"))?;
        let output = Arc::new(Mutex::new(String::new()));
        // Drained continuously: a full pipe would block Prism.
        drain(child.stdout.take(), &output);
        drain(child.stderr.take(), &output);
        Ok(Self {
            pid: child.id(),
            child: Mutex::new(Some(child)),
            address: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
            output,
        })
    }

    fn wait_until_answering(&self) -> Result<(), String> {
        let started = Instant::now();
        loop {
            if let Some(status) = self.exit_status() {
                return Err(format!(
                    "Prism exited ({status}) before answering on {}; it printed:\n{}",
                    self.address,
                    self.output()
                ));
            }
            if answers_http(self.address) {
                return Ok(());
            }
            if started.elapsed() > STARTUP_LIMIT {
                self.stop();
                return Err(format!(
                    "Prism did not answer on {} within {STARTUP_LIMIT:?}; it printed:\n{}",
                    self.address,
                    self.output()
                ));
            }
            thread::sleep(Duration::from_millis(100));
        }
    }

    fn exit_status(&self) -> Option<String> {
        let mut child = self.child.lock().unwrap_or_else(PoisonError::into_inner);
        match child.as_mut().map(Child::try_wait) {
            None => Some("stopped".to_owned()),
            Some(Ok(Some(status))) => Some(status.to_string()),
            Some(Ok(None)) => None,
            Some(Err(error)) => Some(error.to_string()),
        }
    }

    /// The base URL to point a client at: `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The loopback address Prism listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Prism's process id.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Everything Prism has printed so far (its log of requests and violations).
    pub fn output(&self) -> String {
        self.output
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Kills Prism (by the process id this handle started) and reaps it. Idempotent.
    pub fn stop(&self) {
        let child = self
            .child
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(mut child) = child {
            // An error here means the process has already exited; `wait` reaps it either way.
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        self.stop();
    }
}

impl fmt::Debug for Prism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Prism")
            .field("pid", &self.pid)
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

/// The shared Prism of this test binary: started on first use, stopped when the binary exits.
///
/// Returns `None` after printing a notice (once, past the test harness's output capture) when
/// the tools are missing and `GIGS_CONTRACT_TESTS` is unset: a plain `cargo test` on a machine
/// without Node skips the contract tests and says how to run them.
///
/// # Panics
/// When the tools are missing and `GIGS_CONTRACT_TESTS=1` is set, and when Prism does not start.
pub fn shared() -> Option<&'static Prism> {
    static SHARED: OnceLock<Result<Prism, String>> = OnceLock::new();
    static TOOLS: OnceLock<Result<(), Unavailable>> = OnceLock::new();
    static SKIP_NOTICE: Once = Once::new();

    if let Err(missing) = TOOLS.get_or_init(check_tools) {
        if contract_tests_required() {
            panic!("{REQUIRED_VAR} is set, but the contract tests cannot run: {missing}");
        }
        SKIP_NOTICE.call_once(|| {
            // Written to the process's stderr directly: `eprintln!` would be captured and only
            // shown for a failing test.
            let _ = writeln!(
                std::io::stderr(),
                "note: skipping the Prism contract tests: {missing}. \
                 With `{REQUIRED_VAR}=1` set (as .ci/run does) they fail instead."
            );
        });
        return None;
    }
    let prism = SHARED.get_or_init(|| {
        let prism = Prism::start(&crate::spec::spec_path())?;
        // SAFETY: `stop_shared` is a plain `extern "C" fn` without arguments that only touches
        // the process-wide `SHARED`, which lives until exit; registering it has no other effect.
        unsafe { libc::atexit(stop_shared) };
        Ok(prism)
    });
    extern "C" fn stop_shared() {
        if let Some(Ok(prism)) = SHARED.get() {
            prism.stop();
        }
    }
    match prism {
        Ok(prism) => Some(prism),
        Err(failure) => panic!("the Prism mock server did not start: {failure}"),
    }
}

fn free_loopback_port() -> Result<u16, String> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|error| format!("no free loopback port: {error}"))
}

/// Whether an HTTP request to `address` gets an HTTP response (any status).
fn answers_http(address: SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(&address, Duration::from_millis(500)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request = format!("GET / HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut status_line = [0_u8; 7];
    stream.read_exact(&mut status_line).is_ok() && &status_line == b"HTTP/1."
}

fn drain(pipe: Option<impl Read + Send + 'static>, output: &Arc<Mutex<String>>) {
    let Some(pipe) = pipe else { return };
    let output = Arc::clone(output);
    thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            let mut output = output.lock().unwrap_or_else(PoisonError::into_inner);
            output.push_str(&line);
            output.push('\n');
        }
    });
}
