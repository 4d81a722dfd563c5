//! Documentation-only edits: never findings, but counted so a reviewer knows they happened.

use serde_json::Value;

use super::compare::is_documentation;

/// How many descriptions, summaries, titles and examples differ between the two documents,
/// counted where both documents have the enclosing object.
pub fn count_changes(base: &Value, head: &Value) -> usize {
    count(base, head, false)
}

/// `names_properties`: the keys of this object are property names (the children of a
/// `properties` keyword), so a property called `description` is not documentation.
fn count(base: &Value, head: &Value, names_properties: bool) -> usize {
    match (base, head) {
        (Value::Object(base_map), Value::Object(head_map)) => {
            let mut keys: Vec<&String> = base_map.keys().chain(head_map.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter()
                .map(|key| match (base_map.get(key), head_map.get(key)) {
                    (base_value, head_value) if !names_properties && is_documentation(key) => {
                        usize::from(base_value != head_value)
                    }
                    (Some(base_value), Some(head_value)) => count(
                        base_value,
                        head_value,
                        !names_properties && key == "properties",
                    ),
                    _ => 0,
                })
                .sum()
        }
        (Value::Array(base_items), Value::Array(head_items)) => base_items
            .iter()
            .zip(head_items)
            .map(|(base_item, head_item)| count(base_item, head_item, false))
            .sum(),
        _ => 0,
    }
}
