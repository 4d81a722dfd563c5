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

/// A spec whose `UpdateDeviceRequest` stays the same while the generator's types for it change.
const DEVICE_SPEC: &str = "openapi: 3.0.3
info: {title: Generated API fixture, version: '1'}
paths:
  /devices/{device}:
    patch:
      operationId: updateDevice
      parameters:
        - {name: device, in: path, required: true, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/UpdateDeviceRequest'}
      responses:
        '200':
          description: The device.
          content:
            application/json:
              schema:
                type: object
                required: [id, note]
                properties:
                  id: {type: string}
                  note: {type: string}
components:
  schemas:
    UpdateDeviceRequest:
      type: object
      properties:
        name: {type: string, nullable: true}
        sims: {type: array, items: {type: string}}
        user: {type: string, nullable: true}
";

/// The generated client before issue 21's generator change, in progenitor's spelling (the
/// fields, and the builder's setters, which convert into the field's type).
const GENERATED_BEFORE: &str = r#"
pub mod types {
    pub struct UpdateDeviceRequest {
        #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
        pub name: ::std::option::Option<::std::string::String>,
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub sims: ::std::vec::Vec<::std::string::String>,
        #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
        pub user: ::std::option::Option<::std::string::String>,
    }
    pub mod builder {
        pub struct UpdateDeviceRequest {
            name: ::std::result::Result<::std::option::Option<::std::string::String>, ::std::string::String>,
        }
        impl UpdateDeviceRequest {
            pub fn name<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self
            }
            pub fn sims<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::vec::Vec<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self
            }
        }
    }
}
"#;

fn generated_after() -> String {
    GENERATED_BEFORE
        .replace(
            "pub name: ::std::option::Option<::std::string::String>",
            "pub name: crate::Patch<::std::string::String>",
        )
        .replace(
            "pub user: ::std::option::Option<::std::string::String>",
            "pub user: crate::Patch<::std::string::String>",
        )
        .replace(
            "pub sims: ::std::vec::Vec<::std::string::String>",
            "pub sims: ::std::option::Option<::std::vec::Vec<::std::string::String>>",
        )
        .replace(
            "TryInto<::std::option::Option<::std::string::String>>",
            "TryInto<crate::Patch<::std::string::String>>",
        )
        .replace(
            "TryInto<::std::vec::Vec<::std::string::String>>",
            "TryInto<::std::option::Option<::std::vec::Vec<::std::string::String>>>",
        )
}

/// A repository with the spec and the generated client committed, then `generated` committed
/// over it with `spec` (the spec unchanged, or not).
fn repository_with_generated(spec: &str, generated: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    let client = path.join("crates/gigs-client/src/generated.rs");
    std::fs::create_dir_all(client.parent().unwrap()).unwrap();
    git(path, &["init", "--quiet"]);
    std::fs::write(path.join("openapi.yaml"), DEVICE_SPEC).unwrap();
    std::fs::write(&client, GENERATED_BEFORE).unwrap();
    git(path, &["add", "."]);
    git(path, &["commit", "--quiet", "-m", "before"]);
    std::fs::write(path.join("openapi.yaml"), spec).unwrap();
    std::fs::write(&client, generated).unwrap();
    git(path, &["commit", "--quiet", "-am", "after"]);
    dir
}

fn findings(output: &Output) -> Vec<serde_json::Value> {
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&output.stderr)));
    report["findings"].as_array().unwrap().clone()
}

#[test]
fn a_generator_change_with_the_same_spec_is_reported_as_a_rust_break_with_the_names() {
    let repository = repository_with_generated(DEVICE_SPEC, &generated_after());
    let output = diff(repository.path(), "HEAD~1");
    assert_eq!(
        output.status.code(),
        Some(1),
        "Rust-breaking findings fail the check"
    );
    let reported: Vec<(String, String, String, String, String)> = findings(&output)
        .iter()
        .map(|finding| {
            let text = |key: &str| finding[key].as_str().unwrap_or_default().to_owned();
            assert_eq!(finding["rule"], "generated-rust-api-changed", "{finding:#}");
            (
                text("pointer"),
                text("old"),
                text("new"),
                format!("{} / {}", text("wire"), text("rust")),
                text("rust_effect"),
            )
        })
        .collect();
    let expected = |property: &str, old: &str, new: &str| {
        (
            format!("/components/schemas/UpdateDeviceRequest/properties/{property}"),
            format!("UpdateDeviceRequest.{property}: {old}"),
            format!("UpdateDeviceRequest.{property}: {new}"),
            "info / breaking".to_owned(),
            format!(
                "field `UpdateDeviceRequest.{property}`: `{old}` → `{new}`; the wire is unchanged"
            ),
        )
    };
    // The builders' setters changed the same way, so they add nothing.
    assert_eq!(
        reported,
        [
            expected("name", "Option<String>", "Patch<String>"),
            expected("sims", "Vec<String>", "Option<Vec<String>>"),
            expected("user", "Option<String>", "Patch<String>"),
        ]
    );
}

#[test]
fn identical_generated_code_gives_no_finding_from_it() {
    let changed_spec = DEVICE_SPEC.replace("required: [id, note]", "required: [id]");
    let repository = repository_with_generated(&changed_spec, GENERATED_BEFORE);
    let output = diff(repository.path(), "HEAD~1");
    assert_eq!(rules(&output), ["response-property-became-optional"]);

    // Reformatted (as rustfmt or prettyplease might) is the same API too.
    let path = repository.path();
    let reformatted = GENERATED_BEFORE
        .replace("\n        ", "\n    ")
        .replace(" {", "\n{");
    std::fs::write(
        path.join("crates/gigs-client/src/generated.rs"),
        reformatted,
    )
    .unwrap();
    let output = diff(path, "HEAD~1");
    assert_eq!(rules(&output), ["response-property-became-optional"]);
}

#[test]
fn only_one_side_with_a_generated_client_is_said_and_the_spec_alone_judged() {
    let repository = repository_with_generated(DEVICE_SPEC, &generated_after());
    let path = repository.path();
    std::fs::remove_file(path.join("crates/gigs-client/src/generated.rs")).unwrap();
    let output = diff(path, "HEAD~1");
    assert_eq!(output.status.code(), Some(0));
    assert!(rules(&output).is_empty());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let note = report["notes"][0].as_str().unwrap();
    assert!(
        note.contains("does not exist in the working tree"),
        "{note}"
    );
}

#[test]
fn a_change_the_spec_rule_already_names_is_reported_once() {
    // The spec makes `sims` nullable and the generated field follows (`Option<Vec<String>>` →
    // `Patch<Vec<String>>`): the spec finding names both types, so the generated code adds none.
    let nullable_sims = DEVICE_SPEC.replace(
        "sims: {type: array, items: {type: string}}",
        "sims: {type: array, nullable: true, items: {type: string}}",
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    let client = path.join("crates/gigs-client/src/generated.rs");
    std::fs::create_dir_all(client.parent().unwrap()).unwrap();
    git(path, &["init", "--quiet"]);
    std::fs::write(path.join("openapi.yaml"), DEVICE_SPEC).unwrap();
    std::fs::write(&client, generated_after()).unwrap();
    git(path, &["add", "."]);
    git(path, &["commit", "--quiet", "-m", "before"]);
    std::fs::write(path.join("openapi.yaml"), nullable_sims).unwrap();
    let patched = generated_after().replace(
        "pub sims: ::std::option::Option<::std::vec::Vec<::std::string::String>>",
        "pub sims: crate::Patch<::std::vec::Vec<::std::string::String>>",
    );
    std::fs::write(&client, patched).unwrap();

    let output = diff(path, "HEAD");
    let findings = findings(&output);
    assert_eq!(
        rules(&output),
        ["request-property-became-nullable"],
        "{findings:#?}"
    );
    let effect = findings[0]["rust_effect"].as_str().unwrap();
    assert!(
        effect.contains("Option<Vec<String>>") && effect.contains("Patch<Vec<String>>"),
        "{effect}"
    );
}
