//! Loading `openapi.yaml`: its value, and where each field sits in the file.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Diagnostics, FieldPath, Location};
use crate::yaml;

mod operation;

pub use operation::{
    is_sensitive, read_operations, resolve_located, type_parameters, unresolved_message, Operation,
    Parameter, Problem, RequestBody, RustNames, CURSOR_PARAMETERS, IDEMPOTENT_EXTENSION,
    SENSITIVE_EXTENSION,
};

/// The spec as loaded: a JSON value, and the text it came from so that later checks can point
/// at the line and column of any field.
pub struct SpecDocument {
    pub file: PathBuf,
    pub value: Value,
    text: String,
    /// The marked parse of `text`, made on the first `locate`: a comparison that finds nothing
    /// never needs it. `None` when the marked parser cannot read the file (anchors, tags);
    /// messages then omit line numbers.
    tree: OnceLock<Option<marked_yaml::Node>>,
}

/// The OpenAPI versions a reader accepts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Versions {
    OpenApi30,
    OpenApi30Or31,
}

impl SpecDocument {
    /// Reads and parses `file`; see [`SpecDocument::parse`].
    pub fn load(file: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(file)
            .map_err(|error| anyhow::anyhow!("cannot read {}: {error}", file.display()))?;
        Self::parse(file, text).map_err(Into::into)
    }

    /// Parses `text` as an OpenAPI 3.0.x document. Anything else is refused, naming the line
    /// and the reason: an empty file, a document that is not a mapping, Swagger 2.0, OpenAPI
    /// 3.1 or a missing `openapi` version, and a key given twice in one mapping. Reading such a
    /// document as a spec would compare or generate something other than what is written.
    pub fn parse(file: &Path, text: impl Into<String>) -> Result<Self, Diagnostics> {
        Self::parse_versions(file, text.into(), Versions::OpenApi30)
    }

    /// Parses `text` as an OpenAPI 3.0.x or 3.1.x document, refusing the rest as
    /// [`SpecDocument::parse`] does. For the contract review only, which compares what schemas
    /// accept and reads 3.1's forms as their 3.0 equivalents; generation keeps refusing 3.1.
    pub fn parse_for_review(file: &Path, text: impl Into<String>) -> Result<Self, Diagnostics> {
        Self::parse_versions(file, text.into(), Versions::OpenApi30Or31)
    }

    /// Reads and parses `file`; see [`SpecDocument::parse_for_review`].
    pub fn load_for_review(file: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(file)
            .map_err(|error| anyhow::anyhow!("cannot read {}: {error}", file.display()))?;
        Self::parse_for_review(file, text).map_err(Into::into)
    }

    /// Whether the document declares OpenAPI 3.1 (`openapi: 3.1.x`).
    pub fn is_openapi_31(&self) -> bool {
        self.value
            .get("openapi")
            .and_then(Value::as_str)
            .is_some_and(|version| version.starts_with("3.1."))
    }

    fn parse_versions(file: &Path, text: String, versions: Versions) -> Result<Self, Diagnostics> {
        let value = yaml::parse(&text).map_err(|error| {
            Diagnostics(vec![Diagnostic {
                location: Location {
                    file: file.to_owned(),
                    line_column: error.line_column,
                    field: FieldPath::root(),
                },
                message: error.message,
            }])
        })?;
        let document = Self {
            file: file.to_owned(),
            value,
            text,
            tree: OnceLock::new(),
        };
        if versions == Versions::OpenApi30Or31 && document.is_openapi_31() {
            return Ok(document);
        }
        match document.check_openapi_version() {
            Some(problem) => Err(Diagnostics(vec![problem])),
            None => Ok(document),
        }
    }

    /// A document with no operations and no schemas, for a version that has no spec at all
    /// (a git ref from before the spec existed).
    pub fn empty(file: &Path) -> Self {
        Self {
            file: file.to_owned(),
            value: Value::Object(serde_json::Map::new()),
            text: String::new(),
            tree: OnceLock::new(),
        }
    }

    fn check_openapi_version(&self) -> Option<Diagnostic> {
        let at_start = |message: String| Diagnostic {
            location: Location {
                file: self.file.clone(),
                line_column: Some((1, 1)),
                field: FieldPath::root(),
            },
            message,
        };
        let expected = "expected an OpenAPI 3.0.x document (`openapi: 3.0.3`)";
        let map = match &self.value {
            Value::Object(map) => map,
            Value::Null => return Some(at_start(format!("the file is empty; {expected}"))),
            other => {
                let kind = match other {
                    Value::Array(_) => "a list",
                    Value::String(_) => "a string",
                    Value::Number(_) => "a number",
                    _ => "a boolean",
                };
                return Some(at_start(format!(
                    "the document is {kind}, not a mapping; {expected}"
                )));
            }
        };
        let field = FieldPath::root().join("openapi");
        if let Some(swagger) = map.get("swagger") {
            return Some(self.diagnostic(
                &FieldPath::root().join("swagger"),
                format!(
                    "Swagger {} documents are not supported: only OpenAPI 3.0.x is; convert the \
                     spec to OpenAPI 3.0.3 first",
                    text_of(swagger)
                ),
            ));
        }
        let message = match map.get("openapi") {
            None => format!("missing `openapi` version; {expected}"),
            Some(Value::String(version)) if version.starts_with("3.0.") => return None,
            Some(Value::String(version)) if version.starts_with("3.1") => format!(
                "OpenAPI {version} is not supported: only 3.0.x is read, and 3.1 documents \
                 mean other things by `type`, `nullable` and `exclusiveMinimum`; write the spec \
                 as 3.0.3"
            ),
            Some(Value::String(version)) => {
                format!("OpenAPI {version} is not supported; {expected}")
            }
            Some(other) => format!(
                "`openapi: {}` is not a version string; {expected}, quoted if need be",
                text_of(other)
            ),
        };
        Some(self.diagnostic(&field, message))
    }

    fn tree(&self) -> Option<&marked_yaml::Node> {
        self.tree
            .get_or_init(|| marked_yaml::parse_yaml(0, &self.text).ok())
            .as_ref()
    }

    /// The location of `field`, or of its nearest ancestor the file has a position for.
    pub fn locate(&self, field: &FieldPath) -> Location {
        let mut line_column = None;
        let mut node = self.tree();
        for segment in field.segments() {
            let Some(current) = node else {
                break;
            };
            let found = if let Some(mapping) = current.as_mapping() {
                mapping
                    .get_key_value(segment.as_str())
                    .map(|(key, child)| (key.span().start(), child))
            } else if let Some(sequence) = current.as_sequence() {
                segment
                    .parse::<usize>()
                    .ok()
                    .and_then(|index| sequence.get(index))
                    .map(|child| (child.span().start(), child))
            } else {
                None
            };
            let Some((start, child)) = found else {
                break;
            };
            if let Some(start) = start {
                line_column = Some((start.line(), start.column()));
            }
            node = Some(child);
        }
        Location {
            file: self.file.clone(),
            line_column,
            field: field.clone(),
        }
    }

    /// A problem of the operation model, located in this file.
    pub fn problem(&self, problem: Problem) -> Diagnostic {
        self.diagnostic(&problem.field, problem.message)
    }

    /// This document's operations ([`read_operations`]), a problem located in the file.
    pub fn operations(&self) -> Result<Vec<Operation<'_>>, Diagnostics> {
        read_operations(&self.value).map_err(|problem| Diagnostics(vec![self.problem(problem)]))
    }

    pub fn diagnostic(&self, field: &FieldPath, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            location: self.locate(field),
            message: message.into(),
        }
    }
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
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

/// The HTTP methods a path item can hold, in the order OpenAPI lists them.
pub const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// An operation object where it sits, before anything is read from it: the one walk over
/// `paths`, for the model ([`read_operations`]) and for the steps that run before the model can
/// be read (validation) or that edit the document (normalisation).
#[derive(Clone, Copy)]
pub struct OperationObject<'d> {
    pub path: &'d str,
    pub method: &'static str,
    pub value: &'d Value,
    /// The path item, its `$ref` followed (OpenAPI 3.1 points at `components.pathItems`).
    pub path_item: &'d Value,
    /// The `$ref` the path item under `paths` is, when it is one.
    pub item_ref: Option<&'d str>,
}

impl<'d> OperationObject<'d> {
    pub fn operation_id(&self) -> Option<&'d str> {
        self.value.get("operationId").and_then(Value::as_str)
    }

    /// `paths./things.get` (under `components.pathItems.Things` when the path item is a `$ref`
    /// there).
    pub fn field(&self) -> FieldPath {
        self.item_field().join(self.method)
    }

    /// Where the path item is written: `paths./things`, or where its `$ref` points.
    pub fn item_field(&self) -> FieldPath {
        item_field(self.path, self.item_ref)
    }
}

/// Where a path item is written: under `paths`, or where the `$ref` written there points.
pub fn item_field(path: &str, item_ref: Option<&str>) -> FieldPath {
    match item_ref.and_then(|reference| reference.strip_prefix('#')) {
        Some(pointer) if pointer.starts_with('/') => FieldPath::from_pointer(pointer),
        _ => FieldPath::root().join("paths").join(path),
    }
}

/// Every operation object under `paths`, path by path in document order, methods in
/// [`HTTP_METHODS`] order. A path item that is a `$ref` is read where it points.
pub fn operation_objects(spec: &Value) -> impl Iterator<Item = OperationObject<'_>> {
    spec.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .flat_map(move |(path, written)| {
            let item_ref = written.get("$ref").and_then(Value::as_str);
            let path_item = resolve_or_self(spec, written);
            HTTP_METHODS.iter().filter_map(move |method| {
                path_item.get(*method).map(|value| OperationObject {
                    path,
                    method,
                    value,
                    path_item,
                    item_ref,
                })
            })
        })
}

/// `$ref`s are followed by the workspace's one resolver, shared with the tests.
pub use spec_ref::{reference_target, resolve, resolve_or_self, schema_ref_name, MAX_REF_HOPS};
