//! Documentation-only edits: never findings, but counted so a reviewer knows they happened.
//! Counted by identity, not position: each description is matched with the one of the same
//! thing in the other version (the operation by method and path template, a parameter by
//! location and name, wherever it is declared; a schema through its `$ref`s), so reordering,
//! inserting, hoisting to the path, inlining a reference or splitting a schema into `allOf`
//! parts counts nothing.

use std::collections::{BTreeMap, HashSet};

use serde_json::{Map, Value};

use crate::compare::{is_documentation, template_shape};
use crate::resolve::MAX_ALL_OF_DEPTH;
use spec_model::spec::{self, HTTP_METHODS};

/// How many descriptions, summaries, titles and examples differ between the two documents,
/// counted where both documents have the thing they document.
pub fn count_changes(base: &Value, head: &Value) -> usize {
    let mut counter = Counter {
        roots: (base, head),
        seen: HashSet::new(),
    };
    let (Some(base_map), Some(head_map)) = (base.as_object(), head.as_object()) else {
        return 0;
    };
    let mut count = counter.members(base_map, head_map, false, &["paths"]);
    if let (Some(base_paths), Some(head_paths)) = (
        base.get("paths").and_then(Value::as_object),
        head.get("paths").and_then(Value::as_object),
    ) {
        let head_by_shape: BTreeMap<String, &Value> = head_paths
            .iter()
            .map(|(path, item)| (template_shape(path), item))
            .collect();
        for (path, base_item) in base_paths {
            if let Some(head_item) = head_by_shape.get(&template_shape(path)) {
                count += counter.path_item(base_item, head_item);
            }
        }
    }
    count
}

struct Counter<'d> {
    roots: (&'d Value, &'d Value),
    /// Pairs of objects already compared: a component reached from many places, or a
    /// path-level parameter shared by every method, counts once.
    seen: HashSet<(*const Value, *const Value)>,
}

impl<'d> Counter<'d> {
    fn path_item(&mut self, base: &'d Value, head: &'d Value) -> usize {
        let (Some(base_map), Some(head_map)) = (base.as_object(), head.as_object()) else {
            return 0;
        };
        let mut skip: Vec<&str> = HTTP_METHODS.to_vec();
        skip.push("parameters");
        let mut count = self.members(base_map, head_map, false, &skip);
        for method in HTTP_METHODS {
            let (Some(base_operation), Some(head_operation)) = (
                base.get(method).and_then(Value::as_object),
                head.get(method).and_then(Value::as_object),
            ) else {
                continue;
            };
            count += self.members(base_operation, head_operation, false, &["parameters"]);
            let base_parameters = self.parameters(self.roots.0, base, base_operation);
            let head_parameters = self.parameters(self.roots.1, head, head_operation);
            for (identity, base_parameter) in &base_parameters {
                if let Some(head_parameter) = head_parameters.get(identity) {
                    count += self.value(base_parameter, head_parameter, false);
                }
            }
        }
        count
    }

    /// Path-level and operation-level parameters by location and name, the operation's winning.
    fn parameters(
        &self,
        root: &'d Value,
        path_item: &'d Value,
        operation: &'d Map<String, Value>,
    ) -> BTreeMap<(String, String), &'d Value> {
        let lists = [path_item.get("parameters"), operation.get("parameters")];
        let mut parameters = BTreeMap::new();
        for parameter in lists
            .into_iter()
            .flatten()
            .filter_map(Value::as_array)
            .flatten()
        {
            let parameter = spec::resolve(root, parameter).map_or(parameter, |found| found.value);
            let text = |key| {
                parameter
                    .get(key)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            parameters.insert((text("in"), text("name")), parameter);
        }
        parameters
    }

    /// `names_properties`: the keys of this object are property names (the children of a
    /// `properties` keyword), so a property called `description` is not documentation.
    fn value(&mut self, base: &'d Value, head: &'d Value, names_properties: bool) -> usize {
        let base = spec::resolve(self.roots.0, base).map_or(base, |found| found.value);
        let head = spec::resolve(self.roots.1, head).map_or(head, |found| found.value);
        match (base, head) {
            (Value::Object(base_map), Value::Object(head_map)) => {
                if !self
                    .seen
                    .insert((base as *const Value, head as *const Value))
                {
                    return 0;
                }
                if !names_properties && all_of_differs(base_map, head_map) {
                    return self.restructured(base_map, head_map);
                }
                self.members(base_map, head_map, names_properties, &[])
            }
            (Value::Array(base_items), Value::Array(head_items)) => base_items
                .iter()
                .zip(head_items)
                .map(|(base_item, head_item)| self.value(base_item, head_item, false))
                .sum(),
            _ => 0,
        }
    }

    /// A schema split into `allOf` parts on one side only (or into a different number of
    /// parts): its properties are matched by name across the parts, as the comparison of the
    /// contract flattens them, so moving a property into a part counts nothing.
    fn restructured(
        &mut self,
        base: &'d Map<String, Value>,
        head: &'d Map<String, Value>,
    ) -> usize {
        let mut count = self.members(base, head, false, &["allOf", "properties"]);
        let base_properties = flattened_properties(self.roots.0, base, 0);
        let head_properties = flattened_properties(self.roots.1, head, 0);
        for (name, base_property) in &base_properties {
            if let Some(head_property) = head_properties.get(name) {
                count += self.value(base_property, head_property, false);
            }
        }
        count
    }

    fn members(
        &mut self,
        base: &'d Map<String, Value>,
        head: &'d Map<String, Value>,
        names_properties: bool,
        skip: &[&str],
    ) -> usize {
        let mut count = 0;
        for (key, base_value) in base {
            if skip.contains(&key.as_str()) {
                continue;
            }
            let head_value = head.get(key);
            if !names_properties && is_documentation(key) {
                count += usize::from(Some(base_value) != head_value);
            } else if let Some(head_value) = head_value {
                count += self.value(
                    base_value,
                    head_value,
                    !names_properties && key == "properties",
                );
            }
        }
        if !names_properties {
            count += head
                .keys()
                .filter(|key| is_documentation(key) && !base.contains_key(*key))
                .filter(|key| !skip.contains(&key.as_str()))
                .count();
        }
        count
    }
}

/// Whether the two schemas' `allOf`s have different shapes (absent, or of different lengths),
/// so that their parts cannot be matched by position.
fn all_of_differs(base: &Map<String, Value>, head: &Map<String, Value>) -> bool {
    let parts = |map: &Map<String, Value>| map.get("allOf").and_then(Value::as_array).map(Vec::len);
    let (base_parts, head_parts) = (parts(base), parts(head));
    (base_parts.is_some() || head_parts.is_some()) && base_parts != head_parts
}

/// The properties of a schema and of its `allOf` parts (references followed), by name; the
/// first declaration wins, as in the contract comparison.
fn flattened_properties<'d>(
    root: &'d Value,
    schema: &'d Map<String, Value>,
    depth: usize,
) -> BTreeMap<&'d str, &'d Value> {
    let mut properties: BTreeMap<&str, &Value> = schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, value)| (name.as_str(), value))
        .collect();
    if depth < MAX_ALL_OF_DEPTH {
        let parts = schema.get("allOf").and_then(Value::as_array);
        for part in parts.into_iter().flatten() {
            let part = spec::resolve_or_self(root, part);
            if let Some(part) = part.as_object() {
                for (name, value) in flattened_properties(root, part, depth + 1) {
                    properties.entry(name).or_insert(value);
                }
            }
        }
    }
    properties
}
