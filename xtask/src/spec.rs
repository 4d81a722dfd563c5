//! Loading `openapi.yaml`: its value, and where each field sits in the file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Diagnostics, FieldPath, Location};

/// The spec as loaded: a JSON value plus the line and column of every mapping key and
/// sequence item, so that later checks can point at the place in the file.
pub struct SpecDocument {
    pub file: PathBuf,
    pub value: Value,
    positions: HashMap<Vec<String>, (usize, usize)>,
}

impl SpecDocument {
    pub fn load(file: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(file)
            .map_err(|error| anyhow::anyhow!("cannot read {}: {error}", file.display()))?;
        Self::parse(file, &text).map_err(Into::into)
    }

    pub fn parse(file: &Path, text: &str) -> Result<Self, Diagnostics> {
        let value: Value = serde_yaml_ng::from_str(text).map_err(|error| {
            let line_column = error
                .location()
                .map(|location| (location.line(), location.column()));
            Diagnostics(vec![Diagnostic {
                location: Location {
                    file: file.to_owned(),
                    line_column,
                    field: FieldPath::root(),
                },
                message: format!("invalid YAML: {error}"),
            }])
        })?;
        let mut positions = HashMap::new();
        // The positions only improve messages; a document serde_yaml_ng accepts but the marked
        // parser does not (anchors, tags) still loads, with messages that omit line numbers.
        if let Ok(root) = marked_yaml::parse_yaml(0, text) {
            record_positions(&root, &mut Vec::new(), &mut positions);
        }
        Ok(Self {
            file: file.to_owned(),
            value,
            positions,
        })
    }

    /// The location of `field`, or of its nearest ancestor the file has a position for.
    pub fn locate(&self, field: &FieldPath) -> Location {
        let segments = field.segments();
        let line_column = (0..=segments.len())
            .rev()
            .find_map(|length| self.positions.get(&segments[..length]).copied());
        Location {
            file: self.file.clone(),
            line_column,
            field: field.clone(),
        }
    }

    pub fn diagnostic(&self, field: &FieldPath, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            location: self.locate(field),
            message: message.into(),
        }
    }
}

fn record_positions(
    node: &marked_yaml::Node,
    path: &mut Vec<String>,
    positions: &mut HashMap<Vec<String>, (usize, usize)>,
) {
    if let Some(mapping) = node.as_mapping() {
        for (key, child) in mapping.iter() {
            path.push(key.as_str().to_owned());
            if let Some(start) = key.span().start() {
                positions.insert(path.clone(), (start.line(), start.column()));
            }
            record_positions(child, path, positions);
            path.pop();
        }
    } else if let Some(sequence) = node.as_sequence() {
        for (index, child) in sequence.iter().enumerate() {
            path.push(index.to_string());
            if let Some(start) = child.span().start() {
                positions.insert(path.clone(), (start.line(), start.column()));
            }
            record_positions(child, path, positions);
            path.pop();
        }
    }
}

/// Calls `visit` with every mapping key below `value` (found at `field`), its value and its path,
/// depth first, so that checks over the whole document share one traversal.
pub fn visit_keys(
    value: &Value,
    field: &FieldPath,
    visit: &mut impl FnMut(&str, &Value, &FieldPath),
) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let child_field = field.join(key);
                visit(key, child, &child_field);
                visit_keys(child, &child_field, visit);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                visit_keys(child, &field.join(index), visit);
            }
        }
        _ => {}
    }
}
