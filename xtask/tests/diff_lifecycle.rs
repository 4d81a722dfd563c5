//! Lifecycle in `cargo xtask diff`, as oasdiff has it: a removal says whether the base had
//! deprecated what it removes and shows its `x-sunset` (or an operation's `Sunset` response
//! header); a removal of something with a sunset date is breaking on the wire, before the date
//! (a broken promise) and after it (announced when it was deprecated); a new deprecation is info
//! with its sunset. The date is given with `--today`, so the tests do not age.

mod review_library;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const DIR: &str = "tests/fixtures/diff/lifecycle";
const NO_ACCEPTED: &str = "tests/fixtures/diff/no-accepted-breaks.yaml";

fn diff(head: &str, today: &str, format: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["diff", "--fail-on", "never", "--accepted", NO_ACCEPTED])
        .args(["--from", &format!("{DIR}/base.yaml")])
        .args(["--to", &format!("{DIR}/{head}.yaml")])
        .args(["--today", today, "--format", format])
        .output()
        .unwrap()
}

fn text(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// `rule pointer` → (wire severity, lifecycle).
fn findings(head: &str, today: &str) -> Vec<(String, String, Value)> {
    let report = review_library::json_report(
        Path::new(&format!("{DIR}/base.yaml")),
        Path::new(&format!("{DIR}/{head}.yaml")),
        Path::new(NO_ACCEPTED),
        today,
    );
    let mut findings: Vec<(String, String, Value)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            (
                format!(
                    "{} {}",
                    finding["rule"].as_str().unwrap(),
                    finding["pointer"].as_str().unwrap()
                ),
                finding["wire"].as_str().unwrap().to_owned(),
                finding["lifecycle"].clone(),
            )
        })
        .collect();
    findings.sort_by(|a, b| a.0.cmp(&b.0));
    findings
}

fn lifecycle(
    deprecated: bool,
    sunset: Option<&str>,
    passed: Option<bool>,
    announced: bool,
) -> Value {
    serde_json::json!({
        "deprecated": deprecated,
        "by_sunset_header": false,
        "sunset": sunset,
        "sunset_passed": passed,
        "announced": announced,
    })
}

/// The lifecycle an operation's `Sunset` response header gives.
fn by_header(sunset: &str, passed: bool) -> Value {
    let mut lifecycle = lifecycle(true, Some(sunset), Some(passed), passed);
    lifecycle["by_sunset_header"] = Value::Bool(true);
    lifecycle
}

const DELETE: &str = "operation-removed /paths/~1things~1{thing}/delete";
const REPLACE: &str = "operation-removed /paths/~1things~1{thing}/put";
const LIST: &str = "operation-removed /paths/~1things/get";
const EXPAND: &str = "parameter-removed /paths/~1things~1{thing}/get/parameters/1";
const SIZE: &str = "request-property-removed /components/schemas/NewThing/properties/size";

fn row(key: &str, wire: &str, lifecycle: Value) -> (String, String, Value) {
    (key.to_owned(), wire.to_owned(), lifecycle)
}

#[test]
fn removals_before_their_sunset_are_breaking_and_say_so() {
    let mut expected = vec![
        // Deprecated, sunset 2027-01-01 not reached: a promise broken.
        row(
            DELETE,
            "breaking",
            lifecycle(true, Some("2027-01-01"), Some(false), false),
        ),
        // Its end announced by a `Sunset` response header, the date not reached.
        row(REPLACE, "breaking", by_header("2027-03-01", false)),
        // Never deprecated: breaking, and the finding says so.
        row(LIST, "breaking", lifecycle(false, None, None, false)),
        // Deprecated, sunset passed: announced, and still a break for whoever sends it (the
        // rule alone says review).
        row(
            EXPAND,
            "breaking",
            lifecycle(true, Some("2026-06-01"), Some(true), true),
        ),
        // A request property removal needs review by itself; before its sunset it breaks.
        row(
            SIZE,
            "breaking",
            lifecycle(true, Some("2027-03-01"), Some(false), false),
        ),
    ];
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(findings("removed", "2026-12-02"), expected);
}

#[test]
fn removals_after_their_sunset_are_announced_and_still_breaking_on_the_wire() {
    let mut expected = vec![
        row(
            DELETE,
            "breaking",
            lifecycle(true, Some("2027-01-01"), Some(true), true),
        ),
        // The sunset day itself is no longer before it.
        row(REPLACE, "breaking", by_header("2027-03-01", true)),
        row(LIST, "breaking", lifecycle(false, None, None, false)),
        row(
            EXPAND,
            "breaking",
            lifecycle(true, Some("2026-06-01"), Some(true), true),
        ),
        row(
            SIZE,
            "breaking",
            lifecycle(true, Some("2027-03-01"), Some(true), true),
        ),
    ];
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(findings("removed", "2027-03-01"), expected);
}

#[test]
fn a_new_deprecation_is_info_with_its_sunset() {
    assert_eq!(
        findings("deprecated", "2026-12-02"),
        vec![row(
            "operation-deprecated /paths/~1things~1{thing}/get/deprecated",
            "info",
            lifecycle(true, Some("2027-06-30"), Some(false), false),
        )]
    );
}

#[test]
fn a_sunset_response_header_deprecates_its_operation() {
    assert_eq!(
        findings("sunset-header", "2026-12-02"),
        vec![
            row(
                "operation-deprecated /paths/~1things/post",
                "info",
                by_header("2027-09-01", false),
            ),
            row(
                "response-header-added /paths/~1things/post/responses/200/headers/Sunset",
                "info",
                Value::Null,
            ),
        ]
    );
}

#[test]
fn every_format_shows_the_lifecycle() {
    let announced = "[deprecated, sunset 2026-06-01 (passed): announced]";
    let promise = "[deprecated, sunset 2027-01-01 (not reached)]";
    let undeprecated = "[removed without deprecation, no sunset]";
    let header = "[deprecated (`Sunset` response header), sunset 2027-03-01 (not reached)]";
    for format in ["md", "text", "github", "junit", "sarif"] {
        let report = text(&diff("removed", "2026-12-02", format));
        for expected in [announced, promise, undeprecated, header] {
            assert!(
                report.contains(expected),
                "{format}: {expected} missing in\n{report}"
            );
        }
    }
}

#[test]
fn a_sunset_that_is_not_a_date_is_refused_with_file_and_line() {
    let output = diff("bad-sunset", "2026-12-02", "json");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "tests/fixtures/diff/lifecycle/bad-sunset.yaml:44:7: \
             paths./things/{thing}.delete.x-sunset: `x-sunset: \"next spring\"` is not a date"
        ),
        "{stderr}"
    );
}

#[test]
fn today_must_be_a_date() {
    let output = diff("removed", "tomorrow", "json");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("`tomorrow` is not a date"));
}
