//! `cargo xtask diff <git-ref>` in a temporary repository: the spec at a commit against the
//! working tree, an unknown ref, and a ref from before the spec existed.

mod support;

use std::path::Path;

use std::process::{Command, Output};
use support::git;

const SPEC_V1: &str = "openapi: 3.0.3
info: {title: Git fixture, version: '1'}
paths:
  /things/{thing}:
    get:
      operationId: retrieveThing
      parameters:
        - {name: thing, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: The thing.
          content:
            application/json:
              schema:
                type: object
                required: [id, note]
                properties:
                  id: {type: string}
                  note: {type: string}
";

fn diff(repository: &Path, reference: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["diff", reference, "--format", "json", "--spec"])
        .arg(repository.join("openapi.yaml"))
        .arg("--accepted")
        .arg(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/diff/no-accepted-breaks.yaml"),
        )
        .output()
        .unwrap()
}

fn rules(output: &Output) -> Vec<String> {
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&output.stderr)));
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| finding["rule"].as_str().unwrap().to_owned())
        .collect()
}

/// A repository with three commits: no spec yet, the spec, the spec with `note` optional.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    git(path, &["init", "--quiet"]);
    std::fs::write(path.join("README.md"), "fixture\n").unwrap();
    git(path, &["add", "README.md"]);
    git(path, &["commit", "--quiet", "-m", "before the spec"]);
    std::fs::write(path.join("openapi.yaml"), SPEC_V1).unwrap();
    git(path, &["add", "openapi.yaml"]);
    git(path, &["commit", "--quiet", "-m", "spec"]);
    let v2 = SPEC_V1.replace("required: [id, note]", "required: [id]");
    std::fs::write(path.join("openapi.yaml"), v2).unwrap();
    git(path, &["commit", "--quiet", "-am", "note optional"]);
    dir
}

#[test]
fn compares_the_spec_at_a_ref_with_the_working_tree() {
    let repository = repository();
    let path = repository.path();

    let output = diff(path, "HEAD~1");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(rules(&output), ["response-property-became-optional"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["base"]["label"], "HEAD~1");
    assert_eq!(
        report["base"]["commit"],
        git(path, &["rev-parse", "--short", "HEAD~1"])
    );

    // A clean tree against HEAD: nothing to report.
    let output = diff(path, "HEAD");
    assert_eq!(output.status.code(), Some(0));
    assert!(rules(&output).is_empty());

    // Uncommitted edits are the head; nothing is checked out or changed in the repository.
    let edited = SPEC_V1.replace("operationId: retrieveThing", "operationId: getThing");
    std::fs::write(path.join("openapi.yaml"), edited).unwrap();
    let output = diff(path, "HEAD~1");
    assert_eq!(rules(&output), ["operation-id-changed"]);
    assert_eq!(
        git(path, &["status", "--porcelain"]),
        "M openapi.yaml",
        "the working tree was touched"
    );
}

#[test]
fn an_unknown_ref_is_a_tool_error() {
    let repository = repository();
    let output = diff(repository.path(), "no-such-branch");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unknown git ref `no-such-branch`"),
        "{stderr}"
    );
}

#[test]
fn a_ref_without_the_spec_makes_every_operation_new() {
    let repository = repository();
    let output = diff(repository.path(), "HEAD~2");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(rules(&output), ["operation-added"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let note = report["notes"][0].as_str().unwrap();
    assert!(note.contains("does not exist at `HEAD~2`"), "{note}");
}
