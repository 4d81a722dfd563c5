//! Belongs here: every example in openapi.yaml checked against its schema by a strict validator
//! that is not ours (the `jsonschema` crate), reading `nullable` as OpenAPI 3.0.3 does.
//!
//! OpenAPI 3.0 schemas are JSON Schema draft 4 (draft-wright-00) with a few keywords of their
//! own; the only one that changes what is valid is `nullable`, which 3.0.3 defines as adding
//! `null` to the `type` beside it, and nothing when there is none. The translation below does
//! exactly that, and the validator does the rest (formats included).

use gigs_tests::examples::all_examples;
use gigs_tests::spec::spec;
use serde_json::{json, Value};

/// The spec with `nullable` spelled in JSON Schema: `type: T, nullable: true` becomes
/// `type: [T, "null"]`; `nullable` without a `type` beside it is dropped (it allows nothing).
fn translated(value: &Value) -> Value {
    match value {
        Value::Object(object) => {
            let mut out = serde_json::Map::new();
            let nullable = object.get("nullable") == Some(&json!(true));
            for (key, child) in object {
                match key.as_str() {
                    "nullable" => {}
                    "type" if nullable && child.is_string() => {
                        out.insert(key.clone(), json!([child, "null"]));
                    }
                    _ => {
                        out.insert(key.clone(), translated(child));
                    }
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(translated).collect()),
        other => other.clone(),
    }
}

/// The errors of `example` against the schema at `schema_pointer` of `document` (translated).
fn errors(document: &Value, schema_pointer: &str, example: &Value) -> Vec<String> {
    let mut schema = document
        .pointer(schema_pointer)
        .unwrap_or_else(|| panic!("no schema at {schema_pointer}"))
        .clone();
    // Draft 4 ignores the siblings of `$ref`, so the schema is wrapped; `components` rides
    // along for the `#/components/...` references to resolve in this document.
    schema = json!({"allOf": [schema], "components": document["components"]});
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|error| panic!("the schema at {schema_pointer} does not compile: {error}"));
    validator
        .iter_errors(example)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect()
}

#[test]
fn every_example_of_the_spec_is_valid_against_its_schema() {
    let document = translated(spec());
    let cases = all_examples();
    assert!(cases.len() > 100, "only {} examples found", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        for error in errors(&document, &case.schema, &case.value) {
            failures.push(format!("{}: {error}", case.location));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} examples are invalid:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// The validator is strict where it matters: `nullable` beside `allOf: [$ref]` does not allow
/// `null` (the form the spec no longer uses), the `oneOf` form does, and a missing required
/// property is caught.
#[test]
fn the_validator_reads_nullable_as_openapi_3_0_3_does() {
    let mut spec = spec().clone();
    spec["components"]["schemas"]["Check"] = json!({
        "type": "object",
        "properties": {
            "old": {"type": "object", "nullable": true, "allOf": [{"$ref": "#/components/schemas/Sim"}]},
            "new": {"oneOf": [{"$ref": "#/components/schemas/Sim"}, {"type": "object", "nullable": true, "not": {"type": "object"}}]}
        }
    });
    let document = translated(&spec);
    let at = "/components/schemas/Check";
    assert!(errors(&document, at, &json!({"new": null})).is_empty());
    assert!(!errors(&document, at, &json!({"old": null})).is_empty());
    let mut subscription = spec["components"]["schemas"]["Subscription"]["example"].clone();
    subscription.as_object_mut().unwrap().remove("metadata");
    let missing = errors(&document, "/components/schemas/Subscription", &subscription);
    assert!(
        missing.iter().any(|error| error.contains("metadata")),
        "{missing:?}"
    );
}
