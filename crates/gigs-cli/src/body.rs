//! Request bodies: the whole body from `--body FILE` or `--body -` (stdin), sent as written
//! (nulls and empty lists included), and its top-level properties from flags, which win over the
//! same property in the file. A property's flag sets a value; for an optional nullable property
//! `--clear-<flag>` sends `null`, for an optional array `--no-<flag>` sends `[]`; a flag left
//! out leaves the property as the file has it (or out).

use std::io::Read;
use std::path::Path;

use clap::{Arg, ArgMatches};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::run::Failure;

/// The id of the `--body` argument.
pub const BODY_ARG: &str = "body";

/// The `--body FILE|-` argument of every command that sends a body.
pub fn body_arg() -> Arg {
    Arg::new(BODY_ARG)
        .long("body")
        .value_name("FILE")
        .help("The request body as JSON, from FILE or `-` (stdin); flags override its fields")
}

/// How a flag's value goes into the body; generated with the flags that use it.
pub use crate::generated::FieldKind;

/// A body property settable by a flag.
#[derive(Clone, Copy, Debug)]
pub struct BodyField {
    /// The flag (and argument id), without `--`.
    pub flag: &'static str,
    /// The property name in the body.
    pub property: &'static str,
    /// How the flag's value is written.
    pub kind: FieldKind,
    /// The flag that sends the property as `null` (`clear-name`), for an optional nullable one.
    pub null_flag: Option<&'static str>,
    /// The flag that sends the property as `[]` (`no-sims`), for an optional array.
    pub empty_flag: Option<&'static str>,
}

/// Parses a flag value as JSON (the value parser of [`FieldKind::Json`] flags).
///
/// ```
/// assert!(gigs_cli::body::parse_json(r#"{"internalId": "12345"}"#).is_ok());
/// assert!(gigs_cli::body::parse_json("{internalId").is_err());
/// ```
///
/// # Errors
/// serde_json's message, with line and column.
pub fn parse_json(value: &str) -> Result<Value, String> {
    serde_json::from_str(value).map_err(|error| format!("not valid JSON: {error}"))
}

/// Assembles the body from `--body` and the flags in `fields`, and reads it as `T`.
///
/// # Errors
/// [`Failure::Usage`] when the file cannot be read, is not a JSON object, or the result does not
/// match the body's schema (with the path of the field that does not).
pub fn read<T: DeserializeOwned>(matches: &ArgMatches, fields: &[BodyField]) -> Result<T, Failure> {
    let mut body = match matches.get_one::<String>(BODY_ARG) {
        Some(source) => load(source)?,
        None => Map::new(),
    };
    for field in fields {
        if let Some(value) = flag_value(matches, field) {
            body.insert(field.property.to_owned(), value);
        }
    }
    decode("--body", Value::Object(body))
}

/// Reads `value` as `T`, naming `what` and the failing field in the error.
///
/// # Errors
/// [`Failure::Usage`] with serde's message and the path of the field that does not match.
pub fn decode<T: DeserializeOwned>(what: &str, value: Value) -> Result<T, Failure> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        if path == "." {
            Failure::Usage(format!("{what}: {}", error.inner()))
        } else {
            Failure::Usage(format!("{what}: field `{path}`: {}", error.inner()))
        }
    })
}

fn load(source: &str) -> Result<Map<String, Value>, Failure> {
    let (text, name) = if source == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|error| Failure::Usage(format!("--body -: cannot read stdin: {error}")))?;
        (text, "stdin".to_owned())
    } else {
        let text = std::fs::read_to_string(Path::new(source))
            .map_err(|error| Failure::Usage(format!("--body {source}: cannot read: {error}")))?;
        (text, source.to_owned())
    };
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Failure::Usage(format!(
            "--body {name}: the body must be a JSON object"
        ))),
        Err(error) => Err(Failure::Usage(format!(
            "--body {name}: not valid JSON: {error}"
        ))),
    }
}

/// The value the flags give `field`: its value flag's, `null` for its clear flag, `[]` for its
/// empty-list flag (clap refuses more than one of them), or none when all are left out.
fn flag_value(matches: &ArgMatches, field: &BodyField) -> Option<Value> {
    if field.null_flag.is_some_and(|id| matches.get_flag(id)) {
        return Some(Value::Null);
    }
    if field.empty_flag.is_some_and(|id| matches.get_flag(id)) {
        return Some(Value::Array(Vec::new()));
    }
    let id = field.flag;
    match field.kind {
        FieldKind::String => matches.get_one::<String>(id).cloned().map(Value::String),
        FieldKind::Integer => matches.get_one::<i64>(id).map(|value| Value::from(*value)),
        FieldKind::Number => matches.get_one::<f64>(id).map(|value| Value::from(*value)),
        FieldKind::Boolean => matches.get_one::<bool>(id).map(|value| Value::Bool(*value)),
        FieldKind::StringList => matches
            .get_many::<String>(id)
            .map(|values| values.cloned().map(Value::String).collect()),
        FieldKind::IntegerList => matches
            .get_many::<i64>(id)
            .map(|values| values.map(|value| Value::from(*value)).collect()),
        FieldKind::Json => matches.get_one::<Value>(id).cloned(),
    }
}
