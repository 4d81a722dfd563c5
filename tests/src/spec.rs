//! The workspace's `openapi.yaml`, loaded once.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

/// The path of the workspace's `openapi.yaml`.
pub fn spec_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi.yaml")
}

/// `openapi.yaml` as a JSON value.
pub fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let text = std::fs::read_to_string(spec_path()).expect("read openapi.yaml");
        serde_yaml_ng::from_str(&text).expect("parse openapi.yaml")
    })
}

/// The component schema name a `{"$ref": "#/components/schemas/X"}` schema points to.
pub fn schema_ref_name(schema: &Value) -> Option<&str> {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|target| target.strip_prefix("#/components/schemas/"))
}

/// Resolves a `$ref` to a component (`#/components/...`), or returns the value itself.
pub fn resolve(value: &Value) -> &Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(target) => spec()
            .pointer(target.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("unresolved $ref {target}")),
        None => value,
    }
}
