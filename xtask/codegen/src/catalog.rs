//! The fake's device model catalog (`crates/gigs-testing/src/generated/catalog.rs`).

use crate::GENERATED_HEADER as HEADER;

/// The fake's device model catalog: every `deviceModel` object among the spec's examples,
/// once per id, in the order they first appear, as the JSON array `DEVICE_MODELS`.
pub fn generate(spec: &serde_json::Value) -> anyhow::Result<String> {
    fn collect(value: &serde_json::Value, in_example: bool, found: &mut Vec<serde_json::Value>) {
        match value {
            serde_json::Value::Object(object) => {
                let is_model =
                    object.get("object").and_then(serde_json::Value::as_str) == Some("deviceModel");
                if in_example && is_model {
                    let id = object.get("id");
                    if id.is_some() && !found.iter().any(|model| model.get("id") == id) {
                        found.push(value.clone());
                    }
                    return;
                }
                for (key, child) in object {
                    let example = in_example || key == "example" || key == "examples";
                    collect(child, example, found);
                }
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    collect(item, in_example, found);
                }
            }
            _ => {}
        }
    }
    let mut models = Vec::new();
    collect(spec, false, &mut models);
    let json = serde_json::to_string_pretty(&models)?;
    Ok(format!(
        "{HEADER}\n//! The device models among openapi.yaml's examples: the fake's default catalog.\n\n\
         /// Every `deviceModel` object of the spec's examples, as a JSON array.\n\
         pub(crate) const DEVICE_MODELS: &str = r#\"{json}\"#;\n"
    ))
}
