//! How a schema shows up in the generated Rust API, to explain a change to a reviewer: the type
//! of a field, whether it is an `Option`, the name of a method or variant. Every name comes from
//! [`spec_model::naming`], the module the generator names things with.

use serde_json::Value;

use crate::resolve::{owner_component, SchemaView};
use spec_model::field_form::{FieldForm, PropertyFacts, ValueKind};
use spec_model::naming;
use spec_model::spec::{self, SpecDocument};
use spec_model::FieldPath;

/// The Rust type the generator gives a schema, e.g. `String`, `Vec<SimType>`,
/// `chrono::DateTime<Utc>`.
pub fn type_name(spec: &SpecDocument, schema: &SchemaView) -> String {
    if let Some(component) = &schema.component {
        return naming::type_name(component);
    }
    let is_enum = schema.keyword("enum").is_some();
    match schema.type_and_format() {
        (Some("string") | None, _) if is_enum => {
            inline_enum_name(spec, schema).unwrap_or_else(|| "inline enum".to_owned())
        }
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
            inline_type_name(spec, schema).unwrap_or_else(|| "inline struct".to_owned())
        }
        _ if schema.keyword("oneOf").is_some() || schema.keyword("anyOf").is_some() => {
            inline_type_name(spec, schema).unwrap_or_else(|| "inline enum".to_owned())
        }
        _ => "serde_json::Value".to_owned(),
    }
}

/// The name of the type generated for an inline schema inside a component that gets a type of
/// its own (a struct, an enum, a `oneOf` of two or more), derived from the component and the
/// property it sits in; `None` for other schemas. Names derived from an operation are left out:
/// they change with its operationId, which is a finding of its own.
pub fn inline_name(spec: &SpecDocument, schema: &SchemaView) -> Option<String> {
    if schema.component.is_some() || owner_component(&schema.field).is_none() {
        return None;
    }
    // typify generates a one-member `oneOf` as its member's type.
    let variants = |keyword| {
        schema
            .keyword(keyword)
            .and_then(Value::as_array)
            .map_or(0, Vec::len)
    };
    let is_enum = schema.keyword("enum").is_some();
    match schema.type_and_format() {
        (Some("string") | None, _) if is_enum => inline_enum_name(spec, schema),
        (Some("object"), _) | (None, _) if schema.keyword("properties").is_some() => {
            inline_type_name(spec, schema)
        }
        _ if variants("oneOf") > 1 || variants("anyOf") > 1 => inline_type_name(spec, schema),
        _ => None,
    }
}

/// The name `normalize` gives an inline string enum, from where it sits: a component's
/// property (`ESimProfile.status` → `ESimProfileStatus`), the items of such a property, or a
/// parameter's schema.
pub fn inline_enum_name(spec: &SpecDocument, schema: &SchemaView) -> Option<String> {
    let segments: Vec<&str> = schema.field.segments().iter().map(String::as_str).collect();
    match segments.as_slice() {
        ["components", "schemas", owner, "properties", property] => {
            Some(naming::property_enum(owner, property))
        }
        ["components", "schemas", owner, "properties", property, "items"] => {
            Some(naming::items_enum(&naming::property_enum(owner, property)))
        }
        ["paths", path, method, "parameters", index, "schema", rest @ ..] => {
            let operation = spec.value.get("paths")?.get(*path)?.get(*method)?;
            let parameter = operation
                .get("parameters")?
                .get(index.parse::<usize>().ok()?)?;
            let owner = naming::parameter_owner(operation.get("operationId")?.as_str()?);
            parameter_enum_name(&owner, parameter, rest)
        }
        ["components", "parameters", key, "schema", rest @ ..] => {
            let parameter = spec
                .value
                .pointer(&format!("/components/parameters/{key}"))?;
            parameter_enum_name(&naming::parameter_owner(key), parameter, rest)
        }
        _ => None,
    }
}

/// The name typify gives an inline object or `oneOf` declared as a component's property (or
/// as the items of one), or as an operation's request or response body; `None` elsewhere.
fn inline_type_name(spec: &SpecDocument, schema: &SchemaView) -> Option<String> {
    let segments: Vec<&str> = schema.field.segments().iter().map(String::as_str).collect();
    let operation_id = |path: &str, method: &str| {
        spec.value
            .get("paths")?
            .get(path)?
            .get(method)?
            .get("operationId")?
            .as_str()
    };
    match segments.as_slice() {
        ["paths", path, method, "requestBody", "content", _, "schema"] => {
            operation_id(path, method).map(naming::request_body_type)
        }
        ["paths", path, method, "responses", _, "content", _, "schema"] => {
            operation_id(path, method).map(naming::response_type)
        }
        ["components", "schemas", owner, "properties", property] => {
            Some(naming::property_type(owner, property))
        }
        ["components", "schemas", owner, "properties", property, "items"] => {
            Some(naming::items_enum(&naming::property_type(owner, property)))
        }
        _ => None,
    }
}

fn parameter_enum_name(owner: &str, parameter: &Value, rest: &[&str]) -> Option<String> {
    let name = naming::parameter_enum(owner, parameter.get("name")?.as_str()?);
    match rest {
        [] => Some(name),
        ["items"] => Some(naming::items_enum(&name)),
        _ => None,
    }
}

fn inner_type(spec: &SpecDocument, schema: &SchemaView, keyword: &str) -> String {
    schema
        .keyword_at(keyword)
        .and_then(|(inner, field)| SchemaView::new(spec, inner, &field).ok())
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

/// What the spec says of a property that decides its generated field, read through the
/// wrappers around its reference (`nullable`, `default`).
pub fn property_facts(required: bool, schema: &SchemaView) -> PropertyFacts {
    let value = ValueKind::of(
        schema.component.is_some(),
        schema.type_and_format().0,
        schema
            .keyword("additionalProperties")
            .is_some_and(Value::is_object),
    );
    PropertyFacts {
        required,
        nullable: schema.nullable,
        has_default: schema.default.is_some(),
        value,
    }
}

/// How the generated field of a property stands for it, as the generator decides
/// ([`crate::RustSurface::field_form`]). `property` is where the property is written, which
/// `schema.field` is not once a `$ref` was followed: a property of a response type that refers
/// to a schema some request body also uses is still a response type's field.
pub fn field_form(
    rust: &dyn crate::RustSurface,
    spec: &SpecDocument,
    property: &FieldPath,
    required: bool,
    schema: &SchemaView,
) -> FieldForm {
    rust.field_form(&spec.value, property, property_facts(required, schema))
}

/// `name: Option<String>`: a struct field as declared in the generated type, as the generator
/// declares it ([`field_form`]). `property` is where the property is written.
pub fn field(
    rust: &dyn crate::RustSurface,
    spec: &SpecDocument,
    property: &FieldPath,
    name: &str,
    required: bool,
    schema: &SchemaView,
) -> String {
    let rust_type = type_name(spec, schema);
    let declared = field_form(rust, spec, property, required, schema).declare(&rust_type);
    format!("`{}: {declared}`", naming::field(name))
}

/// How Rust code calls an operation: `Client::list_sims` and, in its resource group,
/// `ProjectClient::sims().list()`, with the path's ids as arguments
/// (`ProjectClient::sims().retrieve(sim)`).
pub fn calls(names: &spec::RustNames) -> String {
    format!(
        "`Client::{}` (`ProjectClient::{}().{}({})`)",
        names.method,
        names.group_accessor,
        names.group_method,
        names.group_arguments.join(", ")
    )
}

/// The type a generated builder method takes for a parameter whose schema is `schema`:
/// `CommaSeparated<T>` where the generator writes it so (`comma_separated`), else the Rust
/// type of the schema.
pub fn builder_argument(spec: &SpecDocument, schema: &SchemaView, comma_separated: bool) -> String {
    if comma_separated {
        if let Some(items) = schema
            .keyword_at("items")
            .and_then(|(items, field)| SchemaView::new(spec, items, &field).ok())
        {
            return format!("CommaSeparated<{}>", type_name(spec, &items));
        }
    }
    type_name(spec, schema)
}
