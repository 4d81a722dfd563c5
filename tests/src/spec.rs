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
pub use spec_ref::schema_ref_name;

/// Follows a `$ref` chain in `openapi.yaml` (the workspace's one resolver, shared with xtask),
/// or returns the value itself.
pub fn resolve(value: &Value) -> &Value {
    match spec_ref::resolve(spec(), value) {
        Ok(resolved) => resolved.value,
        Err(spec_ref::Unresolved::Missing { reference, .. }) => {
            panic!("unresolved $ref {reference}")
        }
        Err(spec_ref::Unresolved::Cycle) => panic!("$ref cycle from {value}"),
    }
}
