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

/// A consumer of the SDK as released: a service and its test fixtures, written against the
/// current API (builders for the API's types, ids as arguments, a stored stream, a wildcard arm
/// for an open enum), with the fake from gigs-testing.
const CONSUMER_MANIFEST: &str = r#"[package]
name = "consumer"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
chrono = { version = "0.4", default-features = false, features = ["std"] }
futures = "0.3"
gigs = { path = "../grown-response/crates/gigs" }
gigs-testing = { path = "../grown-response/crates/gigs-testing", default-features = false }
tokio = { version = "1", features = ["macros", "rt"] }

[workspace]
"#;

const CONSUMER_MAIN: &str = r#"//! Written against the current release; must compile and run unchanged after the API grows.

use chrono::{TimeZone, Utc};
use gigs::prelude::*;
use gigs::types::{Device, DeviceList, SubscriptionStatus};

/// A service that keeps a stream of devices in a field.
struct Inventory<'a> {
    devices: ItemStream<'a, Device>,
}

impl<'a> Inventory<'a> {
    fn new(gigs: &'a Gigs) -> Self {
        Self { devices: gigs.devices().list().items() }
    }

    async fn ids(mut self) -> Result<Vec<String>, gigs::Error> {
        let mut ids = Vec::new();
        while let Some(device) = self.devices.try_next().await? {
            ids.push(device.id);
        }
        Ok(ids)
    }
}

fn label(status: &SubscriptionStatus) -> &'static str {
    match status {
        SubscriptionStatus::Active => "active",
        SubscriptionStatus::Ended => "ended",
        _ => "other",
    }
}

/// A test fixture, made with the builder: the fields a test cares about, `None` for the rest.
fn device(id: &str) -> Device {
    Device::builder()
        .id(id)
        .object("device")
        .created_at(Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap())
        .name(Some("Work phone".to_owned()))
        .try_into()
        .expect("a fixture with every required field")
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fake = gigs_testing::FakeGigs::start().await;
    fake.insert_device(device("dev_1"));
    let gigs: Gigs = fake.gigs();

    let found = gigs.devices().retrieve("dev_1").call().await?;
    assert_eq!(found.name.as_deref(), Some("Work phone"));
    let renamed = gigs
        .devices()
        .update("dev_1")
        .body_map(|update| update.name("Phone"))
        .call()
        .await?;
    assert_eq!(renamed.name.as_deref(), Some("Phone"));
    assert_eq!(Inventory::new(&gigs).ids().await?, ["dev_1"]);

    let page: DeviceList = DeviceList::builder()
        .items(vec![device("dev_2")])
        .object("list")
        .try_into()?;
    let pages = PageStream::new(futures::stream::iter([Ok(Page::new(page.items))]));
    let items: Vec<Device> = pages.items().try_collect().await?;
    assert_eq!(items[0].id, "dev_2");

    assert_eq!(label(&SubscriptionStatus::from("paused")), "other");
    println!("consumer ok");
    Ok(())
}
"#;

/// `cargo run` of the consumer crate in `dir`, against the copy beside it.
fn run_consumer(dir: &Path) -> Output {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .current_dir(dir)
        .args(["run", "--offline", "--quiet"])
        .env("CARGO_TARGET_DIR", scratch().join("target"))
        .env_remove("CARGO_MAKEFLAGS")
        .env_remove("MAKEFLAGS")
        .env_remove("MFLAGS");
    command.output().unwrap()
}

fn xtask_diff(from: &Path, to: &Path) -> serde_json::Value {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("diff")
        .arg("--from")
        .arg(from)
        .arg("--to")
        .arg(to)
        .args(["--format", "json"])
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "diff gave no JSON ({error}):\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

#[test]
fn a_consumer_compiles_and_runs_unchanged_after_a_response_property_and_an_enum_value_are_added() {
    let _turn = take_turn();
    let root = copy_workspace("grown-response");
    let consumer = scratch().join("grown-response-consumer");
    if consumer.exists() {
        std::fs::remove_dir_all(&consumer).unwrap();
    }
    std::fs::create_dir_all(consumer.join("src")).unwrap();
    std::fs::write(consumer.join("Cargo.toml"), CONSUMER_MANIFEST).unwrap();
    std::fs::write(consumer.join("src/main.rs"), CONSUMER_MAIN).unwrap();
    // The workspace's lock file: the same versions, and no registry needed.
    std::fs::copy(root.join("Cargo.lock"), consumer.join("Cargo.lock")).unwrap();

    let before = run_consumer(&consumer);
    assert!(
        before.status.success() && String::from_utf8_lossy(&before.stdout).contains("consumer ok"),
        "the consumer runs against the current API:\n{}",
        String::from_utf8_lossy(&before.stderr)
    );

    // The API grows: `Device.color` (required, may be null) and the status `paused`.
    let base_spec = scratch().join("grown-response-base.yaml");
    std::fs::copy(root.join("openapi.yaml"), &base_spec).unwrap();
    edit(
        &root,
        "openapi.yaml",
        "required: [object, id, metadata, createdAt, imei, model, name, sims, user]",
        "required: [object, id, metadata, createdAt, imei, model, name, sims, user, color]",
    );
    edit(
        &root,
        "openapi.yaml",
        "          example: \"Anna's iPhone 12 Pro\"\n        sims:\n",
        "          example: \"Anna's iPhone 12 Pro\"\n        color:\n          type: string\n          nullable: true\n          description: The color of the device.\n        sims:\n",
    );
    edit(
        &root,
        "openapi.yaml",
        "        - active\n        - ended\n    SubscriptionCancellationDetails:",
        "        - active\n        - ended\n        - paused\n    SubscriptionCancellationDetails:",
    );
    generate(&root);
    let client = read(&root, "crates/gigs-client/src/generated.rs");
    assert!(client.contains("pub color: ::std::option::Option<::std::string::String>,"));

    // The review calls both additions harmless for Rust code.
    let report = xtask_diff(&base_spec, &root.join("openapi.yaml"));
    let findings = report["findings"].as_array().unwrap();
    for rule in ["response-property-added", "response-enum-value-added"] {
        let finding = findings
            .iter()
            .find(|finding| finding["rule"] == rule)
            .unwrap_or_else(|| panic!("no {rule} in {report:#}"));
        assert_eq!(finding["rust"], "info", "{finding:#}");
    }

    let after = run_consumer(&consumer);
    assert!(
        after.status.success() && String::from_utf8_lossy(&after.stdout).contains("consumer ok"),
        "the consumer compiles and runs unchanged after the API grew:\n{}",
        String::from_utf8_lossy(&after.stderr)
    );
}
