//! Belongs here: what the generated types keep of a property's wire state (left out, `null`,
//! empty list or map, a value) through JSON → type → JSON, for every schema of the spec, and
//! what an update built with the SDK puts on the wire.
//!
//! The cases come from the spec, not from a list: every property of every object schema, with
//! a value made from its schema (its example where it has one).

use std::collections::BTreeSet;

use gigs::types::UpdateDeviceRequest;
use gigs::{Call, Patch};
use gigs_tests::examples::spec_examples;
use gigs_tests::registry::round_trip;
use gigs_tests::server::{answering_any, gigs, received};
use gigs_tests::spec::{resolve, schema_ref_name, spec};
use serde_json::{json, Map, Value};
use wiremock::ResponseTemplate;

/// A property's schema with `$ref`s, single-member `allOf` wrappers and the null member of a
/// `oneOf: [X, {type: T, nullable: true, not: {type: T}}]` taken away, and whether it may be
/// null.
fn effective(schema: &Value) -> (&Value, bool) {
    let mut nullable = schema.get("nullable") == Some(&json!(true));
    let mut schema = resolve(schema);
    loop {
        nullable |= schema.get("nullable") == Some(&json!(true));
        let members = schema
            .get("allOf")
            .or_else(|| schema.get("oneOf"))
            .and_then(Value::as_array);
        let Some(members) = members else { break };
        let (null, other): (Vec<&Value>, Vec<&Value>) = members.iter().partition(|member| {
            member.get("nullable") == Some(&json!(true))
                && member.pointer("/not/type").is_some()
                && member.pointer("/not/type") == member.get("type")
        });
        nullable |= !null.is_empty();
        let [only] = other.as_slice() else { break };
        schema = resolve(only);
    }
    (schema, nullable)
}

fn is_map(schema: &Value) -> bool {
    schema
        .get("additionalProperties")
        .is_some_and(Value::is_object)
        && schema.get("properties").is_none()
}

fn is_list(schema: &Value) -> bool {
    schema.get("type") == Some(&json!("array"))
}

/// A value of `schema`: its example for a scalar, every property for an object, one item for a
/// list or map.
fn sample(schema: &Value) -> Value {
    let (schema, _) = effective(schema);
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|values| values.iter().find(|value| !value.is_null()))
    {
        return first.clone();
    }
    if is_list(schema) {
        return json!([sample(&schema["items"])]);
    }
    if is_map(schema) {
        return json!({"key": sample(&schema["additionalProperties"])});
    }
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        return Value::Object(
            properties
                .iter()
                .map(|(name, property)| (name.clone(), sample(property)))
                .collect(),
        );
    }
    if let Some(example) = schema.get("example").filter(|example| !example.is_null()) {
        return example.clone();
    }
    match (
        schema.get("type").and_then(Value::as_str),
        schema.get("format").and_then(Value::as_str),
    ) {
        (Some("string"), Some("date-time")) => json!("2021-01-21T19:38:34Z"),
        (Some("string"), Some("date")) => json!("2021-01-21"),
        (Some("integer"), _) => json!(7),
        (Some("number"), _) => json!(1.5),
        (Some("boolean"), _) => json!(true),
        _ => json!("sample"),
    }
}

/// The component schemas a request body reaches, through any `$ref`.
fn request_schemas() -> BTreeSet<String> {
    fn refs(value: &Value, found: &mut Vec<String>) {
        match value {
            Value::Object(object) => {
                if let Some(name) = schema_ref_name(value) {
                    found.push(name.to_owned());
                }
                object.values().for_each(|child| refs(child, found));
            }
            Value::Array(items) => items.iter().for_each(|item| refs(item, found)),
            _ => {}
        }
    }
    let mut pending = Vec::new();
    for item in spec()["paths"].as_object().unwrap().values() {
        for operation in item.as_object().unwrap().values() {
            if let Some(body) = operation.get("requestBody") {
                refs(body, &mut pending);
            }
        }
    }
    let mut seen = BTreeSet::new();
    while let Some(name) = pending.pop() {
        if seen.insert(name.clone()) {
            refs(&spec()["components"]["schemas"][&name], &mut pending);
        }
    }
    seen
}

/// Equal, with numbers compared by value (`7` and `7.0`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

#[test]
fn every_property_of_every_schema_keeps_its_wire_state() {
    let requests = request_schemas();
    let schemas = spec()["components"]["schemas"].as_object().unwrap();
    let mut checked = 0;
    let mut failures = Vec::new();
    for (type_name, schema) in schemas {
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            continue;
        };
        let is_request = requests.contains(type_name);
        let required: BTreeSet<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let Value::Object(full) = sample(schema) else {
            unreachable!("an object schema samples as an object")
        };
        for (name, property) in properties {
            let (property_schema, nullable) = effective(property);
            let optional = !required.contains(name.as_str());
            let mut states: Vec<(&str, Option<Value>)> = vec![("a value", Some(sample(property)))];
            if optional {
                states.push(("left out", None));
            }
            if nullable {
                states.push(("null", Some(Value::Null)));
            }
            if is_list(property_schema) {
                states.push(("an empty list", Some(json!([]))));
            }
            if is_map(property_schema) {
                states.push(("an empty map", Some(json!({}))));
            }
            for (state, value) in states {
                let mut input: Map<String, Value> = full.clone();
                match &value {
                    Some(value) => input.insert(name.clone(), value.clone()),
                    None => input.remove(name),
                };
                // What the type is expected to write: the input itself, except where a response
                // type documents a narrower reading (`Option<T>` and `Vec<T>` fields: an optional
                // null or empty list is written as left out; a left-out property with a default
                // is written as its default). Request types have no exception.
                let mut expected = input.clone();
                if !is_request && optional {
                    let default = property
                        .get("default")
                        .or_else(|| property_schema.get("default"));
                    match (&value, default) {
                        (Some(Value::Null), _) => {
                            expected.remove(name);
                        }
                        (Some(Value::Array(items)), None) if items.is_empty() => {
                            expected.remove(name);
                        }
                        (None, Some(default)) => {
                            expected.insert(name.clone(), default.clone());
                        }
                        _ => {}
                    }
                }
                let input = Value::Object(input);
                let expected = Value::Object(expected);
                checked += 1;
                match round_trip(type_name, &input) {
                    None => failures.push(format!("{type_name}: no generated type")),
                    Some(Err(error)) => failures.push(format!(
                        "{type_name}.{name} as {state}: does not read: {error}\n  {input}"
                    )),
                    Some(Ok(written)) if !same(&written, &expected) => failures.push(format!(
                        "{type_name}.{name} as {state}: wrote {written}\n  expected {expected}"
                    )),
                    Some(Ok(_)) => {}
                }
            }
        }
    }
    assert!(checked > 200, "only {checked} cases: the spec was not read");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_request_example_is_written_back_exactly() {
    let requests = request_schemas();
    let mut checked = Vec::new();
    for example in spec_examples() {
        if !requests.contains(&example.type_name) {
            continue;
        }
        let written = round_trip(&example.type_name, &example.value)
            .expect("a generated type")
            .unwrap_or_else(|error| panic!("{}: {error}", example.location));
        assert!(
            same(&written, &example.value),
            "{}: {} went out as {written}",
            example.location,
            example.value
        );
        checked.push(example.location);
    }
    for operation in [
        "createDevice",
        "updateDevice",
        "createSubscription",
        "cancelSubscription",
    ] {
        assert!(
            checked
                .iter()
                .any(|location| location.starts_with(operation)),
            "no request example of {operation} was checked: {checked:?}"
        );
    }
}

/// The updates of the gigs crate docs ("Updating resources"), and two more, built with the
/// SDK's builders and sent: what arrives is exactly what each says.
#[tokio::test]
async fn an_update_built_with_the_sdk_sends_exactly_what_it_says() {
    let device = serde_json::from_value::<Value>(
        gigs_tests::examples::success_examples("updateDevice").remove(0),
    )
    .unwrap();
    let server = answering_any(ResponseTemplate::new(200).set_body_json(device)).await;
    let gigs = gigs(&server.uri());
    let bodies = [
        UpdateDeviceRequest::builder()
            .name(Patch::Null)
            .user(Patch::Null)
            .sims(Vec::<String>::new()),
        UpdateDeviceRequest::builder().name(Patch::Set("Work phone".to_owned())),
        UpdateDeviceRequest::builder()
            .name("Work phone".to_owned())
            .user(Patch::Keep),
        UpdateDeviceRequest::builder(),
    ];
    for body in bodies {
        gigs.devices()
            .update("dev_1")
            .body(body)
            .call()
            .await
            .unwrap();
    }
    let sent: Vec<Value> = received(&server)
        .await
        .iter()
        .map(|request| serde_json::from_slice(&request.body).unwrap())
        .collect();
    assert_eq!(
        sent,
        [
            json!({"name": null, "user": null, "sims": []}),
            json!({"name": "Work phone"}),
            json!({"name": "Work phone"}),
            json!({}),
        ]
    );
}

/// A service that forwards a patch it received keeps every null and empty list.
#[test]
fn a_received_patch_is_forwarded_unchanged() {
    let received = json!({"name": null, "user": null, "sims": []});
    let update: UpdateDeviceRequest = serde_json::from_value(received.clone()).unwrap();
    assert_eq!(update.name, Patch::Null);
    assert_eq!(update.sims, Some(Vec::new()));
    assert_eq!(serde_json::to_value(&update).unwrap(), received);
}
