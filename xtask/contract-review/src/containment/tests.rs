//! The engine against a real validator. Random schemas over the keywords the engine reads, and
//! random mutations of them, are compared; instances sampled from both are validated with the
//! `jsonschema` crate (draft 7) after translating OpenAPI 3.0 into JSON Schema as the engine
//! reads it (`null` only where a schema says so, integer formats as ranges, `readOnly` and
//! `writeOnly` properties absent in the direction they do not bind). Whenever the engine says
//! the head loses nothing, every sampled instance the base accepts must be accepted by the
//! head; whenever it says the head gains nothing, the reverse.
//!
//! Schemas also hold keywords the engine does not compare (`not`; in 3.1 `prefixItems`,
//! `contains`, `patternProperties`, `unevaluatedProperties`, `dependentRequired`, `if`, ...):
//! changed, they must keep the engine from any claim; unchanged, the others must stay true.
//!
//! Instances of an object are sampled with the properties its schema declares (and others
//! only where `additionalProperties` gives them a schema): the engine's convention is that
//! clients do not send undeclared properties of an open object. A sample of one `oneOf`/`anyOf`
//! branch may still hold a property another branch leaves open, so losing nothing is checked
//! only on samples the base accepts with its open objects closed.

use proptest::prelude::*;
use serde_json::{json, Map, Value};

use super::*;
use crate::openapi31;
use spec_model::diagnostic::FieldPath;
use spec_model::spec::SpecDocument;

/// A small deterministic generator, so that one seed gives one case (proptest records the
/// seeds that fail).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const NAMES: [&str; 3] = ["a", "b", "c"];
const STRINGS: [&str; 12] = [
    "", "a", "b", "ab", "ba", "aab", "abcd", "bbbbb", "a b", "12", "a\nb", "b1",
];
const PATTERNS: [&str; 10] = [
    "^a", "b", "^[ab]*$", ".*", "^.{0,2}$", "^ab", "a$", "^[a-b]+$", "^\\d+$", "^(a|b)$",
];

fn random_schema(rng: &mut Rng, depth: usize) -> Value {
    let kinds: &[&str] = if depth == 0 {
        &["integer", "number", "string", "boolean", "enum", "wrapped"]
    } else {
        &[
            "integer", "number", "string", "boolean", "enum", "array", "object", "object", "oneOf",
            "anyOf", "allOf", "allOf", "wrapped",
        ]
    };
    let mut schema = Map::new();
    match *rng.pick(kinds) {
        "allOf" => {
            let whole = loop {
                let candidate = random_schema(rng, depth);
                let composed = ["oneOf", "anyOf", "allOf"]
                    .iter()
                    .any(|kind| candidate.get(kind).is_some());
                if !composed {
                    break candidate;
                }
            };
            return spread_over_all_of(whole, rng);
        }
        "wrapped" => return wrapped_reference(rng),
        "integer" => {
            schema.insert("type".into(), json!("integer"));
            if rng.chance(40) {
                schema.insert("format".into(), json!(rng.pick(&["int32", "int64"])));
            }
            numeric_keywords(rng, &mut schema, false);
        }
        "number" => {
            schema.insert("type".into(), json!("number"));
            numeric_keywords(rng, &mut schema, true);
        }
        "string" => {
            schema.insert("type".into(), json!("string"));
            string_keywords(rng, &mut schema);
        }
        "boolean" => {
            schema.insert("type".into(), json!("boolean"));
        }
        "enum" => {
            let (kind, pool): (&str, Vec<Value>) = if rng.chance(50) {
                (
                    "string",
                    STRINGS[..5].iter().map(|text| json!(text)).collect(),
                )
            } else {
                ("integer", (-2..3).map(|number| json!(number)).collect())
            };
            schema.insert("type".into(), json!(kind));
            let mut values: Vec<Value> = pool.into_iter().filter(|_| rng.chance(50)).collect();
            if values.is_empty() {
                values.push(if kind == "string" {
                    json!("a")
                } else {
                    json!(0)
                });
            }
            if rng.chance(15) {
                values.push(Value::Null);
                schema.insert("nullable".into(), json!(true));
            }
            schema.insert("enum".into(), Value::Array(values));
            if kind == "string" && rng.chance(30) {
                schema.insert("maxLength".into(), json!(1));
            }
        }
        "array" => {
            schema.insert("type".into(), json!("array"));
            if rng.chance(85) {
                schema.insert("items".into(), random_schema(rng, depth - 1));
            }
            if rng.chance(30) {
                schema.insert("minItems".into(), json!(rng.below(2)));
            }
            if rng.chance(30) {
                schema.insert("maxItems".into(), json!(1 + rng.below(3)));
            }
            if rng.chance(20) {
                schema.insert("uniqueItems".into(), json!(true));
            }
        }
        "object" => {
            if rng.chance(80) {
                schema.insert("type".into(), json!("object"));
            }
            let mut properties = Map::new();
            let mut required = Vec::new();
            for name in NAMES {
                if rng.chance(60) {
                    let mut property = random_schema(rng, depth - 1);
                    if rng.chance(15) {
                        let flag = if rng.chance(50) {
                            "readOnly"
                        } else {
                            "writeOnly"
                        };
                        property[flag] = json!(true);
                    }
                    properties.insert(name.into(), property);
                    if rng.chance(40) {
                        required.push(json!(name));
                    }
                }
            }
            schema.insert("properties".into(), Value::Object(properties));
            if !required.is_empty() {
                schema.insert("required".into(), Value::Array(required));
            }
            match rng.below(5) {
                0 => {
                    schema.insert("additionalProperties".into(), json!(false));
                }
                1 => {
                    schema.insert("additionalProperties".into(), json!(true));
                }
                2 => {
                    schema.insert("additionalProperties".into(), random_schema(rng, 0));
                }
                _ => {}
            }
            if rng.chance(15) {
                schema.insert("minProperties".into(), json!(1));
            }
            if rng.chance(15) {
                schema.insert("maxProperties".into(), json!(1 + rng.below(2)));
            }
        }
        kind => {
            let count = 1 + rng.below(3);
            let mut members: Vec<Value> =
                (0..count).map(|_| random_schema(rng, depth - 1)).collect();
            if rng.chance(25) {
                members.push(json!({"nullable": true, "enum": [null]}));
            }
            schema.insert(kind.into(), Value::Array(members));
        }
    }
    if rng.chance(8) {
        schema.insert("not".into(), random_not(rng));
    }
    if rng.chance(15) {
        schema.insert("nullable".into(), json!(true));
    }
    Value::Object(schema)
}

/// A schema for `not`, a keyword the engine does not compare: a changed one must give no
/// claim, an unchanged one must keep the others true.
fn random_not(rng: &mut Rng) -> Value {
    rng.pick(&[
        json!({"enum": ["a", 0]}),
        json!({"type": "string"}),
        json!({"maxLength": 1}),
        json!({"minimum": 0}),
        json!({"type": "object", "required": ["a"]}),
    ])
    .clone()
}

/// Components the generated `$ref`s point at. OpenAPI 3.0 ignores a `$ref`'s siblings, so
/// keywords meant to apply with one sit beside a one-member `allOf: [{$ref}]`.
fn targets() -> Value {
    json!({
        "Text": {"type": "string", "maxLength": 4},
        "Count": {"type": "integer", "minimum": -2, "maximum": 5},
        "Pair": {
            "type": "object",
            "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
            "required": ["a"],
        },
        "Flag": {"type": "boolean", "nullable": true},
    })
}

/// The component a `$ref` names, for a schema that is one.
fn referenced(schema: &Value) -> Option<Value> {
    let reference = schema.get("$ref")?.as_str()?;
    let name = reference.strip_prefix("#/components/schemas/")?;
    targets().get(name).cloned()
}

/// `allOf: [{$ref: T}]` with annotations, constraints, or a `type` (T's or another) beside it.
fn wrapped_reference(rng: &mut Rng) -> Value {
    let name = *rng.pick(&["Text", "Count", "Pair", "Flag"]);
    let mut schema = Map::new();
    schema.insert(
        "allOf".into(),
        json!([{ "$ref": format!("#/components/schemas/{name}") }]),
    );
    if rng.chance(30) {
        schema.insert("description".into(), json!("Annotated."));
    }
    match name {
        "Text" => string_keywords(rng, &mut schema),
        "Count" => {
            numeric_keywords(rng, &mut schema, false);
            if rng.chance(20) {
                schema.insert("format".into(), json!("int32"));
            }
        }
        "Pair" => {
            if rng.chance(40) {
                schema.insert("required".into(), json!([rng.pick(&["a", "b"])]));
            }
            if rng.chance(20) {
                schema.insert("maxProperties".into(), json!(1));
            }
            if rng.chance(10) {
                // Beside a reference, `additionalProperties` refuses the referenced properties.
                schema.insert("additionalProperties".into(), json!(false));
            }
        }
        _ => {}
    }
    if rng.chance(25) {
        let target = referenced(&schema["allOf"][0]).unwrap();
        let kind = if rng.chance(70) {
            target["type"].clone()
        } else {
            json!(rng.pick(&["integer", "number", "string", "boolean"]))
        };
        schema.insert("type".into(), kind);
    }
    if rng.chance(8) {
        schema.insert("not".into(), random_not(rng));
    }
    if rng.chance(15) {
        schema.insert("nullable".into(), json!(true));
    }
    Value::Object(schema)
}

/// The keywords of `whole` spread over the schema itself and two or three `allOf` members;
/// some bounds, enums and patterns are repeated, tighter or looser, in a second place.
fn spread_over_all_of(whole: Value, rng: &mut Rng) -> Value {
    let Value::Object(mut whole) = whole else {
        return whole;
    };
    let count = 2 + rng.below(2);
    let mut layers: Vec<Map<String, Value>> = vec![Map::new(); count + 1];
    let nullable = whole.remove("nullable");
    // `additionalProperties` applies beside the properties of its own schema only: it is kept
    // with all of them, so that the merged reading holds.
    let together = whole
        .contains_key("additionalProperties")
        .then(|| rng.below(count + 1));
    let place = |rng: &mut Rng| rng.below(count + 1);
    let exclusive = |keyword: &str| match keyword {
        "minimum" => Some("exclusiveMinimum"),
        "maximum" => Some("exclusiveMaximum"),
        _ => None,
    };
    let keys: Vec<String> = whole.keys().cloned().collect();
    for key in keys {
        if key.starts_with("exclusive") {
            continue;
        }
        let value = whole[&key].clone();
        match key.as_str() {
            "properties" => {
                for (name, property) in value.as_object().unwrap() {
                    let layer = together.unwrap_or_else(|| place(rng));
                    let properties = layers[layer]
                        .entry("properties")
                        .or_insert_with(|| json!({}));
                    properties[name] = property.clone();
                }
            }
            "required" => {
                for name in value.as_array().unwrap() {
                    let layer = place(rng);
                    let names = layers[layer].entry("required").or_insert_with(|| json!([]));
                    names.as_array_mut().unwrap().push(name.clone());
                }
            }
            "additionalProperties" => {
                layers[together.unwrap()].insert(key, value);
            }
            _ => {
                let layer = place(rng);
                layers[layer].insert(key.clone(), value.clone());
                if let Some(flag) = exclusive(&key).filter(|flag| whole.contains_key(*flag)) {
                    layers[layer].insert(flag.into(), whole[flag].clone());
                }
                if rng.chance(35) {
                    let again = place(rng);
                    if let Some(repeated) = repeated(&key, &value, rng) {
                        layers[again].insert(key, repeated);
                    }
                }
            }
        }
    }
    if let Some(nullable) = nullable {
        layers[place(rng)].insert("nullable".into(), nullable);
    }
    let mut holder = layers.remove(0);
    holder.insert(
        "allOf".into(),
        Value::Array(layers.into_iter().map(Value::Object).collect()),
    );
    Value::Object(holder)
}

/// A second value of a keyword for another `allOf` member: a bound moved by one, an enum
/// with a value more or less, another pattern or type.
fn repeated(keyword: &str, value: &Value, rng: &mut Rng) -> Option<Value> {
    match keyword {
        "type" => Some(if rng.chance(80) {
            value.clone()
        } else {
            json!(rng.pick(&["integer", "number", "string"]))
        }),
        "pattern" => Some(json!(rng.pick(&PATTERNS))),
        "enum" => {
            let mut values = value.as_array()?.clone();
            if values.len() > 1 && rng.chance(50) {
                values.remove(rng.below(values.len()));
            } else {
                values.push(
                    rng.pick(&[json!("a"), json!("ab"), json!(1), json!(2)])
                        .clone(),
                );
            }
            Some(Value::Array(values))
        }
        "format" | "uniqueItems" | "items" => None,
        _ => {
            let number = value.as_f64()?;
            let moved = if rng.chance(50) {
                number + 1.0
            } else {
                number - 1.0
            };
            let least = if keyword.ends_with("imum") { -9.0 } else { 0.0 };
            let moved = if keyword == "multipleOf" {
                moved.max(1.0)
            } else {
                moved.max(least)
            };
            Some(json!(moved as i64))
        }
    }
}

fn numeric_keywords(rng: &mut Rng, schema: &mut Map<String, Value>, fractions: bool) {
    let value = |rng: &mut Rng| {
        let whole = rng.below(7) as i64 - 3;
        if fractions && rng.chance(30) {
            json!(whole as f64 + 0.5)
        } else {
            json!(whole)
        }
    };
    for (keyword, exclusive) in [
        ("minimum", "exclusiveMinimum"),
        ("maximum", "exclusiveMaximum"),
    ] {
        if rng.chance(35) {
            schema.insert(keyword.into(), value(rng));
            if rng.chance(30) {
                schema.insert(exclusive.into(), json!(true));
            }
        }
    }
    if rng.chance(20) {
        let steps: &[Value] = if fractions {
            &[json!(0.5), json!(1), json!(2)]
        } else {
            &[json!(2), json!(3), json!(4)]
        };
        schema.insert("multipleOf".into(), rng.pick(steps).clone());
    }
}

fn string_keywords(rng: &mut Rng, schema: &mut Map<String, Value>) {
    if rng.chance(30) {
        schema.insert("minLength".into(), json!(rng.below(3)));
    }
    if rng.chance(30) {
        schema.insert("maxLength".into(), json!(1 + rng.below(4)));
    }
    if rng.chance(30) {
        schema.insert("pattern".into(), json!(rng.pick(&PATTERNS)));
    }
}

/// Every schema inside `schema` (itself included), by path of keys.
fn schema_paths(schema: &Value, path: Vec<String>, paths: &mut Vec<Vec<String>>) {
    paths.push(path.clone());
    let Some(map) = schema.as_object() else {
        return;
    };
    for keyword in ["items", "additionalProperties"] {
        if map.get(keyword).is_some_and(Value::is_object) {
            let mut inner = path.clone();
            inner.push(keyword.into());
            schema_paths(&map[keyword], inner, paths);
        }
    }
    if let Some(properties) = map.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            let mut inner = path.clone();
            inner.extend(["properties".to_owned(), name.clone()]);
            schema_paths(property, inner, paths);
        }
    }
    for kind in ["oneOf", "anyOf", "allOf"] {
        if let Some(members) = map.get(kind).and_then(Value::as_array) {
            for (index, member) in members.iter().enumerate() {
                let mut inner = path.clone();
                inner.extend([kind.to_owned(), index.to_string()]);
                schema_paths(member, inner, paths);
            }
        }
    }
}

fn at_path<'v>(schema: &'v mut Value, path: &[String]) -> &'v mut Value {
    path.iter().fold(schema, |value, key| match value {
        Value::Array(items) => &mut items[key.parse::<usize>().unwrap()],
        other => &mut other[key.as_str()],
    })
}

/// One random change somewhere in `schema`: a keyword added, removed or moved, a property
/// added, removed or made required, a composition wrapped, reordered or switched, a subtree
/// replaced.
fn mutate(schema: &mut Value, rng: &mut Rng) {
    let mut paths = Vec::new();
    schema_paths(schema, Vec::new(), &mut paths);
    let path = rng.pick(&paths).clone();
    let node = at_path(schema, &path);
    let Some(map) = node.as_object_mut() else {
        return;
    };
    // A `$ref`'s siblings are not read in 3.0: keywords go beside its `allOf` wrapper.
    if map.contains_key("$ref") {
        return;
    }
    let composed = map.contains_key("oneOf") || map.contains_key("anyOf");
    let toggle = |map: &mut Map<String, Value>, keyword: &str| {
        if map.remove(keyword).is_none() {
            map.insert(keyword.into(), json!(true));
        }
    };
    match rng.below(17) {
        0 => toggle(map, "nullable"),
        15 => match map.get("not") {
            Some(_) if rng.chance(40) => {
                map.remove("not");
            }
            _ => {
                map.insert("not".into(), random_not(rng));
            }
        },
        1 if !composed => {
            map.insert(
                "type".into(),
                json!(rng.pick(&["integer", "number", "string", "boolean", "object", "array"])),
            );
        }
        2 if !composed => match rng.below(3) {
            0 => {
                map.remove("format");
            }
            _ => {
                map.insert("format".into(), json!(rng.pick(&["int32", "int64"])));
            }
        },
        3 if !composed => {
            let keyword = *rng.pick(&[
                "minimum",
                "maximum",
                "minLength",
                "maxLength",
                "minItems",
                "maxItems",
                "minProperties",
                "maxProperties",
                "multipleOf",
            ]);
            match (map.get(keyword).and_then(Value::as_f64), rng.below(3)) {
                (Some(_), 0) => {
                    map.remove(keyword);
                }
                (Some(value), step) => {
                    let moved = if step == 1 { value + 1.0 } else { value - 1.0 };
                    let moved = if keyword.starts_with("min") || keyword.starts_with("max") {
                        moved.max(if keyword.ends_with("imum") { -9.0 } else { 0.0 })
                    } else {
                        moved.max(1.0)
                    };
                    map.insert(keyword.into(), json!(moved as i64));
                }
                (None, _) => {
                    map.insert(keyword.into(), json!(1 + rng.below(3)));
                }
            }
        }
        4 if !composed => {
            let flag = if rng.chance(50) {
                "exclusiveMinimum"
            } else {
                "exclusiveMaximum"
            };
            toggle(map, flag);
        }
        5 if !composed => match map.get("pattern") {
            Some(_) if rng.chance(40) => {
                map.remove("pattern");
            }
            _ => {
                map.insert("pattern".into(), json!(rng.pick(&PATTERNS)));
            }
        },
        6 if !composed => {
            let pool = [
                json!("a"),
                json!("b"),
                json!("ab"),
                json!(0),
                json!(1),
                json!(2),
            ];
            match map.get_mut("enum").and_then(Value::as_array_mut) {
                Some(values) if values.len() > 1 && rng.chance(50) => {
                    let index = rng.below(values.len());
                    values.remove(index);
                }
                Some(values) if rng.chance(70) => values.push(rng.pick(&pool).clone()),
                Some(_) => {
                    map.remove("enum");
                }
                None => {
                    map.insert("enum".into(), json!([rng.pick(&pool).clone()]));
                }
            }
        }
        7 if !composed => {
            let declared: Vec<String> = map
                .get("properties")
                .and_then(Value::as_object)
                .map(|properties| properties.keys().cloned().collect())
                .unwrap_or_default();
            if let Some(name) = (!declared.is_empty()).then(|| rng.pick(&declared).clone()) {
                let required = map.entry("required").or_insert_with(|| json!([]));
                let names = required.as_array_mut().unwrap();
                match names.iter().position(|known| known == &json!(name)) {
                    Some(index) => {
                        names.remove(index);
                    }
                    None => names.push(json!(name)),
                }
                if names.is_empty() {
                    map.remove("required");
                }
            }
        }
        8 if !composed => {
            let name = *rng.pick(&NAMES);
            let properties = map.entry("properties").or_insert_with(|| json!({}));
            let properties = properties.as_object_mut().unwrap();
            match (properties.contains_key(name), rng.below(3)) {
                (true, 0) => {
                    properties.remove(name);
                    if let Some(names) = map.get_mut("required").and_then(Value::as_array_mut) {
                        names.retain(|known| known != name);
                    }
                }
                (true, _) => {
                    let flag = if rng.chance(50) {
                        "readOnly"
                    } else {
                        "writeOnly"
                    };
                    toggle(properties[name].as_object_mut().unwrap(), flag);
                }
                (false, _) => {
                    properties.insert(name.into(), random_schema(rng, 0));
                }
            }
        }
        9 if !composed => match rng.below(4) {
            0 => {
                map.remove("additionalProperties");
            }
            1 => {
                map.insert("additionalProperties".into(), json!(true));
            }
            2 => {
                map.insert("additionalProperties".into(), json!(false));
            }
            _ => {
                map.insert("additionalProperties".into(), random_schema(rng, 0));
            }
        },
        10 if !composed => toggle(map, "uniqueItems"),
        // Not an `allOf` member: the translation does not carry the `required` names of the
        // other members into the branches, where a readOnly/writeOnly one would not count.
        11 if path.iter().rev().nth(1).is_none_or(|key| key != "allOf") => {
            let kind = if rng.chance(50) { "oneOf" } else { "anyOf" };
            let inner = std::mem::take(node);
            let other = random_schema(rng, 0);
            *node = if rng.chance(50) {
                json!({ kind: [inner, other] })
            } else {
                json!({ kind: [other, inner] })
            };
        }
        12 if composed => {
            let kind = if map.contains_key("oneOf") {
                "oneOf"
            } else {
                "anyOf"
            };
            let mut members = map.remove(kind).unwrap();
            let list = members.as_array_mut().unwrap();
            match rng.below(4) {
                0 => list.reverse(),
                1 if list.len() > 1 => {
                    let index = rng.below(list.len());
                    list.remove(index);
                }
                2 => list.push(random_schema(rng, 0)),
                _ => {}
            }
            let kind = if rng.chance(30) {
                if kind == "oneOf" {
                    "anyOf"
                } else {
                    "oneOf"
                }
            } else {
                kind
            };
            map.insert(kind.into(), members);
        }
        13 => *node = random_schema(rng, 1),
        14 => {
            // Another member that constrains what the schema accepts, or says it is nullable.
            let members_composed =
                map.get("allOf")
                    .and_then(Value::as_array)
                    .is_some_and(|members| {
                        members.iter().any(|member| {
                            member.get("oneOf").is_some() || member.get("anyOf").is_some()
                        })
                    });
            let choice = if composed || members_composed {
                rng.below(4)
            } else {
                rng.below(7)
            };
            let extra = match choice {
                // A type the others may contradict: the schema may accept nothing.
                6 => json!({"type": rng.pick(&["integer", "string", "object"])}),
                0 => json!({"maximum": rng.below(5) as i64 - 2}),
                1 => json!({"minimum": rng.below(5) as i64 - 2}),
                2 => json!({"maxLength": rng.below(4)}),
                3 => json!({"nullable": true}),
                4 => json!({"minItems": 1}),
                // Not beside a composition, for the reason above.
                _ => json!({"required": [rng.pick(&NAMES)]}),
            };
            match map.get_mut("allOf").and_then(Value::as_array_mut) {
                Some(members) => members.push(extra),
                None => {
                    let inner = std::mem::take(node);
                    *node = json!({"allOf": [inner, extra]});
                }
            }
        }
        _ => {}
    }
}

/// Candidate instances drawn from a schema's shape, most of them near what it accepts.
fn sample(schema: &Value, rng: &mut Rng, depth: usize) -> Value {
    let map = flattened(schema);
    if rng.chance(8) {
        return Value::Null;
    }
    if rng.chance(8) || depth > 4 {
        return rng
            .pick(&[
                json!(0),
                json!(1.5),
                json!("a"),
                json!(true),
                json!([]),
                json!({}),
            ])
            .clone();
    }
    if let Some(values) = map.get("enum").and_then(Value::as_array) {
        if !values.is_empty() && rng.chance(70) {
            return rng.pick(values).clone();
        }
    }
    for kind in ["oneOf", "anyOf"] {
        if let Some(members) = map.get(kind).and_then(Value::as_array) {
            if !members.is_empty() && rng.chance(80) {
                return sample(rng.pick(members), rng, depth + 1);
            }
        }
    }
    let kind = match map.get("type").and_then(Value::as_str) {
        Some(kind) => kind.to_owned(),
        None => {
            (*rng.pick(&["integer", "number", "string", "boolean", "array", "object"])).to_owned()
        }
    };
    match kind.as_str() {
        "integer" => {
            let near: Vec<i64> = ["minimum", "maximum"]
                .iter()
                .filter_map(|keyword| map.get(*keyword).and_then(Value::as_f64))
                .flat_map(|bound| {
                    let bound = bound.floor() as i64;
                    [bound - 1, bound, bound + 1]
                })
                .collect();
            if !near.is_empty() && rng.chance(40) {
                json!(*rng.pick(&near))
            } else if rng.chance(10) {
                json!(*rng.pick(&[2_147_483_648_i64, -2_147_483_649, 1 << 40]))
            } else {
                json!(rng.below(9) as i64 - 4)
            }
        }
        "number" => {
            if rng.chance(50) {
                json!(rng.below(9) as f64 - 4.0 + 0.5)
            } else {
                json!(rng.below(9) as i64 - 4)
            }
        }
        "string" => json!(rng.pick(&STRINGS)),
        "boolean" => json!(rng.chance(50)),
        "array" => {
            let items = map.get("items").cloned().unwrap_or(json!({}));
            let length = rng.below(4);
            Value::Array(
                (0..length)
                    .map(|_| sample(&items, rng, depth + 1))
                    .collect(),
            )
        }
        _ => {
            let mut object = Map::new();
            if let Some(properties) = map.get("properties").and_then(Value::as_object) {
                for (name, property) in properties {
                    if rng.chance(60) {
                        object.insert(name.clone(), sample(property, rng, depth + 1));
                    }
                }
            }
            if let Some(extra) = map
                .get("additionalProperties")
                .filter(|extra| extra.is_object())
            {
                if rng.chance(40) {
                    object.insert("x".into(), sample(extra, rng, depth + 1));
                }
            }
            Value::Object(object)
        }
    }
}

/// A schema's keywords with a `$ref` followed and its `allOf` members' merged in (the first
/// value of a keyword, properties and required names united), to sample instances near it.
fn flattened(schema: &Value) -> Map<String, Value> {
    if let Some(target) = referenced(schema) {
        return flattened(&target);
    }
    let mut map = schema.as_object().cloned().unwrap_or_default();
    let members = map
        .remove("allOf")
        .and_then(|members| members.as_array().cloned());
    for member in members.into_iter().flatten() {
        for (key, value) in flattened(&member) {
            match (key.as_str(), map.get_mut(&key)) {
                ("properties", Some(Value::Object(properties))) => {
                    for (name, property) in value.as_object().into_iter().flatten() {
                        properties
                            .entry(name.clone())
                            .or_insert_with(|| property.clone());
                    }
                }
                ("required", Some(Value::Array(names))) => {
                    names.extend(value.as_array().into_iter().flatten().cloned());
                }
                (_, Some(_)) => {}
                (_, None) => {
                    map.insert(key, value);
                }
            }
        }
    }
    map
}

/// Whether a schema accepts `null` under OpenAPI 3.0 as the engine reads it, written apart
/// from the engine: `nullable`, `null` in the `enum`, or exactly one `oneOf` (any `anyOf`)
/// member that accepts it; with `allOf` members, every one of the schema and its members that
/// says anything of `null` must accept it.
fn openapi_accepts_null(schema: &Value) -> bool {
    null_verdict(schema) == Some(true)
}

/// What a schema and its `allOf` members say of `null`; `None` when none says anything.
fn null_verdict(schema: &Value) -> Option<bool> {
    if let Some(target) = referenced(schema) {
        return null_verdict(&target);
    }
    let count = |kind: &str| {
        schema.get(kind).and_then(Value::as_array).map(|members| {
            members
                .iter()
                .filter(|member| openapi_accepts_null(member))
                .count()
        })
    };
    let own = if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        Some(values.contains(&Value::Null))
    } else if let Some(Value::Bool(nullable)) = schema.get("nullable") {
        Some(*nullable)
    } else {
        match (count("oneOf"), count("anyOf")) {
            (Some(accepting), _) => Some(accepting == 1),
            (None, Some(accepting)) => Some(accepting >= 1),
            _ => None,
        }
    };
    let members = schema.get("allOf").and_then(Value::as_array);
    let verdicts = std::iter::once(own).chain(members.into_iter().flatten().map(null_verdict));
    verdicts.fold(None, |all, verdict| match (all, verdict) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), _) | (_, Some(true)) => Some(true),
        _ => None,
    })
}

/// The names of properties kept out of `direction` in the schema or any of its `allOf`
/// members: a `required` entry naming one counts only in the other direction, wherever it is.
fn kept_out_names(schema: &Value, direction: Direction) -> Vec<String> {
    if let Some(target) = referenced(schema) {
        return kept_out_names(&target, direction);
    }
    let flag = match direction {
        Direction::Request => "readOnly",
        Direction::Response => "writeOnly",
    };
    let mut names: Vec<String> = schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, property)| property.get(flag) == Some(&json!(true)))
        .map(|(name, _)| name.clone())
        .collect();
    for member in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        names.extend(kept_out_names(member, direction));
    }
    names
}

/// The OpenAPI 3.0 schema as a draft 7 JSON Schema, for instances sent in `direction`.
fn translate(schema: &Value, direction: Direction) -> Value {
    translate_as(schema, direction, false)
}

/// [`translate`], or when `closed` what clients written against the schema send: no property
/// an object leaves open (a draft 2020-12 schema, as `unevaluatedProperties` sees the
/// properties every `allOf` member and matching `oneOf`/`anyOf` branch declares).
fn translate_as(schema: &Value, direction: Direction, closed: bool) -> Value {
    let translated = translate_within(schema, direction, closed, &[]);
    if closed {
        json!({"allOf": [translated], "unevaluatedProperties": false})
    } else {
        translated
    }
}

/// [`translate`] for a `oneOf`/`anyOf` member: the properties its composition's object keeps
/// out (`kept_out`) stay out of it, and its `required` entries naming them do not count.
fn translate_within(
    schema: &Value,
    direction: Direction,
    closed: bool,
    kept_out: &[String],
) -> Value {
    let mut names = kept_out.to_vec();
    names.extend(kept_out_names(schema, direction));
    let not_null = non_null_part(schema, direction, closed, &names);
    if openapi_accepts_null(schema) {
        json!({"anyOf": [{"type": "null"}, not_null]})
    } else {
        not_null
    }
}

/// What a schema asks of instances other than `null` (whether `null` is accepted is decided
/// for the schema and its `allOf` members together); `kept_out` are the names of properties
/// that must be absent in this direction.
fn non_null_part(
    schema: &Value,
    direction: Direction,
    closed: bool,
    kept_out_names: &[String],
) -> Value {
    if let Some(target) = referenced(schema) {
        return non_null_part(&target, direction, closed, kept_out_names);
    }
    let Some(map) = schema.as_object() else {
        return json!(true);
    };
    let mut core = Map::new();
    let mut all_of = Vec::new();
    for keyword in [
        "type",
        "enum",
        "multipleOf",
        "minLength",
        "maxLength",
        "pattern",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minProperties",
        "maxProperties",
    ] {
        if let Some(value) = map.get(keyword) {
            core.insert(keyword.into(), value.clone());
        }
    }
    for (keyword, exclusive) in [
        ("minimum", "exclusiveMinimum"),
        ("maximum", "exclusiveMaximum"),
    ] {
        if let Some(bound) = map.get(keyword) {
            let name = if map.get(exclusive) == Some(&json!(true)) {
                exclusive
            } else {
                keyword
            };
            core.insert(name.into(), bound.clone());
        }
    }
    match map.get("format").and_then(Value::as_str) {
        Some("int32") => all_of.push(json!({"minimum": i32::MIN, "maximum": i32::MAX})),
        Some("int64") => all_of.push(json!({"minimum": i64::MIN, "maximum": i64::MAX})),
        _ => {}
    }
    if let Some(items) = map.get("items") {
        core.insert("items".into(), translate_as(items, direction, closed));
    }
    if let Some(refused) = map.get("not") {
        core.insert("not".into(), translate(refused, direction));
    }
    let kept_out = |name: &str| kept_out_names.iter().any(|kept| kept == name);
    if let Some(properties) = map.get("properties").and_then(Value::as_object) {
        let translated: Map<String, Value> = properties
            .iter()
            .map(|(name, property)| {
                let value = if kept_out(name) {
                    json!(false)
                } else {
                    translate_as(property, direction, closed)
                };
                (name.clone(), value)
            })
            .collect();
        core.insert("properties".into(), Value::Object(translated));
    }
    if let Some(required) = map.get("required").and_then(Value::as_array) {
        let kept: Vec<Value> = required
            .iter()
            .filter(|name| !name.as_str().is_some_and(kept_out))
            .cloned()
            .collect();
        core.insert("required".into(), Value::Array(kept));
    }
    match map.get("additionalProperties") {
        Some(Value::Bool(open)) if !(closed && *open) => {
            core.insert("additionalProperties".into(), json!(open));
        }
        Some(extra @ Value::Object(_)) => {
            core.insert(
                "additionalProperties".into(),
                translate_as(extra, direction, closed),
            );
        }
        _ => {}
    }
    for kind in ["oneOf", "anyOf"] {
        if let Some(members) = map.get(kind).and_then(Value::as_array) {
            let translated: Vec<Value> = members
                .iter()
                .map(|member| translate_within(member, direction, closed, kept_out_names))
                .collect();
            core.insert(kind.into(), Value::Array(translated));
        }
    }
    for member in map
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        all_of.push(non_null_part(member, direction, closed, kept_out_names));
    }
    all_of.push(json!({"not": {"type": "null"}}));
    all_of.push(Value::Object(core));
    json!({ "allOf": all_of })
}

fn document(base: &Value, head: &Value) -> SpecDocument {
    let value = json!({
        "openapi": "3.0.3",
        "info": {"title": "Property test", "version": "1"},
        "paths": {},
        "components": {"schemas": targets()},
    });
    let mut value = value;
    value["components"]["schemas"]["Base"] = base.clone();
    value["components"]["schemas"]["Head"] = head.clone();
    SpecDocument::parse(
        std::path::Path::new("property-test.json"),
        value.to_string(),
    )
    .unwrap()
}

/// One case: the engine's claims for `base` → `head` in `direction`, checked on samples.
fn check(base: &Value, head: &Value, direction: Direction, rng: &mut Rng) -> Result<(), String> {
    let spec = document(base, head);
    let field = |name: &str| {
        FieldPath::root()
            .join("components")
            .join("schemas")
            .join(name)
    };
    let base_value = &spec.value["components"]["schemas"]["Base"];
    let head_value = &spec.value["components"]["schemas"]["Head"];
    let base_view = SchemaView::new(&spec, base_value, &field("Base")).unwrap();
    let head_view = SchemaView::new(&spec, head_value, &field("Head")).unwrap();
    let delta = Containment::new(&spec, &spec)
        .compare(direction, &base_view, &head_view)
        .total();
    let base_validator = jsonschema::draft7::new(&translate(base, direction)).unwrap();
    let head_validator = jsonschema::draft7::new(&translate(head, direction)).unwrap();
    check_contradiction(&spec, direction, &head_view, head, &head_validator, rng)?;
    if delta.loses != Extent::None && delta.gains != Extent::None {
        return Ok(());
    }
    let base_sent = jsonschema::draft202012::new(&translate_as(base, direction, true)).unwrap();
    let validators = Validators {
        base: &base_validator,
        head: &head_validator,
        base_sent: &base_sent,
    };
    check_samples(delta, (base, head), &validators, rng)
}

/// When the engine says a schema accepts nothing, no instance sampled near it may be valid.
fn check_contradiction(
    spec: &SpecDocument,
    direction: Direction,
    view: &SchemaView,
    schema: &Value,
    validator: &jsonschema::Validator,
    rng: &mut Rng,
) -> Result<(), String> {
    let Some(found) = contradiction(spec, direction, &Layers::plain(view), 0) else {
        return Ok(());
    };
    for _ in 0..60 {
        let instance = sample(schema, rng, 0);
        if validator.is_valid(&instance) {
            return Err(format!(
                "the engine says the head accepts nothing ({}), but it accepts {instance}",
                found.reason
            ));
        }
    }
    Ok(())
}

/// What decides a sampled instance: accepted by the base, by the head, and sent by a client
/// written against the base (the base with the properties it leaves open closed).
struct Validators<'a> {
    base: &'a jsonschema::Validator,
    head: &'a jsonschema::Validator,
    base_sent: &'a jsonschema::Validator,
}

/// The engine's claims (`delta`) checked on 120 instances, half sampled near each side of
/// `near` (schemas whose shapes the sampler knows).
fn check_samples(
    delta: Delta,
    near: (&Value, &Value),
    validators: &Validators,
    rng: &mut Rng,
) -> Result<(), String> {
    for index in 0..120 {
        // Losing nothing is claimed for what clients written against the base send, so it is
        // checked on instances sampled from the base; gaining nothing holds for any instance.
        let from_base = index % 2 == 0;
        let instance = sample(if from_base { near.0 } else { near.1 }, rng, 0);
        let (in_base, in_head) = (
            validators.base.is_valid(&instance),
            validators.head.is_valid(&instance),
        );
        let sent = in_base && validators.base_sent.is_valid(&instance);
        if from_base && delta.loses == Extent::None && sent && !in_head {
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
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// A schema and a random mutation of it: no sample contradicts what the engine claims.
    #[test]
    fn no_sample_contradicts_the_engine(seed in any::<u64>(), mutations in 1..3usize, response in any::<bool>()) {
        let mut rng = Rng(seed | 1);
        let base = random_schema(&mut rng, 2);
        let mut head = base.clone();
        for _ in 0..mutations {
            mutate(&mut head, &mut rng);
        }
        let direction = if response { Direction::Response } else { Direction::Request };
        let verdict = check(&base, &head, direction, &mut rng);
        prop_assert!(verdict.is_ok(), "{}\nbase: {base}\nhead: {head}", verdict.unwrap_err());
    }

    /// A schema compared with itself is the same, and with its oneOf/anyOf/allOf members reversed too.
    #[test]
    fn a_schema_is_the_same_as_itself_in_any_member_order(seed in any::<u64>(), response in any::<bool>()) {
        let mut rng = Rng(seed | 1);
        let base = random_schema(&mut rng, 2);
        let mut head = base.clone();
        let mut paths = Vec::new();
        schema_paths(&head, Vec::new(), &mut paths);
        for path in paths.iter().rev() {
            for kind in ["oneOf", "anyOf", "allOf"] {
                if let Some(members) = at_path(&mut head, path).get_mut(kind).and_then(Value::as_array_mut) {
                    members.reverse();
                }
            }
        }
        let spec = document(&base, &head);
        let field = |name: &str| FieldPath::root().join("components").join("schemas").join(name);
        let base_view = SchemaView::new(&spec, &spec.value["components"]["schemas"]["Base"], &field("Base")).unwrap();
        let head_view = SchemaView::new(&spec, &spec.value["components"]["schemas"]["Head"], &field("Head")).unwrap();
        let direction = if response { Direction::Response } else { Direction::Request };
        let delta = Containment::new(&spec, &spec).compare(direction, &base_view, &head_view).total();
        prop_assert_eq!(delta, Delta::SAME, "base: {}\nhead: {}", base, head);
    }
}

/// The translation and sampler can find a contradiction: a claim the engine must never make
/// (that `maxLength: 1` loses nothing against no bound) is caught.
#[test]
fn the_check_catches_a_false_claim() {
    let base = json!({"type": "string"});
    let head = json!({"type": "string", "maxLength": 1});
    let base_validator = jsonschema::draft7::new(&translate(&base, Direction::Request)).unwrap();
    let head_validator = jsonschema::draft7::new(&translate(&head, Direction::Request)).unwrap();
    let mut rng = Rng(7);
    let refused = (0..100)
        .map(|_| sample(&base, &mut rng, 0))
        .any(|instance| base_validator.is_valid(&instance) && !head_validator.is_valid(&instance));
    assert!(refused, "no sample of the base is refused by the head");
    assert!(!base_validator.is_valid(&Value::Null));
    let nullable = translate(
        &json!({"oneOf": [{"type": "integer"}, {"nullable": true, "enum": [null]}]}),
        Direction::Response,
    );
    assert!(jsonschema::draft7::new(&nullable)
        .unwrap()
        .is_valid(&Value::Null));
}

/// Examples of each verdict, one per keyword family, in both directions.
#[test]
fn the_engine_decides_each_keyword_family() {
    let cases = [
        // (base, head, relation)
        (
            json!({"type": "integer", "format": "int64"}),
            json!({"type": "integer", "format": "int32"}),
            Relation::Narrower,
        ),
        (
            json!({"type": "integer"}),
            json!({"type": "number"}),
            Relation::Wider,
        ),
        (
            json!({"type": "string", "pattern": "^\\w+$"}),
            json!({"type": "string", "pattern": ".*"}),
            Relation::Wider,
        ),
        // Patterns as regular languages: decided where regular, unknown where not.
        (
            json!({"type": "string", "pattern": "^a"}),
            json!({"type": "string", "pattern": "^b"}),
            Relation::Incomparable,
        ),
        (
            json!({"type": "string", "pattern": "^a"}),
            json!({"type": "string", "pattern": "^ab"}),
            Relation::Narrower,
        ),
        (
            json!({"type": "string", "pattern": "^\\d{2}$"}),
            json!({"type": "string", "pattern": "^[0-9][0-9]$"}),
            Relation::Same,
        ),
        (
            json!({"type": "string", "pattern": "^a(?=b)"}),
            json!({"type": "string", "pattern": "^ab"}),
            Relation::Unknown,
        ),
        (
            json!({"type": "string", "enum": ["sim", "esim"]}),
            json!({"type": "string", "pattern": "^e?sim$"}),
            Relation::Same,
        ),
        (
            json!({"type": "string", "enum": ["sim"]}),
            json!({"type": "string", "pattern": "^e?sim$"}),
            Relation::Wider,
        ),
        // Branches of a `oneOf` told apart by their patterns: the same as their `anyOf`.
        (
            json!({"oneOf": [{"type": "string", "pattern": "^a"}, {"type": "string", "pattern": "^b"}]}),
            json!({"anyOf": [{"type": "string", "pattern": "^a"}, {"type": "string", "pattern": "^b"}]}),
            Relation::Same,
        ),
        (
            json!({"type": "string", "enum": ["a", "b"]}),
            json!({"type": "string", "enum": ["b", "a"]}),
            Relation::Same,
        ),
        (
            json!({"type": "string", "enum": ["a"]}),
            json!({"type": "string", "enum": ["a", "b"]}),
            Relation::Wider,
        ),
        (
            json!({"type": "integer", "minimum": 1, "exclusiveMinimum": true}),
            json!({"type": "integer", "minimum": 2}),
            Relation::Same,
        ),
        (
            json!({"type": "number", "multipleOf": 2}),
            json!({"type": "number", "multipleOf": 4}),
            Relation::Narrower,
        ),
        (
            json!({"type": "array", "items": {"type": "string"}}),
            json!({"type": "array", "items": {"type": "string"}, "uniqueItems": true}),
            Relation::Narrower,
        ),
        (
            json!({"type": "object", "additionalProperties": {"type": "string"}}),
            json!({"type": "object", "additionalProperties": true}),
            Relation::Wider,
        ),
        (
            json!({"type": "object", "properties": {"a": {"type": "string"}}}),
            json!({"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}),
            Relation::Narrower,
        ),
        (
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}]}),
            json!({"oneOf": [{"type": "integer"}, {"type": "string"}]}),
            Relation::Same,
        ),
        (
            json!({"type": "string"}),
            json!({"oneOf": [{"type": "string"}, {"type": "string", "maxLength": 5}]}),
            Relation::Narrower,
        ),
        (
            json!({"type": "object", "nullable": true}),
            json!({"oneOf": [{"type": "object"}, {"nullable": true, "enum": [null]}]}),
            Relation::Same,
        ),
        (
            json!({"type": "boolean"}),
            json!({"type": "boolean", "enum": [true, false]}),
            Relation::Same,
        ),
        // Every `allOf` member applies: the tightest bound, the values all enums list, every
        // pattern; keywords beside a one-member `allOf: [{$ref}]` constrain too.
        (
            json!({"allOf": [{"type": "integer", "maximum": 10}, {"maximum": 5}]}),
            json!({"type": "integer", "maximum": 5}),
            Relation::Same,
        ),
        (
            json!({"allOf": [{"type": "integer", "maximum": 10}, {"maximum": 5}]}),
            json!({"allOf": [{"type": "integer", "maximum": 10}, {"maximum": 3}]}),
            Relation::Narrower,
        ),
        (
            json!({"allOf": [{"type": "string", "enum": ["a", "b"]}, {"enum": ["b", "c"]}]}),
            json!({"type": "string", "enum": ["b"]}),
            Relation::Same,
        ),
        (
            json!({"allOf": [{"$ref": "#/components/schemas/Text"}], "description": "A text."}),
            json!({"allOf": [{"$ref": "#/components/schemas/Text"}], "maxLength": 2}),
            Relation::Narrower,
        ),
        (
            json!({"allOf": [{"$ref": "#/components/schemas/Text"}], "maxLength": 9}),
            json!({"$ref": "#/components/schemas/Text"}),
            Relation::Same,
        ),
        (
            json!({"allOf": [{"type": "string", "pattern": "^a"}, {"pattern": "b"}]}),
            json!({"allOf": [{"type": "string", "pattern": "^a"}]}),
            Relation::Wider,
        ),
        (
            json!({"allOf": [{"type": "string", "nullable": true}, {"maxLength": 3}]}),
            json!({"type": "string", "maxLength": 3, "nullable": true}),
            Relation::Same,
        ),
        (
            json!({"allOf": [{"type": "string", "nullable": true}, {"nullable": false}]}),
            json!({"type": "string"}),
            Relation::Same,
        ),
        // A keyword the engine does not compare, changed: unknown either way.
        (
            json!({"type": "string", "not": {"enum": ["a"]}}),
            json!({"type": "string"}),
            Relation::Unknown,
        ),
    ];
    for (base, head, relation) in cases {
        let spec = document(&base, &head);
        let field = |name: &str| {
            FieldPath::root()
                .join("components")
                .join("schemas")
                .join(name)
        };
        let base_view = SchemaView::new(
            &spec,
            &spec.value["components"]["schemas"]["Base"],
            &field("Base"),
        )
        .unwrap();
        let head_view = SchemaView::new(
            &spec,
            &spec.value["components"]["schemas"]["Head"],
            &field("Head"),
        )
        .unwrap();
        let delta = Containment::new(&spec, &spec)
            .compare(Direction::Request, &base_view, &head_view)
            .total();
        assert_eq!(delta.relation(), relation, "{base} → {head}: {delta:?}");
        let reversed = Containment::new(&spec, &spec)
            .compare(Direction::Request, &head_view, &base_view)
            .total();
        let expected = match relation {
            Relation::Narrower => Relation::Wider,
            Relation::Wider => Relation::Narrower,
            other => other,
        };
        assert_eq!(
            reversed.relation(),
            expected,
            "{head} → {base}: {reversed:?}"
        );
    }
}

/// Schemas that accept nothing, and some that only look like it.
#[test]
fn a_schema_that_accepts_nothing_is_found_with_its_reason() {
    let cases = [
        (
            json!({"allOf": [{"type": "string"}, {"type": "integer"}]}),
            Some("types"),
        ),
        (
            json!({"type": "integer", "minimum": 5, "maximum": 3}),
            Some("bounds"),
        ),
        (
            json!({"type": "integer", "minimum": 1, "maximum": 2, "exclusiveMinimum": true, "exclusiveMaximum": true}),
            Some("bounds"),
        ),
        (
            json!({"type": "number", "minimum": 1, "maximum": 2, "exclusiveMinimum": true, "exclusiveMaximum": true}),
            None,
        ),
        (
            json!({"type": "string", "minLength": 3, "maxLength": 2}),
            Some("minLength"),
        ),
        (
            json!({"type": "string", "minLength": 3, "maxLength": 2, "nullable": true}),
            None,
        ),
        (
            json!({"type": "object", "properties": {"a": {"type": "string"}}, "required": ["b"], "additionalProperties": false}),
            Some("`b`"),
        ),
        (
            json!({"type": "object", "properties": {"b": {"type": "string", "readOnly": true}}, "required": ["b"], "additionalProperties": false}),
            None,
        ),
        (
            json!({"type": "object", "allOf": [{"properties": {"a": {"type": "string"}}}, {"properties": {"a": {"type": "integer"}}}], "required": ["a"]}),
            Some("`a`"),
        ),
        (
            json!({"type": "object", "allOf": [{"properties": {"a": {"type": "string"}}}, {"properties": {"a": {"type": "integer"}}}]}),
            None,
        ),
        (
            json!({"allOf": [{"type": "string", "enum": ["a", "b"]}, {"enum": ["c"]}]}),
            Some("enums"),
        ),
        (
            json!({"type": "string", "enum": ["abc"], "maxLength": 2}),
            Some("enum"),
        ),
        (
            json!({"oneOf": [{"type": "integer", "minimum": 3, "maximum": 1}, {"allOf": [{"type": "string"}, {"type": "boolean"}]}]}),
            Some("branch"),
        ),
        (
            json!({"type": "array", "minItems": 1, "items": {"allOf": [{"type": "string"}, {"type": "integer"}]}}),
            Some("items"),
        ),
        (
            json!({"type": "array", "items": {"allOf": [{"type": "string"}, {"type": "integer"}]}}),
            None,
        ),
    ];
    for (schema, expected) in cases {
        let spec = document(&json!({}), &schema);
        let field = FieldPath::root()
            .join("components")
            .join("schemas")
            .join("Head");
        let view =
            SchemaView::new(&spec, &spec.value["components"]["schemas"]["Head"], &field).unwrap();
        let found = contradiction(&spec, Direction::Request, &Layers::plain(&view), 0);
        match (expected, &found) {
            (None, None) => {}
            (Some(word), Some(found)) => {
                assert!(found.reason.contains(word), "{schema}: {found:?}")
            }
            _ => panic!("{schema}: expected {expected:?}, found {found:?}"),
        }
        let validator = jsonschema::draft7::new(&translate(&schema, Direction::Request)).unwrap();
        let mut rng = Rng(11);
        assert!(
            check_contradiction(
                &spec,
                Direction::Request,
                &view,
                &schema,
                &validator,
                &mut rng
            )
            .is_ok(),
            "{schema}"
        );
    }
}

/// A required readOnly property declared where requests left the object open: clients never
/// sent it and may not now, so requests lose nothing and gain nothing; responses must now hold
/// it. Undeclared again, what requests may hold there is no longer said (possibly more).
#[test]
fn required_binds_the_direction_a_property_is_not_kept_out_of() {
    let base = json!({"type": "object", "properties": {"a": {"type": "string"}}});
    let head = json!({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string", "readOnly": true}}, "required": ["b"]});
    let spec = document(&base, &head);
    let field = |name: &str| {
        FieldPath::root()
            .join("components")
            .join("schemas")
            .join(name)
    };
    let view = |name: &str| {
        SchemaView::new(
            &spec,
            &spec.value["components"]["schemas"][name],
            &field(name),
        )
        .unwrap()
    };
    let (base_view, head_view) = (view("Base"), view("Head"));
    let delta = |direction, from: &SchemaView, to: &SchemaView| {
        Containment::new(&spec, &spec)
            .compare(direction, from, to)
            .total()
    };
    assert_eq!(
        delta(Direction::Request, &base_view, &head_view),
        Delta::SAME
    );
    assert_eq!(
        delta(Direction::Response, &base_view, &head_view),
        Delta::NARROWER
    );
    assert_eq!(
        delta(Direction::Request, &head_view, &base_view),
        Delta::new(Extent::None, Extent::Possibly)
    );
}

/// The components 3.1 schemas refer to: the 3.1 forms of [`targets`], which read as them.
fn targets_31() -> Value {
    json!({
        "Text": {"type": "string", "maxLength": 4},
        "Count": {"type": "integer", "minimum": -2, "maximum": 5},
        "Flag": {"type": ["boolean", "null"]},
    })
}

/// A random OpenAPI 3.1 schema over the forms read as 3.0 ones: type lists (with `"null"`),
/// `const`, numeric `exclusiveMinimum`/`exclusiveMaximum`, `$ref` with constraints beside it.
/// Every schema has a `type`, a `const` or a `$ref`, so that `null` is accepted only where it
/// is listed, as in the 3.0 reading.
fn random_schema_31(rng: &mut Rng, depth: usize) -> Value {
    let kinds: &[&str] = if depth == 0 {
        &["integer", "number", "string", "const", "types", "ref"]
    } else {
        &[
            "integer", "number", "string", "const", "types", "ref", "array", "object", "oneOf",
            "nullref",
        ]
    };
    let mut schema = Map::new();
    let mut kind = *rng.pick(kinds);
    match kind {
        "integer" | "number" => numeric_keywords_31(rng, &mut schema, kind == "number"),
        "string" => string_keywords(rng, &mut schema),
        "const" => {
            let value = rng
                .pick(&[json!("a"), json!("ab"), json!(1), json!(-2)])
                .clone();
            kind = if value.is_string() {
                "string"
            } else {
                "integer"
            };
            schema.insert("const".into(), value);
        }
        "types" => {
            numeric_keywords_31(rng, &mut schema, false);
            string_keywords(rng, &mut schema);
            let types = if rng.chance(50) {
                json!(["integer", "string"])
            } else {
                json!(["string", "number", "integer"])
            };
            schema.insert("type".into(), types);
        }
        "ref" => {
            let name = *rng.pick(&["Text", "Count", "Flag"]);
            schema.insert("$ref".into(), json!(format!("#/components/schemas/{name}")));
            match name {
                "Text" => string_keywords(rng, &mut schema),
                "Count" => numeric_keywords_31(rng, &mut schema, false),
                _ => {}
            }
        }
        "nullref" => {
            // The 3.1 nullable reference, in either order.
            let name = *rng.pick(&["Text", "Count", "Flag"]);
            let reference = json!({"$ref": format!("#/components/schemas/{name}")});
            let members = if rng.chance(50) {
                json!([reference, {"type": "null"}])
            } else {
                json!([{"type": "null"}, reference])
            };
            schema.insert("anyOf".into(), members);
        }
        "array" => {
            schema.insert("items".into(), random_schema_31(rng, depth - 1));
            if rng.chance(30) {
                schema.insert("maxItems".into(), json!(1 + rng.below(3)));
            }
            for _ in 0..2 {
                if rng.chance(20) {
                    let (keyword, value) = random_2020_12_array_keyword(rng);
                    schema.insert(keyword.into(), value);
                }
            }
        }
        "object" => {
            let mut properties = Map::new();
            for name in NAMES {
                if rng.chance(60) {
                    properties.insert(name.into(), random_schema_31(rng, depth - 1));
                }
            }
            let declared: Vec<Value> = properties.keys().map(|name| json!(name)).collect();
            schema.insert("properties".into(), Value::Object(properties));
            let required: Vec<Value> = declared.into_iter().filter(|_| rng.chance(40)).collect();
            if !required.is_empty() {
                schema.insert("required".into(), Value::Array(required));
            }
            if rng.chance(30) {
                schema.insert("additionalProperties".into(), json!(false));
            }
            for _ in 0..2 {
                if rng.chance(20) {
                    let (keyword, value) = random_2020_12_object_keyword(rng);
                    schema.insert(keyword.into(), value);
                }
            }
        }
        _ => {
            let members = (0..2).map(|_| random_schema_31(rng, depth - 1)).collect();
            schema.insert("oneOf".into(), Value::Array(members));
        }
    }
    if rng.chance(8) {
        // A 3.0 keyword, which means nothing in 3.1.
        schema.insert("nullable".into(), json!(true));
    }
    if !matches!(kind, "types" | "ref" | "oneOf" | "nullref") {
        let name = match kind {
            "array" | "object" | "integer" | "number" | "string" => kind,
            _ => "string",
        };
        schema.insert(
            "type".into(),
            if rng.chance(20) {
                json!([name, "null"])
            } else {
                json!(name)
            },
        );
    }
    Value::Object(schema)
}

/// A JSON Schema 2020-12 keyword for arrays that the engine does not compare.
fn random_2020_12_array_keyword(rng: &mut Rng) -> (&'static str, Value) {
    match rng.below(4) {
        0 => ("prefixItems", json!([{"type": "string"}])),
        1 => ("contains", json!({"const": "a"})),
        2 => ("minContains", json!(rng.below(2))),
        _ => ("unevaluatedItems", json!(false)),
    }
}

/// A JSON Schema 2020-12 keyword for objects (or any schema) that the engine does not compare.
fn random_2020_12_object_keyword(rng: &mut Rng) -> (&'static str, Value) {
    match rng.below(7) {
        0 => ("propertyNames", json!({"maxLength": 1})),
        1 => ("dependentRequired", json!({"a": ["b"]})),
        2 => ("patternProperties", json!({"^c": {"type": "string"}})),
        3 => ("unevaluatedProperties", json!(false)),
        4 => ("dependentSchemas", json!({"b": {"required": ["c"]}})),
        5 => ("if", json!({"required": ["a"]})),
        _ => ("not", json!({"required": ["b"]})),
    }
}

fn numeric_keywords_31(rng: &mut Rng, schema: &mut Map<String, Value>, fractions: bool) {
    for keyword in ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"] {
        if rng.chance(25) {
            let whole = rng.below(7) as i64 - 3;
            let value = if fractions && rng.chance(30) {
                json!(whole as f64 + 0.5)
            } else {
                json!(whole)
            };
            schema.insert(keyword.into(), value);
        }
    }
}

/// One random change of a 3.1 schema: a bound moved, added or removed, `"null"` added to or
/// removed from a type, a `const` changed, a subtree replaced.
fn mutate_31(schema: &mut Value, rng: &mut Rng) {
    let mut paths = Vec::new();
    schema_paths(schema, Vec::new(), &mut paths);
    let path = rng.pick(&paths).clone();
    let node = at_path(schema, &path);
    let Some(map) = node.as_object_mut() else {
        return;
    };
    match rng.below(6) {
        0 => {
            let keyword = *rng.pick(&[
                "minimum",
                "maximum",
                "exclusiveMinimum",
                "exclusiveMaximum",
                "minLength",
                "maxLength",
                "maxItems",
            ]);
            match map.get(keyword).and_then(Value::as_f64) {
                Some(_) if rng.chance(30) => {
                    map.remove(keyword);
                }
                Some(value) => {
                    let moved = if rng.chance(50) {
                        value + 1.0
                    } else {
                        value - 1.0
                    };
                    let least = if keyword.contains("imum") { -9.0 } else { 0.0 };
                    map.insert(keyword.into(), json!(moved.max(least) as i64));
                }
                None => {
                    map.insert(keyword.into(), json!(rng.below(4)));
                }
            }
        }
        1 => match map.get_mut("type") {
            Some(Value::String(name)) if name != "null" => {
                let name = name.clone();
                map.insert("type".into(), json!([name, "null"]));
            }
            Some(Value::Array(names)) => {
                if names.contains(&json!("null")) {
                    names.retain(|name| name != "null");
                } else {
                    names.push(json!("null"));
                }
            }
            _ => {}
        },
        2 if map.contains_key("const") || rng.chance(30) => {
            let value = rng
                .pick(&[json!("a"), json!("b"), json!(1), json!(2)])
                .clone();
            map.insert("const".into(), value);
        }
        3 => *node = random_schema_31(rng, 1),
        4 => {
            let (keyword, value) = if map.contains_key("items") {
                random_2020_12_array_keyword(rng)
            } else {
                random_2020_12_object_keyword(rng)
            };
            if map.remove(keyword).is_none() {
                map.insert(keyword.into(), value);
            }
        }
        _ => {}
    }
}

/// What clients written against a 3.1 schema send: no property an object leaves open (see
/// [`translate_as`]).
fn closed_31(schema: &Value) -> Value {
    json!({"allOf": [closed_parts_31(schema)], "unevaluatedProperties": false})
}

/// A 3.1 schema with the schemas of its properties, items and additional properties closed.
fn closed_parts_31(schema: &Value) -> Value {
    let Some(map) = schema.as_object() else {
        return schema.clone();
    };
    let mut closed = Map::new();
    for (key, value) in map {
        let value = match (key.as_str(), value) {
            ("properties", Value::Object(properties)) => Value::Object(
                properties
                    .iter()
                    .map(|(name, property)| (name.clone(), closed_31(property)))
                    .collect(),
            ),
            ("items", _) | ("additionalProperties", Value::Object(_)) => closed_31(value),
            ("additionalProperties", Value::Bool(true)) => continue,
            ("oneOf" | "anyOf", Value::Array(members)) => {
                Value::Array(members.iter().map(closed_parts_31).collect())
            }
            _ => value.clone(),
        };
        closed.insert(key.clone(), value);
    }
    Value::Object(closed)
}

/// A 3.1 pair read as 3.0 the way the contract review reads it; the engine's claims are
/// checked on samples with a draft 2020-12 validator on the original 3.1 schemas.
fn check_31(base: &Value, head: &Value, rng: &mut Rng) -> Result<(), String> {
    let mut schemas = targets_31();
    schemas["Base"] = base.clone();
    schemas["Head"] = head.clone();
    let document = json!({
        "openapi": "3.1.0",
        "info": {"title": "Property test", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    });
    let mut spec = SpecDocument::parse_for_review(
        std::path::Path::new("property-test.json"),
        document.to_string(),
    )
    .unwrap();
    openapi31::read_as_openapi_30(&mut spec.value, true);
    spec_model::nullable::read_nullable_refs(&mut spec.value);
    let field = |name: &str| {
        FieldPath::root()
            .join("components")
            .join("schemas")
            .join(name)
    };
    let (base_read, head_read) = (
        &spec.value["components"]["schemas"]["Base"],
        &spec.value["components"]["schemas"]["Head"],
    );
    let base_view = SchemaView::new(&spec, base_read, &field("Base")).unwrap();
    let head_view = SchemaView::new(&spec, head_read, &field("Head")).unwrap();
    let delta = Containment::new(&spec, &spec)
        .compare(Direction::Request, &base_view, &head_view)
        .total();
    let validator = |schema: &Value| {
        jsonschema::draft202012::new(
            &json!({"components": {"schemas": targets_31()}, "allOf": [schema]}),
        )
        .unwrap()
    };
    let (base_validator, head_validator) = (validator(base), validator(head));
    check_contradiction(
        &spec,
        Direction::Request,
        &head_view,
        head_read,
        &head_validator,
        rng,
    )?;
    if delta.loses != Extent::None && delta.gains != Extent::None {
        return Ok(());
    }
    let base_sent = validator(&closed_31(base));
    let validators = Validators {
        base: &base_validator,
        head: &head_validator,
        base_sent: &base_sent,
    };
    // Sampled near the 3.0 reading, whose shapes the sampler knows.
    check_samples(delta, (base_read, head_read), &validators, rng)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// A 3.1 schema and a random mutation of it, read as 3.0: no sample contradicts what the
    /// engine claims, judged by a 2020-12 validator on the schemas as written.
    #[test]
    fn no_sample_contradicts_the_engine_on_openapi_3_1(seed in any::<u64>(), mutations in 1..3usize) {
        let mut rng = Rng(seed | 1);
        let base = random_schema_31(&mut rng, 2);
        let mut head = base.clone();
        for _ in 0..mutations {
            mutate_31(&mut head, &mut rng);
        }
        let verdict = check_31(&base, &head, &mut rng);
        prop_assert!(verdict.is_ok(), "{}\nbase: {base}\nhead: {head}", verdict.unwrap_err());
    }
}

/// Whether an `anyOf` accepts `null` is read from its branches: a keyword the engine does not
/// read there (`not`, which refuses `null` here) leaves `null` undecided, so the engine may not
/// claim the head loses nothing (found by the property test above).
#[test]
fn null_behind_an_unread_keyword_of_a_branch_is_not_claimed() {
    let base = json!({"anyOf": [{"type": "null"}, {"$ref": "#/components/schemas/Count"}]});
    let head = json!({"anyOf": [
        {"not": {"required": ["b"]}, "properties": {"a": {"$ref": "#/components/schemas/Count", "maximum": 2}}, "type": ["object", "null"]},
        {"$ref": "#/components/schemas/Count"},
    ]});
    let verdict = check_31(&base, &head, &mut Rng(3124697950173221723));
    assert!(verdict.is_ok(), "{}", verdict.unwrap_err());
}

mod keywords_2020_12;
