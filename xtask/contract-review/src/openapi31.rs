//! OpenAPI 3.1 documents read in the 3.0 forms the containment engine compares, so that a 3.1
//! spec, or a 3.0 spec migrated to 3.1, is judged on the instances its schemas accept.
//!
//! Inside every schema of a 3.1 document (3.1 form → 3.0 form read instead):
//!
//! ```text
//! type: [T, "null"]                  → type: T, nullable: true
//! type: "null" | ["null"]            → nullable: true, enum: [null]
//! type: [T, U, ...] (+ "null")       → oneOf: [{type: T}, {type: U}, ...] (+ nullable: true)
//!                                      (`integer` beside `number` is dropped: number holds it,
//!                                      and the branches stay disjoint)
//! const: v                           → enum: [v]
//! examples: [...]                    → dropped (annotations: they change no instance)
//! $ref: X + siblings                 → allOf: [{$ref: X}] + the siblings, where they are
//!                                      (annotations or constraints: every `allOf` layer
//!                                      applies, and only annotations are looked through)
//! exclusiveMinimum: n (a number)     → minimum: n, exclusiveMinimum: true (the stricter bound
//!                                      when `minimum` is also given); the same for maximum
//! ```
//!
//! In 3.0 and 3.1 documents alike, `x-extensible-enum: [...]` on a schema without `enum` reads
//! as `enum: [...]`: the engine judges every enum as open (new values in a response need
//! review, as the SDK reads them into an `Unknown` variant).
//!
//! The rewrite keeps every keyword that exists in both forms where it was (`type`,
//! `exclusiveMinimum`, a `$ref`'s siblings), so findings on them point at the line they are
//! written on; a finding on a keyword only the 3.0 form has (`nullable`, `enum` read from
//! `const`) points at the nearest field the file has, its schema.

use serde_json::{json, Map, Value};

/// Rewrites the schemas of `document` as described in the module documentation; the 3.1 forms
/// only when `openapi_31`.
pub fn read_as_openapi_30(document: &mut Value, openapi_31: bool) {
    visit_document(document, openapi_31);
}

/// Walks the parts of the document that are not schemas, entering each schema it holds.
fn visit_document(value: &mut Value, openapi_31: bool) {
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                match key.as_str() {
                    "schema" => visit_schema(child, openapi_31),
                    "schemas" => {
                        if let Value::Object(schemas) = child {
                            schemas
                                .values_mut()
                                .for_each(|schema| visit_schema(schema, openapi_31));
                        }
                    }
                    // Example payloads are data, not spec.
                    "example" | "examples" => {}
                    _ => visit_document(child, openapi_31),
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| visit_document(item, openapi_31)),
        _ => {}
    }
}

/// Keywords whose value is a map of schemas.
const SCHEMA_MAPS: [&str; 5] = [
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

/// Keywords whose value is a list of schemas.
const SCHEMA_LISTS: [&str; 4] = ["allOf", "oneOf", "anyOf", "prefixItems"];

/// Keywords whose value is one schema (`items` may also be a list, before 2020-12).
const SCHEMA_VALUES: [&str; 11] = [
    "items",
    "additionalProperties",
    "additionalItems",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
];

fn visit_schema(value: &mut Value, openapi_31: bool) {
    let Value::Object(schema) = value else {
        return;
    };
    read_extensible_enum(schema);
    if openapi_31 {
        set_aside_openapi_30_keywords(schema);
    }
    read_nullable_any_of(schema);
    if openapi_31 {
        read_type_list(schema);
        read_const(schema);
        if matches!(schema.get("examples"), Some(Value::Array(_))) {
            schema.remove("examples");
        }
        read_exclusive_bound(schema, "exclusiveMinimum", "minimum", |a, b| a > b);
        read_exclusive_bound(schema, "exclusiveMaximum", "maximum", |a, b| a < b);
        read_ref_siblings(schema);
    }
    read_boolean_schemas(schema);
    for (key, child) in schema.iter_mut() {
        let key = key.as_str();
        if SCHEMA_MAPS.contains(&key) {
            if let Value::Object(map) = child {
                map.values_mut()
                    .for_each(|schema| visit_schema(schema, openapi_31));
            }
        } else if SCHEMA_LISTS.contains(&key) || (key == "items" && child.is_array()) {
            if let Value::Array(list) = child {
                list.iter_mut()
                    .for_each(|schema| visit_schema(schema, openapi_31));
            }
        } else if SCHEMA_VALUES.contains(&key) {
            visit_schema(child, openapi_31);
        }
    }
}

/// A boolean schema (3.1) where the engine reads a schema of items, names, a property's values
/// or a member of a composition: `true` as `{}`, `false` as `enum: []`, which accepts nothing
/// (not even `null`). `additionalProperties` reads its booleans itself; the keywords the
/// engine does not compare keep theirs.
fn read_boolean_schemas(schema: &mut Map<String, Value>) {
    let read = |value: &mut Value| {
        if let Value::Bool(accepts) = value {
            *value = if *accepts {
                json!({})
            } else {
                json!({"enum": []})
            };
        }
    };
    for key in ["items", "contains", "propertyNames"] {
        if let Some(value) = schema.get_mut(key) {
            read(value);
        }
    }
    for key in ["prefixItems", "allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = schema.get_mut(key) {
            members.iter_mut().for_each(read);
        }
    }
    for key in ["properties", "patternProperties"] {
        if let Some(Value::Object(map)) = schema.get_mut(key) {
            map.values_mut().for_each(read);
        }
    }
}

/// Where the 3.0 keywords a 3.1 document holds are set aside: `nullable`, and a boolean
/// `exclusiveMinimum` or `exclusiveMaximum`. JSON Schema 2020-12 gives them no meaning, so
/// the schema is read without them (what their absence implies), and the review reports each
/// where it is written (`openapi-3-0-keyword-ignored`). An `x-` key, which the engine reads
/// as an annotation.
pub const SET_ASIDE: &str = "x-review-openapi-3-0-keywords";

fn set_aside_openapi_30_keywords(schema: &mut Map<String, Value>) {
    let mut set_aside = Map::new();
    for keyword in ["nullable", "exclusiveMinimum", "exclusiveMaximum"] {
        let meaningless = match schema.get(keyword) {
            Some(Value::Bool(_)) => true,
            Some(_) => keyword == "nullable",
            None => false,
        };
        if meaningless {
            let value = schema.remove(keyword).expect("checked above");
            set_aside.insert(keyword.to_owned(), value);
        }
    }
    if !set_aside.is_empty() {
        schema.insert(SET_ASIDE.into(), Value::Object(set_aside));
    }
}

/// Marks a wrapper read from `anyOf: [X, {type: 'null'}]`: `null`, or what X accepts, even
/// when X says something of `null` itself (an `enum` without it). An `x-` key, which the
/// engine reads as an annotation; [`crate::resolve::SchemaView`] carries it as `or_null`.
pub const OR_NULL: &str = "x-review-or-null";

/// `anyOf: [X, {type: 'null'}]` (either order), the 3.1 way of writing a nullable reference,
/// reads as the wrapper `nullable: true, allOf: [X]` (marked [`OR_NULL`]), as 3.0's nullable
/// reference does, when nothing but annotations sits beside it; the null member must say
/// nothing more than that it is `null`.
fn read_nullable_any_of(schema: &mut Map<String, Value>) {
    let only_null = |member: &Value| {
        let says_only = |keyword: &str| {
            member.as_object().is_some_and(|map| {
                map.keys()
                    .all(|key| key == keyword || crate::compare::is_documentation(key))
            })
        };
        (member.get("type") == Some(&json!("null")) && says_only("type"))
            || (member.get("type") == Some(&json!(["null"])) && says_only("type"))
            || (member.get("const") == Some(&Value::Null) && says_only("const"))
            || spec_model::nullable::is_null_member(member)
    };
    let Some(Value::Array(members)) = schema.get("anyOf") else {
        return;
    };
    let other = match members.as_slice() {
        [a, b] if only_null(b) && !only_null(a) => a.clone(),
        [a, b] if only_null(a) && !only_null(b) => b.clone(),
        _ => return,
    };
    let annotated = schema
        .keys()
        .all(|key| key == "anyOf" || crate::resolve::is_annotation(key));
    if !annotated || schema.contains_key("nullable") {
        return;
    }
    schema.remove("anyOf");
    schema.insert("nullable".into(), json!(true));
    schema.insert("allOf".into(), json!([other]));
    schema.insert(OR_NULL.into(), json!(true));
}

fn read_extensible_enum(schema: &mut Map<String, Value>) {
    if schema.contains_key("enum") {
        return;
    }
    if let Some(values @ Value::Array(_)) = schema.get("x-extensible-enum") {
        let values = values.clone();
        schema.insert("enum".into(), values);
    }
}

/// `type` as a list of types, or `"null"`.
fn read_type_list(schema: &mut Map<String, Value>) {
    let names: Vec<String> = match schema.get("type") {
        Some(Value::String(name)) if name == "null" => vec![name.clone()],
        Some(Value::Array(names)) => names
            .iter()
            .filter_map(|name| name.as_str().map(str::to_owned))
            .collect(),
        _ => return,
    };
    let null = names.iter().any(|name| name == "null");
    let mut types: Vec<String> = Vec::new();
    for name in names.into_iter().filter(|name| name != "null") {
        if !types.contains(&name) {
            types.push(name);
        }
    }
    if types.iter().any(|name| name == "number") {
        types.retain(|name| name != "integer");
    }
    if null {
        schema.insert("nullable".into(), json!(true));
    }
    match types.as_slice() {
        [] => {
            schema.remove("type");
            match schema.get_mut("enum") {
                Some(Value::Array(values)) => values.retain(Value::is_null),
                _ => {
                    schema.insert("enum".into(), json!([null]));
                }
            }
        }
        [single] => {
            let single = Value::String(single.clone());
            schema.insert("type".into(), single);
        }
        several => {
            schema.remove("type");
            let branches: Vec<Value> = several.iter().map(|name| json!({"type": name})).collect();
            // The types are disjoint, so `anyOf` reads the same when `oneOf` is taken.
            if !schema.contains_key("oneOf") {
                schema.insert("oneOf".into(), Value::Array(branches));
            } else if !schema.contains_key("anyOf") {
                schema.insert("anyOf".into(), Value::Array(branches));
            } else {
                append_all_of(schema, json!({"oneOf": branches}));
            }
        }
    }
}

fn read_const(schema: &mut Map<String, Value>) {
    let Some(value) = schema.remove("const") else {
        return;
    };
    match schema.get_mut("enum") {
        Some(Value::Array(values)) => values.retain(|listed| *listed == value),
        _ => {
            schema.insert("enum".into(), json!([value]));
        }
    }
}

/// A numeric `exclusiveMinimum` (3.1) as `minimum` with the boolean (3.0); `stricter(a, b)` is
/// whether bound `a` excludes more than `b`.
fn read_exclusive_bound(
    schema: &mut Map<String, Value>,
    exclusive: &str,
    inclusive: &str,
    stricter: fn(f64, f64) -> bool,
) {
    let Some(bound) = schema.get(exclusive).and_then(Value::as_f64) else {
        return;
    };
    let inclusive_bound = schema.get(inclusive).and_then(Value::as_f64);
    if inclusive_bound.is_some_and(|other| stricter(other, bound)) {
        // The inclusive bound already excludes the exclusive one.
        schema.remove(exclusive);
        return;
    }
    let bound = schema[exclusive].clone();
    schema.insert(inclusive.into(), bound);
    schema.insert(exclusive.into(), json!(true));
}

/// 3.1 applies a `$ref`'s siblings too; 3.0 ignores them. The reference moves into an `allOf`
/// member and the siblings stay where they are written: the engine reads the keywords beside
/// an `allOf` together with its members, and looks through the wrapper when they only
/// annotate.
fn read_ref_siblings(schema: &mut Map<String, Value>) {
    if schema.len() < 2 {
        return;
    }
    let Some(reference) = schema.remove("$ref") else {
        return;
    };
    append_all_of(schema, json!({"$ref": reference}));
}

/// Adds `member` after the existing `allOf` members, so that their field paths stay.
fn append_all_of(schema: &mut Map<String, Value>, member: Value) {
    match schema.get_mut("allOf") {
        Some(Value::Array(members)) => members.push(member),
        _ => {
            schema.insert("allOf".into(), json!([member]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(schema: Value) -> Value {
        let mut document = json!({"openapi": "3.1.0", "components": {"schemas": {"S": schema}}});
        read_as_openapi_30(&mut document, true);
        document["components"]["schemas"]["S"].take()
    }

    #[test]
    fn boolean_schemas_read_as_what_they_accept() {
        assert_eq!(
            read(json!({"type": "array", "prefixItems": [true, false], "items": false})),
            json!({"type": "array", "prefixItems": [{}, {"enum": []}], "items": {"enum": []}})
        );
        assert_eq!(
            read(
                json!({"type": "object", "properties": {"a": false}, "propertyNames": true,
                "patternProperties": {"^x-": false}, "additionalProperties": false,
                "oneOf": [false, {"type": "object"}], "contains": true})
            ),
            json!({"type": "object", "properties": {"a": {"enum": []}}, "propertyNames": {},
                "patternProperties": {"^x-": {"enum": []}}, "additionalProperties": false,
                "oneOf": [{"enum": []}, {"type": "object"}], "contains": {}})
        );
    }

    #[test]
    fn type_lists_read_as_nullable_types_or_one_of() {
        assert_eq!(
            read(json!({"type": ["string", "null"], "maxLength": 3})),
            json!({"type": "string", "nullable": true, "maxLength": 3})
        );
        assert_eq!(
            read(json!({"type": "null"})),
            json!({"nullable": true, "enum": [null]})
        );
        assert_eq!(
            read(json!({"type": ["integer", "string", "number", "null"]})),
            json!({"nullable": true, "oneOf": [{"type": "string"}, {"type": "number"}]})
        );
        assert_eq!(
            read(json!({"properties": {"a": {"type": ["boolean"]}}})),
            json!({"properties": {"a": {"type": "boolean"}}})
        );
    }

    #[test]
    fn const_examples_bounds_and_ref_siblings_read_as_3_0() {
        assert_eq!(
            read(json!({"const": "sim", "examples": ["sim"]})),
            json!({"enum": ["sim"]})
        );
        assert_eq!(
            read(
                json!({"type": "integer", "exclusiveMinimum": 0, "maximum": 5, "exclusiveMaximum": 9})
            ),
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "maximum": 5})
        );
        assert_eq!(
            read(json!({"$ref": "#/components/schemas/T", "description": "A T."})),
            json!({"description": "A T.", "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
        assert_eq!(
            read(json!({"$ref": "#/components/schemas/T", "description": "A T.", "maxLength": 3})),
            json!({"description": "A T.", "maxLength": 3, "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
        assert_eq!(
            read(json!({"$ref": "#/components/schemas/T"})),
            json!({"$ref": "#/components/schemas/T"})
        );
    }

    #[test]
    fn only_schemas_are_rewritten_and_3_0_keeps_its_forms() {
        let mut document = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"properties": {"const": {"type": "string"}, "type": {"x-extensible-enum": ["a"]}}},
                "examples": {"one": {"value": {"type": ["x", "null"]}}}
            }}}}}}}
        });
        let expected = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"properties": {"const": {"type": "string"}, "type": {"x-extensible-enum": ["a"], "enum": ["a"]}}},
                "examples": {"one": {"value": {"type": ["x", "null"]}}}
            }}}}}}}
        });
        read_as_openapi_30(&mut document, true);
        assert_eq!(document, expected);
        let mut openapi_30 =
            json!({"components": {"schemas": {"S": {"const": 1, "type": ["string", "null"]}}}});
        let unchanged = openapi_30.clone();
        read_as_openapi_30(&mut openapi_30, false);
        assert_eq!(openapi_30, unchanged);
    }
}
