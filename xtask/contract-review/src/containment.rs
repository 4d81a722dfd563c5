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
//!
//! `allOf`: every member applies, and so do the keywords beside it (an `allOf: [{$ref}]`
//! that only adds annotations, `nullable` or `default` is read as what it wraps). Each keyword
//! family is read across all the layers: the tightest bound of each end, the types and the
//! enum values every layer allows, the properties of all (each declaration of a name applies)
//! with the required names of all, `uniqueItems` if any layer has it. Several patterns,
//! string formats or `multipleOf` steps are a set of constraints: adding one to none is
//! certainly narrower, anything the sets do not decide is "possibly"; `items` in several
//! layers are compared member by member. `null` is accepted when a layer says so and no layer
//! that says anything of it (`nullable`, an `enum`, a `oneOf`/`anyOf`) refuses it.
//! `additionalProperties` counts the names its own layer does not declare, so written beside
//! only some of the properties it is not read as one object: unknown, unless both sides have
//! the same layout of `false`s. Several `oneOf`/`anyOf` in one schema's layers: unknown.
//!
//! The JSON Schema 2020-12 keywords whose containment is decidable (`prefixItems`,
//! `contains` and its counts, `dependentRequired`, `propertyNames`, `patternProperties`) are
//! read in [`keywords`]; the rest of that vocabulary is not compared ([`Treatment`]).
//!
//! Whether a schema accepts one given instance is decided in [`instances`], whether it accepts
//! any at all in [`satisfiable`].

mod bounds;
use bounds::*;
mod instances;
mod keywords;
mod satisfiable;

use instances::accepts;
use keywords::*;
use satisfiable::{contradiction, item_counts};

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::rc::Rc;

use serde_json::Value;

use crate::patterns;
use crate::resolve::{is_annotation, same_resolved, SchemaView};
use crate::rules::Severity;
use spec_model::diagnostic::FieldPath;
use spec_model::spec::SpecDocument;

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
    /// Whether the schema accepts anything at all (see [`contradiction`]).
    Satisfiable,
    /// A keyword the engine does not compare ([`Treatment::NotCompared`]), written differently
    /// on the two sides: what it does to the instances is unknown.
    Unread(String),
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
            Aspect::Unread(keyword) => format!("{keyword} (not compared)"),
            Aspect::Satisfiable => "satisfiable".to_owned(),
        }
    }
}

/// The engine's answer for one pair of schemas: the whole, and each aspect that is not the same.
#[derive(Clone, Debug, Default)]
pub struct Comparison {
    aspects: BTreeMap<Aspect, Delta>,
    /// Why the head accepts no instance, when it does not and the base may.
    pub head_contradiction: Option<Contradiction>,
    /// Why the base accepts no instance, when it does not and the head may.
    pub base_contradiction: Option<Contradiction>,
}

/// Why a schema accepts no instance at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contradiction {
    pub reason: String,
    /// Decided by the schema's own keywords, not by a property or items that accept nothing
    /// (which are positions of their own).
    pub local: bool,
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

/// How the engine reads a keyword a schema holds. Every keyword of the OpenAPI 3.0 schema
/// object and of the JSON Schema 2020-12 vocabularies OpenAPI 3.1 allows has one (a test
/// walks both lists); keys no vocabulary defines are not compared either.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Treatment {
    /// Part of the engine's verdict on what the schema accepts (3.1's `const`, type lists and
    /// numeric exclusive bounds reach it as the 3.0 forms they mean).
    Compared,
    /// Changes no instance: documentation, examples, `x-` extensions.
    Annotation,
    /// Holds schemas that are compared where a `$ref` uses them (`$defs`).
    Container,
    /// Not compared: where it is written differently the verdict is unknown (needs review),
    /// and the review reports it as `keyword-not-compared` at the keyword.
    NotCompared,
}

/// The JSON Schema 2020-12 keywords the engine models ([`keywords`]); the rest of that
/// vocabulary is not compared.
pub(crate) const MODELLED_2020_12: &[&str] = &[
    "prefixItems",
    "contains",
    "minContains",
    "maxContains",
    "dependentRequired",
    "propertyNames",
    "patternProperties",
];

/// How the engine reads `keyword` (see [`Treatment`]).
pub fn treatment(keyword: &str) -> Treatment {
    match keyword {
        "type"
        | "format"
        | "enum"
        | "nullable"
        | "minimum"
        | "maximum"
        | "exclusiveMinimum"
        | "exclusiveMaximum"
        | "multipleOf"
        | "minLength"
        | "maxLength"
        | "pattern"
        | "items"
        | "minItems"
        | "maxItems"
        | "uniqueItems"
        | "properties"
        | "required"
        | "additionalProperties"
        | "minProperties"
        | "maxProperties"
        | "oneOf"
        | "anyOf"
        | "allOf"
        | "discriminator"
        | "readOnly"
        | "writeOnly"
        | "default"
        | "$ref" => Treatment::Compared,
        keyword if MODELLED_2020_12.contains(&keyword) => Treatment::Compared,
        "$defs" | "definitions" => Treatment::Container,
        keyword if is_annotation(keyword) => Treatment::Annotation,
        _ => Treatment::NotCompared,
    }
}

/// Whether the engine leaves a keyword with this value unread: [`Treatment::NotCompared`],
/// and `items` as a list (the tuple form of drafts before 2020-12).
fn unread(keyword: &str, value: &Value) -> bool {
    treatment(keyword) == Treatment::NotCompared || (keyword == "items" && value.is_array())
}

/// The unread keywords of every layer, each with its values in layer order.
fn unread_keywords<'d>(schema: &Layers<'_, 'd>) -> BTreeMap<&'d str, Vec<&'d Value>> {
    let mut found: BTreeMap<&'d str, Vec<&'d Value>> = BTreeMap::new();
    for layer in schema.each() {
        for (key, value) in layer.value.as_object().into_iter().flatten() {
            if unread(key, value) {
                found.entry(key.as_str()).or_default().push(value);
            }
        }
    }
    found
}

/// Whether some layer holds a keyword the engine does not read.
fn has_unread(schema: &Layers) -> bool {
    schema.each().iter().any(|layer| {
        layer
            .value
            .as_object()
            .is_some_and(|keywords| keywords.iter().any(|(key, value)| unread(key, value)))
    })
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

/// A schema as the engine reads it: its own keywords and those of its `allOf` members, then
/// those of the `oneOf`/`anyOf` schema it is a branch of (the keywords beside the composition
/// apply to every branch). Every layer applies to an instance, so each keyword family is read
/// across all of them: the tightest bound, the types and enum values all layers allow, every
/// pattern, format and step.
#[derive(Clone)]
struct Layers<'v, 'd> {
    own: &'v SchemaView<'d>,
    /// The compositions the schema is a branch of, innermost last.
    outer: Vec<&'v SchemaView<'d>>,
}

impl<'v, 'd> Layers<'v, 'd> {
    fn plain(own: &'v SchemaView<'d>) -> Self {
        Self {
            own,
            outer: Vec::new(),
        }
    }

    /// Schemas an instance must all satisfy (those at one array position, a property's
    /// declarations): the first as its own, the rest around it. `None` when there are none.
    fn all_of(views: &'v [SchemaView<'d>]) -> Option<Self> {
        let (own, rest) = views.split_first()?;
        Some(Self {
            own,
            outer: rest.iter().collect(),
        })
    }

    /// Every schema whose keywords an instance must satisfy.
    fn each(&self) -> Vec<&'v SchemaView<'d>> {
        let mut layers = self.own.layers();
        for outer in &self.outer {
            layers.extend(outer.layers());
        }
        layers
    }

    /// The values of a keyword, one per layer that has it, with where each is written.
    fn values_at(&self, name: &str) -> Vec<(&'d Value, FieldPath)> {
        std::iter::once(self.own)
            .chain(self.outer.iter().copied())
            .flat_map(|view| view.keyword_places(name))
            .collect()
    }

    fn values(&self, name: &str) -> Vec<&'d Value> {
        self.each()
            .into_iter()
            .filter_map(|layer| layer.value.get(name))
            .collect()
    }

    /// The distinct texts of a keyword across the layers.
    fn texts(&self, name: &str) -> BTreeSet<&'d str> {
        self.values(name)
            .into_iter()
            .filter_map(Value::as_str)
            .collect()
    }

    /// The numbers a keyword has across the layers.
    fn numbers(&self, name: &str) -> Vec<f64> {
        self.values(name)
            .into_iter()
            .filter_map(Value::as_f64)
            .collect()
    }

    /// Whether some layer sets a flag: `uniqueItems` anywhere makes items unique.
    fn flag(&self, name: &str) -> bool {
        self.values(name).contains(&&Value::Bool(true))
    }

    /// The schema's composition, the first its layers have ([`Layers::compositions`] says
    /// whether there are others).
    fn composition(&self) -> Option<(&'static str, &'d Vec<Value>)> {
        ["oneOf", "anyOf"].into_iter().find_map(|kind| {
            self.own
                .keyword(kind)
                .and_then(Value::as_array)
                .map(|members| (kind, members))
        })
    }

    /// How many `oneOf`s and `anyOf`s the schema's own layers have: the engine compares one
    /// composition, not the intersection of several.
    fn compositions(&self) -> usize {
        self.own
            .layers()
            .iter()
            .map(|layer| {
                ["oneOf", "anyOf"]
                    .iter()
                    .filter(|kind| layer.value.get(**kind).is_some())
                    .count()
            })
            .sum()
    }

    /// The values every layer's `enum` lists (`None`: no layer has one).
    fn enum_values(&self) -> Option<Vec<&'d Value>> {
        let lists: Vec<&'d Vec<Value>> = self
            .values("enum")
            .into_iter()
            .filter_map(Value::as_array)
            .collect();
        let (first, others) = lists.split_first()?;
        Some(
            first
                .iter()
                .filter(|value| {
                    others
                        .iter()
                        .all(|list| list.iter().any(|other| json_eq(value, other)))
                })
                .collect(),
        )
    }

    /// The non-null types every layer's `type` allows.
    fn types(&self) -> Types {
        self.values("type")
            .into_iter()
            .fold(ALL_TYPES, |types, declared| {
                types & declared.as_str().map_or(ALL_TYPES, declared_types)
            })
    }

    /// Declared properties, each with every declaration of it (the layers' order), and the
    /// required names of all layers.
    fn object(&self) -> (Vec<Declared<'d>>, HashSet<&'d str>) {
        let mut properties: Vec<Declared<'d>> = Vec::new();
        let mut required = HashSet::new();
        for layer in self.each() {
            if let Some(declared) = layer.value.get("properties").and_then(Value::as_object) {
                for (name, value) in declared {
                    let place = (value, layer.field.join("properties").join(name));
                    match properties.iter_mut().find(|(known, _)| *known == name) {
                        Some((_, places)) => places.push(place),
                        None => properties.push((name, vec![place])),
                    }
                }
            }
            if let Some(names) = layer.value.get("required").and_then(Value::as_array) {
                required.extend(names.iter().filter_map(Value::as_str));
            }
        }
        (properties, required)
    }
}

/// A property name with each of its declarations (value and place); an instance's value must
/// satisfy all of them.
type Declared<'d> = (&'d String, Vec<(&'d Value, FieldPath)>);

/// A string schema that accepts every text: the text form of any scalar.
fn plain_text(schema: &Layers) -> bool {
    schema.types() == STRING
        && schema.compositions() == 0
        && !has_unread(schema)
        && schema.enum_values().is_none()
        && ["format", "pattern", "minLength", "maxLength"]
            .iter()
            .all(|keyword| schema.values(keyword).is_empty())
}

/// A schema of scalars only (their text is a string), without a composition to look into.
fn scalar(schema: &Layers) -> bool {
    schema.types() & !(BOOLEAN | INTEGER | FRACTION | STRING) == 0 && schema.compositions() == 0
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
    u8::from(view.nullable)
        | u8::from(view.read_only) << 1
        | u8::from(view.write_only) << 2
        | u8::from(view.or_null) << 3
}

/// A property's place in instances: which of present/absent it allows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Presence {
    Required,
    Optional,
    Never,
    /// Required, but refused by `additionalProperties: false`: no instance has a valid object.
    Impossible,
}

impl Presence {
    fn allows(self) -> (bool, bool) {
        match self {
            Presence::Required => (true, false),
            Presence::Optional => (true, true),
            Presence::Never => (false, true),
            Presence::Impossible => (false, false),
        }
    }
}

/// Whether a property is kept out of instances sent in `direction` (`readOnly` in a request,
/// `writeOnly` in a response), on itself or a wrapper around it.
fn kept_out(direction: Direction, view: &SchemaView) -> bool {
    match direction {
        Direction::Request => view.read_only,
        Direction::Response => view.write_only,
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
    /// Written where the layers cannot be read as one object: each `additionalProperties`
    /// with the names its own layer declares.
    /// `patternProperties` and `unevaluatedProperties` (which the engine does not compare)
    /// are in the layout too, by their keyword: they also decide what an undeclared name holds.
    Unknown(Vec<(&'d str, &'d Value, BTreeSet<&'d str>)>),
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

    /// [`Containment::compare`] for a value that travels as text (a parameter, a header): a
    /// plain string (no `format`, `pattern`, length or `enum`) accepts the text of every
    /// integer, number and boolean, so a scalar parameter becoming a plain string widens it and
    /// the reverse narrows it, where as JSON the two would share no instance.
    pub fn compare_text(
        &mut self,
        direction: Direction,
        base: &SchemaView<'d>,
        head: &SchemaView<'d>,
    ) -> Rc<Comparison> {
        let as_json = self.compare(direction, base, head);
        let (base_layers, head_layers) = (Layers::plain(base), Layers::plain(head));
        let type_delta = match (plain_text(&base_layers), plain_text(&head_layers)) {
            (true, false) if scalar(&head_layers) => Delta::NARROWER,
            (false, true) if scalar(&base_layers) => Delta::WIDER,
            _ => return as_json,
        };
        let mut as_text = Comparison::default();
        as_text.add(Aspect::Null, as_json.aspect(&Aspect::Null));
        for (aspect, delta) in as_json.changed() {
            if matches!(aspect, Aspect::Unread(_) | Aspect::Satisfiable) {
                as_text.add(aspect.clone(), *delta);
            }
        }
        as_text.head_contradiction = as_json.head_contradiction.clone();
        as_text.base_contradiction = as_json.base_contradiction.clone();
        as_text.add(Aspect::Type, type_delta);
        Rc::new(as_text)
    }

    fn compare_layers(
        &mut self,
        direction: Direction,
        base: &Layers<'_, 'd>,
        head: &Layers<'_, 'd>,
    ) -> Comparison {
        let mut comparison = Comparison::default();
        self.compare_unread(base, head, &mut comparison);
        let base_empty = contradiction(self.base, direction, base, 0);
        let head_empty = contradiction(self.head, direction, head, 0);
        match (&base_empty, &head_empty) {
            // Accepting nothing, the head gains nothing; what the base accepts is lost.
            (None, Some(_)) => comparison.add(Aspect::Satisfiable, Delta::NARROWER),
            (Some(_), None) => comparison.add(Aspect::Satisfiable, Delta::WIDER),
            _ => {}
        }
        if base_empty.is_none() {
            comparison.head_contradiction = head_empty;
        } else if head_empty.is_none() {
            comparison.base_contradiction = base_empty;
        }
        let base_null = accepts_null(self.base, base);
        let head_null = accepts_null(self.head, head);
        // Whether a `oneOf`/`anyOf` accepts `null` is read from its branches; a keyword the
        // engine does not read there (a `not`, say) may refuse it, so where those keywords
        // differ between the sides nothing is claimed about `null`.
        let null_delta = if self.same_unread(
            &branches_unread(self.base, base),
            &branches_unread(self.head, head),
        ) {
            Delta::new(
                certainly(base_null && !head_null),
                certainly(head_null && !base_null),
            )
        } else {
            Delta::UNKNOWN
        };
        comparison.add(Aspect::Null, null_delta);
        if base.compositions() > 1 || head.compositions() > 1 {
            // Several compositions constrain together; only the first is compared.
            comparison.add(Aspect::Composition, Delta::UNKNOWN);
        }
        if base.composition().is_none() && head.composition().is_none() {
            self.compare_plain(direction, base, head, &mut comparison);
        } else {
            let delta = self.compare_compositions(direction, base, head);
            comparison.add(Aspect::Composition, delta);
        }
        comparison
    }

    /// Keywords the engine does not read, written differently on the two sides (a `$ref` in
    /// them followed): unknown both ways. The same on both sides, they constrain both alike,
    /// which keeps every claim of losing or gaining nothing.
    fn compare_unread(
        &mut self,
        base: &Layers<'_, 'd>,
        head: &Layers<'_, 'd>,
        comparison: &mut Comparison,
    ) {
        let (mut base_unread, mut head_unread) = (unread_keywords(base), unread_keywords(head));
        // The members of a composition that only hold `null` are no branch of their own: what
        // they do not read is read here.
        for (spec, schema, unread) in [
            (self.base, base, &mut base_unread),
            (self.head, head, &mut head_unread),
        ] {
            let members = members(spec, schema);
            for member in &members {
                let holds_only_null = Layers::plain(member)
                    .enum_values()
                    .is_some_and(|values| values.iter().all(|value| value.is_null()));
                if holds_only_null {
                    for (keyword, values) in unread_keywords(&Layers::plain(member)) {
                        unread.entry(keyword).or_default().extend(values);
                    }
                }
            }
        }
        for keyword in self.unread_differences(&base_unread, &head_unread) {
            comparison.add(Aspect::Unread(keyword.to_owned()), Delta::UNKNOWN);
        }
    }

    /// Whether two sides' unread keywords are written alike ([`Self::unread_differences`]).
    fn same_unread(
        &self,
        base: &BTreeMap<&'d str, Vec<&'d Value>>,
        head: &BTreeMap<&'d str, Vec<&'d Value>>,
    ) -> bool {
        self.unread_differences(base, head).is_empty()
    }

    /// The unread keywords whose values differ between the sides: the values of the layers
    /// compared in any order (the order of `allOf` members is no change), a `$ref` followed.
    fn unread_differences(
        &self,
        base: &BTreeMap<&'d str, Vec<&'d Value>>,
        head: &BTreeMap<&'d str, Vec<&'d Value>>,
    ) -> Vec<&'d str> {
        let keywords: BTreeSet<&str> = base.keys().chain(head.keys()).copied().collect();
        keywords
            .into_iter()
            .filter(|keyword| {
                let same = match (base.get(keyword), head.get(keyword)) {
                    (Some(old), Some(new)) if old.len() == new.len() => {
                        let mut used = vec![false; new.len()];
                        old.iter().all(|old| {
                            let fit = (0..new.len()).find(|&index| {
                                !used[index] && same_resolved(self.base, old, self.head, new[index])
                            });
                            fit.map(|index| used[index] = true).is_some()
                        })
                    }
                    _ => false,
                };
                !same
            })
            .collect()
    }

    /// What two schemas that are not `null` differ in, leaving `null` to the caller.
    fn non_null_delta(
        &mut self,
        direction: Direction,
        base: &Layers<'_, 'd>,
        head: &Layers<'_, 'd>,
    ) -> Delta {
        let comparison = if base.outer.is_empty() && head.outer.is_empty() {
            self.compare(direction, base.own, head.own)
        } else {
            Rc::new(self.compare_layers(direction, base, head))
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
        let base_overlaps =
            base_kind == Some("oneOf") && !pairwise_disjoint(self.base, direction, &base_branches);
        let head_overlaps =
            head_kind == Some("oneOf") && !pairwise_disjoint(self.head, direction, &head_branches);
        if base_kind == head_kind
            && base_branches.len() == head_branches.len()
            && perfect_same_matching(&matrix)
        {
            // A property declared where a branch was open is the same branch by convention,
            // but it may change which instances match two branches of a `oneOf`: where
            // branches overlap, only branches written the same (or that hold no object) are.
            let written_same: Vec<Vec<Delta>> = base_branches
                .iter()
                .zip(&matrix)
                .map(|(base_branch, row)| {
                    head_branches
                        .iter()
                        .zip(row)
                        .map(|(head_branch, delta)| {
                            let same = *delta == Delta::SAME
                                && (written_alike(base_branch.own.value, head_branch.own.value)
                                    || !may_be_object(self.base, base_branch)
                                    || !may_be_object(self.head, head_branch));
                            if same {
                                Delta::SAME
                            } else {
                                Delta::UNKNOWN
                            }
                        })
                        .collect()
                })
                .collect();
            if !(base_overlaps || head_overlaps) || perfect_same_matching(&written_same) {
                return Delta::SAME;
            }
        }
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
            let delta = self.compare_finite(direction, base, head);
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
    fn compare_finite(
        &mut self,
        direction: Direction,
        base: &Layers<'_, 'd>,
        head: &Layers<'_, 'd>,
    ) -> Delta {
        let base_values = finite_values(self.base, direction, base);
        let head_values = finite_values(self.head, direction, head);
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
                outside(base_values, &|value| {
                    accepts(head_spec, direction, head, value)
                }),
                infinite_gain(head_spec, direction, head, base_values)
                    .min(strings_beyond(head, base_values)),
            ),
            (None, Some(head_values)) => Delta::new(
                infinite_gain(base_spec, direction, base, head_values)
                    .min(strings_beyond(base, head_values)),
                outside(head_values, &|value| {
                    accepts(base_spec, direction, base, value)
                }),
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
        let base_counts = item_counts(self.base, direction, base);
        let head_counts = item_counts(self.head, direction, head);
        let (lower, upper) = interval_delta(base_counts, head_counts);
        comparison.add(Aspect::Keyword("minItems"), lower);
        // A count that moves only because a position's items accept nothing (`items: false`
        // after a prefix) is a change of the items.
        let written_same = count_bounds(base, "minItems", "maxItems").1
            == count_bounds(head, "minItems", "maxItems").1;
        let upper_aspect = if written_same {
            Aspect::Items
        } else {
            Aspect::Keyword("maxItems")
        };
        comparison.add(upper_aspect, upper);
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
        let (mut prefix, mut rest) = self.compare_positions(direction, base, head);
        // `unevaluatedItems` holds the items `items` and `prefixItems` leave alone: with it,
        // changing them changes what it evaluates, which the engine does not read.
        let evaluates_rest = |schema: &Layers| {
            schema
                .values("unevaluatedItems")
                .iter()
                .any(|value| **value != Value::Bool(true))
        };
        if evaluates_rest(base) || evaluates_rest(head) {
            for delta in [&mut prefix, &mut rest] {
                if *delta != Delta::SAME {
                    *delta = Delta::UNKNOWN;
                }
            }
        }
        comparison.add(Aspect::Keyword("prefixItems"), prefix);
        comparison.add(Aspect::Items, rest);
        let contains = self.compare_contains(direction, base, head);
        comparison.add(Aspect::Keyword("contains"), contains);
    }

    /// Schemas an instance must all satisfy (the `items` of several layers, the declarations
    /// of one property), compared member by member when both sides have as many.
    fn compare_all(
        &mut self,
        direction: Direction,
        base: &[SchemaView<'d>],
        head: &[SchemaView<'d>],
    ) -> Delta {
        match (base.len(), head.len()) {
            (0, 0) => Delta::SAME,
            (0, _) => Delta::NARROWER,
            (_, 0) => Delta::WIDER,
            (base_count, head_count) if base_count == head_count => {
                let pairs: Vec<Delta> = base
                    .iter()
                    .zip(head)
                    .map(|(base, head)| self.compare(direction, base, head).total())
                    .collect();
                intersection_delta(&pairs)
            }
            // One side's members all among the other's, written the same: the other only
            // adds constraints.
            _ if Self::members_among((self.base, base), (self.head, head)) => {
                Delta::new(Extent::Possibly, Extent::None)
            }
            _ if Self::members_among((self.head, head), (self.base, base)) => {
                Delta::new(Extent::None, Extent::Possibly)
            }
            _ => Delta::UNKNOWN,
        }
    }

    /// Whether each of `few` (in `few_spec`) is written the same as one of `many` (in
    /// `many_spec`), with the same wrappers, each of `many` used once.
    fn members_among(
        few: (&SpecDocument, &[SchemaView<'d>]),
        many: (&SpecDocument, &[SchemaView<'d>]),
    ) -> bool {
        let mut used = vec![false; many.1.len()];
        few.1.len() < many.1.len()
            && few.1.iter().all(|member| {
                let fit = (0..many.1.len()).find(|&index| {
                    let other = &many.1[index];
                    !used[index]
                        && flags(member) == flags(other)
                        && same_resolved(few.0, member.value, many.0, other.value)
                });
                fit.map(|index| used[index] = true).is_some()
            })
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
        let base_additional = additional(self.base, base, &base_properties);
        let head_additional = additional(self.head, head, &head_properties);
        // Every name an object speaks of: declared, or only required.
        let mut names: Vec<&'d str> = Vec::new();
        let declared_names = base_properties
            .iter()
            .chain(&head_properties)
            .map(|(name, _)| name.as_str());
        let required_names = base_required.iter().chain(&head_required).copied();
        for name in declared_names.chain(required_names) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        let (base_patterns, head_patterns) = (
            pattern_entries(self.base, base),
            pattern_entries(self.head, head),
        );
        for name in names {
            // A name's value satisfies its declarations and the patterns it matches.
            let declarations = |spec,
                                properties: &[Declared<'d>],
                                patterns: &[(&'d str, SchemaView<'d>, usize)]|
             -> (Vec<SchemaView<'d>>, bool) {
                let places = properties.iter().find(|(known, _)| known.as_str() == name);
                let mut views: Vec<SchemaView<'d>> = places
                    .into_iter()
                    .flat_map(|(_, places)| places)
                    .filter_map(|(value, field)| SchemaView::new(spec, value, field).ok())
                    .collect();
                let matched = matched_schemas(patterns, name);
                let known = matched.is_some();
                views.extend(matched.into_iter().flatten());
                (views, known)
            };
            let (base_declared, base_known) =
                declarations(self.base, &base_properties, &base_patterns);
            let (head_declared, head_known) =
                declarations(self.head, &head_properties, &head_patterns);
            if !(base_known && head_known) {
                // A pattern that cannot tell whether it holds the name.
                comparison.add(Aspect::Property(name.to_owned()), Delta::UNKNOWN);
                comparison.add(Aspect::Presence(name.to_owned()), Delta::UNKNOWN);
                continue;
            }
            let presence =
                |declared: &[SchemaView], required: &HashSet<&str>, extra: &Additional| {
                    let kept = declared.iter().any(|view| kept_out(direction, view));
                    let refused = declared.is_empty() && matches!(extra, Additional::Closed);
                    if kept || (refused && !required.contains(name)) {
                        Presence::Never
                    } else if refused {
                        Presence::Impossible
                    } else if required.contains(name) {
                        Presence::Required
                    } else {
                        Presence::Optional
                    }
                };
            let base_presence = presence(&base_declared, &base_required, &base_additional);
            let head_presence = presence(&head_declared, &head_required, &head_additional);
            let mut delta = presence_delta(base_presence, head_presence);
            // Declared where the base was open: clients written against the base never sent
            // it, so only a head that requires it loses them (a `readOnly` one, kept out of
            // requests, loses nothing).
            if base_declared.is_empty()
                && matches!(base_additional, Additional::Open)
                && base_presence == Presence::Optional
            {
                delta.loses = presence_delta(Presence::Never, head_presence).loses;
            }
            // Undeclared where the base kept it out: what the head may hold there is no
            // longer said (as for any property undeclared), not certainly more.
            if head_declared.is_empty()
                && matches!(head_additional, Additional::Open)
                && base_presence == Presence::Never
                && delta.gains == Extent::Certainly
            {
                delta.gains = Extent::Possibly;
            }
            if delta != Delta::SAME {
                comparison.add(Aspect::Presence(name.to_owned()), delta);
            }
            let absent = [Presence::Never, Presence::Impossible];
            if absent.contains(&base_presence) || absent.contains(&head_presence) {
                continue;
            }
            let delta = match (base_declared.as_slice(), head_declared.as_slice()) {
                ([], []) => Delta::SAME,
                (_, []) => match &head_additional {
                    Additional::Schema(head_value) => self.compare_all(
                        direction,
                        &base_declared,
                        std::slice::from_ref(head_value),
                    ),
                    // Undeclared: what the head accepts or sends there is no longer said.
                    _ => Delta::UNKNOWN,
                },
                ([], _) => match &base_additional {
                    Additional::Schema(base_value) => self.compare_all(
                        direction,
                        std::slice::from_ref(base_value),
                        &head_declared,
                    ),
                    Additional::Unknown(_) => Delta::UNKNOWN,
                    // Declared where the base was open: nothing lost or gained.
                    Additional::Open | Additional::Closed => Delta::SAME,
                },
                _ => self.compare_all(direction, &base_declared, &head_declared),
            };
            if delta != Delta::SAME {
                comparison.add(Aspect::Property(name.to_owned()), delta);
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
            // The same layout refuses (or constrains) the same names on both sides.
            (Additional::Unknown(base_layout), Additional::Unknown(head_layout))
                if base_layout.len() == head_layout.len()
                    && base_layout.iter().zip(head_layout).all(|(old, new)| {
                        old.0 == new.0
                            && old.2 == new.2
                            && same_resolved(self.base, old.1, self.head, new.1)
                    }) =>
            {
                Delta::SAME
            }
            (Additional::Unknown(_), _) | (_, Additional::Unknown(_)) => Delta::UNKNOWN,
        };
        comparison.add(Aspect::Additional, delta);
        let (lower, upper) = interval_delta(
            count_bounds(base, "minProperties", "maxProperties"),
            count_bounds(head, "minProperties", "maxProperties"),
        );
        comparison.add(Aspect::Keyword("minProperties"), lower);
        comparison.add(Aspect::Keyword("maxProperties"), upper);
        let implications = |spec, schema: &Layers<'_, 'd>, properties: &[Declared<'d>]| {
            let (never, required) = kept_and_required(spec, direction, schema, properties);
            Implications {
                pairs: dependencies(schema),
                required,
                never,
            }
        };
        let (old, new) = (
            implications(self.base, base, &base_properties),
            implications(self.head, head, &head_properties),
        );
        comparison.add(
            Aspect::Keyword("dependentRequired"),
            Delta::new(
                implications_delta(&old, &new),
                implications_delta(&new, &old),
            ),
        );
        // The names a closed object may hold, where no pattern adds others.
        let closed = |extra: &Additional, properties: &[Declared<'d>], patterns: usize| {
            (matches!(extra, Additional::Closed) && patterns == 0).then(|| {
                properties
                    .iter()
                    .map(|(name, _)| name.as_str())
                    .collect::<Vec<&str>>()
            })
        };
        let names = self.compare_names(
            direction,
            base,
            head,
            (
                closed(&base_additional, &base_properties, base_patterns.len()),
                closed(&head_additional, &head_properties, head_patterns.len()),
            ),
        );
        comparison.add(Aspect::Keyword("propertyNames"), names);
        let rest = |extra: &Additional| match extra {
            Additional::Open => Rest::Open,
            Additional::Closed => Rest::Closed,
            _ => Rest::Other,
        };
        let patterns = self.compare_patterns(
            direction,
            base,
            head,
            (rest(&base_additional), rest(&head_additional)),
        );
        comparison.add(Aspect::Keyword("patternProperties"), patterns);
    }
}

/// The names an object keeps out of `direction` (`readOnly` in a request), and the names it
/// requires of it.
fn kept_and_required<'d>(
    spec: &'d SpecDocument,
    direction: Direction,
    schema: &Layers<'_, 'd>,
    properties: &[Declared<'d>],
) -> (HashSet<&'d str>, HashSet<&'d str>) {
    let (_, required) = schema.object();
    let kept: HashSet<&'d str> = properties
        .iter()
        .filter(|(_, places)| {
            places.iter().any(|(value, field)| {
                SchemaView::new(spec, value, field).is_ok_and(|view| kept_out(direction, &view))
            })
        })
        .map(|(name, _)| name.as_str())
        .collect();
    let binding = required
        .into_iter()
        .filter(|name| !kept.contains(name))
        .collect();
    (kept, binding)
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

/// A pairing of base and head branches, each pair the same. Found by augmenting paths: a
/// branch declaring a property that another leaves open is the same as both, so taking the
/// first fit may leave a later branch without its own.
fn perfect_same_matching(matrix: &[Vec<Delta>]) -> bool {
    fn assign(
        matrix: &[Vec<Delta>],
        row: usize,
        seen: &mut [bool],
        owner: &mut [Option<usize>],
    ) -> bool {
        for column in 0..owner.len() {
            if seen[column] || matrix[row][column] != Delta::SAME {
                continue;
            }
            seen[column] = true;
            let free = match owner[column] {
                None => true,
                Some(other) => assign(matrix, other, seen, owner),
            };
            if free {
                owner[column] = Some(row);
                return true;
            }
        }
        false
    }
    let mut owner = vec![None; matrix.first().map_or(0, Vec::len)];
    (0..matrix.len()).all(|row| {
        let mut seen = vec![false; owner.len()];
        assign(matrix, row, &mut seen, &mut owner)
    })
}

fn compare_numbers(base: &Layers, head: &Layers, common: Types, comparison: &mut Comparison) {
    let (base_written, head_written) = (numeric_bounds(base), numeric_bounds(head));
    let (base_range, head_range) = (numeric_format_range(base), numeric_format_range(head));
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
    let (base_steps, head_steps) = (base.numbers("multipleOf"), head.numbers("multipleOf"));
    // Multiples of all of `inner` are multiples of each of `outer` when one of `inner` is a
    // multiple of it; without that, one step against one is certainly a difference, and
    // several may still combine into one (2 and 3 into 6).
    let extent = |inner: &[f64], outer: &[f64]| {
        if outer
            .iter()
            .all(|outer| inner.iter().any(|inner| is_multiple(*inner, *outer)))
        {
            Extent::None
        } else if inner.len() <= 1 && outer.len() <= 1 {
            Extent::Certainly
        } else {
            Extent::Possibly
        }
    };
    comparison.add(
        Aspect::Keyword("multipleOf"),
        Delta::new(
            extent(&base_steps, &head_steps),
            extent(&head_steps, &base_steps),
        ),
    );
}

fn compare_strings(base: &Layers, head: &Layers, comparison: &mut Comparison) {
    let (base_formats, head_formats) = (string_formats(base), string_formats(head));
    if base_formats != head_formats {
        let delta = if base_formats.len() <= 1 && head_formats.len() <= 1 {
            // One format against another or none: each refuses what the other accepts.
            Delta::new(
                certainly(!head_formats.is_empty()),
                certainly(!base_formats.is_empty()),
            )
        } else {
            constraint_sets_delta(&base_formats, &head_formats)
        };
        comparison.add(Aspect::Type, delta);
    }
    let (lower, upper) = interval_delta(
        count_bounds(base, "minLength", "maxLength"),
        count_bounds(head, "minLength", "maxLength"),
    );
    comparison.add(Aspect::Keyword("minLength"), lower);
    comparison.add(Aspect::Keyword("maxLength"), upper);
    if base.texts("pattern") != head.texts("pattern") {
        // Decided on the patterns' languages where they are regular, else guessed from the
        // sets of patterns.
        let decided = match (
            patterns::Language::of(base.texts("pattern")),
            patterns::Language::of(head.texts("pattern")),
        ) {
            (Some(old), Some(new)) => {
                match (
                    patterns::contained(&old, &new),
                    patterns::contained(&new, &old),
                ) {
                    (Some(kept), Some(within)) => {
                        Some(Delta::new(certainly(!kept), certainly(!within)))
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        let delta = decided.unwrap_or_else(|| {
            constraint_sets_delta(&effective_patterns(base), &effective_patterns(head))
        });
        comparison.add(Aspect::Keyword("pattern"), delta);
    }
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

/// The keywords the engine does not read in the members of a schema's `oneOf`/`anyOf`, with
/// their values; none for a schema that is not composed.
fn branches_unread<'d>(
    spec: &'d SpecDocument,
    schema: &Layers<'_, 'd>,
) -> BTreeMap<&'d str, Vec<&'d Value>> {
    let mut unread: BTreeMap<&'d str, Vec<&'d Value>> = BTreeMap::new();
    for member in members(spec, schema) {
        for (keyword, values) in unread_keywords(&Layers::plain(&member)) {
            unread.entry(keyword).or_default().extend(values);
        }
    }
    unread
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
            outer: schema.outer.iter().copied().chain([schema.own]).collect(),
        })
        .filter(|branch| {
            !branch
                .enum_values()
                .is_some_and(|values| values.iter().all(|value| value.is_null()))
        })
        .collect()
}

/// Whether two schemas are written the same but for the order of `oneOf`/`anyOf`/`allOf`
/// members, `enum` values and `required` names.
fn written_alike(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter().all(|(key, a_value)| {
                    b.get(key)
                        .is_some_and(|b_value| match (key.as_str(), a_value, b_value) {
                            (
                                "oneOf" | "anyOf" | "allOf" | "enum" | "required",
                                Value::Array(a),
                                Value::Array(b),
                            ) => {
                                // Written alike is an equivalence, so taking the first fit is exact.
                                let mut used = vec![false; b.len()];
                                a.len() == b.len()
                                    && a.iter().all(|item| {
                                        let fit = (0..b.len()).find(|&index| {
                                            !used[index] && written_alike(item, &b[index])
                                        });
                                        fit.map(|index| used[index] = true).is_some()
                                    })
                            }
                            _ => written_alike(a_value, b_value),
                        })
                })
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| written_alike(a, b))
        }
        _ => a == b,
    }
}

/// Whether a schema may accept an object (a `oneOf`/`anyOf` when one of its branches may).
fn may_be_object(spec: &SpecDocument, schema: &Layers) -> bool {
    if schema.types() & OBJECT == 0 {
        return false;
    }
    if let Some(values) = schema.enum_values() {
        return values.iter().any(|value| value.is_object());
    }
    if schema.composition().is_none() {
        return true;
    }
    members(spec, schema)
        .iter()
        .any(|member| may_be_object(spec, &Layers::plain(member)))
}

/// Whether no instance other than `null` can match two of the branches.
fn pairwise_disjoint(spec: &SpecDocument, direction: Direction, branches: &[Layers]) -> bool {
    branches.iter().enumerate().all(|(index, a)| {
        branches[index + 1..]
            .iter()
            .all(|b| disjoint(spec, direction, a, b))
    })
}

fn disjoint(spec: &SpecDocument, direction: Direction, a: &Layers, b: &Layers) -> bool {
    let refuses_all = |finite: &Layers, other: &Layers| {
        finite.enum_values().is_some_and(|values| {
            values
                .iter()
                .filter(|value| !value.is_null())
                .all(|value| accepts(spec, direction, other, value) == Some(false))
        })
    };
    if refuses_all(a, b) || refuses_all(b, a) || a.types() & b.types() == 0 {
        return true;
    }
    // Only strings in common: told apart by their lengths, or by patterns no string meets both.
    if a.types() & b.types() == STRING {
        let (a_lengths, b_lengths) = (
            count_bounds(a, "minLength", "maxLength"),
            count_bounds(b, "minLength", "maxLength"),
        );
        let below = |low: (Option<Bound>, Option<Bound>), high: (Option<Bound>, Option<Bound>)| matches!((low.1, high.0), (Some(most), Some(least)) if most.value < least.value);
        if below(a_lengths, b_lengths) || below(b_lengths, a_lengths) {
            return true;
        }
        let (a_patterns, b_patterns) = (a.texts("pattern"), b.texts("pattern"));
        if !a_patterns.is_empty() || !b_patterns.is_empty() {
            if let (Some(a_language), Some(b_language)) = (
                patterns::Language::of(a_patterns),
                patterns::Language::of(b_patterns),
            ) {
                if patterns::disjoint(&a_language, &b_language) == Some(true) {
                    return true;
                }
            }
        }
    }
    // Objects told apart by a required property with different enum values (a discriminator).
    let (a_properties, a_required) = a.object();
    let (b_properties, b_required) = b.object();
    // One declaration of each side is enough: the others only narrow it further.
    a_properties.iter().any(|(name, a_places)| {
        let Some((_, b_places)) = b_properties.iter().find(|(other, _)| other == name) else {
            return false;
        };
        let ((a_value, a_field), (b_value, b_field)) = (&a_places[0], &b_places[0]);
        if !a_required.contains(name.as_str()) || !b_required.contains(name.as_str()) {
            return false;
        }
        let (Ok(a_view), Ok(b_view)) = (
            SchemaView::new(spec, a_value, a_field),
            SchemaView::new(spec, b_value, b_field),
        ) else {
            return false;
        };
        // A property kept out of this direction is absent: it tells no instance apart.
        if kept_out(direction, &a_view) || kept_out(direction, &b_view) {
            return false;
        }
        refuses_all(&Layers::plain(&a_view), &Layers::plain(&b_view))
    })
}

/// Whether a schema accepts `null`: every layer that says anything of it (a `nullable`, an
/// `enum`, a `oneOf`/`anyOf`) must accept it, and one must.
fn accepts_null(spec: &SpecDocument, schema: &Layers) -> bool {
    let outer = schema
        .outer
        .iter()
        .any(|outer| outer.nullable)
        .then_some(true);
    both(null_verdict(spec, schema.own), outer) == Some(true)
}

/// What a schema and its `allOf` members say of `null`; `None` when none says anything.
fn null_verdict(spec: &SpecDocument, view: &SchemaView) -> Option<bool> {
    view.all_of
        .iter()
        .fold(own_null_verdict(spec, view), |verdict, member| {
            both(verdict, null_verdict(spec, member))
        })
}

/// Two verdicts on `null` that both apply: refused if one refuses it.
fn both(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), _) | (_, Some(true)) => Some(true),
        (None, None) => None,
    }
}

/// What a schema's own keywords (and the wrappers around it) say of `null`, not its `allOf`
/// members': an `enum` decides, then `nullable`, then its `oneOf`/`anyOf` branches.
fn own_null_verdict(spec: &SpecDocument, view: &SchemaView) -> Option<bool> {
    if view.or_null {
        return Some(true);
    }
    if let Some(values) = view.value.get("enum").and_then(Value::as_array) {
        return Some(values.contains(&Value::Null));
    }
    if view.nullable {
        return Some(true);
    }
    if view.value.get("nullable") == Some(&Value::Bool(false)) {
        return Some(false);
    }
    let (kind, members) = ["oneOf", "anyOf"].into_iter().find_map(|kind| {
        view.value
            .get(kind)
            .and_then(Value::as_array)
            .map(|members| (kind, members))
    })?;
    let field = view.field.join(kind);
    let accepting = members
        .iter()
        .enumerate()
        .filter_map(|(index, member)| SchemaView::new(spec, member, &field.join(index)).ok())
        .filter(|member| accepts_null(spec, &Layers::plain(member)))
        .count();
    Some(match kind {
        "oneOf" => accepting == 1,
        _ => accepting >= 1,
    })
}

/// The non-null values an `enum` lists, each with whether the rest of its schema accepts it.
fn finite_values<'d>(
    spec: &SpecDocument,
    direction: Direction,
    schema: &Layers<'_, 'd>,
) -> Option<Vec<(&'d Value, Option<bool>)>> {
    let values = schema.enum_values()?;
    Some(
        values
            .into_iter()
            .filter(|value| !value.is_null())
            .map(|value| (value, accepts(spec, direction, schema, value)))
            .collect(),
    )
}

/// What a schema without an `enum` accepts beyond a finite set of values: nothing more only
/// when it accepts nothing but booleans that are all in the set.
fn infinite_gain(
    spec: &SpecDocument,
    direction: Direction,
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
            extent = extent.max(match accepts(spec, direction, schema, &candidate) {
                Some(true) => Extent::Certainly,
                Some(false) => Extent::None,
                None => Extent::Possibly,
            });
        }
    }
    extent
}

/// What a schema of strings alone accepts beyond the listed `values`, decided on its
/// patterns' language: nothing when every string they allow is a value certainly accepted.
fn strings_beyond(schema: &Layers, values: &[(&Value, Option<bool>)]) -> Extent {
    if schema.types() != STRING || schema.composition().is_some() {
        return Extent::Certainly;
    }
    let listed = values
        .iter()
        .filter(|(_, accepted)| *accepted == Some(true))
        .filter_map(|(value, _)| value.as_str());
    match (
        patterns::Language::of(schema.texts("pattern")),
        patterns::Language::literals(listed),
    ) {
        (Some(allowed), Some(listed)) => match patterns::contained(&allowed, &listed) {
            Some(true) => Extent::None,
            _ => Extent::Certainly,
        },
        _ => Extent::Certainly,
    }
}

/// The schemas a keyword holds across the layers (`items`: every one applies).
fn children<'d>(
    spec: &'d SpecDocument,
    schema: &Layers<'_, 'd>,
    keyword: &str,
) -> Vec<SchemaView<'d>> {
    schema
        .values_at(keyword)
        .into_iter()
        .filter(|(value, _)| value.is_object())
        .filter_map(|(value, field)| SchemaView::new(spec, value, &field).ok())
        .collect()
}

/// What an object says about the names it does not declare. The layers are read as one
/// object, which holds when `additionalProperties` is written beside every property and every
/// `patternProperties` it must not count as additional; written anywhere else, it also refuses
/// (or constrains) properties other layers declare, which the engine does not follow. The
/// names `patternProperties` match are the patterns' (see [`keywords`]): beside
/// `additionalProperties`, it counts only the names neither declared nor matched.
fn additional<'d>(
    spec: &'d SpecDocument,
    schema: &Layers<'_, 'd>,
    properties: &[Declared<'d>],
) -> Additional<'d> {
    let mut layout = Vec::new();
    let mut placed = true;
    // Names left to `unevaluatedProperties`: not read as one object.
    let mut unread = false;
    let mut pattern_layers = Vec::new();
    let mut extra_layers = Vec::new();
    let mut patterns_layout = Vec::new();
    for (index, layer) in schema.each().into_iter().enumerate() {
        let declared = || -> BTreeSet<&'d str> {
            let own = layer.value.get("properties").and_then(Value::as_object);
            own.into_iter()
                .flatten()
                .map(|(name, _)| name.as_str())
                .collect()
        };
        match layer.value.get("patternProperties") {
            Some(Value::Object(patterns)) if patterns.is_empty() => {}
            None => {}
            Some(value) => {
                pattern_layers.push(index);
                patterns_layout.push(("patternProperties", value, declared()));
            }
        }
        match layer.value.get("unevaluatedProperties") {
            None | Some(Value::Bool(true)) => {}
            Some(value) => {
                unread = true;
                layout.push((
                    "unevaluatedProperties",
                    value,
                    declared(),
                    layer.field.join("unevaluatedProperties"),
                ));
            }
        }
        let Some(extra) = layer.value.get("additionalProperties") else {
            continue;
        };
        if *extra == Value::Bool(true) {
            continue;
        }
        extra_layers.push(index);
        let declared = declared();
        placed &= properties
            .iter()
            .all(|(name, _)| declared.contains(name.as_str()));
        layout.push((
            "additionalProperties",
            extra,
            declared,
            layer.field.join("additionalProperties"),
        ));
    }
    // Patterns beside no `additionalProperties`, or beside the only one there is.
    let patterns_placed = extra_layers.is_empty()
        || pattern_layers
            .iter()
            .all(|index| extra_layers.iter().all(|extra| extra == index));
    let same_everywhere = layout.windows(2).all(|pair| pair[0].1 == pair[1].1);
    let unknown = |layout: Vec<(&'d str, &'d Value, BTreeSet<&'d str>, FieldPath)>| {
        Additional::Unknown(
            layout
                .into_iter()
                .map(|(keyword, extra, declared, _)| (keyword, extra, declared))
                .chain(patterns_layout.iter().cloned())
                .collect(),
        )
    };
    match layout.first() {
        None => Additional::Open,
        Some(_) if unread || !placed || !same_everywhere || !patterns_placed => unknown(layout),
        Some((_, Value::Bool(false), _, _)) => Additional::Closed,
        Some((_, extra, _, field)) => {
            SchemaView::new(spec, extra, field).map_or(Additional::Open, Additional::Schema)
        }
    }
}

#[cfg(test)]
mod tests;
