//! The JSON examples of `openapi.yaml`, each with the type it documents. The spec carries every
//! example of the reference pages: resource examples on the schemas, response and request
//! examples on the operations.

use serde_json::Value;

use crate::spec::{resolve, schema_ref_name, spec};

/// One example of the spec.
#[derive(Debug, Clone)]
pub struct SpecExample {
    /// Where it is, as a snapshot-friendly name: `schema.Device`, `retrieveDevice.200`, ...
    pub location: String,
    /// The component schema (and so the generated type) it is an example of.
    pub type_name: String,
    pub value: Value,
}

/// The example at `location` (`retrieveSubscription.200`, `response.NotFound`, ...); panics
/// naming the location when the spec has none there.
pub fn spec_example(location: &str) -> Value {
    spec_examples()
        .into_iter()
        .find(|example| example.location == location)
        .unwrap_or_else(|| panic!("the spec has no example at {location}"))
        .value
}

/// The documented examples of the `200` response of `operation_id`, in the spec's order; panics
/// naming the operation when it has none (every operation needs one: the tests serve it).
pub fn success_examples(operation_id: &str) -> Vec<Value> {
    let location = format!("{operation_id}.200");
    let examples: Vec<Value> = spec_examples()
        .into_iter()
        .filter(|example| {
            example.location == location
                || example
                    .location
                    .strip_prefix(&location)
                    .is_some_and(|name| name.starts_with('.'))
        })
        .map(|example| example.value)
        .collect();
    assert!(
        !examples.is_empty(),
        "{operation_id} documents no example of its 200 response"
    );
    examples
}

/// Every object or array example in the spec that documents a named schema.
pub fn spec_examples() -> Vec<SpecExample> {
    let spec = spec();
    let mut examples = Vec::new();
    if let Some(schemas) = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for (name, schema) in schemas {
            if let Some(example) = schema.get("example").filter(|value| is_structured(value)) {
                examples.push(SpecExample {
                    location: format!("schema.{name}"),
                    type_name: name.clone(),
                    value: example.clone(),
                });
            }
        }
    }
    if let Some(responses) = spec
        .pointer("/components/responses")
        .and_then(Value::as_object)
    {
        for (name, response) in responses {
            push_media_examples(&mut examples, &format!("response.{name}"), response);
        }
    }
    if let Some(paths) = spec.get("paths").and_then(Value::as_object) {
        for item in paths.values() {
            for operation in item.as_object().into_iter().flat_map(|item| item.values()) {
                let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                    continue;
                };
                if let Some(body) = operation.get("requestBody") {
                    push_media_examples(&mut examples, &format!("{id}.request"), resolve(body));
                }
                for (status, response) in operation
                    .get("responses")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    // Shared error responses are covered once, under `response.*`.
                    if response.get("$ref").is_none() {
                        push_media_examples(&mut examples, &format!("{id}.{status}"), response);
                    }
                }
            }
        }
    }
    examples
}

fn is_structured(value: &Value) -> bool {
    value.is_object() || value.is_array()
}

fn push_media_examples(examples: &mut Vec<SpecExample>, location: &str, holder: &Value) {
    let Some(media) = holder.pointer("/content/application~1json") else {
        return;
    };
    let Some(type_name) = media.get("schema").and_then(schema_ref_name) else {
        return;
    };
    if let Some(example) = media.get("example") {
        examples.push(SpecExample {
            location: location.to_owned(),
            type_name: type_name.to_owned(),
            value: example.clone(),
        });
    }
    for (name, example) in media
        .get("examples")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if let Some(value) = resolve(example).get("value") {
            examples.push(SpecExample {
                location: format!("{location}.{name}"),
                type_name: type_name.to_owned(),
                value: value.clone(),
            });
        }
    }
}

/// The places where `written` (a value read into a generated type and serialised again) lost or
/// changed something that `original` held. Equivalent spellings are not losses: a timestamp with
/// or without a fractional part of zero, `1` and `1.0`, and a key left out where the original had
/// `null` or an empty collection (the generated types omit those, and read them back as such).
pub fn lost_fields(original: &Value, written: &Value) -> Vec<String> {
    let mut lost = Vec::new();
    compare(original, written, "$", &mut lost);
    lost
}

fn compare(original: &Value, written: &Value, path: &str, lost: &mut Vec<String>) {
    match (original, written) {
        (Value::Object(original), Value::Object(written)) => {
            for (key, value) in original {
                let child = format!("{path}.{key}");
                match written.get(key) {
                    Some(written) => compare(value, written, &child, lost),
                    None if is_empty_equivalent(value) => {}
                    None => lost.push(format!("{child}: missing after the round trip")),
                }
            }
        }
        (Value::Array(original), Value::Array(written)) if original.len() == written.len() => {
            for (index, (original, written)) in original.iter().zip(written).enumerate() {
                compare(original, written, &format!("{path}[{index}]"), lost);
            }
        }
        (Value::String(original), Value::String(written)) if same_instant(original, written) => {}
        (Value::Number(original), Value::Number(written))
            if original.as_f64() == written.as_f64() => {}
        (original, written) if original == written => {}
        (original, written) => lost.push(format!("{path}: {original} became {written}")),
    }
}

fn is_empty_equivalent(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

fn same_instant(original: &str, written: &str) -> bool {
    match (
        chrono::DateTime::parse_from_rfc3339(original),
        chrono::DateTime::parse_from_rfc3339(written),
    ) {
        (Ok(original), Ok(written)) => original == written,
        _ => original == written,
    }
}
