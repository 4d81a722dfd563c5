//! The report of `cargo xtask diff`: its formats (snapshots of Markdown and JSON), exit codes,
//! accepted breaks, and clear errors for what it cannot compare.

use std::path::Path;
use std::process::{Command, Output};

/// Runs from the manifest directory with relative paths, so reports name the files the same way
/// on every machine.
fn diff(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("diff")
        .args(args)
        .output()
        .unwrap()
}

const BASE: &str = "tests/fixtures/diff/report/base.yaml";
const HEAD: &str = "tests/fixtures/diff/report/head.yaml";
const ACCEPTED: &str = "tests/fixtures/diff/report/accepted-breaks.yaml";
const NO_ACCEPTED: &str = "tests/fixtures/diff/no-accepted-breaks.yaml";

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn markdown_report() {
    let output = diff(&["--from", BASE, "--to", HEAD, "--accepted", ACCEPTED]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn json_report() {
    let output = diff(&[
        "--from",
        BASE,
        "--to",
        HEAD,
        "--accepted",
        ACCEPTED,
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    insta::assert_json_snapshot!(report);
}

#[test]
fn text_report_lists_each_finding_with_both_severities() {
    let output = diff(&[
        "--from",
        BASE,
        "--to",
        HEAD,
        "--accepted",
        NO_ACCEPTED,
        "--format",
        "text",
    ]);
    let text = stdout(&output);
    assert!(text.contains("suggested version bump: major"), "{text}");
    assert!(
        text.contains(
            "breaking response-property-removed GET /devices, POST /devices, GET /devices/{device}"
        ),
        "{text}"
    );
    assert!(
        text.contains("  at /components/schemas/Device/properties/name base line 65"),
        "{text}"
    );
    assert!(
        text.contains(
            "wire: info, rust: breaking: method `Client::retrieve_device` \
             (`ProjectClient::other().retrieve_device(device)`) → `Client::get_device` \
             (`ProjectClient::other().get_device(device)`)"
        ),
        "{text}"
    );
}

#[test]
fn github_annotations_point_at_the_head_file_and_line() {
    let output = diff(&[
        "--from",
        BASE,
        "--to",
        HEAD,
        "--accepted",
        ACCEPTED,
        "--format",
        "github",
    ]);
    let annotations = stdout(&output);
    let lines: Vec<&str> = annotations.lines().collect();
    assert_eq!(lines.len(), 7, "{annotations}");
    assert!(annotations.contains(
        "::error file=tests/fixtures/diff/report/head.yaml,line=62,title=response-property-became-non-nullable::"
    ), "{annotations}");
    assert!(annotations.contains(
        "::warning file=tests/fixtures/diff/report/head.yaml,line=69,title=response-enum-value-added::"
    ), "{annotations}");
    // Accepted breaks are notices, so they do not fail a workflow that treats errors as fatal.
    assert!(annotations.contains(
        "::notice file=tests/fixtures/diff/report/head.yaml,line=37,title=operation-id-changed::"
    ), "{annotations}");
}

#[test]
fn fail_on_decides_the_exit_status() {
    let status = |extra: &[&str]| {
        let mut args = vec!["--from", BASE, "--to", HEAD, "--accepted", NO_ACCEPTED];
        args.extend_from_slice(extra);
        diff(&args).status.code()
    };
    assert_eq!(status(&[]), Some(1));
    assert_eq!(status(&["--fail-on", "breaking"]), Some(1));
    assert_eq!(status(&["--fail-on", "review"]), Some(1));
    assert_eq!(status(&["--fail-on", "never"]), Some(0));

    // Only a response enum value added: needs review, not breaking.
    let dir = "tests/fixtures/diff/rules/response-enum-value-added";
    let (base, head) = (format!("{dir}/base.yaml"), format!("{dir}/head.yaml"));
    let review_only = |fail_on: &str| {
        diff(&[
            "--from",
            &base,
            "--to",
            &head,
            "--accepted",
            NO_ACCEPTED,
            "--fail-on",
            fail_on,
        ])
        .status
        .code()
    };
    assert_eq!(review_only("breaking"), Some(0));
    assert_eq!(review_only("review"), Some(1));
}

#[test]
fn accepted_breaks_stay_listed_but_stop_failing() {
    let dir = tempfile::tempdir().unwrap();
    let accepted = dir.path().join("accepted.yaml");
    // Accept every breaking finding of the pair, one of them for all its operations at once.
    std::fs::write(
        &accepted,
        r#"
- rule: request-constraint-tightened
  operation: GET /devices
  pointer: /components/parameters/Limit/schema/maximum
  reason: limit above 100 never worked
- rule: request-constraint-tightened
  operation: POST /devices
  pointer: /components/schemas/CreateDeviceRequest/properties/imei/maxLength
  reason: IMEIs have at most 16 digits
- rule: response-property-became-non-nullable
  pointer: /components/schemas/Device/properties/imei
  reason: every device has an IMEI now
- rule: response-property-removed
  pointer: /components/schemas/Device/properties/name
  reason: names moved to the user
- rule: operation-id-changed
  operation: GET /devices/{device}
  pointer: /paths/~1devices~1{device}/get/operationId
  reason: consistent naming
- rule: operation-removed
  operation: DELETE /devices/{device}
  pointer: /paths/~1devices~1{device}/delete
  reason: stale entry
"#,
    )
    .unwrap();
    let accepted = accepted.to_str().unwrap();
    let output = diff(&[
        "--from",
        BASE,
        "--to",
        HEAD,
        "--accepted",
        accepted,
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["counts"]["breaking"], 5);
    assert_eq!(report["counts"]["accepted"], 5);
    let removed = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|finding| finding["rule"] == "response-property-removed")
        .unwrap();
    assert_eq!(removed["accepted"], "names moved to the user");
    assert_eq!(report["unused_accepted_breaks"][0]["reason"], "stale entry");
    // Accepting breaks does not make them compatible: the bump stays major.
    assert_eq!(report["suggested_bump"], "major");

    let partial = dir.path().join("partial.yaml");
    std::fs::write(
        &partial,
        "- rule: response-property-removed\n  operation: GET /devices\n  pointer: /components/schemas/Device/properties/name\n  reason: only one of three operations\n",
    )
    .unwrap();
    let output = diff(&[
        "--from",
        BASE,
        "--to",
        HEAD,
        "--accepted",
        partial.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        report["counts"]["accepted"], 0,
        "an entry for one operation accepted more"
    );
}

#[test]
fn the_checked_in_accepted_breaks_file_is_valid() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi-accepted-breaks.yaml");
    let output = diff(&[
        "--from",
        BASE,
        "--to",
        BASE,
        "--accepted",
        file.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn tool_errors_exit_with_status_2_and_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let broken_ref = write(
        "broken-ref.yaml",
        "openapi: 3.0.3\npaths:\n  /x:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Missing'}\n",
    );
    let output = diff(&[
        "--from",
        BASE,
        "--to",
        &broken_ref,
        "--accepted",
        NO_ACCEPTED,
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("broken-ref.yaml:10:24: paths./x.get.responses.200.content.application/json.schema.$ref: unresolved `$ref` `#/components/schemas/Missing`"),
        "{}",
        stderr(&output)
    );

    let invalid = write("invalid.yaml", "openapi: [3.0.3\n");
    let output = diff(&["--from", &invalid, "--to", HEAD, "--accepted", NO_ACCEPTED]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("invalid YAML"),
        "{}",
        stderr(&output)
    );

    let output = diff(&["--from", "tests/fixtures/diff/nope.yaml", "--to", HEAD]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("cannot read tests/fixtures/diff/nope.yaml"),
        "{}",
        stderr(&output)
    );

    let unknown_rule = write(
        "accepted.yaml",
        "- {rule: no-such-rule, pointer: /paths, reason: typo}\n",
    );
    let output = diff(&["--from", BASE, "--to", HEAD, "--accepted", &unknown_rule]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("unknown rule `no-such-rule`"),
        "{}",
        stderr(&output)
    );

    let output = diff(&["--from", BASE]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "clap rejects --from without --to"
    );
}

/// A CI gate must not pass a pull request because it could not read one of the specs: what is
/// not an OpenAPI 3.0.x or 3.1.x document stops the comparison, as the base and as the head, with the
/// file, the line and the reason.
#[test]
fn documents_that_are_not_openapi_3_0_or_3_1_are_refused_with_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let base_text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(BASE)).unwrap();
    let cases = [
        (
            "empty.yaml",
            String::new(),
            "empty.yaml:1:1: (document): the file is empty",
        ),
        (
            "list.yaml",
            "- openapi: 3.0.3\n".to_owned(),
            "list.yaml:1:1: (document): the document is a list, not a mapping",
        ),
        (
            "no-version.yaml",
            "info: {title: x, version: '1'}\npaths: {}\n".to_owned(),
            "no-version.yaml: openapi: missing `openapi` version",
        ),
        (
            "swagger.yaml",
            "swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n".to_owned(),
            "swagger.yaml:1:1: swagger: Swagger 2.0 documents are not supported",
        ),
        // 3.1 is compared (tests/diff_openapi31.rs); a later version is not.
        (
            "openapi-3-2.yaml",
            base_text.replace("openapi: 3.0.3", "openapi: 3.2.0"),
            "openapi-3-2.yaml:1:1: openapi: OpenAPI 3.2.0 is not supported",
        ),
        (
            "duplicate.yaml",
            base_text.replacen("paths:\n", "paths:\n  /devices:\n    delete: {}\n", 1),
            "duplicate.yaml:10:3: (document): duplicate key `/devices` (first at line 8)",
        ),
    ];
    for (name, text, message) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, &text).unwrap();
        let path = path.to_str().unwrap();
        for (from, to) in [(path, BASE), (BASE, path)] {
            let output = diff(&["--from", from, "--to", to, "--accepted", NO_ACCEPTED]);
            assert_eq!(output.status.code(), Some(2), "{name}: {}", stdout(&output));
            assert!(stdout(&output).is_empty(), "{name}: {}", stdout(&output));
            assert!(
                stderr(&output).contains(message),
                "{name}: {}",
                stderr(&output)
            );
        }
    }
}

#[test]
fn a_change_that_leaves_the_rust_api_alone_suggests_a_patch_not_a_minor() {
    let dir = "tests/fixtures/diff/rules/security-requirement-added";
    let (base, head) = (format!("{dir}/base.yaml"), format!("{dir}/head.yaml"));
    let output = diff(&[
        "--from",
        &base,
        "--to",
        &head,
        "--accepted",
        NO_ACCEPTED,
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(report["findings"][0]["rust_effect"]
        .as_str()
        .unwrap()
        .starts_with("none"));
    assert_eq!(report["suggested_bump"], "patch");
    assert_eq!(
        report["bump_reason"],
        "the contract changes on the wire; the Rust API stays the same"
    );
}

/// What is not a spec is refused as the base and as the head, each problem with its file,
/// line and reason: a schema `$ref` to an operation, a path key without its `/`, a path
/// parameter declared under a name its template does not have.
#[test]
fn references_to_the_wrong_kind_and_malformed_paths_are_refused_with_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff/rules/request-body-removed/base.yaml");
    let text = std::fs::read_to_string(&fixture).unwrap();
    let cases = [
        (
            "ref-to-operation.yaml",
            text.replace(
                "            schema: {$ref: '#/components/schemas/NewThing'}",
                "            schema: {$ref: '#/paths/~1things~1{thing}/get'}",
            ),
            "ref-to-operation.yaml:11:22: paths./things.post.requestBody.content.application/json.schema.$ref: `$ref` \"#/paths/~1things~1{thing}/get\" points to an operation, where a schema is expected",
        ),
        (
            "ref-to-parameter.yaml",
            text.replace(
                "        name: {type: string, maxLength: 40}",
                "        name: {$ref: '#/paths/~1things~1{thing}/get/parameters/0'}",
            ),
            "`$ref` \"#/paths/~1things~1{thing}/get/parameters/0\" points to a parameter, where a schema is expected",
        ),
        (
            "path-without-slash.yaml",
            text.replace("  /things:\n", "  things:\n"),
            "path-without-slash.yaml:4:3: paths.things: path `things` does not start with `/`",
        ),
        (
            "path-parameter-misnamed.yaml",
            text.replace("{name: thing, in: path", "{name: id, in: path"),
            "path-parameter-misnamed.yaml:22:11: paths./things/{thing}.get.parameters.0: path parameter `id` is not a variable of `/things/{thing}`",
        ),
    ];
    for (name, spec, message) in cases {
        assert_ne!(spec, text, "{name}: the edit did not apply");
        let path = dir.path().join(name);
        std::fs::write(&path, spec).unwrap();
        let path = path.to_str().unwrap();
        let fixture = fixture.to_str().unwrap();
        for (from, to) in [(fixture, path), (path, fixture)] {
            let output = diff(&["--from", from, "--to", to, "--accepted", NO_ACCEPTED]);
            assert_eq!(output.status.code(), Some(2), "{name}: {}", stderr(&output));
            assert!(
                stderr(&output).contains(message),
                "{name}: {}",
                stderr(&output)
            );
        }
    }
}
