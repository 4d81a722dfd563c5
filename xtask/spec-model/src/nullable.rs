//! Nullable references, written the way OpenAPI 3.0.3 reads `nullable` and read the way
//! progenitor understands.
//!
//! 3.0.3 makes `nullable: true` add `null` only to the `type` beside it, so `nullable` next to
//! `allOf: [{$ref: X}]` does not let `null` through `X`. The spec therefore writes a property
//! that is "an X or null" as
//!
//! ```yaml
//! oneOf:
//!   - $ref: '#/components/schemas/X'
//!   - {type: object, nullable: true, not: {type: object}}
//! ```
//!
//! (the second member allows `null` and nothing else), which strict validators and Prism read
//! as meant. Prism skips validating a response whose schema holds `enum: [null]` instead, so
//! that spelling, though also valid, is only accepted here. typify would make a two-variant enum of it, so
//! [`read_nullable_refs`] turns it back into `nullable: true, allOf: [{$ref: X}]` before
//! progenitor reads the spec: the generated field stays `Option<X>`.

use serde_json::{json, Value};

/// Whether `schema` is the null member of such a `oneOf`: it allows `null` and nothing else
/// (`{type: T, nullable: true, not: {type: T}}`, or `enum: [null]`), and says nothing more
/// than that (besides documentation): another keyword might refuse `null` too.
pub fn is_null_member(schema: &Value) -> bool {
    let holds_only = |keywords: &[&str]| {
        schema.as_object().is_some_and(|map| {
            map.keys().all(|key| {
                keywords.contains(&key.as_str())
                    || key.starts_with("x-")
                    || matches!(
                        key.as_str(),
                        "description" | "title" | "example" | "examples"
                    )
            })
        })
    };
    let excludes_its_type = schema.get("nullable") == Some(&json!(true))
        && schema.get("type").is_some()
        && schema.get("not") == Some(&json!({"type": schema["type"]}))
        && holds_only(&["type", "nullable", "not"]);
    excludes_its_type
        || (schema.get("enum") == Some(&json!([null])) && holds_only(&["enum", "nullable", "type"]))
}

/// The `X` of `oneOf: [X, {enum: [null], ...}]` (in either order), if `schema` is one.
pub fn nullable_member(schema: &Value) -> Option<&Value> {
    let members = schema.get("oneOf")?.as_array()?;
    match members.as_slice() {
        [a, b] if is_null_member(b) && !is_null_member(a) => Some(a),
        [a, b] if is_null_member(a) && !is_null_member(b) => Some(b),
        _ => None,
    }
}

/// Rewrites every `oneOf: [X, null member]` in `value` as `nullable: true, allOf: [X]`, keeping
/// the schema's other keywords (its description).
pub fn read_nullable_refs(value: &mut Value) {
    match value {
        Value::Object(object) => {
            if let Some(member) = nullable_member(&Value::Object(object.clone())).cloned() {
                object.remove("oneOf");
                object.insert("nullable".into(), json!(true));
                object.insert("allOf".into(), json!([member]));
            }
            object.values_mut().for_each(read_nullable_refs);
        }
        Value::Array(items) => items.iter_mut().for_each(read_nullable_refs),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nullable_reference_reads_as_nullable_all_of() {
        let mut schema = json!({"properties": {"sim": {
            "description": "The SIM.",
            "oneOf": [{"$ref": "#/components/schemas/Sim"}, {"type": "object", "nullable": true, "not": {"type": "object"}}]
        }}});
        read_nullable_refs(&mut schema);
        assert_eq!(
            schema,
            json!({"properties": {"sim": {
                "description": "The SIM.",
                "nullable": true,
                "allOf": [{"$ref": "#/components/schemas/Sim"}]
            }}})
        );
    }

    #[test]
    fn other_one_ofs_are_left_alone() {
        let original = json!({"oneOf": [{"type": "string"}, {"type": "integer"}]});
        let mut schema = original.clone();
        read_nullable_refs(&mut schema);
        assert_eq!(schema, original);
        let only_null = json!({"oneOf": [{"enum": [null]}, {"enum": [null]}]});
        assert_eq!(nullable_member(&only_null), None);
        let enum_form = json!({"oneOf": [{"enum": [null]}, {"$ref": "#/components/schemas/Sim"}]});
        assert_eq!(
            nullable_member(&enum_form),
            Some(&json!({"$ref": "#/components/schemas/Sim"}))
        );
    }
}
