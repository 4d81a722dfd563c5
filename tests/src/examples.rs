//! The JSON examples of `openapi.yaml`, each with the type it documents. The spec carries every
//! example of the reference pages: resource examples on the schemas, response and request
//! examples on the operations.

use serde_json::Value;

use crate::spec::{resolve, schema_ref_name, spec};

/// One example of the spec with the generated type it documents.
#[derive(Debug, Clone)]
pub struct SpecExample {
    /// Where it is, as a snapshot-friendly name: `schema.Device`, `retrieveDevice.200`, ...
    pub location: String,
    /// The component schema (and so the generated type) it is an example of.
    pub type_name: String,
    pub value: Value,
}

/// Any example of the spec, with the schema it must satisfy.
#[derive(Debug, Clone)]
pub struct DocumentedExample {
    /// The snapshot-friendly name (see [`SpecExample::location`]) where the example documents a
    /// named schema, otherwise the JSON pointer of the example.
    pub location: String,
    /// JSON pointer, into the spec, of the schema the example must satisfy.
    pub schema: String,
    /// The component schema `schema` is or points to, when it is a named one.
    pub type_name: Option<String>,
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

/// Every object or array example in the spec that documents a named schema: the subset of
/// [`all_examples`] that reads into a generated type.
pub fn spec_examples() -> Vec<SpecExample> {
    all_examples()
        .into_iter()
        .filter(|example| is_structured(&example.value))
        .filter_map(|example| {
            Some(SpecExample {
                type_name: example.type_name?,
                location: example.location,
                value: example.value,
            })
        })
        .collect()
}

/// Every example of the spec, in the spec's order: on schemas (and every schema inside them),
/// parameters, request bodies and responses. Shared error responses are walked once, under
/// `components/responses`.
pub fn all_examples() -> Vec<DocumentedExample> {
    let spec = spec();
    let mut examples = Vec::new();
    for (name, schema) in object_entries(spec.pointer("/components/schemas")) {
        let pointer = format!("/components/schemas/{}", pointer_segment(name));
        if let Some(example) = schema.get("example") {
            examples.push(DocumentedExample {
                location: format!("schema.{name}"),
                schema: pointer.clone(),
                type_name: Some(name.clone()),
                value: example.clone(),
            });
        }
        push_nested_schema_examples(&mut examples, schema, &pointer);
    }
    for (name, _) in object_entries(spec.pointer("/components/parameters")) {
        let pointer = format!("/components/parameters/{}", pointer_segment(name));
        push_holder_examples(&mut examples, &pointer, &pointer);
    }
    for (name, _) in object_entries(spec.pointer("/components/responses")) {
        let pointer = format!("/components/responses/{}", pointer_segment(name));
        push_content_examples(&mut examples, &format!("response.{name}"), &pointer);
    }
    for (path, item) in object_entries(spec.get("paths")) {
        for (method, operation) in object_entries(Some(item)) {
            let at = format!("/paths/{}/{method}", pointer_segment(path));
            let id = operation.get("operationId").and_then(Value::as_str);
            let parameters = operation.get("parameters").and_then(Value::as_array);
            for (index, parameter) in parameters.into_iter().flatten().enumerate() {
                // A shared parameter is walked once, under `components/parameters`.
                if parameter.get("$ref").is_none() {
                    let pointer = format!("{at}/parameters/{index}");
                    push_holder_examples(&mut examples, &pointer, &pointer);
                }
            }
            if operation.get("requestBody").is_some() {
                let name =
                    id.map_or_else(|| format!("{at}/requestBody"), |id| format!("{id}.request"));
                push_content_examples(&mut examples, &name, &format!("{at}/requestBody"));
            }
            for (status, response) in object_entries(operation.get("responses")) {
                if response.get("$ref").is_none() {
                    let pointer = format!("{at}/responses/{}", pointer_segment(status));
                    let name = id.map_or_else(|| pointer.clone(), |id| format!("{id}.{status}"));
                    push_content_examples(&mut examples, &name, &pointer);
                }
            }
        }
    }
    examples
}

fn pointed(pointer: &str) -> &'static Value {
    spec()
        .pointer(pointer)
        .unwrap_or_else(|| panic!("nothing at {pointer} in openapi.yaml"))
}

/// Where the value at `pointer` is once its `$ref`s are followed, so that the pointers built
/// below it exist in the spec.
fn resolved_pointer(pointer: &str) -> String {
    match spec_ref::resolve(spec(), pointed(pointer)) {
        Ok(resolved) => resolved.reference.map_or_else(
            || pointer.to_owned(),
            |reference| reference.trim_start_matches('#').to_owned(),
        ),
        Err(error) => panic!("unresolved $ref at {pointer}: {error:?}"),
    }
}

fn object_entries(value: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    value.and_then(Value::as_object).into_iter().flatten()
}

fn pointer_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn is_structured(value: &Value) -> bool {
    value.is_object() || value.is_array()
}

/// The examples of every schema inside `schema` (not of `schema` itself).
fn push_nested_schema_examples(
    examples: &mut Vec<DocumentedExample>,
    schema: &Value,
    pointer: &str,
) {
    let mut children: Vec<(String, &Value)> = Vec::new();
    for keyword in ["items", "additionalProperties", "not"] {
        if let Some(child) = schema.get(keyword) {
            children.push((format!("{pointer}/{keyword}"), child));
        }
    }
    for keyword in ["allOf", "oneOf", "anyOf"] {
        let variants = schema.get(keyword).and_then(Value::as_array);
        for (index, child) in variants.into_iter().flatten().enumerate() {
            children.push((format!("{pointer}/{keyword}/{index}"), child));
        }
    }
    for (name, child) in object_entries(schema.get("properties")) {
        children.push((
            format!("{pointer}/properties/{}", pointer_segment(name)),
            child,
        ));
    }
    for (child_pointer, child) in children {
        if let Some(example) = child.get("example") {
            examples.push(DocumentedExample {
                location: child_pointer.clone(),
                schema: child_pointer.clone(),
                type_name: None,
                value: example.clone(),
            });
        }
        push_nested_schema_examples(examples, child, &child_pointer);
    }
}

/// The examples of each media type of the response or request body at `pointer`.
fn push_content_examples(examples: &mut Vec<DocumentedExample>, name: &str, pointer: &str) {
    let pointer = &resolved_pointer(pointer);
    let holder = pointed(pointer);
    for (media, _) in object_entries(holder.get("content")) {
        let media_pointer = format!("{pointer}/content/{}", pointer_segment(media));
        // Named after the operation only for JSON, the media type the generated types read.
        let media_name = if media == "application/json" {
            name.to_owned()
        } else {
            media_pointer.clone()
        };
        push_holder_examples(examples, &media_name, &media_pointer);
    }
}

/// A parameter's or media type's `example` and `examples` against its `schema`, and the
/// examples inside that schema when it is written in place.
fn push_holder_examples(examples: &mut Vec<DocumentedExample>, name: &str, pointer: &str) {
    let pointer = &resolved_pointer(pointer);
    let holder = pointed(pointer);
    let Some(schema) = holder.get("schema") else {
        return;
    };
    let schema_pointer = format!("{pointer}/schema");
    let type_name = schema_ref_name(schema).map(str::to_owned);
    if type_name.is_none() {
        push_nested_schema_examples(examples, schema, &schema_pointer);
    }
    let named = |suffix: Option<&str>| match (&type_name, suffix) {
        (Some(_), None) => name.to_owned(),
        (Some(_), Some(example)) => format!("{name}.{example}"),
        (None, None) => format!("{pointer}/example"),
        (None, Some(example)) => format!("{pointer}/examples/{}", pointer_segment(example)),
    };
    if let Some(example) = holder.get("example") {
        examples.push(DocumentedExample {
            location: named(None),
            schema: schema_pointer.clone(),
            type_name: type_name.clone(),
            value: example.clone(),
        });
    }
    for (example_name, example) in object_entries(holder.get("examples")) {
        if let Some(value) = resolve(example).get("value") {
            examples.push(DocumentedExample {
                location: named(Some(example_name)),
                schema: schema_pointer.clone(),
                type_name: type_name.clone(),
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
