//! scripts/contract-review.sh, the steps of .github/workflows/contract-review.yml, on temporary
//! repositories with two commits: the annotations, the job summary and the verdict.

mod support;

use std::path::Path;

use std::process::{Command, Output};
use support::git;

const SPEC_V1: &str = "openapi: 3.0.3
info: {title: Review fixture, version: '1'}
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

/// Two commits: the spec, then the spec with `head` (and the accepted-breaks file, if given).
fn repository(head: &str, accepted: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    git(path, &["init", "--quiet"]);
    std::fs::write(path.join("openapi.yaml"), SPEC_V1).unwrap();
    git(path, &["add", "-A"]);
    git(path, &["commit", "--quiet", "-m", "spec"]);
    std::fs::write(path.join("openapi.yaml"), head).unwrap();
    if let Some(accepted) = accepted {
        std::fs::write(path.join("openapi-accepted-breaks.yaml"), accepted).unwrap();
    }
    git(path, &["add", "-A"]);
    git(
        path,
        &["commit", "--quiet", "--allow-empty", "-m", "change"],
    );
    dir
}

/// Runs the script as the workflow does, with the summary file GitHub Actions would provide.
fn review(repository: &Path, base: &str) -> (Output, String) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/contract-review.sh");
    let summary = repository.join("summary.md");
    let output = Command::new("bash")
        .arg(script)
        .arg(base)
        .env("XTASK", env!("CARGO_BIN_EXE_xtask"))
        .env("CONTRACT_SPEC", repository.join("openapi.yaml"))
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    let summary = std::fs::read_to_string(summary).unwrap_or_default();
    (output, summary)
}

#[test]
fn an_unaccepted_break_fails_with_an_error_annotation_and_the_report_as_summary() {
    let head = SPEC_V1
        .replace("                  note: {type: string}\n", "")
        .replace("[id, note]", "[id]");
    let repository = repository(&head, None);
    let (output, summary) = review(repository.path(), "HEAD~1");
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let annotation = stdout
        .lines()
        .find(|line| line.starts_with("::error file="))
        .unwrap_or_else(|| panic!("no error annotation in:\n{stdout}"));
    assert!(annotation.contains("openapi.yaml"), "{annotation}");
    assert!(
        annotation.contains("title=response-property-removed"),
        "{annotation}"
    );
    assert!(
        summary.starts_with("## OpenAPI contract changes\n"),
        "{summary}"
    );
    assert!(summary.contains("### Breaking"), "{summary}");
    assert!(
        summary.contains("`response-property-removed` | `GET /things/{thing}`"),
        "{summary}"
    );
}

#[test]
fn an_accepted_break_passes_and_the_summary_says_it_was_accepted() {
    let head = SPEC_V1.replace("retrieveThing", "getThing");
    let accepted = "- rule: operation-id-changed\n  pointer: /paths/~1things~1{thing}/get/operationId\n  reason: matches the other get operations\n";
    let repository = repository(&head, Some(accepted));
    let (output, summary) = review(repository.path(), "HEAD~1");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("::notice file="), "{stdout}");
    assert!(
        summary.contains("**accepted**: matches the other get operations"),
        "{summary}"
    );
}

#[test]
fn no_change_passes_with_a_summary_saying_so() {
    let repository = repository(SPEC_V1, None);
    let (output, summary) = review(repository.path(), "HEAD~1");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(summary.contains("No contract changes."), "{summary}");
}

#[test]
fn an_unknown_base_fails_as_a_tool_error_and_the_summary_says_why() {
    let repository = repository(SPEC_V1, None);
    let (output, summary) = review(repository.path(), "no-such-branch");
    assert_eq!(output.status.code(), Some(2));
    assert!(summary.contains("could not be made"), "{summary}");
    assert!(
        summary.contains("unknown git ref `no-such-branch`"),
        "{summary}"
    );
}
