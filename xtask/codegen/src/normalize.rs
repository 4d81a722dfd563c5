//! Rewrites of the spec, made in memory before progenitor reads it, that make the generated client
//! follow the Gigs conventions progenitor does not know about. `openapi.yaml` itself stays as the
//! API is documented; these rules apply to every schema and parameter, present and future.
//!
//! - Inline string enums become named schemas, so that each can be replaced by an open enum.
//! - Every string enum is replaced by an open enum (known variants plus `Unknown(String)`).
//! - Array query parameters with `explode: false` are replaced by `CommaSeparated<T>`, which sends
//!   `?status=a,b` where progenitor would send `?status=a&status=b`.
//! - A property that is required but declares a `default` reads as that default when a response
//!   leaves it out (the reference's own examples omit `metadata` and `sims`).
//! - A nullable reference, `oneOf: [{$ref: X}, {nullable: true, enum: [null]}]`, reads as
//!   `nullable: true, allOf: [{$ref: X}]` (`spec_model::nullable`), so its field is `Option<X>`.
//! - String constraints (`pattern`, `minLength`, `maxLength`: a page cursor's minimum, an
//!   IMEI's digits) are the API's to check: with them typify would make every such string a
//!   validated newtype. The spec keeps them for readers, Prism and Schemathesis.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use spec_model::diagnostic::{Diagnostic, FieldPath};
use spec_model::naming;
use spec_model::spec::SpecDocument;
use spec_model::spec::{operation_objects, resolve_or_self, schema_ref_name, HTTP_METHODS};

/// An open enum to emit: the schema name, its description and its known wire values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenEnum {
    pub name: String,
    pub description: Option<String>,
    pub values: Vec<String>,
}

/// A schema that progenitor must not generate, and the Rust type to use in its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    pub schema: String,
    pub rust_type: String,
}

/// The spec as progenitor should see it, and the types to substitute in the generated code.
pub struct Normalized {
    pub value: Value,
    pub open_enums: Vec<OpenEnum>,
    pub replacements: Vec<Replacement>,
}

/// Where the hand-written runtime types live, as seen from the generated code.
pub const TYPES_PATH: &str = "crate::types";
pub const COMMA_SEPARATED_PATH: &str = "crate::query::CommaSeparated";

pub fn normalize(spec: &SpecDocument) -> Result<Normalized, Vec<Diagnostic>> {
    let mut value = spec.value.clone();
    spec_model::nullable::read_nullable_refs(&mut value);
    let mut problems = Vec::new();
    let mut new_schemas = BTreeMap::new();

    push_down_path_parameters(&mut value);
    drop_string_constraints(&mut value);

    hoist_inline_enums(spec, &mut value, &mut new_schemas, &mut problems);
    let comma_separated =
        hoist_comma_separated_parameters(spec, &mut value, &mut new_schemas, &mut problems);
    let schemas = value
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut);
    match schemas {
        Some(schemas) => {
            for (name, schema) in new_schemas {
                schemas.insert(name, schema);
            }
        }
        None if !new_schemas.is_empty() => problems.push(spec.diagnostic(
            &FieldPath::root().join("components").join("schemas"),
            "missing `components.schemas`",
        )),
        None => {}
    }
    relax_required_with_default(&mut value);
    let open_enums = collect_open_enums(spec, &value, &mut problems);

    let mut replacements: Vec<Replacement> = open_enums
        .iter()
        .map(|open_enum| Replacement {
            schema: open_enum.name.clone(),
            rust_type: format!("{TYPES_PATH}::{}", open_enum.name),
        })
        .collect();
    replacements.extend(comma_separated);

    if problems.is_empty() {
        Ok(Normalized {
            value,
            open_enums,
            replacements,
        })
    } else {
        Err(problems)
    }
}

/// The string constraints [`drop_string_constraints`] leaves to the API.
const STRING_CONSTRAINTS: [&str; 3] = ["pattern", "minLength", "maxLength"];

/// Whether the generated type checks the constraint `keyword` of `schema`: every one but the
/// string constraints of a string schema, which the generator leaves to the API (the contract
/// review names the Rust effect of a constraint change with it).
pub fn generated_type_checks(keyword: &str, schema: &Value) -> bool {
    !(STRING_CONSTRAINTS.contains(&keyword)
        && schema.get("type").and_then(Value::as_str) == Some("string"))
}

/// Removes `pattern`, `minLength` and `maxLength` from every string schema (`type: string`)
/// under `paths` and `components`.
fn drop_string_constraints(value: &mut Value) {
    fn visit(value: &mut Value) {
        match value {
            Value::Object(object) => {
                if object.get("type").and_then(Value::as_str) == Some("string") {
                    for key in STRING_CONSTRAINTS {
                        object.remove(key);
                    }
                }
                // Examples are data, not schemas.
                for (key, child) in object.iter_mut() {
                    if key != "example" && key != "examples" {
                        visit(child);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(visit),
            _ => {}
        }
    }
    for section in ["paths", "components"] {
        if let Some(child) = value.get_mut(section) {
            visit(child);
        }
    }
}

/// Copies the parameters of each path item into every operation of the path, the operation's
/// own declaration of the same (`in`, `name`) winning, and removes them from the path item: the
/// merge OpenAPI defines (and `spec::read_operations` does), done once so that the later steps
/// (the hoisting of inline enums, progenitor) see every parameter where they look for it.
fn push_down_path_parameters(value: &mut Value) {
    let lookup = value.clone();
    let identity = |parameter: &Value| {
        let parameter = resolve_or_self(&lookup, parameter);
        let text = |key| {
            parameter
                .get(key)
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        (text("in"), text("name"))
    };
    let Some(paths) = value.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for path_item in paths.values_mut() {
        let Some(Value::Array(shared)) = path_item
            .as_object_mut()
            .and_then(|item| item.remove("parameters"))
        else {
            continue;
        };
        for method in HTTP_METHODS {
            let Some(operation) = path_item.get_mut(method).and_then(Value::as_object_mut) else {
                continue;
            };
            let own = match operation.remove("parameters") {
                Some(Value::Array(own)) => own,
                _ => Vec::new(),
            };
            let mut merged = shared.clone();
            for parameter in own {
                let key = identity(&parameter);
                match merged.iter_mut().find(|known| identity(known) == key) {
                    Some(known) => *known = parameter,
                    None => merged.push(parameter),
                }
            }
            operation.insert("parameters".to_owned(), Value::Array(merged));
        }
    }
}

fn is_inline_string_enum(schema: &Value) -> bool {
    schema.get("enum").is_some()
        && schema.get("$ref").is_none()
        && matches!(
            schema.get("type").and_then(Value::as_str),
            None | Some("string")
        )
}

/// Moves an inline enum into `new_schemas` under `name` and leaves a reference in its place.
fn hoist_enum(
    spec: &SpecDocument,
    field: &FieldPath,
    schema: &mut Value,
    name: String,
    existing: &Map<String, Value>,
    new_schemas: &mut BTreeMap<String, Value>,
    problems: &mut Vec<Diagnostic>,
) {
    if existing.contains_key(&name) || new_schemas.contains_key(&name) {
        problems.push(spec.diagnostic(
            field,
            format!(
                "this inline enum would be named `{name}`, which is already taken; \
                 declare it as a named schema in components.schemas"
            ),
        ));
        return;
    }
    let Value::Object(mut site) = schema.take() else {
        return;
    };
    let values = site.remove("enum").unwrap_or_default();
    site.remove("type");
    let nullable_by_value = values
        .as_array()
        .is_some_and(|values| values.iter().any(Value::is_null));
    let known: Vec<Value> = values
        .as_array()
        .map(|values| {
            values
                .iter()
                .filter(|value| !value.is_null())
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let mut hoisted = Map::new();
    hoisted.insert("type".into(), json!("string"));
    if let Some(description) = site.get("description") {
        hoisted.insert("description".into(), description.clone());
    }
    hoisted.insert("enum".into(), Value::Array(known));
    new_schemas.insert(name.clone(), Value::Object(hoisted));

    if nullable_by_value {
        site.insert("nullable".into(), json!(true));
    }
    site.insert(
        "allOf".into(),
        json!([{ "$ref": format!("#/components/schemas/{name}") }]),
    );
    *schema = Value::Object(site);
}

fn hoist_inline_enums(
    spec: &SpecDocument,
    value: &mut Value,
    new_schemas: &mut BTreeMap<String, Value>,
    problems: &mut Vec<Diagnostic>,
) {
    let existing = value
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if let Some(schemas) = value
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (schema_name, schema) in schemas.iter_mut() {
            let schema_field = FieldPath::root()
                .join("components")
                .join("schemas")
                .join(schema_name);
            let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut)
            else {
                continue;
            };
            for (property_name, property) in properties.iter_mut() {
                let field = schema_field.join("properties").join(property_name);
                let name = naming::property_enum(schema_name, property_name);
                hoist_enum_or_items(
                    spec,
                    &field,
                    property,
                    name,
                    &existing,
                    new_schemas,
                    problems,
                );
            }
        }
    }
    for_each_parameter(value, |field, owner, parameter| {
        let Some(parameter_name) = parameter.get("name").and_then(Value::as_str) else {
            return;
        };
        let name = naming::parameter_enum(owner, parameter_name);
        if let Some(schema) = parameter.get_mut("schema") {
            hoist_enum_or_items(
                spec,
                &field.join("schema"),
                schema,
                name,
                &existing,
                new_schemas,
                problems,
            );
        }
    });
}

fn hoist_enum_or_items(
    spec: &SpecDocument,
    field: &FieldPath,
    schema: &mut Value,
    name: String,
    existing: &Map<String, Value>,
    new_schemas: &mut BTreeMap<String, Value>,
    problems: &mut Vec<Diagnostic>,
) {
    if is_inline_string_enum(schema) {
        hoist_enum(spec, field, schema, name, existing, new_schemas, problems);
    } else if let Some(items) = schema
        .get_mut("items")
        .filter(|items| is_inline_string_enum(items))
    {
        hoist_enum(
            spec,
            &field.join("items"),
            items,
            naming::items_enum(&name),
            existing,
            new_schemas,
            problems,
        );
    }
}

/// Calls `visit` with every parameter object of the spec, its field path, and the name of its
/// owner: the operation (as PascalCase operationId) or the `components.parameters` key.
fn for_each_parameter(value: &mut Value, mut visit: impl FnMut(&FieldPath, &str, &mut Value)) {
    let owners: Vec<(FieldPath, String)> = operation_objects(value)
        .map(|operation| {
            let owner = naming::parameter_owner(operation.operation_id().unwrap_or_default());
            (operation.field(), owner)
        })
        .collect();
    for (operation_field, owner) in owners {
        let [_, path, method] = operation_field.segments() else {
            unreachable!("an operation field is paths.<path>.<method>");
        };
        let parameters = value["paths"][path.as_str()][method.as_str()]
            .get_mut("parameters")
            .and_then(Value::as_array_mut);
        for (index, parameter) in parameters.into_iter().flatten().enumerate() {
            visit(
                &operation_field.join("parameters").join(index),
                &owner,
                parameter,
            );
        }
    }
    if let Some(parameters) = value
        .pointer_mut("/components/parameters")
        .and_then(Value::as_object_mut)
    {
        for (key, parameter) in parameters.iter_mut() {
            let field = FieldPath::root()
                .join("components")
                .join("parameters")
                .join(key);
            visit(&field, &naming::parameter_owner(key), parameter);
        }
    }
}

/// Whether the generated builder takes a parameter (resolved) as `CommaSeparated<T>`: an
/// array query parameter with `explode: false`, whose values are joined with commas.
pub fn is_comma_separated(parameter: &Value) -> bool {
    parameter.get("in").and_then(Value::as_str) == Some("query")
        && parameter.get("explode").and_then(Value::as_bool) == Some(false)
        && parameter.pointer("/schema/type").and_then(Value::as_str) == Some("array")
}

fn hoist_comma_separated_parameters(
    spec: &SpecDocument,
    value: &mut Value,
    new_schemas: &mut BTreeMap<String, Value>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Replacement> {
    let mut replacements = Vec::new();
    for_each_parameter(value, |field, owner, parameter| {
        if !is_comma_separated(parameter) {
            return;
        }
        let parameter_name = parameter
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let name = naming::comma_separated(owner, parameter_name);
        let items = parameter
            .pointer("/schema/items")
            .cloned()
            .unwrap_or_default();
        let item_type = if items.get("$ref").is_some() {
            schema_ref_name(&items).map(|schema| format!("{TYPES_PATH}::{schema}"))
        } else {
            match items.get("type").and_then(Value::as_str) {
                Some("string") => Some("::std::string::String".to_owned()),
                Some("integer") => Some("i64".to_owned()),
                _ => None,
            }
        };
        let Some(item_type) = item_type else {
            problems.push(spec.diagnostic(
                &field.join("schema").join("items"),
                "a comma-separated (`explode: false`) array parameter needs string or integer \
                 items, or a `$ref` to a named schema",
            ));
            return;
        };
        let schema = parameter.get_mut("schema").expect("checked above");
        new_schemas.insert(name.clone(), schema.take());
        *schema = json!({ "$ref": format!("#/components/schemas/{name}") });
        replacements.push(Replacement {
            schema: name,
            rust_type: format!("{COMMA_SEPARATED_PATH}<{item_type}>"),
        });
    });
    replacements
}

fn relax_required_with_default(value: &mut Value) {
    let Some(schemas) = value
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for schema in schemas.values_mut() {
        let with_default: Vec<String> = schema
            .get("properties")
            .and_then(Value::as_object)
            .map(|properties| {
                properties
                    .iter()
                    .filter(|(_, property)| property.get("default").is_some())
                    .map(|(name, _)| name.clone())
                    .collect()
            })
            .unwrap_or_default();
        if let Some(required) = schema.get_mut("required").and_then(Value::as_array_mut) {
            required.retain(|name| {
                !name
                    .as_str()
                    .is_some_and(|name| with_default.iter().any(|default| default == name))
            });
        }
    }
}

fn collect_open_enums(
    spec: &SpecDocument,
    value: &Value,
    problems: &mut Vec<Diagnostic>,
) -> Vec<OpenEnum> {
    let Some(schemas) = value
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    let mut open_enums = Vec::new();
    for (name, schema) in schemas {
        if !is_inline_string_enum(schema) {
            continue;
        }
        let field = FieldPath::root()
            .join("components")
            .join("schemas")
            .join(name);
        if schema.get("nullable").and_then(Value::as_bool) == Some(true) {
            problems.push(spec.diagnostic(
                &field,
                "a named enum cannot be nullable; mark the properties that reference it \
                 `nullable: true` instead",
            ));
            continue;
        }
        let mut values = Vec::new();
        for value in schema["enum"].as_array().into_iter().flatten() {
            match value {
                Value::String(value) => values.push(value.clone()),
                Value::Null => {}
                other => problems.push(spec.diagnostic(
                    &field.join("enum"),
                    format!("enum value {other} is not a string"),
                )),
            }
        }
        if values.is_empty() {
            problems.push(spec.diagnostic(&field.join("enum"), "an enum needs at least one value"));
            continue;
        }
        open_enums.push(OpenEnum {
            name: name.clone(),
            description: schema
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_owned),
            values,
        });
    }
    open_enums
}
