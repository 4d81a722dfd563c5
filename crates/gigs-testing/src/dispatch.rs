//! What the generated server side (`generated/server_trait.rs`) runs on: the operation row, routing a
//! request to its row, decoding parameters into their types, and encoding the answer, or the
//! spec's example for an operation the fake has no behaviour for.
//!
//! ```text
//! request ─► route (method + path → OPERATIONS row, fixed segments first)
//!         ─► decode (typed path/query parameters and body; bad input → Gigs 400/422)
//!         ─► GigsServer method (handlers/, or the default: the example, or 501)
//!         ─► Answer (the spec's success status, JSON body)
//! ```

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::error::{ApiError, Detail};
use crate::params::Query;

/// One operation of openapi.yaml as the fake routes and answers it: a row of
/// [`OPERATIONS`](crate::OPERATIONS), which `cargo xtask generate` writes from the spec.
///
/// ```
/// let retrieve = gigs_testing::OPERATIONS
///     .iter()
///     .find(|operation| operation.id == "retrieveSubscription")
///     .unwrap();
/// assert_eq!((retrieve.method, retrieve.status), ("GET", 200));
/// assert!(retrieve.example_path().starts_with("/projects/gigs/subscriptions/sub_"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Operation {
    /// The operationId (what [`FakeGigs::calls`](crate::FakeGigs::calls) and faults name).
    pub id: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template (`/projects/{project}/sims/{sim}`).
    pub path: &'static str,
    /// The documented success status.
    pub status: u16,
    /// The documented example of the success body, as JSON: what the fake answers when it has
    /// no behaviour for the operation.
    pub example: Option<&'static str>,
    /// The spec's example value of each path parameter, in path order (`""` without one).
    pub path_examples: &'static [&'static str],
    /// The documented example of the request body, as JSON.
    pub request_example: Option<&'static str>,
    /// A list answered page by page (`limit`, `after`, `before`).
    pub paginated: bool,
}

impl Operation {
    /// The path template with the spec's example values (a parameter without one keeps its
    /// `{name}`).
    pub fn example_path(&self) -> String {
        let mut examples = self.path_examples.iter();
        self.path
            .split('/')
            .map(|segment| match segment.starts_with('{') {
                true => match examples.next() {
                    Some(example) if !example.is_empty() => (*example).to_owned(),
                    _ => segment.to_owned(),
                },
                false => segment.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// The response header that marks an answer made from the spec's example: its value is the
/// operationId.
pub const EXAMPLE_HEADER: &str = "x-gigs-fake-example";

/// What the spec says a query parameter's value may be.
pub(crate) struct Rules {
    /// An array, sent as one comma-separated value.
    pub list: bool,
    /// The documented values (of each item of a list); empty when any value goes.
    pub allowed: &'static [&'static str],
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
}

/// Matches `method` and `path` (percent-encoded, without the query) to a row of `operations`
/// (the generated table, in routing order) and returns its index and the path parameters
/// (percent-decoded). A path of the API with another method is a 405, any other path a 404.
pub(crate) fn route(
    operations: &[Operation],
    method: &str,
    path: &str,
) -> Result<(usize, Vec<String>), ApiError> {
    let segments: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
    let mut path_known = false;
    for (index, operation) in operations.iter().enumerate() {
        let Some(parameters) = matches(operation.path, &segments) else {
            continue;
        };
        if operation.method != method {
            path_known = true;
            continue;
        }
        return Ok((index, parameters));
    }
    if path_known {
        Err(ApiError::method_not_allowed(method, path))
    } else {
        Err(ApiError::no_route(method, path))
    }
}

/// The methods `path` is served with, for the `Allow` header of a 405: those of the template
/// that routing picks for it (the first that matches, fixed segments first), so
/// `/deviceModels/search` is POST only although `/deviceModels/{deviceModel}` matches it too.
pub(crate) fn allowed_methods(operations: &[Operation], path: &str) -> Vec<&'static str> {
    let segments: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
    let Some(template) = operations
        .iter()
        .find(|operation| matches(operation.path, &segments).is_some())
        .map(|operation| operation.path)
    else {
        return Vec::new();
    };
    let mut methods = Vec::new();
    for operation in operations
        .iter()
        .filter(|operation| operation.path == template)
    {
        if !methods.contains(&operation.method) {
            methods.push(operation.method);
        }
    }
    methods
}

fn matches(template: &str, segments: &[&str]) -> Option<Vec<String>> {
    let mut parts = template.trim_start_matches('/').split('/');
    let mut parameters = Vec::new();
    for segment in segments {
        let part = parts.next()?;
        if part.starts_with('{') {
            if segment.is_empty() {
                return None;
            }
            parameters.push(
                percent_encoding::percent_decode_str(segment)
                    .decode_utf8_lossy()
                    .into_owned(),
            );
        } else if part != *segment {
            return None;
        }
    }
    parts.next().is_none().then_some(parameters)
}

/// The index of the operation with this operationId in `operations`.
pub(crate) fn operation_index(operations: &[Operation], id: &str) -> Option<usize> {
    operations.iter().position(|operation| operation.id == id)
}

/// Decodes one request's parameters, collecting a detail for each that is wrong.
pub(crate) struct Decode<'r> {
    path: &'r [String],
    query: &'r Query,
    details: Vec<Detail>,
}

impl<'r> Decode<'r> {
    pub fn new(path: &'r [String], query: &'r Query) -> Self {
        Self {
            path,
            query,
            details: Vec::new(),
        }
    }

    /// The path parameter at `position`.
    pub fn path<T: DeserializeOwned>(&mut self, position: usize, name: &str) -> Option<T> {
        let raw = self.path.get(position)?;
        self.read(name, raw)
    }

    /// An optional query parameter: `None` when left out (or wrong, with a detail).
    pub fn query<T: DeserializeOwned>(&mut self, name: &str, rules: &Rules) -> Option<T> {
        let raw = self.query.get(name)?;
        self.checked(name, raw, rules)
    }

    /// A query parameter with a documented default, which stands in when it is left out.
    pub fn query_or<T: DeserializeOwned>(
        &mut self,
        name: &str,
        rules: &Rules,
        default: &str,
    ) -> Option<T> {
        let raw = self.query.get(name).unwrap_or(default);
        self.checked(name, raw, rules)
    }

    /// A required query parameter.
    // The generated dispatch calls it for a spec with a required query parameter.
    #[allow(dead_code)]
    pub fn required<T: DeserializeOwned>(&mut self, name: &str, rules: &Rules) -> Option<T> {
        match self.query.get(name) {
            Some(raw) => self.checked(name, raw, rules),
            None => {
                self.details
                    .push(Detail::new(name, "required", "is required"));
                None
            }
        }
    }

    fn checked<T: DeserializeOwned>(&mut self, name: &str, raw: &str, rules: &Rules) -> Option<T> {
        let before = self.details.len();
        let values: Vec<&str> = if rules.list {
            raw.split(',').collect()
        } else {
            vec![raw]
        };
        for value in values {
            if value.is_empty() && rules.list {
                self.details
                    .push(Detail::new(name, "invalidValue", "holds an empty value"));
            } else if !rules.allowed.is_empty() && !rules.allowed.contains(&value) {
                self.details.push(Detail::new(
                    name,
                    "invalidValue",
                    format!("`{value}` is not one of {}", rules.allowed.join(", ")),
                ));
            }
        }
        if rules.minimum.is_some() || rules.maximum.is_some() {
            match raw.parse::<i64>() {
                Ok(number)
                    if rules.minimum.is_some_and(|minimum| number < minimum)
                        || rules.maximum.is_some_and(|maximum| number > maximum) =>
                {
                    self.details.push(Detail::new(
                        name,
                        "outOfRange",
                        format!("must be {}, got {raw}", range(rules)),
                    ));
                }
                Ok(_) => {}
                Err(_) => self.details.push(Detail::new(
                    name,
                    "invalidInteger",
                    format!("must be an integer {}, got `{raw}`", range(rules)),
                )),
            }
        }
        if self.details.len() > before {
            return None;
        }
        self.read(name, raw)
    }

    /// Reads `raw` as `T`: as a JSON string first (strings, open enums, comma lists), then as
    /// JSON text (numbers, booleans).
    fn read<T: DeserializeOwned>(&mut self, name: &str, raw: &str) -> Option<T> {
        let as_string = serde_json::from_value(Value::String(raw.to_owned()));
        match as_string.or_else(|error| serde_json::from_str(raw).map_err(|_| error)) {
            Ok(value) => Some(value),
            Err(error) => {
                self.details.push(Detail::new(
                    name,
                    "invalidValue",
                    format!("`{raw}` cannot be read: {error}"),
                ));
                None
            }
        }
    }

    /// The 400 for the details collected so far (a missing value always has one).
    pub fn failed(self) -> ApiError {
        ApiError::invalid_parameters(self.details)
    }

    /// A 400 when any parameter was wrong.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.details.is_empty() {
            Ok(())
        } else {
            Err(self.failed())
        }
    }
}

fn range(rules: &Rules) -> String {
    match (rules.minimum, rules.maximum) {
        (Some(minimum), Some(maximum)) => format!("between {minimum} and {maximum}"),
        (Some(minimum), None) => format!("at least {minimum}"),
        (None, Some(maximum)) => format!("at most {maximum}"),
        (None, None) => String::new(),
    }
}

/// A success answer: the status, the JSON body (`None` for an operation without one) and,
/// for an answer made from the spec's example, the operationId.
#[derive(Debug)]
pub(crate) struct Answer {
    pub status: u16,
    pub body: Option<Value>,
    pub example_of: Option<&'static str>,
}

impl Answer {
    /// Encodes what a `GigsServer` method returned; an operation it has no behaviour for is
    /// answered from the spec's example (or with a 501 naming it).
    pub fn new<T: Serialize>(
        operation: &Operation,
        result: Result<T, ApiError>,
        path: &[String],
        limit: Option<usize>,
    ) -> Result<Self, ApiError> {
        match result {
            Ok(value) => {
                // The API's own types always serialise; a failure would be a bug of the fake,
                // answered as the API answers its own failures.
                let body = serde_json::to_value(&value)
                    .map_err(|_| ApiError::injected(http::StatusCode::INTERNAL_SERVER_ERROR))?;
                Ok(Self {
                    status: operation.status,
                    // `()`, the answer of an operation without a body.
                    body: Some(body).filter(|body| !body.is_null()),
                    example_of: None,
                })
            }
            Err(error) if error.is_no_behaviour() => Self::example(operation, path, limit),
            Err(error) => Err(error),
        }
    }

    /// The spec's example for `operation`: the example's path ids replaced by the requested
    /// ones, a list cut to `limit` items (with `moreItemsAfter` then naming the last one).
    pub fn example(
        operation: &Operation,
        path: &[String],
        limit: Option<usize>,
    ) -> Result<Self, ApiError> {
        let Some(example) = operation.example else {
            return Err(ApiError::not_implemented(
                operation.id,
                operation.method,
                operation.path,
            ));
        };
        let mut body: Value = serde_json::from_str(example)
            .expect("the generated example is the spec's JSON, written by serde_json");
        for (documented, requested) in operation.path_examples.iter().zip(path) {
            if !documented.is_empty() && documented != requested {
                replace_strings(&mut body, documented, requested);
            }
        }
        if let (Some(limit), Some(items)) = (limit, body.get_mut("items")) {
            // The page envelope every list operation has (xtask's `ListShape` checks it).
            if let Some(items) = items.as_array_mut().filter(|items| items.len() > limit) {
                items.truncate(limit);
                let last = items.last().and_then(|item| item.get("id")).cloned();
                body["moreItemsAfter"] = last.unwrap_or(Value::Null);
            }
        }
        Ok(Self {
            status: operation.status,
            body: Some(body),
            example_of: Some(operation.id),
        })
    }
}

fn replace_strings(value: &mut Value, from: &str, to: &str) {
    match value {
        Value::String(text) if text == from => *text = to.to_owned(),
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| replace_strings(item, from, to)),
        Value::Object(object) => object
            .values_mut()
            .for_each(|item| replace_strings(item, from, to)),
        _ => {}
    }
}
