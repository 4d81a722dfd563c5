//! Belongs here: the proptest fuzz target for response decoding, over every operation of the
//! generated table.
//!
//! Fuzzes the client's response decoding (issue 4). Every operation of the spec (the generated
//! table of `gigs_tests::operations`, required parameters filled from the spec's examples) is
//! sent with `gigs::Call::call_with` to a local server that answers with arbitrary bytes,
//! arbitrary JSON, or a mutated spec example, under the documented success and error statuses
//! and a few undocumented ones. Every call must return (no panic; the client timeout bounds a
//! hang) and say exactly what it received: the status, the bytes, and a body that decodes
//! exactly when serde decodes it; unknown enum values and unknown fields in an otherwise valid
//! body must still read.
//!
//! `PROPTEST_CASES` sets the cases per operation and body kind (default
//! [`DEFAULT_CASES_PER_KIND`]); `PROPTEST_RNG_SEED` replays the run whose seed a failure prints.
//! Ten times the default:
//! `PROPTEST_CASES=960 cargo test -p gigs-tests --test it fuzz_decode:: -- --nocapture`.

use std::collections::hash_map::RandomState;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use bytes::Bytes;
use gigs::client::operation::Operation;
use gigs::{types, Call, Gigs, RequestOptions};
use gigs_tests::examples::spec_examples;
use gigs_tests::operations::{example_request, WithRequest, OPERATIONS};
use gigs_tests::server::{gigs_builder, SettableServer};
use gigs_tests::spec::{resolve, spec};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// Cases per operation and body kind unless `PROPTEST_CASES` says otherwise.
const DEFAULT_CASES_PER_KIND: u32 = 96;
/// Statuses the spec documents for no operation, served to check they are reported as such.
const UNDOCUMENTED_STATUSES: [u16; 5] = [204, 302, 418, 502, 503];
/// Long enough for any body this test serves; a call that hangs fails with a timeout instead.
const CALL_TIMEOUT: Duration = Duration::from_secs(20);
/// Keeps a failing run short: each shrink step is an HTTP round trip.
const MAX_SHRINK_ITERS: u32 = 2_000;
/// How much of a body a failure message shows.
const SHOWN_BODY_BYTES: usize = 2_048;

// ---------------------------------------------------------------------------------------------
// The operations

/// What one call returned, and how its success body should have decoded.
struct Called {
    operation_id: &'static str,
    /// The response body as JSON, written back from the operation's response type.
    result: Result<Value, gigs::Error>,
    /// Reads bytes as the operation's response type, written back as JSON.
    decode_response: fn(&[u8]) -> serde_json::Result<Value>,
}

type CallFuture<'a> = Pin<Box<dyn Future<Output = Called> + Send + 'a>>;

/// Sends `request` once through the SDK's decode path.
fn call<'a, O>(request: O) -> CallFuture<'a>
where
    O: Operation<ErrorBody = types::Error> + 'a,
    O::Response: Serialize,
{
    Box::pin(async move {
        let result = request
            .call_with(RequestOptions::new().no_retries())
            .await
            .map(|response| to_json(&response));
        Called {
            operation_id: O::OPERATION_ID,
            result,
            decode_response: decode_as::<O::Response>,
        }
    })
}

fn decode_as<T: DeserializeOwned + Serialize>(body: &[u8]) -> serde_json::Result<Value> {
    serde_json::from_slice::<T>(body).map(|value| to_json(&value))
}

fn to_json(value: &impl Serialize) -> Value {
    serde_json::to_value(value).expect("a decoded value writes back to JSON")
}

/// Sends the request [`example_request`] builds once, through the SDK's decode path.
struct CallOnce;

impl<'a> WithRequest<'a> for CallOnce {
    type Output = CallFuture<'a>;

    fn request<O>(self, request: O) -> CallFuture<'a>
    where
        O: Operation<ErrorBody = types::Error> + 'a,
        O::Response: Serialize,
    {
        call(request)
    }
}

/// One operation with what the spec says it answers.
struct Target {
    id: &'static str,
    success_status: u16,
    error_statuses: Vec<u16>,
    undocumented_statuses: Vec<u16>,
    /// The spec examples of the success response.
    success_examples: Vec<Base>,
    /// The spec examples of the Error schema.
    error_examples: Vec<Base>,
}

fn targets() -> Vec<Target> {
    let mut documented = BTreeMap::new();
    for item in spec()["paths"].as_object().expect("paths").values() {
        for operation in item.as_object().into_iter().flat_map(|item| item.values()) {
            if let (Some(id), Some(responses)) = (
                operation.get("operationId").and_then(Value::as_str),
                operation.get("responses").and_then(Value::as_object),
            ) {
                let statuses: Vec<u16> = responses
                    .keys()
                    .map(|status| status.parse().expect("numeric response status"))
                    .collect();
                documented.insert(id.to_owned(), statuses);
            }
        }
    }
    let listed: BTreeSet<&str> = OPERATIONS.iter().map(|row| row.operation_id).collect();
    assert_eq!(
        listed,
        documented.keys().map(String::as_str).collect(),
        "the fuzz table covers exactly the spec's operations"
    );

    let examples = spec_examples();
    let error_examples: Vec<Base> = examples
        .iter()
        .filter(|example| example.type_name == "Error")
        .map(|example| Base::new(&example.location, &example.type_name, &example.value))
        .collect();
    assert!(!error_examples.is_empty(), "the spec has Error examples");

    OPERATIONS
        .iter()
        .map(|row| {
            let id = row.operation_id;
            let statuses = &documented[id];
            let successes: Vec<u16> = statuses
                .iter()
                .copied()
                .filter(|status| (200..300).contains(status))
                .collect();
            let [success_status] = successes[..] else {
                panic!("{id} documents one success status, not {successes:?}");
            };
            let location = format!("{id}.{success_status}");
            let success_examples: Vec<Base> = examples
                .iter()
                .filter(|example| {
                    example.location == location
                        || example.location.starts_with(&format!("{location}."))
                })
                .map(|example| Base::new(&example.location, &example.type_name, &example.value))
                .collect();
            assert!(!success_examples.is_empty(), "{id} has a success example");
            Target {
                id,
                success_status,
                error_statuses: statuses.iter().copied().filter(|s| *s >= 400).collect(),
                undocumented_statuses: UNDOCUMENTED_STATUSES
                    .into_iter()
                    .filter(|status| !statuses.contains(status))
                    .collect(),
                success_examples,
                error_examples: error_examples.clone(),
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Spec examples and where they may change compatibly

/// A step into a JSON value.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// A spec example to mutate, with the places the API may extend without breaking readers.
#[derive(Debug, Clone)]
struct Base {
    location: String,
    is_error_body: bool,
    value: Value,
    /// Enum strings, with the values the spec knows.
    enums: Vec<(Vec<Step>, Vec<String>)>,
    /// Objects with declared properties (not free-form maps), with those property names.
    objects: Vec<(Vec<Step>, Vec<String>)>,
}

impl Base {
    fn new(location: &str, type_name: &str, value: &Value) -> Self {
        let schema = spec()
            .pointer(&format!("/components/schemas/{type_name}"))
            .unwrap_or_else(|| panic!("schema {type_name}"));
        let mut base = Self {
            location: location.to_owned(),
            is_error_body: type_name == "Error",
            value: value.clone(),
            enums: Vec::new(),
            objects: Vec::new(),
        };
        base.annotate(value, schema, &mut Vec::new());
        base
    }

    fn annotate(&mut self, value: &Value, schema: &'static Value, path: &mut Vec<Step>) {
        let facets = facets(schema);
        match value {
            Value::String(_) => {
                if let Some(known) = facets.iter().find_map(|facet| facet.get("enum")) {
                    let known = known.as_array().expect("enum is a list");
                    let known = known.iter().filter_map(Value::as_str).map(str::to_owned);
                    self.enums.push((path.clone(), known.collect()));
                }
            }
            Value::Array(items) => {
                if let Some(item_schema) = facets.iter().find_map(|facet| facet.get("items")) {
                    for (index, item) in items.iter().enumerate() {
                        path.push(Step::Index(index));
                        self.annotate(item, item_schema, path);
                        path.pop();
                    }
                }
            }
            Value::Object(fields) => {
                let properties: Vec<(&String, &'static Value)> = facets
                    .iter()
                    .filter_map(|facet| facet.get("properties").and_then(Value::as_object))
                    .flatten()
                    .collect();
                if !properties.is_empty() {
                    let names = properties.iter().map(|(name, _)| (*name).clone());
                    self.objects.push((path.clone(), names.collect()));
                }
                let map_values = facets
                    .iter()
                    .find_map(|facet| facet.get("additionalProperties"))
                    .filter(|schema| schema.is_object());
                for (key, field) in fields {
                    let field_schema = properties
                        .iter()
                        .find(|(name, _)| *name == key)
                        .map(|(_, schema)| *schema)
                        .or(map_values);
                    if let Some(field_schema) = field_schema {
                        path.push(Step::Key(key.clone()));
                        self.annotate(field, field_schema, path);
                        path.pop();
                    }
                }
            }
            _ => {}
        }
    }
}

/// A schema and the schemas its `allOf` merges in, with references resolved.
fn facets(schema: &'static Value) -> Vec<&'static Value> {
    let schema = resolve(schema);
    let mut all = vec![schema];
    for part in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        all.extend(facets(part));
    }
    all
}

fn value_at_mut<'v>(value: &'v mut Value, path: &[Step]) -> &'v mut Value {
    path.iter().fold(value, |value, step| match step {
        Step::Key(key) => &mut value[key.as_str()],
        Step::Index(index) => &mut value[*index],
    })
}

fn json_pointer(path: &[Step]) -> String {
    path.iter()
        .map(|step| match step {
            Step::Key(key) => format!("/{}", key.replace('~', "~0").replace('/', "~1")),
            Step::Index(index) => format!("/{index}"),
        })
        .collect()
}

/// Words of the spec (property names, enum values), so that generated JSON sometimes hits the
/// shapes the types expect.
fn spec_words() -> Vec<String> {
    fn collect(value: &Value, words: &mut BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                if let Some(properties) = map.get("properties").and_then(Value::as_object) {
                    words.extend(properties.keys().cloned());
                }
                if let Some(values) = map.get("enum").and_then(Value::as_array) {
                    words.extend(values.iter().filter_map(Value::as_str).map(str::to_owned));
                }
                map.values().for_each(|value| collect(value, words));
            }
            Value::Array(items) => items.iter().for_each(|item| collect(item, words)),
            _ => {}
        }
    }
    let mut words = BTreeSet::new();
    collect(&spec()["components"]["schemas"], &mut words);
    words.into_iter().collect()
}

// ---------------------------------------------------------------------------------------------
// A JSON document that can hold what `serde_json::Value` cannot: duplicate keys, raw bytes

#[derive(Debug, Clone)]
enum Doc {
    Scalar(Value),
    Array(Vec<Doc>),
    Object(Vec<(String, Doc)>),
    Raw(Vec<u8>),
}

impl Doc {
    fn from_value(value: Value) -> Self {
        match value {
            Value::Array(items) => Self::Array(items.into_iter().map(Self::from_value).collect()),
            Value::Object(fields) => Self::Object(
                fields
                    .into_iter()
                    .map(|(key, value)| (key, Self::from_value(value)))
                    .collect(),
            ),
            scalar => Self::Scalar(scalar),
        }
    }

    fn write(&self, out: &mut Vec<u8>) {
        match self {
            Self::Scalar(value) => serde_json::to_writer(&mut *out, value).expect("write JSON"),
            Self::Array(items) => {
                out.push(b'[');
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        out.push(b',');
                    }
                    item.write(out);
                }
                out.push(b']');
            }
            Self::Object(fields) => {
                out.push(b'{');
                for (index, (key, value)) in fields.iter().enumerate() {
                    if index > 0 {
                        out.push(b',');
                    }
                    serde_json::to_writer(&mut *out, key).expect("write JSON");
                    out.push(b':');
                    value.write(out);
                }
                out.push(b'}');
            }
            Self::Raw(bytes) => out.extend_from_slice(bytes),
        }
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write(&mut out);
        out
    }

    /// The JSON type, for picking a replacement of another type.
    fn kind(&self) -> u8 {
        match self {
            Self::Scalar(Value::Null) => 0,
            Self::Scalar(Value::Bool(_)) => 1,
            Self::Scalar(Value::Number(_)) => 2,
            Self::Scalar(Value::String(_)) => 3,
            Self::Array(_) | Self::Scalar(Value::Array(_)) => 4,
            Self::Object(_) | Self::Scalar(Value::Object(_)) => 5,
            Self::Raw(_) => 6,
        }
    }

    /// The child-index paths of the nodes that `keep` accepts, in document order.
    fn paths(&self, keep: &dyn Fn(&Doc) -> bool) -> Vec<Vec<usize>> {
        let mut paths = Vec::new();
        self.collect_paths(keep, &mut Vec::new(), &mut paths);
        paths
    }

    fn collect_paths(
        &self,
        keep: &dyn Fn(&Doc) -> bool,
        path: &mut Vec<usize>,
        paths: &mut Vec<Vec<usize>>,
    ) {
        if keep(self) {
            paths.push(path.clone());
        }
        let children: Vec<&Doc> = match self {
            Self::Array(items) => items.iter().collect(),
            Self::Object(fields) => fields.iter().map(|(_, value)| value).collect(),
            Self::Scalar(_) | Self::Raw(_) => Vec::new(),
        };
        for (index, child) in children.into_iter().enumerate() {
            path.push(index);
            child.collect_paths(keep, path, paths);
            path.pop();
        }
    }

    fn node_mut(&mut self, path: &[usize]) -> &mut Doc {
        path.iter().fold(self, |node, &index| match node {
            Self::Array(items) => &mut items[index],
            Self::Object(fields) => &mut fields[index].1,
            Self::Scalar(_) | Self::Raw(_) => unreachable!("paths lead through containers"),
        })
    }

    /// The node `at` picks among those `keep` accepts, if there is one.
    fn pick_mut(&mut self, at: &Index, keep: &dyn Fn(&Doc) -> bool) -> Option<&mut Doc> {
        let paths = self.paths(keep);
        if paths.is_empty() {
            return None;
        }
        let path = at.get(&paths).clone();
        Some(self.node_mut(&path))
    }
}

fn is_any(_: &Doc) -> bool {
    true
}

fn is_filled_object(doc: &Doc) -> bool {
    matches!(doc, Doc::Object(fields) if !fields.is_empty())
}

fn is_string(doc: &Doc) -> bool {
    matches!(doc, Doc::Scalar(Value::String(_)))
}

// ---------------------------------------------------------------------------------------------
// Mutations

/// A change the API's compatibility promise allows: the body must still read.
#[derive(Debug, Clone)]
enum Compatible {
    /// An enum string becomes a value the spec does not list.
    UnknownEnumValue { at: Index, value: String },
    /// An object with declared properties gains a field the spec does not declare.
    UnknownField {
        at: Index,
        name: String,
        value: Value,
    },
}

/// A change that may break the body.
#[derive(Debug, Clone)]
enum Breaking {
    DropField {
        at: Index,
        field: Index,
    },
    /// Replaces a value with one of another JSON type.
    Retype {
        at: Index,
        to: Index,
    },
    Null {
        at: Index,
    },
    OddString {
        at: Index,
        text: OddText,
    },
    DuplicateKey {
        at: Index,
        field: Index,
        same_value: bool,
    },
    /// Wraps a value in more arrays or objects than the decoder's recursion limit (128).
    Nest {
        at: Index,
        depth: usize,
        in_objects: bool,
    },
}

#[derive(Debug, Clone)]
enum OddText {
    Huge {
        chars: usize,
        fill: char,
    },
    Arbitrary(String),
    Special(&'static str),
    /// A string token as raw bytes: lone surrogates, invalid UTF-8, bad escapes.
    Raw(&'static [u8]),
}

const SPECIAL_STRINGS: &[&str] = &[
    "",
    "\u{0}",
    "\u{1f}\u{7f}",
    "\u{feff}BOM",
    "\u{202e}gnp.exe",
    "\u{2028}\u{2029}",
    "e\u{301}\u{301}\u{301}\u{301}",
    "👩\u{200d}👩\u{200d}👧\u{200d}👦",
    "\u{10ffff}\u{fffd}",
    "𝕳𝖊𝖑𝖑𝖔",
    "\\\"'`",
    "\r\n\t",
    "null",
    "1e999",
    "-0",
    "2021-13-45T25:61:61Z",
    "9999-12-31T23:59:59.999999999+14:00",
];

const RAW_STRINGS: &[&[u8]] = &[
    br#""\ud800""#,
    br#""\udfff tail""#,
    br#""\ud800\u0041""#,
    b"\"\xff\xfe\"",
    b"\"\xc3\"",
    b"\"\xed\xa0\x80\"",
    br#""\u00""#,
    br#""\x41""#,
    b"\"\x00\"",
    b"\"unterminated",
];

/// Values of every JSON type, to replace a value with one of another type.
fn other_type_values() -> Vec<Value> {
    vec![
        json!(true),
        json!(false),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(u64::MAX),
        json!(i64::MIN),
        json!(-1e300),
        json!(""),
        json!("text"),
        json!("2021-01-21T19:38:34Z"),
        json!([]),
        json!([null]),
        json!({}),
        json!({"object": "unknown"}),
    ]
}

/// A mutated spec example.
#[derive(Debug, Clone)]
struct MutatedBody {
    error_example: bool,
    base: Index,
    compatible: Vec<Compatible>,
    breaking: Vec<Breaking>,
    truncate: Option<Index>,
}

/// The bytes of a mutated example and what must hold of them.
struct Mutated {
    bytes: Vec<u8>,
    base: String,
    is_error_body: bool,
    /// Only compatible mutations were applied: the body must read.
    compatible_only: bool,
    /// The unknown enum values put in, by JSON pointer: they must read back verbatim.
    unknown_enum_values: BTreeMap<String, String>,
}

impl MutatedBody {
    fn apply(&self, target: &Target) -> Mutated {
        let base = self.base.get(if self.error_example {
            &target.error_examples
        } else {
            &target.success_examples
        });
        let mut value = base.value.clone();
        let mut unknown_enum_values = BTreeMap::new();
        for mutation in &self.compatible {
            match mutation {
                Compatible::UnknownEnumValue { at, value: new } if !base.enums.is_empty() => {
                    let (path, known) = at.get(&base.enums);
                    let mut new = new.clone();
                    while known.contains(&new) {
                        new.push_str("V2");
                    }
                    *value_at_mut(&mut value, path) = Value::String(new.clone());
                    unknown_enum_values.insert(json_pointer(path), new);
                }
                Compatible::UnknownField {
                    at,
                    name,
                    value: new,
                } if !base.objects.is_empty() => {
                    let (path, known) = at.get(&base.objects);
                    let mut name = name.clone();
                    while known.contains(&name) {
                        name.push('_');
                    }
                    value_at_mut(&mut value, path)
                        .as_object_mut()
                        .expect("a declared object")
                        .insert(name, new.clone());
                }
                _ => {}
            }
        }

        let mut doc = Doc::from_value(value);
        for mutation in &self.breaking {
            apply_breaking(&mut doc, mutation);
        }
        let mut bytes = doc.to_bytes();
        if let Some(at) = &self.truncate {
            bytes.truncate(at.index(bytes.len()));
        }
        Mutated {
            bytes,
            base: base.location.clone(),
            is_error_body: base.is_error_body,
            compatible_only: self.breaking.is_empty() && self.truncate.is_none(),
            unknown_enum_values,
        }
    }
}

fn apply_breaking(doc: &mut Doc, mutation: &Breaking) {
    match mutation {
        Breaking::DropField { at, field } => {
            if let Some(Doc::Object(fields)) = doc.pick_mut(at, &is_filled_object) {
                fields.remove(field.index(fields.len()));
            }
        }
        Breaking::Retype { at, to } => {
            if let Some(node) = doc.pick_mut(at, &is_any) {
                let kind = node.kind();
                let others: Vec<Value> = other_type_values()
                    .into_iter()
                    .filter(|value| Doc::Scalar(value.clone()).kind() != kind)
                    .collect();
                *node = Doc::Scalar(to.get(&others).clone());
            }
        }
        Breaking::Null { at } => {
            if let Some(node) = doc.pick_mut(at, &is_any) {
                *node = Doc::Scalar(Value::Null);
            }
        }
        Breaking::OddString { at, text } => {
            let has_strings = !doc.paths(&is_string).is_empty();
            let keep: &dyn Fn(&Doc) -> bool = if has_strings { &is_string } else { &is_any };
            if let Some(node) = doc.pick_mut(at, keep) {
                *node = match text {
                    OddText::Huge { chars, fill } => {
                        Doc::Scalar(Value::String(std::iter::repeat_n(*fill, *chars).collect()))
                    }
                    OddText::Arbitrary(text) => Doc::Scalar(Value::String(text.clone())),
                    OddText::Special(text) => Doc::Scalar(Value::String((*text).to_owned())),
                    OddText::Raw(bytes) => Doc::Raw(bytes.to_vec()),
                };
            }
        }
        Breaking::DuplicateKey {
            at,
            field,
            same_value,
        } => {
            if let Some(Doc::Object(fields)) = doc.pick_mut(at, &is_filled_object) {
                let index = field.index(fields.len());
                let (key, value) = fields[index].clone();
                let value = if *same_value {
                    value
                } else {
                    Doc::Scalar(json!("a second value"))
                };
                fields.insert(index + 1, (key, value));
            }
        }
        Breaking::Nest {
            at,
            depth,
            in_objects,
        } => {
            if let Some(node) = doc.pick_mut(at, &is_any) {
                let (open, close): (&[u8], &[u8]) = if *in_objects {
                    (br#"{"nested":"#, b"}")
                } else {
                    (b"[", b"]")
                };
                let mut bytes = open.repeat(*depth);
                node.write(&mut bytes);
                bytes.extend(close.repeat(*depth));
                *node = Doc::Raw(bytes);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Strategies

fn status(target: &Target) -> impl Strategy<Value = u16> {
    prop_oneof![
        4 => Just(target.success_status),
        4 => select(target.error_statuses.clone()),
        2 => select(target.undocumented_statuses.clone()),
    ]
}

fn json_leaf(words: Vec<String>) -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        // Not finite: `Value::from` makes it null.
        any::<f64>().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        select(words).prop_map(Value::String),
        "20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?(Z|[+-][01][0-9]:[0-5][0-9])"
            .prop_map(Value::String),
    ]
}

fn arbitrary_json(words: Vec<String>, depth: u32, size: u32) -> impl Strategy<Value = Value> {
    let keys = prop_oneof![3 => select(words.clone()), 1 => any::<String>()];
    json_leaf(words).prop_recursive(depth, size, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((keys.clone(), inner), 0..10)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

fn compatible_mutation(words: Vec<String>) -> impl Strategy<Value = Compatible> {
    let unknown_value = prop_oneof![
        "[a-z][a-zA-Z]{0,15}",
        "[A-Z_]{1,12}",
        any::<String>(),
        Just(String::new()),
    ];
    let field_name = prop_oneof!["[a-z][a-zA-Z0-9_]{0,20}", any::<String>()];
    prop_oneof![
        (any::<Index>(), unknown_value)
            .prop_map(|(at, value)| Compatible::UnknownEnumValue { at, value }),
        (any::<Index>(), field_name, arbitrary_json(words, 3, 16))
            .prop_map(|(at, name, value)| Compatible::UnknownField { at, name, value }),
    ]
}

fn odd_text() -> impl Strategy<Value = OddText> {
    prop_oneof![
        (
            16_384usize..=131_072,
            select(vec!['x', 'é', '😀', '\u{0}', '"', '\u{feff}'])
        )
            .prop_map(|(chars, fill)| OddText::Huge { chars, fill }),
        any::<String>().prop_map(OddText::Arbitrary),
        select(SPECIAL_STRINGS).prop_map(OddText::Special),
        select(RAW_STRINGS).prop_map(OddText::Raw),
    ]
}

fn breaking_mutation() -> impl Strategy<Value = Breaking> {
    prop_oneof![
        (any::<Index>(), any::<Index>()).prop_map(|(at, field)| Breaking::DropField { at, field }),
        (any::<Index>(), any::<Index>()).prop_map(|(at, to)| Breaking::Retype { at, to }),
        any::<Index>().prop_map(|at| Breaking::Null { at }),
        (any::<Index>(), odd_text()).prop_map(|(at, text)| Breaking::OddString { at, text }),
        (any::<Index>(), any::<Index>(), any::<bool>()).prop_map(|(at, field, same_value)| {
            Breaking::DuplicateKey {
                at,
                field,
                same_value,
            }
        }),
        (any::<Index>(), 129usize..=2_048, any::<bool>()).prop_map(|(at, depth, in_objects)| {
            Breaking::Nest {
                at,
                depth,
                in_objects,
            }
        }),
    ]
}

fn mutated_body(words: Vec<String>) -> impl Strategy<Value = MutatedBody> {
    (
        any::<bool>(),
        any::<Index>(),
        prop::collection::vec(compatible_mutation(words), 0..4),
        // A third of the cases keep the example valid, to check it still reads.
        prop_oneof![
            1 => Just(Vec::new()),
            2 => prop::collection::vec(breaking_mutation(), 1..4),
        ],
        prop::option::weighted(0.15, any::<Index>()),
    )
        .prop_map(
            |(error_example, base, compatible, breaking, truncate)| MutatedBody {
                error_example,
                base,
                compatible,
                breaking,
                truncate,
            },
        )
}

// ---------------------------------------------------------------------------------------------
// The server, the client, and the checks

struct Harness {
    runtime: tokio::runtime::Runtime,
    server: SettableServer,
    gigs: Gigs,
}

impl Harness {
    fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let server = runtime.block_on(SettableServer::start());
        let gigs = gigs_builder(&server.uri())
            .timeout(CALL_TIMEOUT)
            .build()
            .expect("a client for the local server");
        Self {
            runtime,
            server,
            gigs,
        }
    }

    fn call(&self, target: &Target, status: u16, body: &[u8]) -> Called {
        self.server.set_reply(status, body);
        let call = example_request(self.gigs.client(), target.id, CallOnce)
            .unwrap_or_else(|| panic!("the operation table has no request for {}", target.id));
        self.runtime.block_on(call)
    }
}

macro_rules! ensure {
    ($condition:expr, $($message:tt)+) => {
        if !$condition {
            return Err(format!($($message)+));
        }
    };
}

/// Serves `body` with `status` to the target's call and checks what the SDK made of it; `mutated`
/// tells what must hold of a mutated example besides. Returns which outcome the case reached.
fn check_case(
    harness: &Harness,
    target: &Target,
    status: u16,
    body: &[u8],
    mutated: Option<&Mutated>,
) -> Result<&'static str, String> {
    let called = harness.call(target, status, body);
    ensure!(
        called.operation_id == target.id,
        "the table's {} entry sends {}",
        target.id,
        called.operation_id
    );
    if let Err(error) = &called.result {
        exercise(error);
        ensure!(
            error.status().map(|status| status.as_u16()) == Some(status),
            "the error reports status {:?}, the server sent {status}: {}",
            error.status(),
            describe(&called.result)
        );
    }

    if status >= 400 {
        let Err(gigs::Error::Api(error)) = &called.result else {
            return Err(format!(
                "expected Error::Api, got {}",
                describe(&called.result)
            ));
        };
        ensure!(
            error.status().as_u16() == status,
            "ApiError status {}",
            error.status()
        );
        ensure!(
            error.raw_body() == body,
            "raw_body() is not the bytes served: {}",
            show(error.raw_body())
        );
        ensure!(
            error.operation() == target.id,
            "operation() is {}",
            error.operation()
        );
        ensure!(
            error.attempts() == 1,
            "{} attempts without retries",
            error.attempts()
        );
        let expected = serde_json::from_slice::<types::Error>(body)
            .ok()
            .map(|body| to_json(&body));
        let got = error.body().map(to_json);
        ensure!(
            got == expected,
            "body() is {got:?}; serde_json reads the bytes as {expected:?}"
        );
        match (mutated, &got) {
            (Some(mutated), Some(got)) if mutated.is_error_body && mutated.compatible_only => {
                check_unknown_enum_values(got, mutated)?;
                Ok("error status, Error example with unknown values and fields")
            }
            (Some(mutated), None) if mutated.is_error_body && mutated.compatible_only => {
                Err(format!(
                    "the Error example {} with only unknown values and fields has no body()",
                    mutated.base
                ))
            }
            (_, Some(_)) => Ok("error status, Gigs error body"),
            (_, None) => Ok("error status, other body"),
        }
    } else if status == target.success_status {
        let outcome = match ((called.decode_response)(body), &called.result) {
            (Ok(expected), Ok(got)) => {
                ensure!(
                    *got == expected,
                    "the call read {got}, serde_json reads {expected}"
                );
                "success status, decoded"
            }
            (Err(_), Err(gigs::Error::Decode(error))) => {
                ensure!(
                    error.status().as_u16() == status,
                    "DecodeError status {}",
                    error.status()
                );
                ensure!(
                    error.body() == body,
                    "DecodeError body is not the bytes served: {}",
                    show(error.body())
                );
                "success status, decode error"
            }
            (Ok(_), result) => {
                return Err(format!(
                    "serde_json reads the body as the response type, the call returned {}",
                    describe(result)
                ))
            }
            (Err(why), result) => {
                return Err(format!(
                    "serde_json cannot read the body ({why}), the call returned {}",
                    describe(result)
                ))
            }
        };
        match (mutated, &called.result) {
            (Some(mutated), Ok(got)) if !mutated.is_error_body && mutated.compatible_only => {
                check_unknown_enum_values(got, mutated)?;
                Ok("success status, example with unknown values and fields")
            }
            (Some(mutated), Err(_)) if !mutated.is_error_body && mutated.compatible_only => {
                Err(format!(
                    "the example {} with only unknown values and fields must read",
                    mutated.base
                ))
            }
            _ => Ok(outcome),
        }
    } else {
        let Err(gigs::Error::UnexpectedStatus {
            operation,
            status: got_status,
            body: got_body,
            ..
        }) = &called.result
        else {
            return Err(format!(
                "expected Error::UnexpectedStatus, got {}",
                describe(&called.result)
            ));
        };
        ensure!(*operation == target.id, "operation is {operation}");
        ensure!(got_status.as_u16() == status, "status {got_status}");
        // A 204 response has no body on the wire, whatever the server was given.
        let sent: &[u8] = if status == 204 { b"" } else { body };
        ensure!(
            got_body.as_ref() == sent,
            "the body is not the bytes served: {}",
            show(got_body)
        );
        Ok("undocumented status")
    }
}

fn check_unknown_enum_values(read: &Value, mutated: &Mutated) -> Result<(), String> {
    for (pointer, value) in &mutated.unknown_enum_values {
        ensure!(
            read.pointer(pointer) == Some(&Value::String(value.clone())),
            "the unknown enum value {value:?} at {pointer} of {} read back as {:?}",
            mutated.base,
            read.pointer(pointer)
        );
    }
    Ok(())
}

/// Uses every accessor a caller may use on an error: none may panic.
fn exercise(error: &gigs::Error) {
    let mut text = format!("{error} {error:?}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    let _ = (
        error.is_not_found(),
        error.is_retryable(),
        error.code(),
        text,
    );
    if let Some(api) = error.as_api() {
        let _ = (
            api.error_type(),
            api.message(),
            api.hint(),
            api.documentation(),
            api.details(),
            api.request_id(),
            api.retry_after(),
        );
    }
    if let gigs::Error::Decode(decode) = error {
        let _ = decode.path();
    }
}

fn describe(result: &Result<Value, gigs::Error>) -> String {
    let text = match result {
        Ok(value) => format!("Ok({value})"),
        Err(error) => format!("Err({error}) = {error:?}"),
    };
    let mut end = text.len().min(SHOWN_BODY_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

fn show(body: &[u8]) -> String {
    let shown = Bytes::copy_from_slice(&body[..body.len().min(SHOWN_BODY_BYTES)]);
    if body.len() > SHOWN_BODY_BYTES {
        format!("{shown:?}... ({} bytes in all)", body.len())
    } else {
        format!("{shown:?}")
    }
}

// ---------------------------------------------------------------------------------------------
// The run

struct Run<'h> {
    harness: &'h Harness,
    cases_per_kind: u32,
    seed: u64,
    runners: u64,
    cases: AtomicU64,
    outcomes: Mutex<BTreeMap<&'static str, u64>>,
    failures: Vec<String>,
}

impl Run<'_> {
    /// Runs `check` on `cases_per_kind` values of `strategy`, recording a failure with its
    /// shrunk input.
    fn fuzz<S>(
        &mut self,
        target: &Target,
        kind: &str,
        strategy: S,
        check: impl Fn(&S::Value) -> Result<&'static str, String>,
    ) where
        S: Strategy,
        S::Value: Debug,
    {
        let config = Config {
            cases: self.cases_per_kind,
            failure_persistence: None,
            rng_seed: RngSeed::Fixed(self.seed.wrapping_add(self.runners)),
            max_shrink_iters: MAX_SHRINK_ITERS,
            ..Config::default()
        };
        self.runners += 1;
        let mut runner = TestRunner::new(config);
        let (cases, outcomes) = (&self.cases, &self.outcomes);
        let outcome = runner.run(&strategy, |value| {
            cases.fetch_add(1, Ordering::Relaxed);
            let reached = check(&value).map_err(TestCaseError::fail)?;
            *outcomes
                .lock()
                .expect("outcomes lock")
                .entry(reached)
                .or_default() += 1;
            Ok(())
        });
        match outcome {
            Ok(()) => {}
            Err(TestError::Fail(why, minimal)) => self.failures.push(format!(
                "{} / {kind}: {why}\n    minimal input: {minimal:?}",
                target.id
            )),
            Err(TestError::Abort(why)) => self
                .failures
                .push(format!("{} / {kind}: aborted: {why}", target.id)),
        }
    }
}

fn failure(status: u16, body: &[u8], why: String) -> String {
    format!("{why}\n    status {status}, body {}", show(body))
}

#[test]
fn every_response_body_decodes_or_fails_with_what_was_received() {
    let cases_per_kind = match std::env::var("PROPTEST_CASES") {
        Ok(cases) => cases.parse().expect("PROPTEST_CASES is a number"),
        Err(_) => DEFAULT_CASES_PER_KIND,
    };
    let seed = match Config::default().rng_seed {
        RngSeed::Fixed(seed) => seed,
        RngSeed::Random => RandomState::new().build_hasher().finish(),
    };
    let started = Instant::now();
    let harness = Harness::start();
    let targets = targets();
    let words = spec_words();
    let mut run = Run {
        harness: &harness,
        cases_per_kind,
        seed,
        runners: 0,
        cases: AtomicU64::new(0),
        outcomes: Mutex::default(),
        failures: Vec::new(),
    };

    for target in &targets {
        let harness = run.harness;
        run.fuzz(
            target,
            "arbitrary bytes",
            (status(target), prop::collection::vec(any::<u8>(), 0..1_024)),
            |(status, body)| {
                check_case(harness, target, *status, body, None)
                    .map_err(|why| failure(*status, body, why))
            },
        );
        run.fuzz(
            target,
            "arbitrary JSON",
            (
                status(target),
                arbitrary_json(words.clone(), 6, 96),
                any::<bool>(),
            ),
            |(status, value, pretty)| {
                let body = if *pretty {
                    serde_json::to_vec_pretty(value)
                } else {
                    serde_json::to_vec(value)
                }
                .expect("write JSON");
                check_case(harness, target, *status, &body, None)
                    .map_err(|why| failure(*status, &body, why))
            },
        );
        run.fuzz(
            target,
            "mutated examples",
            (status(target), mutated_body(words.clone())),
            |(status, mutation)| {
                let mutated = mutation.apply(target);
                check_case(harness, target, *status, &mutated.bytes, Some(&mutated))
                    .map_err(|why| failure(*status, &mutated.bytes, why))
            },
        );
    }

    let cases = run.cases.load(Ordering::Relaxed);
    println!(
        "fuzz_decode: {cases} cases over {} operations x 3 body kinds ({cases_per_kind} per \
         operation and kind), PROPTEST_RNG_SEED={seed}, {:.1} s",
        targets.len(),
        started.elapsed().as_secs_f64()
    );
    for (outcome, count) in run.outcomes.lock().expect("outcomes lock").iter() {
        println!("  {count:>7}  {outcome}");
    }
    assert!(
        run.failures.is_empty(),
        "{} of {} fuzz runs failed (replay with PROPTEST_RNG_SEED={seed} \
         PROPTEST_CASES={cases_per_kind}):\n{}",
        run.failures.len(),
        run.runners,
        run.failures.join("\n")
    );
}
