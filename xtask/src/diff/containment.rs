//! The containment engine: whether the head version of a schema accepts the same JSON instances
//! as the base, fewer (narrower), more (wider), both (incomparable), or whether that cannot be
//! decided. The direction a schema is used in turns that into the wire verdict: a request loses
//! callers when the head refuses an instance the base accepted, a response breaks readers when
//! the head may send an instance the base could not.
//!
//! A comparison records two extents, what the head loses and what it gains. "None" is a claim
//! the engine guarantees (the property tests check it against a JSON Schema validator);
//! "certainly" means a witness exists as far as the engine reads the keywords; "possibly" means
//! the engine cannot tell (two different patterns, overlapping `oneOf` branches), which is
//! never silently harmless. Keywords constrain an instance together, so the extents of the
//! keywords of one schema combine by taking the larger.
//!
//! OpenAPI 3.0 semantics as read here: `null` is accepted only when a schema says so
//! (`nullable: true`, `null` in its `enum`, or a `oneOf`/`anyOf` branch that accepts it); a
//! missing `type` is every other type; a `readOnly` property must be absent from a request and
//! a `writeOnly` one from a response (their `required` entries count only in the other
//! direction); `int32`/`int64`/`float`/`double` are ranges. Declaring a property that the base
//! left to an open object (no `additionalProperties`, or `true`) loses and gains nothing:
//! clients written against the base did not send it, and readers of an open object already
//! accepted it. Undeclaring one leaves its values undocumented, which needs review.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use serde_json::Value;

use super::resolve::SchemaView;
use super::rules::Severity;
use crate::diagnostic::FieldPath;
use crate::spec::SpecDocument;

/// How far the instances a schema accepts moved in one direction, from none to certainly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Extent {
    None,
    /// Only new values of an enum: for readers of an open enum, a change to review.
    EnumValues,
    Possibly,
    Certainly,
}

/// What the head loses (instances the base accepted that it refuses) and gains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Delta {
    pub loses: Extent,
    pub gains: Extent,
}

impl Delta {
    pub const SAME: Delta = Delta::new(Extent::None, Extent::None);
    pub const NARROWER: Delta = Delta::new(Extent::Certainly, Extent::None);
    pub const WIDER: Delta = Delta::new(Extent::None, Extent::Certainly);
    pub const UNKNOWN: Delta = Delta::new(Extent::Possibly, Extent::Possibly);

    pub const fn new(loses: Extent, gains: Extent) -> Self {
        Self { loses, gains }
    }

    /// Both changes at once: each extent is the larger of the two.
    pub fn and(self, other: Delta) -> Delta {
        Delta::new(self.loses.max(other.loses), self.gains.max(other.gains))
    }

    pub fn relation(self) -> Relation {
        match (self.loses, self.gains) {
            (Extent::None, Extent::None) => Relation::Same,
            (_, Extent::None) => Relation::Narrower,
            (Extent::None, _) => Relation::Wider,
            (Extent::Certainly, Extent::Certainly | Extent::EnumValues) => Relation::Incomparable,
            _ => Relation::Unknown,
        }
    }
}

/// The relation of the head's instances to the base's, as reports name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    Same,
    Narrower,
    Wider,
    Incomparable,
    Unknown,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Same => "same",
            Relation::Narrower => "narrower",
            Relation::Wider => "wider",
            Relation::Incomparable => "incomparable",
            Relation::Unknown => "unknown",
        }
    }
}

/// Which way instances flow: what decides the verdict, and which of `readOnly`/`writeOnly`
/// keeps a property out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Sent by clients: parameters and request bodies.
    Request,
    /// Sent by the server.
    Response,
}

/// The wire verdict of a change: a request breaks when the head loses instances, a response
/// when it gains some; new values of an (open) enum in a response, or anything the engine
/// cannot decide, need review.
pub fn verdict(direction: Direction, delta: Delta) -> Severity {
    let extent = match direction {
        Direction::Request => delta.loses,
        Direction::Response => delta.gains,
    };
    match extent {
        Extent::None => Severity::Info,
        Extent::EnumValues | Extent::Possibly => Severity::Review,
        Extent::Certainly => Severity::Breaking,
    }
}

/// What part of a schema a change is in, so that each finding takes the verdict of what it names.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Aspect {
    /// `type` and `format`.
    Type,
    Null,
    Enum,
    /// A bound or other constraint, by its keyword (`exclusiveMinimum` counts as `minimum`).
    Keyword(&'static str),
    Items,
    /// Whether a property may, must or must not be present.
    Presence(String),
    /// The values of a property.
    Property(String),
    /// `additionalProperties`: the names an object does not declare.
    Additional,
    /// `oneOf`/`anyOf`.
    Composition,
}

impl Aspect {
    pub fn label(&self) -> String {
        match self {
            Aspect::Type => "type".to_owned(),
            Aspect::Null => "nullable".to_owned(),
            Aspect::Enum => "enum".to_owned(),
            Aspect::Keyword(keyword) => (*keyword).to_owned(),
            Aspect::Items => "items".to_owned(),
            Aspect::Presence(name) => format!("presence of {name}"),
            Aspect::Property(name) => format!("property {name}"),
            Aspect::Additional => "additionalProperties".to_owned(),
            Aspect::Composition => "oneOf/anyOf".to_owned(),
        }
    }
}

/// The engine's answer for one pair of schemas: the whole, and each aspect that is not the same.
#[derive(Clone, Debug, Default)]
pub struct Comparison {
    aspects: BTreeMap<Aspect, Delta>,
}

impl Comparison {
    fn add(&mut self, aspect: Aspect, delta: Delta) {
        if delta != Delta::SAME {
            let entry = self.aspects.entry(aspect).or_insert(Delta::SAME);
            *entry = entry.and(delta);
        }
    }

    pub fn total(&self) -> Delta {
        self.aspects
            .values()
            .fold(Delta::SAME, |all, delta| all.and(*delta))
    }

    pub fn aspect(&self, aspect: &Aspect) -> Delta {
        self.aspects.get(aspect).copied().unwrap_or(Delta::SAME)
    }

    /// Every aspect that differs.
    pub fn changed(&self) -> impl Iterator<Item = (&Aspect, &Delta)> {
        self.aspects.iter()
    }
}

/// JSON types other than null, as bits; `number` is integers and fractions.
type Types = u8;
const BOOLEAN: Types = 1;
const INTEGER: Types = 2;
const FRACTION: Types = 4;
const STRING: Types = 8;
const ARRAY: Types = 16;
const OBJECT: Types = 32;
const ALL_TYPES: Types = 63;

fn declared_types(name: &str) -> Types {
    match name {
        "boolean" => BOOLEAN,
        "integer" => INTEGER,
        "number" => INTEGER | FRACTION,
        "string" => STRING,
        "array" => ARRAY,
        "object" => OBJECT,
        // `null` is not a 3.0 type; anything else is refused by no instance we can name.
        _ => 0,
    }
}

fn type_of(value: &Value) -> Types {
    match value {
        Value::Null => 0,
        Value::Bool(_) => BOOLEAN,
        Value::Number(number) => {
            if number.is_i64()
                || number.is_u64()
                || number.as_f64().is_some_and(|n| n.fract() == 0.0)
            {
                INTEGER
            } else {
                FRACTION
            }
        }
        Value::String(_) => STRING,
        Value::Array(_) => ARRAY,
        Value::Object(_) => OBJECT,
    }
}

/// A schema as the engine reads it: its own keywords first, then those of the `oneOf`/`anyOf`
/// schema it is a branch of (the keywords beside the composition apply to every branch).
#[derive(Clone)]
struct Layers<'v, 'd> {
    own: &'v SchemaView<'d>,
    outer: Option<&'v SchemaView<'d>>,
}

impl<'v, 'd> Layers<'v, 'd> {
    fn plain(own: &'v SchemaView<'d>) -> Self {
        Self { own, outer: None }
    }

    fn keyword(&self, name: &str) -> Option<&'d Value> {
        self.own
            .keyword(name)
            .or_else(|| self.outer.and_then(|outer| outer.keyword(name)))
    }

    fn keyword_at(&self, name: &str) -> Option<(&'d Value, FieldPath)> {
        self.own
            .keyword_at(name)
            .or_else(|| self.outer.and_then(|outer| outer.keyword_at(name)))
    }

    fn text(&self, name: &str) -> Option<&'d str> {
        self.keyword(name).and_then(Value::as_str)
    }

    fn number(&self, name: &str) -> Option<f64> {
        self.keyword(name).and_then(Value::as_f64)
    }

    fn flag(&self, name: &str) -> bool {
        self.keyword(name) == Some(&Value::Bool(true))
    }

    fn nullable(&self) -> bool {
        self.own.nullable || self.outer.is_some_and(|outer| outer.nullable)
    }

    fn composition(&self) -> Option<(&'static str, &'d Vec<Value>)> {
        ["oneOf", "anyOf"].into_iter().find_map(|kind| {
            self.own
                .keyword(kind)
                .and_then(Value::as_array)
                .map(|members| (kind, members))
        })
    }

    fn enum_values(&self) -> Option<&'d Vec<Value>> {
        self.keyword("enum").and_then(Value::as_array)
    }

    /// The non-null types the schema's `type` allows (a branch's and its outer schema's).
    fn types(&self) -> Types {
        let types = |view: &SchemaView| match view.keyword("type").and_then(Value::as_str) {
            Some(name) => declared_types(name),
            None => ALL_TYPES,
        };
        types(self.own) & self.outer.map_or(ALL_TYPES, types)
    }

    /// Declared properties (own first, then the outer schema's), with the required names.
    fn object(&self) -> (Vec<(&'d String, &'d Value, FieldPath)>, HashSet<&'d str>) {
        let mut properties: Vec<(&'d String, &'d Value, FieldPath)> = Vec::new();
        let mut required = HashSet::new();
        for layer in std::iter::once(self.own).chain(self.outer) {
            collect_object(layer, &mut properties, &mut required);
        }
        (properties, required)
    }
}

fn collect_object<'d>(
    view: &SchemaView<'d>,
    properties: &mut Vec<(&'d String, &'d Value, FieldPath)>,
    required: &mut HashSet<&'d str>,
) {
    if let Some(declared) = view.value.get("properties").and_then(Value::as_object) {
        for (name, value) in declared {
            if !properties.iter().any(|(known, _, _)| *known == name) {
                properties.push((name, value, view.field.join("properties").join(name)));
            }
        }
    }
    if let Some(names) = view.value.get("required").and_then(Value::as_array) {
        required.extend(names.iter().filter_map(Value::as_str));
    }
    for member in &view.all_of {
        collect_object(member, properties, required);
    }
}

/// A bound of an interval; `None` is unbounded.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Bound {
    value: f64,
    exclusive: bool,
}

/// Whether lower bound `a` admits everything lower bound `b` admits.
fn lower_admits(a: Option<Bound>, b: Option<Bound>) -> bool {
    match (a, b) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(a), Some(b)) => {
            a.value < b.value || (a.value == b.value && (!a.exclusive || b.exclusive))
        }
    }
}

fn upper_admits(a: Option<Bound>, b: Option<Bound>) -> bool {
    let negate = |bound: Option<Bound>| {
        bound.map(|bound| Bound {
            value: -bound.value,
            exclusive: bound.exclusive,
        })
    };
    lower_admits(negate(a), negate(b))
}

/// The extents of an interval change, one end at a time: `(lower, upper)`.
fn interval_delta(
    base: (Option<Bound>, Option<Bound>),
    head: (Option<Bound>, Option<Bound>),
) -> (Delta, Delta) {
    let end = |base_admits_head: bool, head_admits_base: bool| {
        Delta::new(
            if head_admits_base {
                Extent::None
            } else {
                Extent::Certainly
            },
            if base_admits_head {
                Extent::None
            } else {
                Extent::Certainly
            },
        )
    };
    (
        end(lower_admits(base.0, head.0), lower_admits(head.0, base.0)),
        end(upper_admits(base.1, head.1), upper_admits(head.1, base.1)),
    )
}

/// The range a numeric `format` gives (`int32`, `int64`, `float`, `double`).
fn format_range(format: Option<&str>) -> (Option<Bound>, Option<Bound>) {
    let bound = |value: f64| {
        Some(Bound {
            value,
            exclusive: false,
        })
    };
    match format {
        Some("int32") => (bound(f64::from(i32::MIN)), bound(f64::from(i32::MAX))),
        Some("int64") => (bound(i64::MIN as f64), bound(i64::MAX as f64)),
        Some("float") => (bound(-f64::from(f32::MAX)), bound(f64::from(f32::MAX))),
        _ => (None, None),
    }
}

fn tighter_lower(a: Option<Bound>, b: Option<Bound>) -> Option<Bound> {
    if lower_admits(a, b) {
        b
    } else {
        a
    }
}

fn tighter_upper(a: Option<Bound>, b: Option<Bound>) -> Option<Bound> {
    if upper_admits(a, b) {
        b
    } else {
        a
    }
}

/// Numeric bounds as written (`minimum`, `exclusiveMinimum`, ...), without the format's range.
fn numeric_bounds(schema: &Layers) -> (Option<Bound>, Option<Bound>) {
    let bound = |keyword: &str, exclusive: &str| {
        schema.number(keyword).map(|value| Bound {
            value,
            exclusive: schema.flag(exclusive),
        })
    };
    (
        bound("minimum", "exclusiveMinimum"),
        bound("maximum", "exclusiveMaximum"),
    )
}

/// For integers only: the tightest inclusive integer bounds.
fn integer_bounds(bounds: (Option<Bound>, Option<Bound>)) -> (Option<Bound>, Option<Bound>) {
    let lower = bounds.0.map(|bound| Bound {
        value: if bound.exclusive {
            bound.value.floor() + 1.0
        } else {
            bound.value.ceil()
        },
        exclusive: false,
    });
    let upper = bounds.1.map(|bound| Bound {
        value: if bound.exclusive {
            bound.value.ceil() - 1.0
        } else {
            bound.value.floor()
        },
        exclusive: false,
    });
    (lower, upper)
}

fn count_bounds(schema: &Layers, min: &str, max: &str) -> (Option<Bound>, Option<Bound>) {
    let bound = |keyword: &str| {
        schema.number(keyword).map(|value| Bound {
            value,
            exclusive: false,
        })
    };
    // A count of 0 as the least is no bound at all.
    let lower = bound(min).filter(|bound| bound.value > 0.0);
    (lower, bound(max))
}

/// String formats that restrict values; others (`password`, vendor formats) only annotate.
fn restricting_format(format: Option<&str>) -> Option<&str> {
    format.filter(|format| {
        matches!(
            *format,
            "date"
                | "date-time"
                | "time"
                | "email"
                | "uuid"
                | "uri"
                | "ipv4"
                | "ipv6"
                | "hostname"
                | "byte"
        )
    })
}

/// A pattern that every string matches (`.*`, the empty pattern) restricts nothing: JSON
/// Schema patterns are unanchored, so one without anchors that matches the empty string
/// matches inside every string.
fn effective_pattern(pattern: Option<&str>) -> Option<&str> {
    pattern.filter(|pattern| {
        let anchored =
            pattern.contains(['^', '$']) || pattern.contains("\\b") || pattern.contains("(?");
        let matches_empty = regex::Regex::new(pattern).is_ok_and(|regex| regex.is_match(""));
        anchored || !matches_empty
    })
}

/// The cached comparisons of one diff, shared by every operation it walks.
pub struct Containment<'d> {
    base: &'d SpecDocument,
    head: &'d SpecDocument,
    memo: HashMap<Key, Rc<Comparison>, BuildAddressHasher>,
    in_progress: HashSet<Key, BuildAddressHasher>,
    /// Component schemas written the same in both versions, with every schema they reference
    /// also in this set: a schema written the same that references only these is the same.
    stable: HashSet<&'d str>,
}

/// A pair of schemas as values in their documents, with the flags their wrappers add.
type Key = (usize, usize, u8, u8, Direction);

/// Keys are addresses and small flags, which need no protection against crafted collisions:
/// a multiply-and-rotate hash (as rustc's) costs a fraction of SipHash on a large spec.
#[derive(Default, Clone, Copy)]
struct BuildAddressHasher;

impl std::hash::BuildHasher for BuildAddressHasher {
    type Hasher = AddressHasher;

    fn build_hasher(&self) -> AddressHasher {
        AddressHasher(0)
    }
}

struct AddressHasher(u64);

impl std::hash::Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.write_u64(u64::from(*byte));
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = (self.0.rotate_left(5) ^ value).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_usize(&mut self, value: usize) {
        self.write_u64(value as u64);
    }

    fn write_u8(&mut self, value: u8) {
        self.write_u64(u64::from(value));
    }
}

fn flags(view: &SchemaView) -> u8 {
    u8::from(view.nullable) | u8::from(view.read_only) << 1 | u8::from(view.write_only) << 2
}

/// A property's place in instances: which of present/absent it allows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Presence {
    Required,
    Optional,
    Never,
}

impl Presence {
    fn allows(self) -> (bool, bool) {
        match self {
            Presence::Required => (true, false),
            Presence::Optional => (true, true),
            Presence::Never => (false, true),
        }
    }
}

fn presence_delta(base: Presence, head: Presence) -> Delta {
    let ((base_present, base_absent), (head_present, head_absent)) = (base.allows(), head.allows());
    let certainly = |yes: bool| if yes { Extent::Certainly } else { Extent::None };
    Delta::new(
        certainly((base_present && !head_present) || (base_absent && !head_absent)),
        certainly((head_present && !base_present) || (head_absent && !base_absent)),
    )
}

/// What an object says about the names it does not declare.
enum Additional<'d> {
    Open,
    Closed,
    Schema(SchemaView<'d>),
}

fn certainly(yes: bool) -> Extent {
    if yes {
        Extent::Certainly
    } else {
        Extent::None
    }
}

/// JSON equality with numbers compared by value (`1` and `1.0` are one instance).
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, value)| b.get(key).is_some_and(|other| json_eq(value, other)))
        }
        _ => a == b,
    }
}

fn is_multiple(value: f64, of: f64) -> bool {
    if of == 0.0 {
        return false;
    }
    let quotient = value / of;
    (quotient - quotient.round()).abs() < 1e-9
}

/// Every answer of a check: refused if one refuses, unknown if one cannot tell.
fn all_of(answers: impl IntoIterator<Item = Option<bool>>) -> Option<bool> {
    let mut unknown = false;
    for answer in answers {
        match answer {
            Some(false) => return Some(false),
            None => unknown = true,
            Some(true) => {}
        }
    }
    if unknown {
        None
    } else {
        Some(true)
    }
}

impl<'d> Containment<'d> {
    pub fn new(base: &'d SpecDocument, head: &'d SpecDocument) -> Self {
        Self {
            base,
            head,
            memo: HashMap::default(),
            in_progress: HashSet::default(),
            stable: stable_components(base, head),
        }
    }

    /// The comparison of two schemas used in `direction`, `base` from the base document and
    /// `head` from the head one.
    pub fn compare(
        &mut self,
        direction: Direction,
        base: &SchemaView<'d>,
        head: &SchemaView<'d>,
    ) -> Rc<Comparison> {
        let key = (
            std::ptr::from_ref(base.value) as usize,
            std::ptr::from_ref(head.value) as usize,
            flags(base),
            flags(head),
            direction,
        );
        if let Some(known) = self.memo.get(&key) {
            return Rc::clone(known);
        }
        // The common case of a review: a schema nobody touched. Written the same, with the
        // same wrappers, referencing only components that are also the same.
        if key.2 == key.3 && base.value == head.value && references_only(base.value, &self.stable) {
            let same = Rc::new(Comparison::default());
            self.memo.insert(key, Rc::clone(&same));
            return same;
        }
        // A recursive schema reached again while it is being compared: assuming it is the same
        // is the greatest fixed point, which is sound because instances are finite.
        if !self.in_progress.insert(key) {
            return Rc::new(Comparison::default());
        }
        let comparison =
            Rc::new(self.compare_layers(direction, &Layers::plain(base), &Layers::plain(head)));
        self.in_progress.remove(&key);
        self.memo.insert(key, Rc::clone(&comparison));
        comparison
    }

    fn compare_layers(
        &mut self,
        direction: Direction,
        base: &Layers<'_, 'd>,
        head: &Layers<'_, 'd>,
    ) -> Comparison {
        let mut comparison = Comparison::default();
        let base_null = accepts_null(self.base, base);
        let head_null = accepts_null(self.head, head);
        comparison.add(
            Aspect::Null,
            Delta::new(
                certainly(base_null && !head_null),
                certainly(head_null && !base_null),
            ),
        );
        if base.composition().is_none() && head.composition().is_none() {
            self.compare_plain(direction, base, head, &mut comparison);
        } else {
            let delta = self.compare_compositions(direction, base, head);
            comparison.add(Aspect::Composition, delta);
        }
        comparison
    }

    /// What two schemas that are not `null` differ in, leaving `null` to the caller.
    fn non_null_delta(
        &mut self,
        direction: Direction,
        base: &Layers<'_, 'd>,
        head: &Layers<'_, 'd>,
    ) -> Delta {
        let comparison = match (base.outer, head.outer) {
            (None, None) => self.compare(direction, base.own, head.own),
            _ => Rc::new(self.compare_layers(direction, base, head)),
        };
        comparison
            .changed()
            .filter(|(aspect, _)| **aspect != Aspect::Null)
            .fold(Delta::SAME, |all, (_, delta)| all.and(*delta))
    }

    /// `oneOf`/`anyOf` on either side (a plain schema is one branch): each head branch within
    /// some base branch gains nothing, each base branch within some head branch loses nothing,
    /// whatever the order. A `oneOf` whose branches may overlap refuses the instances in the
    /// overlap, so nothing is claimed about it unless both sides have the same branches.
    fn compare_compositions(
        &mut self,
        direction: Direction,
        base: &Layers<'_, 'd>,
        head: &Layers<'_, 'd>,
    ) -> Delta {
        let base_members = members(self.base, base);
        let head_members = members(self.head, head);
        let base_branches = branch_layers(base, &base_members);
        let head_branches = branch_layers(head, &head_members);
        let matrix: Vec<Vec<Delta>> = base_branches
            .iter()
            .map(|base_branch| {
                head_branches
                    .iter()
                    .map(|head_branch| self.non_null_delta(direction, base_branch, head_branch))
                    .collect()
            })
            .collect();
        let base_kind = base.composition().map(|(kind, _)| kind);
        let head_kind = head.composition().map(|(kind, _)| kind);
        if base_kind == head_kind
            && base_branches.len() == head_branches.len()
            && perfect_same_matching(&matrix)
        {
            return Delta::SAME;
        }
        let base_overlaps =
            base_kind == Some("oneOf") && !pairwise_disjoint(self.base, &base_branches);
        let head_overlaps =
            head_kind == Some("oneOf") && !pairwise_disjoint(self.head, &head_branches);
        let mut gains = Extent::None;
        for column in 0..head_branches.len() {
            let least = matrix
                .iter()
                .map(|row| row[column].gains)
                .min()
                .unwrap_or(Extent::Certainly);
            gains = gains.max(least);
        }
        if base_overlaps && gains == Extent::None {
            gains = Extent::Possibly;
        }
        let mut loses = Extent::None;
        for row in &matrix {
            let least = row
                .iter()
                .map(|delta| delta.loses)
                .min()
                .unwrap_or(Extent::Certainly);
            loses = loses.max(least);
        }
        if head_overlaps {
            // A base branch inside one head branch that shares instances with another (the
            // other contains it, or lies within it): those instances match both and are refused.
            let refused = matrix.iter().any(|row| {
                row.iter().enumerate().any(|(inside, delta)| {
                    delta.loses == Extent::None
                        && row.iter().enumerate().any(|(other, delta)| {
                            other != inside
                                && (delta.loses == Extent::None || delta.gains == Extent::None)
                        })
                })
            });
            if refused {
                loses = Extent::Certainly;
            } else if loses == Extent::None {
                loses = Extent::Possibly;
            }
        }
        Delta::new(loses, gains)
    }

    fn compare_plain(
        &mut self,
        direction: Direction,
        base: &Layers<'_, 'd>,
        head: &Layers<'_, 'd>,
        comparison: &mut Comparison,
    ) {
        if base.enum_values().is_some() || head.enum_values().is_some() {
            let delta = self.compare_finite(base, head);
            comparison.add(Aspect::Enum, delta);
            return;
        }
        let (base_types, head_types) = (base.types(), head.types());
        comparison.add(
            Aspect::Type,
            Delta::new(
                certainly(base_types & !head_types != 0),
                certainly(head_types & !base_types != 0),
            ),
        );
        let common = base_types & head_types;
        if common & (INTEGER | FRACTION) != 0 {
            compare_numbers(base, head, common, comparison);
        }
        if common & STRING != 0 {
            compare_strings(base, head, comparison);
        }
        if common & ARRAY != 0 {
            self.compare_arrays(direction, base, head, comparison);
        }
        if common & OBJECT != 0 {
            self.compare_objects(direction, base, head, comparison);
        }
    }

    /// An `enum` on either side: the values it lists that the rest of its schema accepts,
    /// against the other side's values or schema.
    fn compare_finite(&mut self, base: &Layers<'_, 'd>, head: &Layers<'_, 'd>) -> Delta {
        let base_values = finite_values(self.base, base);
        let head_values = finite_values(self.head, head);
        // Whether a value is one the other side lists and accepts.
        let member = |values: &[(&Value, Option<bool>)], value: &Value| {
            let listed = values
                .iter()
                .find(|(known, accepted)| *accepted != Some(false) && json_eq(known, value));
            listed.map_or(Some(false), |(_, accepted)| *accepted)
        };
        // Values the other side refuses, each `Some(true)` certainly, `None` possibly.
        let outside = |values: &[(&Value, Option<bool>)],
                       other: &dyn Fn(&Value) -> Option<bool>| {
            let mut extent = Extent::None;
            for (value, accepted) in values {
                let inside = other(value);
                let this = match (accepted, inside) {
                    (Some(false), _) | (_, Some(true)) => Extent::None,
                    (Some(true), Some(false)) => Extent::Certainly,
                    _ => Extent::Possibly,
                };
                extent = extent.max(this);
            }
            extent
        };
        let (base_spec, head_spec) = (self.base, self.head);
        match (&base_values, &head_values) {
            (Some(base_values), Some(head_values)) => {
                let loses = outside(base_values, &|value| member(head_values, value));
                let gains = match outside(head_values, &|value| member(base_values, value)) {
                    Extent::Certainly => Extent::EnumValues,
                    other => other,
                };
                Delta::new(loses, gains)
            }
            (Some(base_values), None) => Delta::new(
                outside(base_values, &|value| accepts(head_spec, head, value)),
                infinite_gain(head_spec, head, base_values),
            ),
            (None, Some(head_values)) => Delta::new(
                infinite_gain(base_spec, base, head_values),
                outside(head_values, &|value| accepts(base_spec, base, value)),
            ),
            (None, None) => Delta::SAME,
        }
    }

    fn compare_arrays(
        &mut self,
        direction: Direction,
        base: &Layers<'_, 'd>,
        head: &Layers<'_, 'd>,
        comparison: &mut Comparison,
    ) {
        let base_counts = count_bounds(base, "minItems", "maxItems");
        let head_counts = count_bounds(head, "minItems", "maxItems");
        let (lower, upper) = interval_delta(base_counts, head_counts);
        comparison.add(Aspect::Keyword("minItems"), lower);
        comparison.add(Aspect::Keyword("maxItems"), upper);
        let at_most_one =
            |counts: (Option<Bound>, Option<Bound>)| counts.1.is_some_and(|max| max.value <= 1.0);
        let (base_unique, head_unique) = (base.flag("uniqueItems"), head.flag("uniqueItems"));
        comparison.add(
            Aspect::Keyword("uniqueItems"),
            Delta::new(
                certainly(head_unique && !base_unique && !at_most_one(base_counts)),
                certainly(base_unique && !head_unique && !at_most_one(head_counts)),
            ),
        );
        let base_items = child(self.base, base, "items");
        let head_items = child(self.head, head, "items");
        let delta = match (&base_items, &head_items) {
            (Some(base_items), Some(head_items)) => {
                self.compare(direction, base_items, head_items).total()
            }
            (None, Some(_)) => Delta::NARROWER,
            (Some(_), None) => Delta::WIDER,
            (None, None) => Delta::SAME,
        };
        comparison.add(Aspect::Items, delta);
    }

    fn compare_objects(
        &mut self,
        direction: Direction,
        base: &Layers<'_, 'd>,
        head: &Layers<'_, 'd>,
        comparison: &mut Comparison,
    ) {
        let (base_properties, base_required) = base.object();
        let (head_properties, head_required) = head.object();
        let base_additional = additional(self.base, base);
        let head_additional = additional(self.head, head);
        let view = |spec, (_, value, field): &(&'d String, &'d Value, FieldPath)| {
            SchemaView::new(spec, value, field).ok()
        };
        let mut names: Vec<&'d String> = base_properties.iter().map(|(name, _, _)| *name).collect();
        for (name, _, _) in &head_properties {
            if !names.contains(name) {
                names.push(name);
            }
        }
        for name in names {
            let find = |properties: &[(&'d String, &'d Value, FieldPath)]| {
                properties
                    .iter()
                    .find(|(known, _, _)| *known == name)
                    .cloned()
            };
            let base_declared = find(&base_properties).and_then(|entry| view(self.base, &entry));
            let head_declared = find(&head_properties).and_then(|entry| view(self.head, &entry));
            let presence =
                |declared: &Option<SchemaView>, required: &HashSet<&str>, extra: &Additional| {
                    let kept_out = declared.as_ref().is_some_and(|view| match direction {
                        Direction::Request => view.read_only,
                        Direction::Response => view.write_only,
                    });
                    if kept_out || (declared.is_none() && matches!(extra, Additional::Closed)) {
                        Presence::Never
                    } else if required.contains(name.as_str()) {
                        Presence::Required
                    } else {
                        Presence::Optional
                    }
                };
            let base_presence = presence(&base_declared, &base_required, &base_additional);
            let head_presence = presence(&head_declared, &head_required, &head_additional);
            let delta = presence_delta(base_presence, head_presence);
            if delta != Delta::SAME {
                comparison.add(Aspect::Presence(name.clone()), delta);
            }
            if base_presence == Presence::Never || head_presence == Presence::Never {
                continue;
            }
            let delta = match (&base_declared, &head_declared) {
                (Some(base_value), Some(head_value)) => {
                    self.compare(direction, base_value, head_value).total()
                }
                (Some(base_value), None) => match &head_additional {
                    Additional::Schema(head_value) => {
                        self.compare(direction, base_value, head_value).total()
                    }
                    // Undeclared: what the head accepts or sends there is no longer said.
                    _ => Delta::UNKNOWN,
                },
                (None, Some(head_value)) => match &base_additional {
                    Additional::Schema(base_value) => {
                        self.compare(direction, base_value, head_value).total()
                    }
                    // Declared where the base was open: nothing lost or gained.
                    _ => Delta::SAME,
                },
                (None, None) => Delta::SAME,
            };
            if delta != Delta::SAME {
                comparison.add(Aspect::Property(name.clone()), delta);
            }
        }
        let delta = match (&base_additional, &head_additional) {
            (Additional::Open, Additional::Open) | (Additional::Closed, Additional::Closed) => {
                Delta::SAME
            }
            (Additional::Open | Additional::Schema(_), Additional::Closed)
            | (Additional::Open, Additional::Schema(_)) => Delta::NARROWER,
            (Additional::Closed, Additional::Open | Additional::Schema(_))
            | (Additional::Schema(_), Additional::Open) => Delta::WIDER,
            (Additional::Schema(base_value), Additional::Schema(head_value)) => {
                self.compare(direction, base_value, head_value).total()
            }
        };
        comparison.add(Aspect::Additional, delta);
        let (lower, upper) = interval_delta(
            count_bounds(base, "minProperties", "maxProperties"),
            count_bounds(head, "minProperties", "maxProperties"),
        );
        comparison.add(Aspect::Keyword("minProperties"), lower);
        comparison.add(Aspect::Keyword("maxProperties"), upper);
    }
}

/// The component schemas that are the same in both documents (see [`Containment::stable`]).
fn stable_components<'d>(base: &'d SpecDocument, head: &SpecDocument) -> HashSet<&'d str> {
    let schemas = |value: &'d Value| {
        value
            .pointer("/components/schemas")
            .and_then(Value::as_object)
    };
    let (Some(base_schemas), Some(head_schemas)) = (
        schemas(&base.value),
        head.value
            .pointer("/components/schemas")
            .and_then(Value::as_object),
    ) else {
        return HashSet::new();
    };
    let mut stable: HashSet<&'d str> = base_schemas
        .iter()
        .filter(|(name, value)| head_schemas.get(*name) == Some(value))
        .map(|(name, _)| name.as_str())
        .collect();
    loop {
        let unstable: Vec<&'d str> = stable
            .iter()
            .copied()
            .filter(|name| !references_only(&base_schemas[*name], &stable))
            .collect();
        if unstable.is_empty() {
            return stable;
        }
        for name in unstable {
            stable.remove(name);
        }
    }
}

/// Whether every `$ref` inside `value` names a component schema of `stable`.
fn references_only(value: &Value, stable: &HashSet<&str>) -> bool {
    match value {
        Value::Object(map) => map.iter().all(|(key, child)| match (key.as_str(), child) {
            ("$ref", Value::String(reference)) => reference
                .strip_prefix("#/components/schemas/")
                .is_some_and(|name| stable.contains(name)),
            _ => references_only(child, stable),
        }),
        Value::Array(items) => items.iter().all(|item| references_only(item, stable)),
        _ => true,
    }
}

/// A pairing of base and head branches, each pair the same.
fn perfect_same_matching(matrix: &[Vec<Delta>]) -> bool {
    let mut used = vec![false; matrix.first().map_or(0, Vec::len)];
    for row in matrix {
        let Some(column) =
            (0..used.len()).find(|&column| !used[column] && row[column] == Delta::SAME)
        else {
            return false;
        };
        used[column] = true;
    }
    true
}

fn compare_numbers(base: &Layers, head: &Layers, common: Types, comparison: &mut Comparison) {
    let (base_format, head_format) = (
        base.keyword("format").and_then(Value::as_str),
        head.keyword("format").and_then(Value::as_str),
    );
    let (base_written, head_written) = (numeric_bounds(base), numeric_bounds(head));
    let (base_range, head_range) = (format_range(base_format), format_range(head_format));
    let effective = |written: (Option<Bound>, Option<Bound>),
                     range: (Option<Bound>, Option<Bound>)| {
        let bounds = (
            tighter_lower(written.0, range.0),
            tighter_upper(written.1, range.1),
        );
        if common & FRACTION == 0 {
            integer_bounds(bounds)
        } else {
            bounds
        }
    };
    let (lower, upper) = interval_delta(
        effective(base_written, base_range),
        effective(head_written, head_range),
    );
    let format_changed = base_range != head_range;
    let lower_aspect = if format_changed && base_written.0 == head_written.0 {
        Aspect::Type
    } else {
        Aspect::Keyword("minimum")
    };
    let upper_aspect = if format_changed && base_written.1 == head_written.1 {
        Aspect::Type
    } else {
        Aspect::Keyword("maximum")
    };
    comparison.add(lower_aspect, lower);
    comparison.add(upper_aspect, upper);
    let (base_step, head_step) = (base.number("multipleOf"), head.number("multipleOf"));
    let within = |inner: Option<f64>, outer: Option<f64>| match (inner, outer) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(inner), Some(outer)) => is_multiple(inner, outer),
    };
    comparison.add(
        Aspect::Keyword("multipleOf"),
        Delta::new(
            certainly(!within(base_step, head_step)),
            certainly(!within(head_step, base_step)),
        ),
    );
}

fn compare_strings<'d>(base: &Layers<'_, 'd>, head: &Layers<'_, 'd>, comparison: &mut Comparison) {
    let format = |schema: &Layers<'_, 'd>| restricting_format(schema.text("format"));
    let (base_format, head_format) = (format(base), format(head));
    if base_format != head_format {
        comparison.add(
            Aspect::Type,
            Delta::new(
                certainly(head_format.is_some()),
                certainly(base_format.is_some()),
            ),
        );
    }
    let (lower, upper) = interval_delta(
        count_bounds(base, "minLength", "maxLength"),
        count_bounds(head, "minLength", "maxLength"),
    );
    comparison.add(Aspect::Keyword("minLength"), lower);
    comparison.add(Aspect::Keyword("maxLength"), upper);
    let pattern = |schema: &Layers<'_, 'd>| effective_pattern(schema.text("pattern"));
    let delta = match (base.text("pattern"), head.text("pattern")) {
        (base, head) if base == head => Delta::SAME,
        _ => match (pattern(base), pattern(head)) {
            (base, head) if base == head => Delta::SAME,
            (None, Some(_)) => Delta::NARROWER,
            (Some(_), None) => Delta::WIDER,
            _ => Delta::UNKNOWN,
        },
    };
    comparison.add(Aspect::Keyword("pattern"), delta);
}

/// The resolved members of a schema's `oneOf`/`anyOf`.
fn members<'d>(spec: &'d SpecDocument, schema: &Layers<'_, 'd>) -> Vec<SchemaView<'d>> {
    let Some((kind, values)) = schema.composition() else {
        return Vec::new();
    };
    let field = schema
        .own
        .keyword_at(kind)
        .map_or_else(|| schema.own.field.join(kind), |(_, field)| field);
    values
        .iter()
        .enumerate()
        .filter_map(|(index, member)| SchemaView::new(spec, member, &field.join(index)).ok())
        .collect()
}

/// The branches a schema's non-null instances come from: itself when it is not composed, else
/// each member that accepts more than `null`, read with the keywords beside the composition.
fn branch_layers<'v, 'd>(
    schema: &Layers<'v, 'd>,
    members: &'v [SchemaView<'d>],
) -> Vec<Layers<'v, 'd>> {
    if schema.composition().is_none() {
        return vec![schema.clone()];
    }
    members
        .iter()
        .map(|member| Layers {
            own: member,
            outer: Some(schema.own),
        })
        .filter(|branch| {
            !branch
                .enum_values()
                .is_some_and(|values| values.iter().all(Value::is_null))
        })
        .collect()
}

/// Whether no instance other than `null` can match two of the branches.
fn pairwise_disjoint(spec: &SpecDocument, branches: &[Layers]) -> bool {
    branches
        .iter()
        .enumerate()
        .all(|(index, a)| branches[index + 1..].iter().all(|b| disjoint(spec, a, b)))
}

fn disjoint(spec: &SpecDocument, a: &Layers, b: &Layers) -> bool {
    let refuses_all = |finite: &Layers, other: &Layers| {
        finite.enum_values().is_some_and(|values| {
            values
                .iter()
                .filter(|value| !value.is_null())
                .all(|value| accepts(spec, other, value) == Some(false))
        })
    };
    if refuses_all(a, b) || refuses_all(b, a) || a.types() & b.types() == 0 {
        return true;
    }
    // Objects told apart by a required property with different enum values (a discriminator).
    let (a_properties, a_required) = a.object();
    let (b_properties, b_required) = b.object();
    a_properties.iter().any(|(name, a_value, a_field)| {
        let Some((_, b_value, b_field)) = b_properties.iter().find(|(other, _, _)| other == name)
        else {
            return false;
        };
        if !a_required.contains(name.as_str()) || !b_required.contains(name.as_str()) {
            return false;
        }
        let (Ok(a_view), Ok(b_view)) = (
            SchemaView::new(spec, a_value, a_field),
            SchemaView::new(spec, b_value, b_field),
        ) else {
            return false;
        };
        refuses_all(&Layers::plain(&a_view), &Layers::plain(&b_view))
    })
}

fn accepts_null(spec: &SpecDocument, schema: &Layers) -> bool {
    if let Some(values) = schema.enum_values() {
        return values.contains(&Value::Null);
    }
    if schema.nullable() {
        return true;
    }
    let Some((kind, _)) = schema.composition() else {
        return false;
    };
    let members = members(spec, schema);
    let accepting = members
        .iter()
        .filter(|member| accepts_null(spec, &Layers::plain(member)))
        .count();
    match kind {
        "oneOf" => accepting == 1,
        _ => accepting >= 1,
    }
}

/// The non-null values an `enum` lists, each with whether the rest of its schema accepts it.
fn finite_values<'d>(
    spec: &SpecDocument,
    schema: &Layers<'_, 'd>,
) -> Option<Vec<(&'d Value, Option<bool>)>> {
    let values = schema.enum_values()?;
    Some(
        values
            .iter()
            .filter(|value| !value.is_null())
            .map(|value| (value, accepts(spec, schema, value)))
            .collect(),
    )
}

/// What a schema without an `enum` accepts beyond a finite set of values: nothing more only
/// when it accepts nothing but booleans that are all in the set.
fn infinite_gain(
    spec: &SpecDocument,
    schema: &Layers,
    values: &[(&Value, Option<bool>)],
) -> Extent {
    if schema.types() & !BOOLEAN != 0 || schema.composition().is_some() {
        return Extent::Certainly;
    }
    let mut extent = Extent::None;
    for candidate in [Value::Bool(false), Value::Bool(true)] {
        let listed = values
            .iter()
            .any(|(value, accepted)| *accepted != Some(false) && json_eq(value, &candidate));
        if !listed {
            extent = extent.max(match accepts(spec, schema, &candidate) {
                Some(true) => Extent::Certainly,
                Some(false) => Extent::None,
                None => Extent::Possibly,
            });
        }
    }
    extent
}

fn child<'d>(
    spec: &'d SpecDocument,
    schema: &Layers<'_, 'd>,
    keyword: &str,
) -> Option<SchemaView<'d>> {
    let (value, field) = schema.keyword_at(keyword)?;
    if !value.is_object() {
        return None;
    }
    SchemaView::new(spec, value, &field).ok()
}

fn additional<'d>(spec: &'d SpecDocument, schema: &Layers<'_, 'd>) -> Additional<'d> {
    match schema.keyword("additionalProperties") {
        Some(Value::Bool(false)) => Additional::Closed,
        Some(Value::Object(_)) => {
            child(spec, schema, "additionalProperties").map_or(Additional::Open, Additional::Schema)
        }
        _ => Additional::Open,
    }
}

/// Whether a schema accepts `value`, as far as the engine can tell (`None`: it cannot, e.g. a
/// pattern the regex engine does not read, or a string format).
fn accepts(spec: &SpecDocument, schema: &Layers, value: &Value) -> Option<bool> {
    if value.is_null() {
        return Some(accepts_null(spec, schema));
    }
    if let Some(values) = schema.enum_values() {
        if !values.iter().any(|listed| json_eq(listed, value)) {
            return Some(false);
        }
    }
    let mut answers = Vec::new();
    if let Some((kind, _)) = schema.composition() {
        let members = members(spec, schema);
        let mut matching = 0;
        let mut unknown = false;
        for member in &members {
            match accepts(spec, &Layers::plain(member), value) {
                Some(true) => matching += 1,
                None => unknown = true,
                Some(false) => {}
            }
        }
        answers.push(match (kind, unknown) {
            (_, true) => None,
            ("oneOf", false) => Some(matching == 1),
            (_, false) => Some(matching >= 1),
        });
    }
    let kind = type_of(value);
    if schema.types() & kind == 0 {
        return Some(false);
    }
    match value {
        Value::Number(number) => {
            let number = number.as_f64()?;
            let format = schema.keyword("format").and_then(Value::as_str);
            let written = numeric_bounds(schema);
            let range = format_range(format);
            let bounds = (
                tighter_lower(written.0, range.0),
                tighter_upper(written.1, range.1),
            );
            let point = Some(Bound {
                value: number,
                exclusive: false,
            });
            answers.push(Some(
                lower_admits(bounds.0, point) && upper_admits(bounds.1, point),
            ));
            if let Some(step) = schema.number("multipleOf") {
                answers.push(Some(is_multiple(number, step)));
            }
        }
        Value::String(text) => {
            let length = text.chars().count() as f64;
            let (min, max) = count_bounds(schema, "minLength", "maxLength");
            answers.push(Some(
                min.is_none_or(|min| length >= min.value)
                    && max.is_none_or(|max| length <= max.value),
            ));
            if let Some(pattern) =
                effective_pattern(schema.keyword("pattern").and_then(Value::as_str))
            {
                answers.push(
                    regex::Regex::new(pattern)
                        .ok()
                        .map(|regex| regex.is_match(text)),
                );
            }
            if restricting_format(schema.keyword("format").and_then(Value::as_str)).is_some() {
                answers.push(None);
            }
        }
        Value::Array(items) => {
            let (min, max) = count_bounds(schema, "minItems", "maxItems");
            let length = items.len() as f64;
            answers.push(Some(
                min.is_none_or(|min| length >= min.value)
                    && max.is_none_or(|max| length <= max.value),
            ));
            if schema.flag("uniqueItems") {
                let unique = items.iter().enumerate().all(|(index, item)| {
                    items[index + 1..].iter().all(|other| !json_eq(item, other))
                });
                answers.push(Some(unique));
            }
            if let Some(item_schema) = child(spec, schema, "items") {
                let layers = Layers::plain(&item_schema);
                answers.extend(items.iter().map(|item| accepts(spec, &layers, item)));
            }
        }
        Value::Object(members) => {
            let (properties, required) = schema.object();
            answers.push(Some(
                required.iter().all(|name| members.contains_key(*name)),
            ));
            let extra = additional(spec, schema);
            for (name, member) in members {
                match properties.iter().find(|(known, _, _)| *known == name) {
                    Some((_, declared, field)) => {
                        let answer = SchemaView::new(spec, declared, field)
                            .ok()
                            .and_then(|view| accepts(spec, &Layers::plain(&view), member));
                        answers.push(answer);
                    }
                    None => answers.push(match &extra {
                        Additional::Open => Some(true),
                        Additional::Closed => Some(false),
                        Additional::Schema(view) => accepts(spec, &Layers::plain(view), member),
                    }),
                }
            }
            let (min, max) = count_bounds(schema, "minProperties", "maxProperties");
            let count = members.len() as f64;
            answers.push(Some(
                min.is_none_or(|min| count >= min.value)
                    && max.is_none_or(|max| count <= max.value),
            ));
        }
        _ => {}
    }
    all_of(answers)
}

#[cfg(test)]
mod tests;
