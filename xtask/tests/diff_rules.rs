//! `cargo xtask diff` on fixture pairs: each rule's pair gives exactly the expected findings in
//! both directions, changes in shared components are judged per direction of use, and a spec
//! compared with itself, with a reformatted copy of itself or with an equivalent restructuring
//! of itself gives nothing. The findings come from the library (`xtask::diff::compare_files`);
//! the output formats are checked on the command.

mod review_library;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff")
}

fn diff_files(base: &Path, head: &Path, format: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args([
            "diff",
            "--format",
            format,
            "--fail-on",
            "never",
            "--accepted",
        ])
        .arg(fixtures().join("no-accepted-breaks.yaml"))
        .arg("--from")
        .arg(base)
        .arg("--to")
        .arg(head)
        .output()
        .unwrap()
}

/// The review's JSON report, from the library (the date matters to no fixture here).
fn report(base: &Path, head: &Path) -> Value {
    review_library::json_report(
        base,
        head,
        &fixtures().join("no-accepted-breaks.yaml"),
        "2026-12-06",
    )
}

/// Findings as the fixtures write them: `rule pointer [operations]`, sorted.
fn finding_lines(report: &Value) -> Vec<String> {
    lines(report, Columns::Rule)
}

/// What a fixture's line says of a finding besides its pointer and operations.
#[derive(Clone, Copy)]
enum Columns {
    /// `rule pointer [operations]` (the `rules`, `shared` and `equivalent` fixtures).
    Rule,
    /// `rule wire/rust pointer [operations]` (the `verdicts` fixtures).
    RuleAndSeverities,
}

fn lines(report: &Value, columns: Columns) -> Vec<String> {
    let mut lines: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            let operations: Vec<&str> = finding["operations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|operation| operation.as_str().unwrap())
                .collect();
            let rule = finding["rule"].as_str().unwrap();
            let rule = match columns {
                Columns::Rule => rule.to_owned(),
                Columns::RuleAndSeverities => format!(
                    "{rule} {}/{}",
                    finding["wire"].as_str().unwrap(),
                    finding["rust"].as_str().unwrap()
                ),
            };
            format!(
                "{rule} {} [{}]",
                finding["pointer"].as_str().unwrap(),
                operations.join(", ")
            )
        })
        .collect();
    lines.sort();
    lines
}

#[derive(serde::Deserialize)]
struct Expected {
    forward: Vec<String>,
    reversed: Vec<String>,
}

fn fixture_dirs(group: &str) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures().join(group))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no fixtures in {group}");
    dirs
}

/// Runs every pair of a group both ways; reports all mismatches at once.
fn check_group(group: &str) {
    check_group_with(group, Columns::Rule);
}

fn check_group_with(group: &str, columns: Columns) {
    let mut failures = Vec::new();
    for dir in fixture_dirs(group) {
        let expected: Expected =
            serde_yaml_ng::from_str(&std::fs::read_to_string(dir.join("expected.yaml")).unwrap())
                .unwrap();
        let (base, head) = (dir.join("base.yaml"), dir.join("head.yaml"));
        for (direction, from, to, mut wanted) in [
            ("forward", &base, &head, expected.forward),
            ("reversed", &head, &base, expected.reversed),
        ] {
            wanted.sort();
            let actual = lines(&report(from, to), columns);
            if actual != wanted {
                failures.push(format!(
                    "{} ({direction}):\n  expected {wanted:#?}\n  actual {actual:#?}",
                    dir.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_fixture_pair_gives_its_findings_both_ways() {
    check_group("rules");
}

/// The classes of change the containment engine decides (a narrower format in a response, a
/// response map widened to anything, an overlapping `oneOf`, a body root made nullable, a
/// pattern loosened to match everything, `required` on readOnly/writeOnly properties, ...):
/// each pair gives its wire and Rust verdicts both ways.
#[test]
fn every_verdict_fixture_gives_its_severities_both_ways() {
    check_group_with("verdicts", Columns::RuleAndSeverities);
}

/// OpenAPI 3.1 forms (`const`, type lists, `$ref` siblings, a numeric `exclusiveMinimum`) and
/// `x-extensible-enum` (3.0 and 3.1) compared as the 3.0 forms they mean, both ways.
#[test]
fn every_openapi_3_1_form_pair_gives_its_findings_both_ways() {
    check_group_with("openapi31", Columns::RuleAndSeverities);
}

#[test]
fn shared_component_changes_are_judged_per_direction_and_reported_once() {
    check_group("shared");
}

/// Restructurings that describe the same instances and generate the same Rust types: an
/// object split into `allOf` parts with the same merged properties and required names, nested
/// `allOf`s, a `$ref` wrapped in a single-member `allOf`.
#[test]
fn equivalent_restructurings_give_no_findings_either_way() {
    for dir in fixture_dirs("equivalent") {
        let expected = std::fs::read_to_string(dir.join("expected.yaml")).unwrap();
        let expected: Expected = serde_yaml_ng::from_str(&expected).unwrap();
        assert!(
            expected.forward.is_empty() && expected.reversed.is_empty(),
            "{}: an equivalent pair expects no findings",
            dir.display()
        );
    }
    check_group("equivalent");
}

/// `cargo xtask diff --rules`, as printed.
fn rule_table() -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["diff", "--rules"])
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn every_rule_has_a_fixture_pair_that_produces_it() {
    let table = rule_table();
    let rules: Vec<&str> = table
        .lines()
        .skip(1)
        .map(|line| line.split('\t').next().unwrap())
        .collect();
    assert!(rules.len() > 40, "rule table: {table}");
    // Rules that only the containment engine's judgement produces have their pairs among
    // the `verdicts` fixtures (or, for 3.1 forms, the `openapi31` ones).
    let verdicts: Vec<Expected> = fixture_dirs("verdicts")
        .iter()
        .chain(&fixture_dirs("openapi31"))
        .map(|dir| {
            serde_yaml_ng::from_str(&std::fs::read_to_string(dir.join("expected.yaml")).unwrap())
                .unwrap()
        })
        .collect();
    let expects = |expected: &Expected, rule: &str| {
        expected
            .forward
            .iter()
            .any(|line| line.split(' ').next() == Some(rule))
    };
    // Produced only by comparing the committed generated clients of two git revisions, which
    // a pair of spec files does not have: tested in diff_git.rs.
    const FROM_GENERATED_CODE: &[&str] = &["generated-rust-api-changed"];
    for rule in rules {
        if FROM_GENERATED_CODE.contains(&rule) {
            continue;
        }
        let dir = fixtures().join("rules").join(rule);
        match std::fs::read_to_string(dir.join("expected.yaml")) {
            Ok(expected) => {
                let expected: Expected = serde_yaml_ng::from_str(&expected).unwrap();
                assert!(
                    expects(&expected, rule),
                    "the fixture of {rule} does not expect {rule}"
                );
            }
            Err(_) => assert!(
                verdicts.iter().any(|expected| expects(expected, rule)),
                "rule {rule} has no fixture pair in {} nor among the verdicts and 3.1 forms",
                dir.display()
            ),
        }
    }
}

/// `--rules` says, for each rule, whether its wire severity is its own or the containment
/// engine's; the debug build's check in `Findings::push` holds every fixture pair to it.
#[test]
fn the_rule_table_says_where_each_wire_severity_comes_from() {
    let table = rule_table();
    let mut lines = table.lines();
    assert_eq!(lines.next(), Some("rule\twire\twire from\trust\tsummary"));
    let wire_from = |id: &str| {
        table
            .lines()
            .map(|line| line.split('\t').collect::<Vec<_>>())
            .find(|row| row[0] == id)
            .map(|row| row[2].to_owned())
            .unwrap()
    };
    for judged in [
        "request-constraint-tightened",
        "response-property-type-changed",
        "parameter-type-changed",
        "schema-rewritten",
    ] {
        assert_eq!(wire_from(judged), "schemas", "{judged}");
    }
    for fixed in ["operation-removed", "parameter-removed", "servers-changed"] {
        assert_eq!(wire_from(fixed), "rule", "{fixed}");
    }
}

/// The contract review's page (`docs/contract-review.md`, "Reviewing a spec change") names
/// rules by id; each must be one `--rules` lists, so a renamed or dropped rule cannot leave the
/// page behind.
#[test]
fn the_review_page_names_only_rules_that_exist() {
    let table = rule_table();
    let rules: Vec<&str> = table
        .lines()
        .skip(1)
        .map(|line| line.split('\t').next().unwrap())
        .collect();
    let page = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/contract-review.md"),
    )
    .unwrap();
    // Code spans that look like rule ids: lowercase words joined by hyphens, other than the
    // spec's extension keys (`x-sunset`).
    let named: Vec<&str> = page
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|span| {
            span.contains('-')
                && !span.starts_with('-')
                && !span.starts_with("x-")
                && span.chars().all(|c| c.is_ascii_lowercase() || c == '-')
        })
        .collect();
    assert!(named.len() > 20, "rule ids in the review page: {named:?}");
    let unknown: Vec<&&str> = named.iter().filter(|id| !rules.contains(id)).collect();
    assert!(
        unknown.is_empty(),
        "docs/contract-review.md names rules that do not exist: {unknown:?}"
    );
}

fn all_fixture_specs() -> Vec<PathBuf> {
    let mut specs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi.yaml")];
    for group in ["rules", "shared", "equivalent", "verdicts", "openapi31"] {
        for dir in fixture_dirs(group) {
            specs.push(dir.join("base.yaml"));
            specs.push(dir.join("head.yaml"));
        }
    }
    specs
}

#[test]
fn a_spec_compared_with_itself_gives_nothing() {
    for spec in all_fixture_specs() {
        let report = report(&spec, &spec);
        assert_eq!(
            finding_lines(&report),
            Vec::<String>::new(),
            "{}",
            spec.display()
        );
        assert_eq!(report["description_changes"], 0, "{}", spec.display());
        assert_eq!(report["suggested_bump"], "none");
    }
}

/// The document rewritten as JSON, keys in reverse order, and, when `edit` says so, every
/// description changed. Returns how many descriptions were changed.
fn rewrite(value: &Value, edit_descriptions: bool, changed: &mut usize) -> String {
    fn reorder(value: &Value, edit: bool, in_properties: bool, changed: &mut usize) -> String {
        match value {
            Value::Object(map) => {
                let members: Vec<String> = map
                    .iter()
                    .rev()
                    .map(|(key, child)| {
                        let child = match child {
                            Value::String(text)
                                if edit && !in_properties && key == "description" =>
                            {
                                *changed += 1;
                                Value::String(format!("{text} (reworded)")).to_string()
                            }
                            _ => {
                                reorder(child, edit, !in_properties && key == "properties", changed)
                            }
                        };
                        format!("{}: {child}", Value::String(key.clone()))
                    })
                    .collect();
                format!("{{\n{}\n}}", members.join(",\n"))
            }
            Value::Array(items) => {
                let items: Vec<String> = items
                    .iter()
                    .map(|item| reorder(item, edit, false, changed))
                    .collect();
                format!("[{}]", items.join(", "))
            }
            other => other.to_string(),
        }
    }
    reorder(value, edit_descriptions, false, changed)
}

#[test]
fn reformatting_as_json_with_other_key_order_gives_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for (index, spec) in all_fixture_specs().into_iter().enumerate() {
        let value: Value =
            serde_yaml_ng::from_str(&std::fs::read_to_string(&spec).unwrap()).unwrap();
        let json = dir.path().join(format!("{index}.json"));
        std::fs::write(&json, rewrite(&value, false, &mut 0)).unwrap();
        let report = report(&spec, &json);
        assert_eq!(
            finding_lines(&report),
            Vec::<String>::new(),
            "{}",
            spec.display()
        );
        assert_eq!(report["description_changes"], 0, "{}", spec.display());
    }
}

#[test]
fn description_only_edits_give_no_findings_but_are_counted() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi.yaml");
    let value: Value = serde_yaml_ng::from_str(&std::fs::read_to_string(&spec).unwrap()).unwrap();
    let mut changed = 0;
    let edited = rewrite(&value, true, &mut changed);
    assert!(changed > 50, "only {changed} descriptions in openapi.yaml?");
    let dir = tempfile::tempdir().unwrap();
    let head = dir.path().join("reworded.json");
    std::fs::write(&head, edited).unwrap();
    let report = report(&spec, &head);
    assert_eq!(finding_lines(&report), Vec::<String>::new());
    assert_eq!(report["description_changes"], changed);
    assert_eq!(report["suggested_bump"], "patch");
}

#[test]
fn output_is_byte_identical_across_runs() {
    let dir = fixtures().join("report");
    for format in ["md", "text", "json", "github"] {
        let runs: Vec<Vec<u8>> = (0..3)
            .map(|_| diff_files(&dir.join("base.yaml"), &dir.join("head.yaml"), format).stdout)
            .collect();
        assert!(!runs[0].is_empty());
        assert!(
            runs.iter().all(|run| run == &runs[0]),
            "{format} output varies"
        );
    }
}

#[test]
fn findings_carry_both_severities_and_a_line() {
    let dir = fixtures().join("report");
    let report = report(&dir.join("base.yaml"), &dir.join("head.yaml"));
    let mut by_rule: BTreeMap<String, Value> = BTreeMap::new();
    for finding in report["findings"].as_array().unwrap() {
        for key in ["wire", "rust", "severity", "pointer", "rust_effect"] {
            assert!(finding.get(key).is_some(), "{key} missing in {finding}");
        }
        assert!(finding["line"].as_u64().is_some(), "no line in {finding}");
        by_rule.insert(
            finding["rule"].as_str().unwrap().to_owned(),
            finding.clone(),
        );
    }
    let became_required = &by_rule["response-property-became-non-nullable"];
    assert_eq!(became_required["wire"], "info");
    assert_eq!(became_required["rust"], "breaking");
    assert!(
        became_required["rust_effect"]
            .as_str()
            .unwrap()
            .contains("`imei: Option<String>` → `imei: String`"),
        "{became_required}"
    );
}

/// Descriptions are matched by what they describe, not by position: parameters reordered, a
/// parameter inserted, path parameters hoisted to the path item and `$ref`s to components
/// inlined change no description.
#[test]
fn reordering_inserting_hoisting_and_inlining_count_no_description_change() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi.yaml");
    let original: Value =
        serde_yaml_ng::from_str(&std::fs::read_to_string(&spec).unwrap()).unwrap();
    let mut edited = original.clone();
    let components = original["components"]["parameters"].clone();
    let methods = ["get", "put", "post", "delete", "patch"];
    let mut hoisted = 0;
    for (_, item) in edited["paths"].as_object_mut().unwrap().iter_mut() {
        let item = item.as_object_mut().unwrap();
        let mut path_level = Vec::new();
        for method in methods {
            let Some(parameters) = item
                .get_mut(method)
                .and_then(|operation| operation.get_mut("parameters"))
                .and_then(Value::as_array_mut)
            else {
                continue;
            };
            for parameter in parameters.iter_mut() {
                // Inline every reference to a shared parameter.
                if let Some(target) = parameter.get("$ref").and_then(Value::as_str) {
                    let name = target.rsplit('/').next().unwrap();
                    *parameter = components[name].clone();
                }
            }
            // Hoist the path parameters to the path item.
            parameters.retain(|parameter| {
                if parameter["in"] == "path" {
                    if !path_level.contains(parameter) {
                        path_level.push(parameter.clone());
                    }
                    false
                } else {
                    true
                }
            });
            parameters.reverse();
            parameters.insert(
                0,
                serde_json::json!({"name": "inserted", "in": "query", "description": "New.", "schema": {"type": "string"}}),
            );
        }
        hoisted += path_level.len();
        item.insert("parameters".to_owned(), Value::Array(path_level));
    }
    assert!(hoisted > 10, "only {hoisted} path parameters hoisted");
    let dir = tempfile::tempdir().unwrap();
    let head = dir.path().join("moved.json");
    std::fs::write(&head, edited.to_string()).unwrap();
    let report = report(&spec, &head);
    assert_eq!(report["description_changes"], 0);
    // The inserted parameter is a finding; nothing else is.
    assert!(finding_lines(&report)
        .iter()
        .all(|line| line.starts_with("parameter-added-optional ")));
}

/// The findings of one fixture pair of the `rules` group, `reversed` swapping base and head.
fn rule_findings(pair: &str, reversed: bool) -> Vec<Value> {
    let dir = fixtures().join("rules").join(pair);
    let (base, head) = (dir.join("base.yaml"), dir.join("head.yaml"));
    let report = if reversed {
        report(&head, &base)
    } else {
        report(&base, &head)
    };
    report["findings"].as_array().unwrap().clone()
}

fn only_finding<'a>(findings: &'a [Value], rule: &str) -> &'a Value {
    let matching: Vec<&Value> = findings
        .iter()
        .filter(|finding| finding["rule"] == rule)
        .collect();
    assert_eq!(matching.len(), 1, "one {rule} in {findings:#?}");
    matching[0]
}

fn effect(finding: &Value) -> &str {
    finding["rust_effect"].as_str().unwrap()
}

/// A type widened to a `oneOf` holding it names the variants' types (never `any`), is a
/// relaxation on the wire for requests and a break for readers, and changes the Rust type to
/// the generated enum either way.
#[test]
fn widening_to_a_one_of_names_the_types_and_the_generated_enum() {
    let widened = rule_findings("request-type-widened", false);
    let finding = only_finding(&widened, "request-type-widened");
    assert_eq!(
        (&finding["wire"], &finding["rust"]),
        (&"info".into(), &"breaking".into())
    );
    assert_eq!(finding["old"], "string");
    assert_eq!(finding["new"], "oneOf [string, object]");
    assert!(
        effect(finding).starts_with("type `String` → `NewThingName`"),
        "{finding}"
    );
    let narrowed = rule_findings("request-type-widened", true);
    let finding = only_finding(&narrowed, "request-type-narrowed");
    assert_eq!(finding["wire"], "breaking");
    assert_eq!(finding["new"], "string");
    let response = rule_findings("response-type-widened", false);
    let finding = only_finding(&response, "response-type-widened");
    assert_eq!(finding["wire"], "breaking");
    assert_eq!(finding["new"], "oneOf [string, integer]");
    for finding in widened.iter().chain(&narrowed).chain(&response) {
        for column in ["old", "new"] {
            assert!(
                !finding[column].as_str().unwrap_or_default().contains("any"),
                "{finding}"
            );
        }
    }
}

/// typify ignores readOnly and writeOnly: the generated field stays, which the Rust note says,
/// and the bump stays a patch because the generated code does not change.
#[test]
fn read_only_and_write_only_keep_the_generated_field() {
    let findings = rule_findings("request-property-became-read-only", false);
    let finding = only_finding(&findings, "request-property-became-read-only");
    assert_eq!(
        (&finding["wire"], &finding["rust"]),
        (&"breaking".into(), &"review".into())
    );
    assert!(
        effect(finding).contains("`size: Option<i32>` stays in `NewThing`"),
        "{finding}"
    );
    let findings = rule_findings("response-property-became-write-only", false);
    let finding = only_finding(&findings, "response-property-became-write-only");
    assert!(
        effect(finding).contains("`note: Option<String>` stays in `Thing` and reads `None`"),
        "{finding}"
    );
    let dir = fixtures().join("rules/response-property-became-write-only");
    let whole = report(&dir.join("base.yaml"), &dir.join("head.yaml"));
    assert_eq!(whole["suggested_bump"], "patch");

    // A required field is no `Option`: always sent, and needed to decode.
    let scratch = tempfile::tempdir().unwrap();
    let write = |name: &str, text: String| {
        let path = scratch.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let spec = std::fs::read_to_string(dir.join("base.yaml")).unwrap();
    let base = write(
        "base.yaml",
        spec.replace("required: [id, name]", "required: [id, name, note]"),
    );
    let head = write(
        "head.yaml",
        spec.replace("required: [id, name]", "required: [id, name, note]")
            .replace(
                "note: {type: string}",
                "note: {type: string, writeOnly: true}",
            )
            .replace(
                "name: {type: string, maxLength: 40}",
                "name: {type: string, maxLength: 40, readOnly: true}",
            ),
    );
    let findings = report(&base, &head)["findings"].as_array().unwrap().clone();
    let read_only = only_finding(&findings, "request-property-became-read-only");
    assert!(
        effect(read_only).contains("`name: String` stays in `NewThing` and is sent whenever it is set (always: it is not an `Option`)"),
        "{read_only}"
    );
    let write_only = only_finding(&findings, "response-property-became-write-only");
    assert!(
        effect(write_only).contains("`note: String` stays in `Thing`; it is not an `Option`, so a response without it fails to decode"),
        "{write_only}"
    );

    // In a request every optional property is an `Option` (a list and a property with a
    // default too), left out while `None`; in a response an optional list is a `Vec` that reads
    // as empty.
    let spec = spec
        .replace(
            "note: {type: string}",
            "note: {type: string}\n        labels: {type: array, items: {type: string}}",
        )
        .replace(
            "size: {type: integer, format: int32, minimum: 0, maximum: 100}",
            "size: {type: integer, format: int32, minimum: 0, maximum: 100, default: 1}",
        );
    let base = write("base.yaml", spec.clone());
    let head = write(
        "head.yaml",
        spec.replace(
            "labels: {type: array, items: {type: string}}",
            "labels: {type: array, items: {type: string}, writeOnly: true}",
        )
        .replace(
            "tags: {type: array, maxItems: 10, items: {type: string}}",
            "tags: {type: array, maxItems: 10, items: {type: string}, readOnly: true}",
        )
        .replace("default: 1}", "default: 1, readOnly: true}"),
    );
    let findings = report(&base, &head)["findings"].as_array().unwrap().clone();
    let read_only: Vec<String> = findings
        .iter()
        .filter(|finding| finding["rule"] == "request-property-became-read-only")
        .map(|finding| effect(finding).to_owned())
        .collect();
    assert_eq!(read_only.len(), 2, "{read_only:?}");
    assert!(
        read_only.iter().any(|effect| effect
            .contains("`tags: Option<Vec<String>>` stays in `NewThing` and is sent whenever it is set; leave it `None`")),
        "{read_only:?}"
    );
    assert!(
        read_only.iter().any(|effect| effect
            .contains("`size: Option<i32>` stays in `NewThing` and is sent whenever it is set; leave it `None`")),
        "{read_only:?}"
    );
    let write_only = only_finding(&findings, "response-property-became-write-only");
    assert!(
        effect(write_only)
            .contains("`labels: Vec<String>` stays in `Thing` and reads as empty from now on"),
        "{write_only}"
    );
}

/// `additionalProperties: false` is `#[serde(deny_unknown_fields)]` in the generated struct:
/// nothing for what is sent, a decoding risk for what is read.
#[test]
fn closing_and_opening_objects_explain_deny_unknown_fields() {
    let findings = rule_findings("request-object-closed", false);
    let finding = only_finding(&findings, "request-object-closed");
    assert_eq!(
        (&finding["wire"], &finding["rust"]),
        (&"breaking".into(), &"info".into())
    );
    assert!(effect(finding).starts_with("none"), "{finding}");
    // Opening a response object lets the server send properties readers never saw: wider,
    // so breaking on the wire (clients generated before keep `deny_unknown_fields`); closing
    // it narrows what they receive.
    let findings = rule_findings("response-object-closed", true);
    let finding = only_finding(&findings, "response-object-opened");
    assert_eq!(
        (&finding["wire"], &finding["rust"]),
        (&"breaking".into(), &"review".into())
    );
    assert!(
        effect(finding).contains("loses `#[serde(deny_unknown_fields)]`"),
        "{finding}"
    );
    let findings = rule_findings("response-object-closed", false);
    let finding = only_finding(&findings, "response-object-closed");
    assert_eq!(finding["wire"], "info");
}

/// Nullable map values are `Option`s in the generated map.
#[test]
fn map_value_nullability_changes_the_map_type() {
    let findings = rule_findings("response-map-value-became-nullable", false);
    let finding = only_finding(&findings, "response-map-value-became-nullable");
    assert_eq!(
        effect(finding),
        "type `HashMap<String, String>` → `HashMap<String, Option<String>>`"
    );
    let findings = rule_findings("request-map-value-became-nullable", true);
    let finding = only_finding(&findings, "request-map-value-became-non-nullable");
    assert_eq!(
        (&finding["wire"], &finding["rust"]),
        (&"breaking".into(), &"breaking".into())
    );
}

/// Moving a schema between inline and a component keeps the wire and renames the generated
/// type; the names are the ones progenitor and typify give inline schemas.
#[test]
fn moving_a_schema_into_a_component_renames_the_rust_type_only() {
    for (pair, old, new) in [
        ("rust-type-renamed", "NewThingDimensions", "Dimensions"),
        (
            "rust-type-renamed--request-body",
            "CreateThingBody",
            "NewThing",
        ),
    ] {
        for reversed in [false, true] {
            let findings = rule_findings(pair, reversed);
            let finding = only_finding(&findings, "rust-type-renamed");
            let (old, new) = if reversed { (new, old) } else { (old, new) };
            assert_eq!(
                (&finding["wire"], &finding["rust"]),
                (&"info".into(), &"breaking".into())
            );
            assert!(
                effect(finding).starts_with(&format!("type `{old}` → `{new}`")),
                "{finding}"
            );
        }
    }
}

/// Descriptions inside a schema split into `allOf` parts are matched by property name across
/// the parts: moving one counts nothing, rewording one while moving it counts one.
#[test]
fn descriptions_moved_into_all_of_parts_are_matched_by_property() {
    let dir = fixtures().join("equivalent/all-of-split");
    let size = "size: {type: integer, format: int32, minimum: 0, maximum: 100}";
    let described = |text: &str| {
        format!(
            "size: {{type: integer, format: int32, minimum: 0, maximum: 100, description: {text:?}}}"
        )
    };
    let scratch = tempfile::tempdir().unwrap();
    let base = scratch.path().join("base.yaml");
    let base_text = std::fs::read_to_string(dir.join("base.yaml")).unwrap();
    std::fs::write(&base, base_text.replace(size, &described("The size."))).unwrap();
    let head_text = std::fs::read_to_string(dir.join("head.yaml")).unwrap();
    assert!(head_text.contains(size) && base_text.contains(size));
    for (text, changes) in [("The size.", 0), ("The size, reworded.", 1)] {
        let head = scratch.path().join("head.yaml");
        std::fs::write(&head, head_text.replace(size, &described(text))).unwrap();
        for (from, to) in [(&base, &head), (&head, &base)] {
            let report = report(from, to);
            assert_eq!(finding_lines(&report), Vec::<String>::new());
            assert_eq!(report["description_changes"], changes, "{text}");
        }
    }
}
