//! Belongs here: every example in openapi.yaml checked against its schema by a strict validator
//! that is not ours (the `jsonschema` crate), reading `nullable` as OpenAPI 3.0.3 does.
//!
//! OpenAPI 3.0 schemas are JSON Schema draft 4 (draft-wright-00) with a few keywords of their
//! own; the only one that changes what is valid is `nullable`, which 3.0.3 defines as adding
//! `null` to the `type` beside it, and nothing when there is none. The translation below does
//! exactly that, and the validator does the rest (formats included).

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

/// One example and the schema it must satisfy, by JSON pointer into the spec.
struct Case {
    location: String,
    schema: String,
    example: Value,
}

fn pointer_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Examples on a schema and on every schema inside it.
fn schema_examples(schema: &Value, pointer: &str, cases: &mut Vec<Case>) {
    let Some(object) = schema.as_object() else {
        return;
    };
    if let Some(example) = object.get("example") {
        cases.push(Case {
            location: pointer.to_owned(),
            schema: pointer.to_owned(),
            example: example.clone(),
        });
    }
    for keyword in ["items", "additionalProperties", "not"] {
        if let Some(child) = object.get(keyword) {
            schema_examples(child, &format!("{pointer}/{keyword}"), cases);
        }
    }
    for keyword in ["allOf", "oneOf", "anyOf"] {
        for (index, child) in object
            .get(keyword)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            schema_examples(child, &format!("{pointer}/{keyword}/{index}"), cases);
        }
    }
    for (name, child) in object
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        schema_examples(
            child,
            &format!("{pointer}/properties/{}", pointer_segment(name)),
            cases,
        );
    }
}

/// A parameter's or media type's `example` and `examples`, against its `schema`, and the
/// examples inside that schema.
fn holder_examples(holder: &Value, pointer: &str, cases: &mut Vec<Case>) {
    let holder = gigs_tests::spec::resolve(holder);
    if holder.get("schema").is_none() {
        return;
    }
    let schema = format!("{pointer}/schema");
    if holder["schema"].get("$ref").is_none() {
        schema_examples(&holder["schema"], &schema, cases);
    }
    if let Some(example) = holder.get("example") {
        cases.push(Case {
            location: format!("{pointer}/example"),
            schema: schema.clone(),
            example: example.clone(),
        });
    }
    for (name, example) in holder
        .get("examples")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if let Some(value) = gigs_tests::spec::resolve(example).get("value") {
            cases.push(Case {
                location: format!("{pointer}/examples/{}", pointer_segment(name)),
                schema: schema.clone(),
                example: value.clone(),
            });
        }
    }
}

fn content_examples(holder: &Value, pointer: &str, cases: &mut Vec<Case>) {
    let holder = gigs_tests::spec::resolve(holder);
    for (media, value) in holder
        .get("content")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let _ = value;
        holder_examples(
            &holder["content"][media],
            &format!("{pointer}/content/{}", pointer_segment(media)),
            cases,
        );
    }
}

/// Every example of the spec: schemas, parameters, request bodies and responses.
fn cases(spec: &Value) -> Vec<Case> {
    let mut cases = Vec::new();
    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        schema_examples(
            schema,
            &format!("/components/schemas/{}", pointer_segment(name)),
            &mut cases,
        );
    }
    for (name, parameter) in spec["components"]["parameters"]
        .as_object()
        .into_iter()
        .flatten()
    {
        let _ = parameter;
        holder_examples(
            &spec["components"]["parameters"][name],
            &format!("/components/parameters/{}", pointer_segment(name)),
            &mut cases,
        );
    }
    for (name, _) in spec["components"]["responses"]
        .as_object()
        .into_iter()
        .flatten()
    {
        content_examples(
            &spec["components"]["responses"][name],
            &format!("/components/responses/{}", pointer_segment(name)),
            &mut cases,
        );
    }
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let at = format!("/paths/{}/{method}", pointer_segment(path));
            for (index, parameter) in operation
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                if parameter.get("$ref").is_none() {
                    holder_examples(parameter, &format!("{at}/parameters/{index}"), &mut cases);
                }
            }
            if let Some(body) = operation.get("requestBody") {
                content_examples(body, &format!("{at}/requestBody"), &mut cases);
            }
            for (status, response) in operation
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if response.get("$ref").is_none() {
                    content_examples(response, &format!("{at}/responses/{status}"), &mut cases);
                }
            }
        }
    }
    cases
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
    let cases = cases(spec());
    assert!(cases.len() > 100, "only {} examples found", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        for error in errors(&document, &case.schema, &case.example) {
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
