//! OpenAPI 3.1 in `cargo xtask diff`: the real spec migrated to 3.1 (type lists with `"null"`,
//! `const`, `examples`, `$ref` siblings, `{type: 'null'}` members) compares with the 3.0 spec
//! with no finding either way, and a real change made along with the migration is still found.
//! (The per-form fixture pairs are in `diff_rules.rs`; `generate` refusing 3.1 in
//! `generate.rs`.)

mod review_library;

use std::path::Path;

use serde_json::{json, Map, Value};

fn spec_path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi.yaml")
}

fn real_spec() -> Value {
    serde_yaml_ng::from_str(&std::fs::read_to_string(spec_path()).unwrap()).unwrap()
}

/// The findings of `diff --from base --to head` as `rule wire pointer`, sorted.
fn findings(base: &Path, head: &Path) -> Vec<String> {
    let report = report(base, head);
    let mut lines: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            format!(
                "{} {} {}",
                finding["rule"].as_str().unwrap(),
                finding["wire"].as_str().unwrap(),
                finding["pointer"].as_str().unwrap()
            )
        })
        .collect();
    lines.sort();
    lines
}

fn report(base: &Path, head: &Path) -> Value {
    review_library::json_report(
        base,
        head,
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff/no-accepted-breaks.yaml"),
        "2026-12-06",
    )
}

/// A mapping is a schema when its `type` is a string (a property named `type` is a mapping).
fn is_schema(object: &Map<String, Value>) -> bool {
    matches!(object.get("type"), Some(Value::String(_)))
}

/// The null member of the 3.0.3 nullable-reference form, `{type: T, nullable: true, not: {type: T}}`.
fn is_null_member(object: &Map<String, Value>) -> bool {
    object.get("nullable") == Some(&json!(true))
        && object.get("type").is_some()
        && object.get("not").and_then(|not| not.get("type")) == object.get("type")
}

/// The spec as a careful author would write it in 3.1, with the same instances everywhere.
fn migrate(value: &mut Value, counts: &mut Counts) {
    match value {
        Value::Object(object) => {
            if is_null_member(object) {
                *object = json!({"type": "null"}).as_object().unwrap().clone();
                counts.null_members += 1;
                return;
            }
            if is_schema(object) {
                if object.get("nullable") == Some(&json!(true)) {
                    object.remove("nullable");
                    let name = object["type"].clone();
                    object.insert("type".into(), json!([name, "null"]));
                    counts.type_lists += 1;
                }
                if let Some(Value::Array(values)) = object.get("enum") {
                    if let [single] = values.as_slice() {
                        let single = single.clone();
                        object.remove("enum");
                        object.insert("const".into(), single);
                        counts.consts += 1;
                    }
                }
                if let Some(example) = object.remove("example") {
                    object.insert("examples".into(), json!([example]));
                    counts.examples += 1;
                }
            }
            // `allOf: [{$ref: X}]` beside other keywords is `$ref: X` with siblings in 3.1.
            let single_ref = match object.get("allOf") {
                Some(Value::Array(members)) if members.len() == 1 && object.len() > 1 => members[0]
                    .get("$ref")
                    .filter(|_| members[0].as_object().is_some_and(|m| m.len() == 1))
                    .cloned(),
                _ => None,
            };
            if let Some(reference) = single_ref {
                object.remove("allOf");
                object.insert("$ref".into(), reference);
                counts.ref_siblings += 1;
            }
            for (key, child) in object.iter_mut() {
                if key != "example" && key != "examples" {
                    migrate(child, counts);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| migrate(item, counts)),
        _ => {}
    }
}

#[derive(Default, Debug)]
struct Counts {
    null_members: usize,
    type_lists: usize,
    consts: usize,
    examples: usize,
    ref_siblings: usize,
}

fn migrated_spec() -> Value {
    let mut spec = real_spec();
    let mut counts = Counts::default();
    migrate(&mut spec, &mut counts);
    spec["openapi"] = json!("3.1.0");
    // The migration must exercise every form, or the test would prove little.
    assert!(
        counts.null_members > 0
            && counts.type_lists > 10
            && counts.consts > 0
            && counts.examples > 10
            && counts.ref_siblings > 0,
        "{counts:?}"
    );
    spec
}

fn write(directory: &Path, name: &str, spec: &Value) -> std::path::PathBuf {
    let path = directory.join(name);
    std::fs::write(&path, serde_yaml_ng::to_string(spec).unwrap()).unwrap();
    path
}

#[test]
fn a_faithful_migration_to_3_1_reports_nothing_either_way() {
    let directory = tempfile::tempdir().unwrap();
    let migrated = write(directory.path(), "openapi-3.1.yaml", &migrated_spec());
    let text = std::fs::read_to_string(&migrated).unwrap();
    assert!(text.contains("- 'null'") || text.contains("- \"null\"") || text.contains("- null"));
    assert_eq!(findings(&spec_path(), &migrated), Vec::<String>::new());
    assert_eq!(findings(&migrated, &spec_path()), Vec::<String>::new());
}

#[test]
fn a_change_made_with_the_migration_is_still_found() {
    let directory = tempfile::tempdir().unwrap();
    let mut spec = migrated_spec();
    // A response property made nullable, written the 3.1 way.
    let id = &mut spec["components"]["schemas"]["Subscription"]["properties"]["id"];
    assert_eq!(id["type"], json!("string"));
    id["type"] = json!(["string", "null"]);
    let migrated = write(directory.path(), "openapi-3.1.yaml", &spec);
    let forward = findings(&spec_path(), &migrated);
    assert!(
        forward
            .iter()
            .any(|line| line.contains(" breaking /components/schemas/Subscription/properties/id")),
        "{forward:#?}"
    );
    assert!(
        forward
            .iter()
            .all(|line| line.contains("/Subscription/properties/id")),
        "{forward:#?}"
    );
    // The line is the one the change is written on in the 3.1 file (`id:` of Subscription,
    // or its `type:` when the pointer names it).
    let text = std::fs::read_to_string(&migrated).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // The first line from `start` on that is `key` at `indent`.
    let after = |start: usize, indent: usize, key: &str| {
        start
            + lines[start..]
                .iter()
                .position(|line| {
                    line.len() > indent
                        && line[..indent].trim().is_empty()
                        && line[indent..].starts_with(key)
                })
                .unwrap()
    };
    let subscription = after(after(0, 2, "schemas:"), 4, "Subscription:");
    let id_line = after(after(subscription, 6, "properties:"), 8, "id:");
    let report = report(&spec_path(), &migrated);
    let breaking = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|finding| finding["wire"] == "breaking")
        .unwrap();
    let pointer = breaking["pointer"].as_str().unwrap();
    let expected_line = if pointer.ends_with("/type") {
        after(id_line, 10, "type:")
    } else {
        id_line
    };
    assert_eq!(
        breaking["line"],
        json!(expected_line + 1),
        "{breaking:#?} in\n{}",
        lines[id_line.saturating_sub(2)..expected_line + 3].join("\n")
    );
    let reversed = findings(&migrated, &spec_path());
    assert!(
        !reversed.is_empty()
            && reversed
                .iter()
                .all(|line| line.contains("/Subscription/properties/id")
                    && !line.contains(" breaking ")),
        "{reversed:#?}"
    );
}

/// A constraint written beside a `$ref` (which 3.1 applies) is found where it is written: the
/// finding's pointer and line are the sibling's, and the reference's own constraints still
/// apply (the sibling is read with them, not instead of them).
#[test]
fn a_constraint_beside_a_ref_is_found_at_its_line() {
    let directory = tempfile::tempdir().unwrap();
    let mut spec = migrated_spec();
    let metadata =
        &mut spec["components"]["schemas"]["UpdateDeviceRequest"]["properties"]["metadata"];
    assert!(metadata.get("$ref").is_some(), "{metadata}");
    metadata["maxProperties"] = json!(1);
    let migrated = write(directory.path(), "openapi-3.1.yaml", &spec);
    let pointer = "/components/schemas/UpdateDeviceRequest/properties/metadata/maxProperties";
    let report = report(&spec_path(), &migrated);
    let findings = report["findings"].as_array().unwrap();
    let tightened = findings
        .iter()
        .find(|finding| finding["pointer"] == pointer)
        .unwrap_or_else(|| panic!("{findings:#?}"));
    assert_eq!(tightened["rule"], "request-constraint-tightened");
    assert_eq!(tightened["wire"], "breaking");
    let text = std::fs::read_to_string(&migrated).unwrap();
    let line = tightened["line"].as_u64().unwrap() as usize;
    let written = text.lines().nth(line - 1).unwrap();
    assert!(
        written.trim_start().starts_with("maxProperties:"),
        "line {line}: {written}"
    );
}
