//! Shared by every module: running the `gigs` binary with a clean environment, and local servers
//! that answer with the spec's examples and record what they receive.

use std::io::Write;
use std::process::{Command, Stdio};

use gigs_tests::examples::spec_examples;
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The API key the tests configure; it must never appear in any output.
pub const TOKEN: &str = "sk_test_cli_0SNlurA049MEWV-never-printed";

/// What one run of `gigs` gave.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// The stdout as JSON; panics with both streams when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|error| panic!("stdout is not JSON ({error}): {self:#?}"))
    }

    /// Asserts the exit status, showing both streams when it differs.
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "unexpected exit status: {self:#?}");
        self
    }
}

/// One `gigs` command line to run: no `GIGS_*` from the test's own environment, a fixed help
/// width, and the token in `GIGS_TOKEN` unless a test takes it away.
pub struct Gigs {
    command: Command,
    stdin: Option<String>,
}

pub fn gigs(args: &[&str]) -> Gigs {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gigs"));
    command
        .args(args)
        .env_clear()
        .env("COLUMNS", "100")
        .env("GIGS_TOKEN", TOKEN);
    Gigs {
        command,
        stdin: None,
    }
}

impl Gigs {
    /// Points the command at `server` with the project `gigs` and no retries.
    pub fn at(mut self, server: &MockServer) -> Self {
        self.command
            .env("GIGS_BASE_URL", server.uri())
            .env("GIGS_PROJECT", "gigs");
        self
    }

    /// Points the command at the API at `base_url` (a fake) with the project `gigs`.
    pub fn at_url(mut self, base_url: &str) -> Self {
        self.command
            .env("GIGS_BASE_URL", base_url)
            .env("GIGS_PROJECT", "gigs");
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.command.env(key, value);
        self
    }

    pub fn env_remove(mut self, key: &str) -> Self {
        self.command.env_remove(key);
        self
    }

    pub fn stdin(mut self, text: &str) -> Self {
        self.stdin = Some(text.to_owned());
        self
    }

    /// Runs the process on a blocking thread, so that the local server keeps answering.
    pub async fn run(self) -> Output {
        tokio::task::spawn_blocking(move || self.run_blocking())
            .await
            .expect("the gigs process thread")
    }

    pub fn run_blocking(mut self) -> Output {
        self.command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = self.command.spawn().expect("spawn gigs");
        let mut stdin = child.stdin.take().expect("stdin");
        if let Some(text) = &self.stdin {
            stdin.write_all(text.as_bytes()).expect("write stdin");
        }
        drop(stdin);
        let output = child.wait_with_output().expect("wait for gigs");
        Output {
            code: output.status.code().expect("gigs exited normally"),
            stdout: String::from_utf8(output.stdout).expect("utf-8 stdout"),
            stderr: String::from_utf8(output.stderr).expect("utf-8 stderr"),
        }
    }
}

/// The documented success example of an operation.
pub fn success_example(operation_id: &str) -> Value {
    spec_examples()
        .into_iter()
        .find(|example| {
            let location = &example.location;
            location.starts_with(&format!("{operation_id}.2"))
        })
        .unwrap_or_else(|| panic!("{operation_id} has a documented success example"))
        .value
}

/// A local server that answers any request with `status` and `body`.
pub async fn answering(status: u16, body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    server
}

/// The one request `server` received; panics if it got none or more.
pub async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.remove(0)
}

/// The query of `request` as sorted `(name, value)` pairs, percent-decoded.
pub fn query_pairs(request: &Request) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = request
        .url
        .query_pairs()
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    pairs.sort();
    pairs
}
