//! The JSON Schema 2020-12 keywords the engine models (`prefixItems`, `contains` with its
//! counts, `dependentRequired`, `propertyNames`, `patternProperties`, 3.1 boolean schemas) and
//! the satisfiability it decides (`multipleOf` with bounds, patterns with lengths, unique
//! items beyond their values), against the `jsonschema` crate's draft 2020-12 validator on
//! the 3.1 schemas as written. Random schemas over these keywords and random changes of them:
//! whenever the engine claims the head loses or gains nothing, no sampled instance may show
//! otherwise; whenever it claims a schema accepts nothing, no sampled instance may be valid.
//! Instances are drawn from small pools of values and names (so that patterns, names and
//! counts meet), guided by the schema where it lists values.

use std::collections::BTreeMap;

use proptest::prelude::{any, prop_assert, prop_assert_eq, proptest, ProptestConfig};
use serde_json::{json, Map, Value};

use super::*;

const KEYS: [&str; 6] = ["a", "b", "c", "x-a", "x-b", "ab"];
const TEXTS: [&str; 10] = ["", "a", "b", "ab", "x-", "aa", "abc", "0", "12", "123"];
const NAME_PATTERNS: [&str; 5] = ["^x-", "^a", "b$", "^[a-c]$", "^x-.*"];
const TEXT_PATTERNS: [&str; 7] = [
    "^a",
    "^[0-9]+$",
    "^[0-9]{3}$",
    "^[ab]*$",
    "b$",
    "^.{2,}$",
    "(?=a)",
];

/// A schema of a scalar: a string or an integer with constraints, a `const`, or an `enum`.
fn random_leaf(rng: &mut Rng) -> Value {
    let mut schema = Map::new();
    match rng.below(5) {
        0 | 1 => {
            schema.insert("type".into(), json!("string"));
            if rng.chance(30) {
                schema.insert("minLength".into(), json!(rng.below(4)));
            }
            if rng.chance(30) {
                schema.insert("maxLength".into(), json!(rng.below(4)));
            }
            if rng.chance(40) {
                schema.insert("pattern".into(), json!(rng.pick(&TEXT_PATTERNS)));
            }
        }
        2 => {
            schema.insert("type".into(), json!("integer"));
            if rng.chance(50) {
                schema.insert("minimum".into(), json!(rng.below(12) as i64 - 3));
            }
            if rng.chance(50) {
                schema.insert("maximum".into(), json!(rng.below(12) as i64 - 3));
            }
            if rng.chance(20) {
                schema.insert("exclusiveMaximum".into(), json!(rng.below(12) as i64 - 3));
            }
            if rng.chance(50) {
                schema.insert("multipleOf".into(), json!(rng.pick(&[2, 3, 5, 10])));
            }
        }
        3 => {
            schema.insert("const".into(), json!(rng.pick(&["a", "b", "ab"])));
        }
        _ => {
            let values: Vec<Value> = ["a", "b", "ab", "x-"]
                .iter()
                .filter(|_| rng.chance(50))
                .map(|text| json!(text))
                .collect();
            schema.insert("type".into(), json!("string"));
            schema.insert("enum".into(), Value::Array(values));
        }
    }
    Value::Object(schema)
}

/// A string schema for `propertyNames`: what a string says, sometimes more.
fn random_names(rng: &mut Rng) -> Value {
    match rng.below(6) {
        0 => json!({"maxLength": 1 + rng.below(3)}),
        1 => json!({"minLength": rng.below(3)}),
        2 => json!({"pattern": rng.pick(&NAME_PATTERNS)}),
        3 => json!({"enum": ["a", "b", "x-a"]}),
        4 => json!({"type": "string", "maxLength": 2, "pattern": "^[a-c]"}),
        _ => json!({"not": {"const": "c"}}),
    }
}

/// A random array or object schema over the modelled keywords (leaves inside), or a leaf.
fn random_schema_2020(rng: &mut Rng, depth: usize) -> Value {
    let kind = if depth == 0 { 2 } else { rng.below(5) };
    match kind {
        0 | 1 => random_array(rng, depth),
        2 => random_leaf(rng),
        _ => random_object(rng, depth),
    }
}

fn random_array(rng: &mut Rng, depth: usize) -> Value {
    let mut schema = Map::new();
    schema.insert("type".into(), json!("array"));
    if rng.chance(50) {
        let prefix: Vec<Value> = (0..1 + rng.below(2)).map(|_| random_leaf(rng)).collect();
        schema.insert("prefixItems".into(), Value::Array(prefix));
    }
    match rng.below(4) {
        0 => {}
        1 => {
            schema.insert("items".into(), json!(false));
        }
        2 if depth > 1 => {
            schema.insert("items".into(), random_object(rng, depth - 1));
        }
        _ => {
            schema.insert("items".into(), random_leaf(rng));
        }
    }
    if rng.chance(50) {
        schema.insert("contains".into(), random_leaf(rng));
        if rng.chance(40) {
            schema.insert("minContains".into(), json!(rng.below(3)));
        }
        if rng.chance(40) {
            schema.insert("maxContains".into(), json!(rng.below(3)));
        }
    }
    if rng.chance(30) {
        schema.insert("minItems".into(), json!(rng.below(4)));
    }
    if rng.chance(30) {
        schema.insert("maxItems".into(), json!(1 + rng.below(3)));
    }
    if rng.chance(25) {
        schema.insert("uniqueItems".into(), json!(true));
    }
    Value::Object(schema)
}

fn random_object(rng: &mut Rng, depth: usize) -> Value {
    let mut schema = Map::new();
    schema.insert("type".into(), json!("object"));
    let mut properties = Map::new();
    for name in ["a", "b", "x-a"] {
        if rng.chance(50) {
            let value = if depth > 1 && rng.chance(20) {
                random_array(rng, depth - 1)
            } else if rng.chance(10) {
                json!(false)
            } else {
                random_leaf(rng)
            };
            properties.insert(name.into(), value);
        }
    }
    let declared: Vec<String> = properties.keys().cloned().collect();
    schema.insert("properties".into(), Value::Object(properties));
    let mut names: Vec<&str> = KEYS[..3].to_vec();
    names.extend(declared.iter().map(String::as_str));
    names.sort_unstable();
    names.dedup();
    let required: Vec<Value> = names
        .into_iter()
        .filter(|_| rng.chance(20))
        .map(|name| json!(name))
        .collect();
    if !required.is_empty() {
        schema.insert("required".into(), Value::Array(required));
    }
    if rng.chance(40) {
        schema.insert("dependentRequired".into(), random_dependencies(rng));
    }
    if rng.chance(35) {
        schema.insert("propertyNames".into(), random_names(rng));
    }
    if rng.chance(45) {
        let mut patterns = Map::new();
        for _ in 0..1 + rng.below(2) {
            patterns.insert((*rng.pick(&NAME_PATTERNS)).into(), random_leaf(rng));
        }
        schema.insert("patternProperties".into(), Value::Object(patterns));
    }
    match rng.below(4) {
        0 => {
            schema.insert("additionalProperties".into(), json!(false));
        }
        1 => {
            schema.insert("additionalProperties".into(), random_leaf(rng));
        }
        _ => {}
    }
    Value::Object(schema)
}

fn random_dependencies(rng: &mut Rng) -> Value {
    let mut dependencies = Map::new();
    for _ in 0..1 + rng.below(2) {
        let name = *rng.pick(&KEYS[..4]);
        let then: Vec<Value> = KEYS[..4]
            .iter()
            .filter(|other| **other != name && rng.chance(40))
            .map(|other| json!(other))
            .collect();
        dependencies.insert(name.into(), Value::Array(then));
    }
    Value::Object(dependencies)
}

/// One random change of a modelled keyword (or a bound, or a subtree).
fn mutate_2020(schema: &mut Value, rng: &mut Rng) {
    let mut paths = Vec::new();
    schema_paths(schema, Vec::new(), &mut paths);
    let path = rng.pick(&paths).clone();
    let node = at_path(schema, &path);
    let Some(map) = node.as_object_mut() else {
        return;
    };
    let number = |rng: &mut Rng, map: &mut Map<String, Value>, keyword: &str, least: i64| match map
        .get(keyword)
        .and_then(Value::as_i64)
    {
        Some(_) if rng.chance(30) => {
            map.remove(keyword);
        }
        Some(value) => {
            let moved = if rng.chance(50) { value + 1 } else { value - 1 };
            map.insert(keyword.into(), json!(moved.max(least)));
        }
        None => {
            map.insert(keyword.into(), json!(least.max(0) + rng.below(3) as i64));
        }
    };
    let is_array = map.get("type") == Some(&json!("array"));
    let is_object = map.get("type") == Some(&json!("object"));
    match rng.below(8) {
        0 if is_array => {
            let keyword = *rng.pick(&["minContains", "maxContains", "minItems", "maxItems"]);
            number(rng, map, keyword, 0);
        }
        1 if is_array => match map.get_mut("prefixItems").and_then(Value::as_array_mut) {
            Some(prefix) if rng.chance(40) => {
                prefix.pop();
                if prefix.is_empty() {
                    map.remove("prefixItems");
                }
            }
            Some(prefix) => {
                if rng.chance(50) {
                    prefix.push(random_leaf(rng));
                } else {
                    let index = rng.below(prefix.len());
                    prefix[index] = random_leaf(rng);
                }
            }
            None => {
                map.insert("prefixItems".into(), json!([random_leaf(rng)]));
            }
        },
        2 if is_array => {
            let keyword = *rng.pick(&["contains", "items", "uniqueItems"]);
            if map.remove(keyword).is_none() {
                let value = match keyword {
                    "uniqueItems" => json!(true),
                    "items" if rng.chance(30) => json!(false),
                    _ => random_leaf(rng),
                };
                map.insert(keyword.into(), value);
            }
        }
        3 if is_object => {
            if map.remove("dependentRequired").is_none() || rng.chance(50) {
                map.insert("dependentRequired".into(), random_dependencies(rng));
            }
        }
        4 if is_object => {
            if map.remove("propertyNames").is_none() || rng.chance(50) {
                map.insert("propertyNames".into(), random_names(rng));
            }
        }
        5 if is_object => {
            let patterns = map
                .entry("patternProperties")
                .or_insert_with(|| json!({}))
                .as_object_mut()
                .expect("an object");
            let pattern = *rng.pick(&NAME_PATTERNS);
            if patterns.remove(pattern).is_none() || rng.chance(50) {
                patterns.insert(pattern.into(), random_leaf(rng));
            }
        }
        6 => {
            let keyword = *rng.pick(&[
                "minimum",
                "maximum",
                "multipleOf",
                "minLength",
                "maxLength",
                "additionalProperties",
                "required",
            ]);
            match keyword {
                "multipleOf" => {
                    if map.remove(keyword).is_none() {
                        map.insert(keyword.into(), json!(rng.pick(&[2, 3, 5, 10])));
                    }
                }
                "additionalProperties" if is_object => {
                    if map.remove(keyword).is_none() {
                        map.insert(keyword.into(), json!(false));
                    }
                }
                "required" if is_object => {
                    let name = json!(rng.pick(&KEYS[..4]));
                    let required = map
                        .entry("required")
                        .or_insert_with(|| json!([]))
                        .as_array_mut()
                        .expect("a list");
                    if let Some(index) = required.iter().position(|known| *known == name) {
                        required.remove(index);
                    } else {
                        required.push(name);
                    }
                }
                "additionalProperties" | "required" => {}
                keyword => number(
                    rng,
                    map,
                    keyword,
                    if keyword.contains("imum") { -3 } else { 0 },
                ),
            }
        }
        _ => *node = random_schema_2020(rng, 1),
    }
}

/// An instance near `schema`: its listed values, its positions' and names' schemas, or the
/// pools.
fn sample_2020(schema: &Value, rng: &mut Rng, depth: usize) -> Value {
    let pool = |rng: &mut Rng| -> Value {
        match rng.below(4) {
            0 => json!(rng.pick(&TEXTS)),
            1 => json!(rng.below(14) as i64 - 3),
            2 => json!(null),
            _ => json!(rng.pick(&["a", "b", "ab"])),
        }
    };
    if depth > 3 || rng.chance(5) {
        return pool(rng);
    }
    let Some(map) = schema.as_object() else {
        return pool(rng);
    };
    if let Some(value) = map.get("const") {
        if rng.chance(70) {
            return value.clone();
        }
    }
    if let Some(values) = map.get("enum").and_then(Value::as_array) {
        if !values.is_empty() && rng.chance(70) {
            return rng.pick(values).clone();
        }
    }
    match map.get("type").and_then(Value::as_str) {
        Some("string") => json!(rng.pick(&TEXTS)),
        Some("integer") => {
            let step = map.get("multipleOf").and_then(Value::as_i64).unwrap_or(1);
            json!((rng.below(14) as i64 - 3) * if rng.chance(50) { step } else { 1 })
        }
        Some("array") => {
            let length = rng.below(5);
            let prefix = map.get("prefixItems").and_then(Value::as_array);
            let items: Vec<Value> = (0..length)
                .map(|index| {
                    let guide = match prefix.and_then(|prefix| prefix.get(index)) {
                        Some(schema) => Some(schema),
                        None if rng.chance(40) => map.get("contains"),
                        None => map.get("items"),
                    };
                    match guide {
                        Some(schema) if rng.chance(85) => sample_2020(schema, rng, depth + 1),
                        _ => pool(rng),
                    }
                })
                .collect();
            Value::Array(items)
        }
        Some("object") => {
            let mut object = Map::new();
            let properties = map.get("properties").and_then(Value::as_object);
            let patterns = map.get("patternProperties").and_then(Value::as_object);
            for key in KEYS {
                if !rng.chance(45) {
                    continue;
                }
                let guide = properties
                    .and_then(|properties| properties.get(key))
                    .or_else(|| {
                        patterns.and_then(|patterns| {
                            patterns.iter().find_map(|(pattern, schema)| {
                                regex::Regex::new(pattern)
                                    .ok()
                                    .filter(|regex| regex.is_match(key))
                                    .map(|_| schema)
                            })
                        })
                    })
                    .or_else(|| {
                        map.get("additionalProperties")
                            .filter(|extra| extra.is_object())
                    });
                let value = match guide {
                    Some(schema) if rng.chance(85) => sample_2020(schema, rng, depth + 1),
                    _ => pool(rng),
                };
                object.insert(key.into(), value);
            }
            Value::Object(object)
        }
        _ => pool(rng),
    }
}

/// A 3.1 document holding `base` and `head`, read as the review reads it.
fn spec_31(base: &Value, head: &Value) -> SpecDocument {
    let document = json!({
        "openapi": "3.1.0",
        "info": {"title": "Property test", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Base": base, "Head": head}},
    });
    let mut spec = SpecDocument::parse_for_review(
        std::path::Path::new("property-test.json"),
        document.to_string(),
    )
    .unwrap();
    openapi31::read_as_openapi_30(&mut spec.value, true);
    spec_model::nullable::read_nullable_refs(&mut spec.value);
    spec
}

fn view<'d>(spec: &'d SpecDocument, name: &str) -> SchemaView<'d> {
    let field = FieldPath::root()
        .join("components")
        .join("schemas")
        .join(name);
    SchemaView::new(spec, &spec.value["components"]["schemas"][name], &field).unwrap()
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::draft202012::new(schema).unwrap()
}

/// The engine's claims for `base` → `head` (a request), checked on samples.
fn check_2020(base: &Value, head: &Value, rng: &mut Rng) -> Result<(), String> {
    let spec = spec_31(base, head);
    let (base_view, head_view) = (view(&spec, "Base"), view(&spec, "Head"));
    let delta = Containment::new(&spec, &spec)
        .compare(Direction::Request, &base_view, &head_view)
        .total();
    let reason = contradiction(&spec, Direction::Request, &Layers::plain(&head_view), 0)
        .map(|found| found.reason);
    check_claims(delta, reason.as_deref(), base, head, rng)
}

/// `delta` and, when the engine says the head accepts nothing, its `contradiction`, checked
/// on instances sampled near both sides.
fn check_claims(
    delta: Delta,
    contradiction: Option<&str>,
    base: &Value,
    head: &Value,
    rng: &mut Rng,
) -> Result<(), String> {
    let (base_validator, head_validator) = (validator(base), validator(head));
    let base_sent = validator(&closed_31(base));
    for index in 0..160 {
        let from_base = index % 2 == 0;
        let instance = sample_2020(if from_base { base } else { head }, rng, 0);
        let (in_base, in_head) = (
            base_validator.is_valid(&instance),
            head_validator.is_valid(&instance),
        );
        if let (Some(reason), true) = (contradiction, in_head) {
            return Err(format!(
                "the engine says the head accepts nothing ({reason}), but it accepts {instance}"
            ));
        }
        let sent = in_base && base_sent.is_valid(&instance);
        if delta.loses == Extent::None && sent && !in_head {
            return Err(format!(
                "the engine says the head loses nothing ({delta:?}), but it refuses {instance}"
            ));
        }
        if delta.gains == Extent::None && in_head && !in_base {
            return Err(format!(
                "the engine says the head gains nothing ({delta:?}), but the base refuses {instance}"
            ));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    /// A 3.1 schema over the modelled 2020-12 keywords and a random change of it: no sample
    /// contradicts a claim of the engine, judged by a draft 2020-12 validator.
    #[test]
    fn no_sample_contradicts_the_engine_on_2020_12_keywords(seed in any::<u64>(), mutations in 1..3usize) {
        let mut rng = Rng(seed | 1);
        let base = random_schema_2020(&mut rng, 2);
        let mut head = base.clone();
        for _ in 0..mutations {
            mutate_2020(&mut head, &mut rng);
        }
        let verdict = check_2020(&base, &head, &mut rng);
        prop_assert!(verdict.is_ok(), "{}\nbase: {base}\nhead: {head}", verdict.unwrap_err());
    }

    /// A schema compared with itself is the same, whatever the keywords it holds.
    #[test]
    fn a_2020_12_schema_is_the_same_as_itself(seed in any::<u64>()) {
        let mut rng = Rng(seed | 1);
        let schema = random_schema_2020(&mut rng, 2);
        let spec = spec_31(&schema, &schema);
        let delta = Containment::new(&spec, &spec)
            .compare(Direction::Request, &view(&spec, "Base"), &view(&spec, "Head"))
            .total();
        prop_assert_eq!(delta, Delta::SAME, "{}", schema);
    }
}

/// The check can fail: a false claim of each kind, on pairs where a sample shows otherwise.
#[test]
fn the_2020_12_check_catches_false_claims() {
    let mut rng = Rng(11);
    let base = json!({"type": "array", "contains": {"const": "a"}});
    let head = json!({"type": "array", "contains": {"const": "a"}, "minContains": 2});
    assert!(check_claims(Delta::SAME, None, &base, &head, &mut rng).is_err());
    let base = json!({"type": "object", "patternProperties": {"^x-": {"type": "string"}}});
    let head = json!({"type": "object", "patternProperties": {"^x-": {"type": "integer"}}});
    assert!(check_claims(Delta::SAME, None, &base, &head, &mut rng).is_err());
    let satisfiable = json!({"type": "integer", "multipleOf": 5, "minimum": 1, "maximum": 9});
    assert!(check_claims(
        Delta::UNKNOWN,
        Some("forged"),
        &satisfiable,
        &satisfiable,
        &mut rng
    )
    .is_err());
}

/// Each modelled keyword's verdict, as a relation of the head's instances to the base's.
#[test]
fn the_engine_decides_the_2020_12_keywords() {
    let array = |extra: Value| {
        let mut schema = json!({"type": "array"});
        for (key, value) in extra.as_object().unwrap() {
            schema[key] = value.clone();
        }
        schema
    };
    let object = |extra: Value| {
        let mut schema = json!({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}});
        for (key, value) in extra.as_object().unwrap() {
            schema[key] = value.clone();
        }
        schema
    };
    let cases = [
        // prefixItems, with items as the rest
        (
            array(json!({"prefixItems": [{"type": "string"}]})),
            array(json!({"prefixItems": [{"type": "string", "maxLength": 2}]})),
            Relation::Narrower,
        ),
        (
            array(json!({"prefixItems": [{"type": "string"}], "items": {"type": "integer"}})),
            array(json!({"prefixItems": [{"type": "string"}], "items": false})),
            Relation::Narrower,
        ),
        (
            array(json!({"prefixItems": [{"type": "string"}], "items": false})),
            array(json!({"prefixItems": [{"type": "string"}], "maxItems": 1})),
            Relation::Same,
        ),
        (
            array(json!({"items": {"type": "string"}})),
            array(json!({"prefixItems": [{"type": "string"}], "items": {"type": "string"}})),
            Relation::Same,
        ),
        (
            array(json!({"prefixItems": [{"type": "string"}, {"type": "integer"}], "maxItems": 1})),
            array(json!({"prefixItems": [{"type": "string"}], "maxItems": 1})),
            Relation::Same,
        ),
        // contains and its counts
        (
            array(json!({})),
            array(json!({"contains": {"const": "a"}})),
            Relation::Narrower,
        ),
        (
            array(json!({"contains": {"const": "a"}})),
            array(json!({"contains": {"type": "string"}})),
            Relation::Wider,
        ),
        (
            array(json!({"contains": {"const": "a"}, "maxContains": 1})),
            array(json!({"contains": {"const": "a"}, "maxContains": 2})),
            Relation::Wider,
        ),
        (
            array(json!({"contains": {"const": "a"}, "minContains": 0})),
            array(json!({})),
            Relation::Same,
        ),
        (
            array(json!({"contains": {"const": "a"}, "maxContains": 1})),
            array(json!({"contains": {"type": "string"}, "maxContains": 1})),
            Relation::Unknown,
        ),
        // dependentRequired
        (
            object(json!({})),
            object(json!({"dependentRequired": {"a": ["b"]}})),
            Relation::Narrower,
        ),
        (
            object(json!({"dependentRequired": {"a": ["b"], "b": ["c"]}})),
            object(json!({"dependentRequired": {"a": ["b", "c"], "b": ["c"]}})),
            Relation::Same,
        ),
        (
            object(json!({"required": ["b"]})),
            object(json!({"required": ["b"], "dependentRequired": {"a": ["b"]}})),
            Relation::Same,
        ),
        // propertyNames
        (
            object(json!({})),
            object(json!({"propertyNames": {"maxLength": 3}})),
            Relation::Narrower,
        ),
        (
            object(json!({"propertyNames": {"pattern": "^[a-z]{1,2}$"}})),
            object(json!({"propertyNames": {"pattern": "^[a-z]+$"}})),
            Relation::Wider,
        ),
        (
            object(json!({"additionalProperties": false})),
            object(json!({"additionalProperties": false, "propertyNames": {"maxLength": 1}})),
            Relation::Same,
        ),
        (
            object(json!({"propertyNames": {"maxLength": 3}})),
            object(json!({"propertyNames": {"not": {"const": "x"}}})),
            Relation::Unknown,
        ),
        // patternProperties
        (
            object(json!({"patternProperties": {"^x-": {"type": "string"}}})),
            object(json!({"patternProperties": {"^x-.*": {"type": "string", "maxLength": 3}}})),
            Relation::Narrower,
        ),
        (
            object(
                json!({"additionalProperties": false, "patternProperties": {"^x-": {"type": "string"}}}),
            ),
            object(json!({"additionalProperties": false})),
            Relation::Narrower,
        ),
        (
            object(json!({})),
            object(json!({"patternProperties": {"^x-": {"type": "string"}}})),
            Relation::Same,
        ),
        (
            json!({"type": "object", "patternProperties": {"^a": {"type": "integer"}}}),
            json!({"type": "object", "patternProperties": {"^a": {"type": "integer"}}, "properties": {"a": {"type": "string"}}}),
            Relation::Narrower,
        ),
        (
            object(json!({"patternProperties": {"(?=x)": {"type": "string"}}})),
            object(json!({"patternProperties": {"(?=x)": {"type": "integer"}}})),
            Relation::Incomparable,
        ),
        (
            object(json!({"patternProperties": {"(?=x)": {"type": "string"}}})),
            object(json!({"patternProperties": {"(?=y)": {"type": "string"}}})),
            Relation::Unknown,
        ),
    ];
    let mut failures = Vec::new();
    for (base, head, relation) in cases {
        let spec = spec_31(&base, &head);
        let delta = Containment::new(&spec, &spec)
            .compare(
                Direction::Request,
                &view(&spec, "Base"),
                &view(&spec, "Head"),
            )
            .total();
        if delta.relation() != relation {
            failures.push(format!("{base} → {head}: {delta:?}, expected {relation:?}"));
        }
        let mut rng = Rng(5);
        if let Err(problem) = check_claims(delta, None, &base, &head, &mut rng) {
            failures.push(format!("{base} → {head}: {problem}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Schemas that accept nothing through the keywords satisfiability reads, with their reasons;
/// and near misses that accept something.
#[test]
fn a_schema_that_accepts_nothing_through_steps_patterns_and_unique_items_is_found() {
    let cases = [
        (
            json!({"type": "integer", "multipleOf": 10, "minimum": 1, "maximum": 9}),
            Some("no multiple of 10 lies within its bounds (1 to 9)"),
        ),
        (json!({"type": "integer", "multipleOf": 10, "minimum": 1, "maximum": 10}), None),
        (
            json!({"type": "number", "multipleOf": 2, "minimum": 1, "exclusiveMaximum": 2}),
            Some("no multiple of 2 lies within its bounds (1 to 2)"),
        ),
        (json!({"type": "number", "multipleOf": 0.5, "minimum": 1.2, "maximum": 1.5}), None),
        (
            json!({"type": "string", "pattern": "^[0-9]{15}$", "maxLength": 10}),
            Some("no string of 0 to 10 characters matches its pattern (^[0-9]{15}$)"),
        ),
        (json!({"type": "string", "pattern": "^[0-9]{15}", "minLength": 20}), None),
        (
            json!({"type": "string", "allOf": [{"pattern": "^a"}, {"pattern": "^b"}]}),
            Some("no string matches its patterns (^a, ^b)"),
        ),
        (json!({"type": "string", "pattern": "(?=a)b", "maxLength": 0}), None),
        (
            json!({"type": "array", "uniqueItems": true, "minItems": 3, "items": {"enum": ["a", "b"]}}),
            Some("it needs 3 unique items, and its items take at most 2 values"),
        ),
        (
            json!({"type": "array", "uniqueItems": true, "minItems": 4, "items": {"type": "boolean"}}),
            Some("it needs 4 unique items, and its items take at most 2 values"),
        ),
        (
            json!({"type": "array", "uniqueItems": true, "minItems": 3, "items": {"type": ["boolean", "null"]}}),
            None,
        ),
        (
            json!({"type": "array", "uniqueItems": true, "minItems": 2, "prefixItems": [{"const": "a"}], "items": {"enum": ["a", "b"]}}),
            None,
        ),
        (
            json!({"type": "array", "contains": {"const": "a"}, "minContains": 3, "maxItems": 2}),
            Some("it needs 3 items matching contains, and maxItems allows 2"),
        ),
        (
            json!({"type": "array", "minItems": 2, "prefixItems": [{"type": "string"}, false]}),
            Some("it needs items, and they accept nothing: its layers' enums have no value in common"),
        ),
        (
            json!({"type": "object", "required": ["abc"], "propertyNames": {"maxLength": 2}}),
            Some("required property `abc` is refused by propertyNames"),
        ),
        (
            json!({"type": "object", "required": ["x-a"], "additionalProperties": false, "patternProperties": {"^x-": {"type": "string"}}}),
            None,
        ),
        (
            json!({"type": "object", "required": ["a"], "dependentRequired": {"a": ["b"]}, "properties": {"a": {}}, "additionalProperties": false}),
            Some("required property `b` is refused by `additionalProperties: false`"),
        ),
    ];
    let mut failures = Vec::new();
    for (schema, expected) in cases {
        let spec = spec_31(&schema, &schema);
        let found = contradiction(
            &spec,
            Direction::Request,
            &Layers::plain(&view(&spec, "Head")),
            0,
        )
        .map(|found| found.reason);
        if found.as_deref() != expected {
            failures.push(format!("{schema}: {found:?}, expected {expected:?}"));
        }
        let mut rng = Rng(3);
        if let Err(problem) =
            check_claims(Delta::UNKNOWN, found.as_deref(), &schema, &schema, &mut rng)
        {
            failures.push(format!("{schema}: {problem}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A schema whose satisfiability turns on a step and its bounds, a pattern and its lengths,
/// or unique items and the values they can take.
fn random_tight_schema(rng: &mut Rng) -> Value {
    let bound = |rng: &mut Rng| json!(rng.below(14) as i64 - 3);
    match rng.below(3) {
        0 => {
            let number = rng.chance(30);
            let mut schema = json!({"type": if number { "number" } else { "integer" }});
            for keyword in ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"] {
                if rng.chance(if keyword.starts_with("ex") { 25 } else { 70 }) {
                    schema[keyword] = bound(rng);
                }
            }
            let steps: &[Value] = if number {
                &[json!(0.5), json!(2.5), json!(4), json!(10)]
            } else {
                &[json!(2), json!(3), json!(5), json!(10)]
            };
            schema["multipleOf"] = rng.pick(steps).clone();
            schema
        }
        1 => {
            let mut schema = json!({"type": "string", "pattern": rng.pick(&[
                "^[0-9]{5}$", "^[0-9]{2,3}$", "^a+$", "^(ab)+$", "^x-", "^[0-9]{15}$", "b$", "(?=a)",
            ])});
            if rng.chance(70) {
                schema["minLength"] = json!(rng.below(7));
            }
            if rng.chance(70) {
                schema["maxLength"] = json!(rng.below(7));
            }
            if rng.chance(20) {
                schema["allOf"] = json!([{"pattern": rng.pick(&["^a", "^b", "^[ab]"])}]);
            }
            schema
        }
        _ => {
            let items = match rng.below(4) {
                0 => {
                    let values: Vec<&str> = ["a", "b", "ab"]
                        .into_iter()
                        .filter(|_| rng.chance(60))
                        .collect();
                    json!({ "enum": values })
                }
                1 => {
                    json!({"type": if rng.chance(30) { json!(["boolean", "null"]) } else { json!("boolean") }})
                }
                2 => json!({"type": "integer", "minimum": rng.below(3), "maximum": rng.below(4)}),
                _ => json!({"const": "a"}),
            };
            let mut schema = json!({"type": "array", "uniqueItems": true, "minItems": rng.below(5), "items": items});
            if rng.chance(25) {
                schema["prefixItems"] = json!([{"type": "string"}]);
            }
            schema
        }
    }
}

/// Instances to try against a schema the engine says accepts nothing: every small number,
/// strings of every length up to 20 over a few letters, and short arrays over a few values.
fn candidates() -> Vec<Value> {
    let mut all: Vec<Value> = (-20..=40).map(|number| json!(number)).collect();
    all.extend((-40..=80).map(|half| json!(f64::from(half) / 2.0)));
    for length in 0..=20 {
        for letter in ["0", "1", "a", "b", "ab", "x-"] {
            all.push(json!(letter.repeat(length)));
        }
    }
    let values = [
        json!("a"),
        json!("b"),
        json!("ab"),
        json!(true),
        json!(false),
        json!(null),
        json!(0),
        json!(1),
        json!(2),
    ];
    let mut arrays: Vec<Vec<Value>> = vec![Vec::new()];
    for _ in 0..4 {
        let longer: Vec<Vec<Value>> = arrays
            .iter()
            .filter(|array| array.len() == arrays.last().map_or(0, Vec::len))
            .flat_map(|array| {
                values.iter().map(move |value| {
                    let mut array = array.clone();
                    array.push(value.clone());
                    array
                })
            })
            .collect();
        arrays.extend(longer);
    }
    all.extend(arrays.into_iter().map(Value::Array));
    all
}

/// Whether the engine's contradiction for `schema` holds against every candidate; the claim.
fn check_tight(schema: &Value, candidates: &[Value]) -> Result<Option<String>, String> {
    let spec = spec_31(schema, schema);
    let claim = contradiction(
        &spec,
        Direction::Request,
        &Layers::plain(&view(&spec, "Head")),
        0,
    )
    .map(|found| found.reason);
    if let Some(reason) = &claim {
        let validator = validator(schema);
        if let Some(valid) = candidates
            .iter()
            .find(|candidate| validator.is_valid(candidate))
        {
            return Err(format!(
                "the engine says {schema} accepts nothing ({reason}), but it accepts {valid}"
            ));
        }
    }
    Ok(claim)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    /// A schema the engine says accepts nothing refuses every candidate instance.
    #[test]
    fn a_tight_schema_said_to_accept_nothing_refuses_every_candidate(seed in any::<u64>()) {
        let mut rng = Rng(seed | 1);
        let schema = random_tight_schema(&mut rng);
        let verdict = check_tight(&schema, &candidates());
        prop_assert!(verdict.is_ok(), "{}", verdict.unwrap_err());
    }
}

/// The generator of tight schemas meets contradictions of each kind often enough for the
/// property above to mean something.
#[test]
fn tight_schemas_often_accept_nothing() {
    let candidates = candidates();
    let mut claims: BTreeMap<&str, usize> = BTreeMap::new();
    for seed in 0..600 {
        let mut rng = Rng(seed * 2 + 1);
        let schema = random_tight_schema(&mut rng);
        if let Ok(Some(reason)) = check_tight(&schema, &candidates) {
            let kind = if reason.contains("multiple") {
                "step"
            } else if reason.contains("string") {
                "pattern"
            } else if reason.contains("unique") {
                "unique"
            } else {
                "other"
            };
            *claims.entry(kind).or_default() += 1;
        }
    }
    for kind in ["step", "pattern", "unique"] {
        assert!(claims.get(kind).copied().unwrap_or(0) >= 10, "{claims:?}");
    }
}
