//! Following the `$ref`s of an OpenAPI document held as a JSON value: the one implementation
//! in the workspace. `cargo xtask` (generate, diff) and the tests (`gigs-tests`) both read
//! `openapi.yaml` through it, so they cannot disagree on where a reference points.
//!
//! Only document-local references (`#/components/...`, a JSON pointer after the `#`) are
//! followed; `cargo xtask generate` and `cargo xtask diff` refuse a spec with any other kind.

use serde_json::Value;

/// Deeper `$ref` chains than this are taken as a cycle.
pub const MAX_REF_HOPS: usize = 32;

/// Where a chain of `$ref`s ends.
#[derive(Debug)]
pub struct Resolved<'d> {
    pub value: &'d Value,
    /// The last reference followed (`#/components/schemas/Device`), `None` when `value` was
    /// not a reference.
    pub reference: Option<&'d str>,
}

/// Why a `$ref` could not be followed.
#[derive(Debug, PartialEq, Eq)]
pub enum Unresolved<'d> {
    /// The reference at the end of `after` (`None`: the first one) points nowhere.
    Missing {
        reference: &'d str,
        after: Option<&'d str>,
    },
    /// More than [`MAX_REF_HOPS`] references in a row.
    Cycle,
}

/// Follows the document-local `$ref`s of `value` (`#/...`) in `spec` to the end of the chain.
pub fn resolve<'d>(spec: &'d Value, value: &'d Value) -> Result<Resolved<'d>, Unresolved<'d>> {
    let mut resolved = Resolved {
        value,
        reference: None,
    };
    for _ in 0..MAX_REF_HOPS {
        let Some(reference) = resolved.value.get("$ref").and_then(Value::as_str) else {
            return Ok(resolved);
        };
        resolved.value = reference_target(spec, reference).ok_or(Unresolved::Missing {
            reference,
            after: resolved.reference,
        })?;
        resolved.reference = Some(reference);
    }
    Err(Unresolved::Cycle)
}

/// `value`, or what its chain of `$ref`s points at; `value` itself when a reference points
/// nowhere. For specs already checked (`cargo xtask generate` validates every reference).
pub fn resolve_or_self<'d>(spec: &'d Value, value: &'d Value) -> &'d Value {
    resolve(spec, value).map_or(value, |resolved| resolved.value)
}

/// The value a `$ref` string points at, if any.
pub fn reference_target<'d>(spec: &'d Value, reference: &str) -> Option<&'d Value> {
    reference
        .strip_prefix('#')
        .and_then(|pointer| spec.pointer(pointer))
}

/// The `components.schemas` name a `$ref` string points at.
pub fn schema_name(reference: &str) -> Option<&str> {
    reference
        .strip_prefix("#/components/schemas/")
        .filter(|name| !name.contains('/'))
}

/// The `components.schemas` name a `{"$ref": "#/components/schemas/X"}` schema points at.
pub fn schema_ref_name(schema: &Value) -> Option<&str> {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(schema_name)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn follows_a_chain_to_its_end_and_names_the_last_reference() {
        let spec = json!({"components": {"schemas": {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"type": "string"},
        }}});
        let start = json!({"$ref": "#/components/schemas/A"});
        let resolved = resolve(&spec, &start).unwrap();
        assert_eq!(resolved.value, &json!({"type": "string"}));
        assert_eq!(resolved.reference, Some("#/components/schemas/B"));
        assert_eq!(resolve_or_self(&spec, &start), &json!({"type": "string"}));
        assert_eq!(schema_ref_name(&start), Some("A"));
    }

    #[test]
    fn a_value_without_a_reference_is_itself() {
        let spec = json!({});
        let value = json!({"type": "integer"});
        let resolved = resolve(&spec, &value).unwrap();
        assert!(std::ptr::eq(resolved.value, &value));
        assert_eq!(resolved.reference, None);
    }

    #[test]
    fn a_reference_to_nowhere_says_which_one_and_after_what() {
        let spec = json!({"components": {"schemas": {"A": {"$ref": "#/components/schemas/Gone"}}}});
        let start = json!({"$ref": "#/components/schemas/A"});
        assert_eq!(
            resolve(&spec, &start).unwrap_err(),
            Unresolved::Missing {
                reference: "#/components/schemas/Gone",
                after: Some("#/components/schemas/A"),
            }
        );
        assert!(std::ptr::eq(resolve_or_self(&spec, &start), &start));
        let remote = json!({"$ref": "other.yaml#/components/schemas/A"});
        assert!(matches!(
            resolve(&spec, &remote),
            Err(Unresolved::Missing { after: None, .. })
        ));
    }

    #[test]
    fn a_cycle_ends() {
        let spec = json!({"components": {"schemas": {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"$ref": "#/components/schemas/A"},
        }}});
        let start = json!({"$ref": "#/components/schemas/A"});
        assert_eq!(resolve(&spec, &start).unwrap_err(), Unresolved::Cycle);
    }

    #[test]
    fn only_a_direct_component_schema_has_a_name() {
        assert_eq!(schema_name("#/components/schemas/Device"), Some("Device"));
        assert_eq!(
            schema_name("#/components/schemas/Device/properties/id"),
            None
        );
        assert_eq!(schema_name("#/components/parameters/Limit"), None);
    }
}
