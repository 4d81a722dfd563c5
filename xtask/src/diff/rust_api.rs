//! How a schema shows up in the generated Rust API, close enough to explain a change to a
//! reviewer: the type of a field, whether it is an `Option`, the name of a method or variant.

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_json::Value;

use super::resolve::SchemaView;
use crate::spec::SpecDocument;

/// The Rust type progenitor gives a schema, e.g. `String`, `Vec<SimType>`,
/// `chrono::DateTime<Utc>`.
pub fn type_name(spec: &SpecDocument, schema: &SchemaView) -> String {
    if let Some(component) = &schema.component {
        return component.to_upper_camel_case();
    }
    match schema.type_and_format() {
        (Some("string"), _) if schema.keyword("enum").is_some() => "inline enum".to_owned(),
        (Some("string"), Some("date-time")) => "chrono::DateTime<Utc>".to_owned(),
        (Some("string"), Some("date")) => "chrono::NaiveDate".to_owned(),
        (Some("string"), Some("uuid")) => "uuid::Uuid".to_owned(),
        (Some("string"), _) => "String".to_owned(),
        (Some("integer"), Some("int32")) => "i32".to_owned(),
        (Some("integer"), _) => "i64".to_owned(),
        (Some("number"), Some("float")) => "f32".to_owned(),
        (Some("number"), _) => "f64".to_owned(),
        (Some("boolean"), _) => "bool".to_owned(),
        (Some("array"), _) => format!("Vec<{}>", inner_type(spec, schema, "items")),
        _ if schema
            .keyword("additionalProperties")
            .is_some_and(Value::is_object) =>
        {
            format!(
                "HashMap<String, {}>",
                inner_type(spec, schema, "additionalProperties")
            )
        }
        (Some("object"), _) | (None, _) if schema.keyword("properties").is_some() => {
            "inline struct".to_owned()
        }
        _ if schema.keyword("oneOf").is_some() || schema.keyword("anyOf").is_some() => {
            "inline enum".to_owned()
        }
        _ => "serde_json::Value".to_owned(),
    }
}

fn inner_type(spec: &SpecDocument, schema: &SchemaView, keyword: &str) -> String {
    schema
        .keyword(keyword)
        .and_then(|inner| SchemaView::new(spec, inner, &schema.field.join(keyword)).ok())
        .map(|inner| {
            let name = type_name(spec, &inner);
            if inner.nullable {
                format!("Option<{name}>")
            } else {
                name
            }
        })
        .unwrap_or_else(|| "serde_json::Value".to_owned())
}

/// Whether progenitor makes a struct field an `Option`: when the property may be missing
/// (and has no default to fall back on) or may be null.
pub fn is_option(required: bool, schema: &SchemaView) -> bool {
    schema.nullable || (!required && schema.default.is_none())
}

/// `name: Option<String>`: a struct field as declared in the generated type.
pub fn field(spec: &SpecDocument, name: &str, required: bool, schema: &SchemaView) -> String {
    let rust_type = type_name(spec, schema);
    let rust_type = if is_option(required, schema) {
        format!("Option<{rust_type}>")
    } else {
        rust_type
    };
    format!("`{}: {rust_type}`", field_name(name))
}

pub fn field_name(name: &str) -> String {
    name.to_snake_case()
}

/// The variant progenitor generates for an enum value.
pub fn variant_name(value: &str) -> String {
    value.to_upper_camel_case()
}

/// The name of the client method for an operationId.
pub fn method_name(operation_id: &str) -> String {
    operation_id.to_snake_case()
}
