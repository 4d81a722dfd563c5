//! Reading YAML (or JSON) into a `serde_json::Value`, refusing duplicate mapping keys: YAML
//! parsers keep the last value silently, so a spec with two `get:` under one path would lose an
//! operation without a word.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// What went wrong reading the text, with the line and column when the parser knows them.
pub struct YamlError {
    pub line_column: Option<(usize, usize)>,
    pub message: String,
}

/// Parses `text`; a duplicate key is an error that points at the second occurrence and names
/// the line of the first.
pub fn parse(text: &str) -> Result<Value, YamlError> {
    match serde_yaml_ng::from_str::<Strict>(text) {
        Ok(Strict(value)) => Ok(value),
        Err(error) if error.to_string().contains(DUPLICATE) => Err(locate_duplicate(text)
            .unwrap_or_else(|| YamlError {
                line_column: location(&error),
                message: error.to_string(),
            })),
        Err(error) => Err(YamlError {
            line_column: location(&error),
            message: format!("invalid YAML: {error}"),
        }),
    }
}

const DUPLICATE: &str = "duplicate key";

fn location(error: &serde_yaml_ng::Error) -> Option<(usize, usize)> {
    error
        .location()
        .map(|location| (location.line(), location.column()))
}

/// The positions of both occurrences of a duplicate key, from the marked parser (which knows
/// the position of every key). `None` when that parser cannot read the file (anchors, tags).
fn locate_duplicate(text: &str) -> Option<YamlError> {
    let options = marked_yaml::LoaderOptions::default().error_on_duplicate_keys(true);
    let Err(marked_yaml::LoadError::DuplicateKey(duplicate)) =
        marked_yaml::parse_yaml_with_options(0, text, options)
    else {
        return None;
    };
    let start = |key: &marked_yaml::types::MarkedScalarNode| {
        key.span()
            .start()
            .map(|marker| (marker.line(), marker.column()))
    };
    let first_line = start(&duplicate.prev_key)
        .map(|(line, _)| format!(" (first at line {line})"))
        .unwrap_or_default();
    Some(YamlError {
        line_column: start(&duplicate.key),
        message: format!(
            "duplicate key `{}`{first_line}: YAML keeps only the last value, so the first \
             would be dropped silently; merge the two",
            duplicate.key.as_str()
        ),
    })
}

/// A JSON value built from YAML that fails on a key given twice in one mapping.
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any YAML value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        Strict::deserialize(deserializer).map(|Strict(value)| value)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut sequence: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(sequence.size_hint().unwrap_or(0));
        while let Some(Strict(item)) = sequence.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut mapping: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = mapping.next_key::<String>()? {
            let Strict(value) = mapping.next_value()?;
            if map.contains_key(&key) {
                return Err(de::Error::custom(format!("{DUPLICATE} `{key}`")));
            }
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn a_duplicate_key_names_both_lines() {
        let error = parse("a: 1\nb:\n  c: 2\n  c: 3\n").err().unwrap();
        assert_eq!(error.line_column, Some((4, 3)));
        assert!(
            error
                .message
                .starts_with("duplicate key `c` (first at line 3)"),
            "{}",
            error.message
        );
    }

    #[test]
    fn values_keep_their_yaml_types() {
        let value = parse("a: 1\nb: 2.5\nc: true\nd: ~\ne: text\n'200': [x]\n404: y\n")
            .ok()
            .unwrap();
        assert_eq!(
            value,
            serde_json::json!({"a": 1, "b": 2.5, "c": true, "d": null, "e": "text", "200": ["x"], "404": "y"})
        );
    }
}
