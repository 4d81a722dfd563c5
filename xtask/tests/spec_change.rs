//! A spec change reaches every surface through `cargo xtask generate` and the compiler, in a copy
//! of this workspace: a new operation is in the SDK, the CLI, the typed mocks and the fake (which
//! serves it from its example, with no hand edit), and a renamed body field breaks the fake's build
//! at the handler that reads it.
//!
//! The copies live under the target directory (`spec-change/`), at the same paths on every run,
//! with one target directory of their own there, so that a run rebuilds only what changed. Cargo
//! names a workspace member's build by its place in the workspace, so the two copies' builds
//! would overwrite each other's: the tests take turns ([`ONE_COPY_AT_A_TIME`]).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// Held by a test from copying the workspace to its last use of the build.
static ONE_COPY_AT_A_TIME: Mutex<()> = Mutex::new(());

fn take_turn() -> MutexGuard<'static, ()> {
    ONE_COPY_AT_A_TIME
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
}

/// The workspace this test belongs to.
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// Where the copies and their build go: beside this build's own output.
fn scratch() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target"));
    target.join("spec-change")
}

/// Copies the workspace's sources (no `target`, `.git` or Node modules) to a fresh `name`
/// directory under [`scratch`] and returns its path.
fn copy_workspace(name: &str) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let file_name = entry.file_name();
            if matches!(file_name.to_str(), Some("target" | ".git" | "node_modules")) {
                continue;
            }
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                copy(&entry.path(), &to.join(&file_name));
            } else if kind.is_file() {
                std::fs::copy(entry.path(), to.join(&file_name)).unwrap();
            }
        }
    }
    let root = scratch().join(name);
    if root.exists() {
        std::fs::remove_dir_all(&root).unwrap();
    }
    copy(&workspace(), &root);
    root
}

fn edit(root: &Path, path: &str, from: &str, to: &str) {
    let file = root.join(path);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(from), "{path} has no {from:?}");
    std::fs::write(&file, text.replacen(from, to, 1)).unwrap();
}

fn read(root: &Path, path: &str) -> String {
    std::fs::read_to_string(root.join(path)).unwrap()
}

fn generate(root: &Path) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("generate")
        .arg("--spec")
        .arg(root.join("openapi.yaml"))
        .arg("--root")
        .arg(root)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "generate failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// `cargo build -p gigs-testing --bin gigs-fake` in the copy at `root`.
fn build_fake(root: &Path) -> Output {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .current_dir(root)
        .args(["build", "--offline", "--quiet", "-p", "gigs-testing"])
        .args(["--bin", "gigs-fake"])
        .env("CARGO_TARGET_DIR", scratch().join("target"))
        // The outer cargo's job server is not this build's.
        .env_remove("CARGO_MAKEFLAGS")
        .env_remove("MAKEFLAGS")
        .env_remove("MFLAGS");
    command.output().unwrap()
}

/// The new operation: a porting by id, documented with an example (the spec has no portings).
const RETRIEVE_PORTING: &str = r#"  /projects/{project}/portings/{porting}:
    get:
      operationId: retrievePorting
      tags: [Portings]
      summary: Retrieve a porting
      description: Retrieves the details of an existing porting.
      parameters:
        - $ref: '#/components/parameters/Project'
        - name: porting
          in: path
          required: true
          description: The unique identifier for the porting.
          schema:
            type: string
          example: prt_0SNlurA049MEWV3V0q7gjQbM4EVo
      responses:
        '200':
          description: Returns the porting.
          content:
            application/json:
              schema:
                type: object
                required: [object, id, status]
                properties:
                  object: {type: string}
                  id: {type: string}
                  status: {type: string}
              example:
                object: porting
                id: prt_0SNlurA049MEWV3V0q7gjQbM4EVo
                status: draft
        '401': {$ref: '#/components/responses/Unauthorized'}
        '404': {$ref: '#/components/responses/NotFound'}
"#;

/// The fake binary, stopped when dropped.
struct Fake(Child);

impl Drop for Fake {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One HTTP/1.1 GET: the status line, the headers (lower-case names) and the body.
fn get(port: u16, path: &str) -> (String, Vec<(String, String)>, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer test\r\nconnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader.read_line(&mut status).unwrap();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').unwrap();
        headers.push((name.to_lowercase(), value.trim().to_owned()));
    }
    let mut body = String::new();
    reader.read_to_string(&mut body).unwrap();
    (status.trim_end().to_owned(), headers, body)
}

#[test]
fn a_new_operation_reaches_the_sdk_the_cli_the_mocks_and_the_fake_which_serves_its_example() {
    let _turn = take_turn();
    let root = copy_workspace("new-operation");
    edit(
        &root,
        "openapi.yaml",
        "  - name: SIMs\n",
        "  - name: Portings\n    description: Portings move a phone number in.\n  - name: SIMs\n",
    );
    edit(
        &root,
        "openapi.yaml",
        "  /projects/{project}/sims/{sim}:\n",
        &format!("{RETRIEVE_PORTING}  /projects/{{project}}/sims/{{sim}}:\n"),
    );
    let report = generate(&root);
    assert!(
        report.contains("from the spec alone") && report.contains("retrievePorting (example)"),
        "generate names the operation the fake answers from its example: {report}"
    );

    let client = read(&root, "crates/gigs-client/src/generated.rs");
    assert!(client.contains("pub fn retrieve_porting(&self)"), "the SDK");
    assert!(
        client.contains("pub fn portings(&self)"),
        "the SDK's resource group"
    );
    let cli = read(&root, "crates/gigs-cli/src/generated.rs");
    assert!(
        cli.contains("\"retrievePorting\""),
        "the CLI's command tree"
    );
    let mocks = read(&root, "crates/gigs-testing/src/generated/httpmock.rs");
    assert!(mocks.contains("fn retrieve_porting<"), "the typed mocks");
    let fake = read(&root, "crates/gigs-testing/src/generated/server_trait.rs");
    assert!(
        fake.contains("fn retrieve_porting("),
        "the fake's server trait"
    );

    let build = build_fake(&root);
    assert!(
        build.status.success(),
        "the fake builds with the new operation:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let binary = scratch().join("target/debug/gigs-fake");
    let _fake = Fake(
        Command::new(&binary)
            .args(["--port", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the fake did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let (status, headers, body) = get(port, "/projects/gigs/portings/prt_requested");
    assert_eq!(status, "HTTP/1.1 200 OK", "{body}");
    assert!(
        headers.contains(&("x-gigs-fake-example".into(), "retrievePorting".into())),
        "{headers:?}"
    );
    let porting: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        porting,
        serde_json::json!({"object": "porting", "id": "prt_requested", "status": "draft"}),
        "the example, with the requested id"
    );
}

#[test]
fn a_renamed_body_field_breaks_the_fakes_build_at_the_handler_that_reads_it() {
    let _turn = take_turn();
    let root = copy_workspace("renamed-field");
    edit(
        &root,
        "openapi.yaml",
        "    SearchDevicesRequest:\n      type: object\n      required: [imei]\n      properties:\n        imei:\n",
        "    SearchDevicesRequest:\n      type: object\n      required: [serialNumber]\n      properties:\n        serialNumber:\n",
    );
    edit(
        &root,
        "openapi.yaml",
        r#"example: {"imei": "492388841798923"}"#,
        r#"example: {"serialNumber": "492388841798923"}"#,
    );
    generate(&root);
    let build = build_fake(&root);
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert!(!build.status.success(), "the fake still builds:\n{stderr}");
    assert!(
        stderr.contains("no field `imei`")
            && stderr.contains("crates/gigs-testing/src/handlers/devices.rs"),
        "the error is at the handler that reads `imei`:\n{stderr}"
    );
}
