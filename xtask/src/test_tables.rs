//! The tables the cross-crate tests (`tests/`, the `gigs-tests` crate) read, generated from the
//! same spec and the same progenitor output as the client, so that a new type or operation is
//! covered by the schema, example, fuzz, request and contract tests without a hand-made list:
//!
//! - `TYPE_NAMES`, `json_schemas()` and `round_trip()` over every public type of
//!   `gigs_client::types`;
//! - `OPERATIONS`, one row per operation (operationId, method, path template, the path with the
//!   spec's example values filled in), and `example_request()`, which builds each operation's
//!   request on a `gigs_client::Client` with its required parameters set from the spec's examples;
//! - `example_ids`, the example value of each of those parameters, for tests that name one.

use std::collections::BTreeMap;

use anyhow::{anyhow, bail, Context};
use heck::{ToShoutySnakeCase, ToSnakeCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::naming;
use crate::normalize::OpenEnum;
use crate::spec::{resolve_or_self as resolve, schema_ref_name, HTTP_METHODS};

/// Where the tests' tables go, relative to the workspace root.
pub const TEST_TABLES_PATH: &str = "tests/src/generated.rs";

/// The Rust source of the tests' tables (without the generated-file header).
///
/// `client` is progenitor's output (its `types` module lists the types), `open_enums` the enums
/// that are rendered into that module after formatting, and `spec` the normalized spec.
pub fn test_tables(
    client: &syn::File,
    open_enums: &[OpenEnum],
    spec: &Value,
) -> anyhow::Result<String> {
    let types = type_names(client, open_enums)?;
    let operations = operations(spec)?;
    let mut tokens = type_registry(&types);
    tokens.extend(operation_table(&operations));
    tokens.extend(example_ids(&operations));
    let file: syn::File = syn::parse2(tokens).context("the test tables are not valid Rust")?;
    Ok(prettyplease::unparse(&file))
}

/// Every public struct and enum of the client's `types` module, and the open enums, sorted.
fn type_names(client: &syn::File, open_enums: &[OpenEnum]) -> anyhow::Result<Vec<String>> {
    let (_, items) = client
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(module) if module.ident == "types" => module.content.as_ref(),
            _ => None,
        })
        .context("progenitor's output has no `types` module")?;
    let public = |vis: &syn::Visibility| matches!(vis, syn::Visibility::Public(_));
    let mut names: Vec<String> = items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(item) if public(&item.vis) => Some(item.ident.to_string()),
            syn::Item::Enum(item) if public(&item.vis) => Some(item.ident.to_string()),
            _ => None,
        })
        .chain(open_enums.iter().map(|open_enum| open_enum.name.clone()))
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

fn type_registry(names: &[String]) -> TokenStream {
    let idents: Vec<_> = names.iter().map(|name| format_ident!("{name}")).collect();
    quote! {
        /// The names of every public type in `gigs_client::types`, sorted.
        pub const TYPE_NAMES: &[&str] = &[#(#names),*];

        /// The JSON Schema of every public type in `gigs_client::types`, by name.
        pub fn json_schemas() -> Vec<(&'static str, schemars::schema::RootSchema)> {
            vec![#((#names, schemars::schema_for!(gigs_client::types::#idents))),*]
        }

        /// Reads `json` as the type named `type_name` and writes it back to JSON; `None` for an
        /// unknown name.
        pub fn round_trip(
            type_name: &str,
            json: &serde_json::Value,
        ) -> Option<Result<serde_json::Value, serde_json::Error>> {
            match type_name {
                #(#names => Some(
                    serde_json::from_value::<gigs_client::types::#idents>(json.clone())
                        .and_then(|value| serde_json::to_value(&value)),
                ),)*
                _ => None,
            }
        }
    }
}

/// A required parameter and the spec's example value for it.
struct Parameter {
    /// The name in the spec (`deviceModel`).
    name: String,
    /// `path` or `query`.
    location: String,
    example: String,
}

/// What the tables need to know of one operation.
struct Operation {
    id: String,
    method: String,
    path: String,
    parameters: Vec<Parameter>,
    /// The body's type name and its required fields with example values, when the body has
    /// required fields.
    body: Option<(String, serde_json::Map<String, Value>)>,
}

impl Operation {
    fn example_path(&self) -> String {
        self.parameters
            .iter()
            .filter(|parameter| parameter.location == "path")
            .fold(self.path.clone(), |path, parameter| {
                path.replace(&format!("{{{}}}", parameter.name), &parameter.example)
            })
    }
}

/// Every operation, in the spec's order (paths, then methods as [`HTTP_METHODS`] lists them).
fn operations(spec: &Value) -> anyhow::Result<Vec<Operation>> {
    let mut operations = Vec::new();
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
        return Ok(operations);
    };
    for (path, item) in paths {
        for method in HTTP_METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let id = operation
                .get("operationId")
                .and_then(Value::as_str)
                .with_context(|| format!("{} {path} has no operationId", method.to_uppercase()))?
                .to_owned();
            let parameters = item
                .get("parameters")
                .into_iter()
                .chain(operation.get("parameters"))
                .filter_map(Value::as_array)
                .flatten()
                .map(|parameter| resolve(spec, parameter))
                .filter(|parameter| {
                    parameter.get("required").and_then(Value::as_bool) == Some(true)
                })
                .map(|parameter| required_parameter(spec, &id, parameter))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let body = operation
                .get("requestBody")
                .map(|body| required_body(spec, &id, resolve(spec, body)))
                .transpose()?
                .flatten();
            operations.push(Operation {
                id,
                method: method.to_uppercase(),
                path: path.clone(),
                parameters,
                body,
            });
        }
    }
    Ok(operations)
}

fn required_parameter(spec: &Value, id: &str, parameter: &Value) -> anyhow::Result<Parameter> {
    let name = parameter
        .get("name")
        .and_then(Value::as_str)
        .with_context(|| format!("{id}: a parameter has no name"))?;
    let location = parameter
        .get("in")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if location != "path" && location != "query" {
        bail!("{id}: required {location} parameter `{name}`: the test tables set only path and query parameters");
    }
    let schema = parameter.get("schema").map(|schema| resolve(spec, schema));
    let example = parameter
        .get("example")
        .or_else(|| schema.and_then(|schema| schema.get("example")))
        .with_context(|| {
            format!(
                "{id}: required parameter `{name}` has no `example`; the test tables send it \
                 (add `example:` to the parameter)"
            )
        })?;
    let example = example.as_str().with_context(|| {
        format!("{id}: the example of required parameter `{name}` is not a string: the test tables set string parameters only")
    })?;
    Ok(Parameter {
        name: name.to_owned(),
        location: location.to_owned(),
        example: example.to_owned(),
    })
}

/// The body type and its required fields with example values; `None` when no field is required
/// (the builder's default body is then sent).
fn required_body(
    spec: &Value,
    id: &str,
    body: &Value,
) -> anyhow::Result<Option<(String, serde_json::Map<String, Value>)>> {
    let Some(media) = body.pointer("/content/application~1json") else {
        return Ok(None);
    };
    let schema_value = media.get("schema").cloned().unwrap_or(Value::Null);
    let type_name = schema_ref_name(&schema_value)
        .map(str::to_owned)
        .unwrap_or_else(|| naming::request_body_type(id));
    let schema = resolve(spec, &schema_value);
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if required.is_empty() {
        return Ok(None);
    }
    let example = media.get("example").or_else(|| {
        media
            .get("examples")
            .and_then(Value::as_object)
            .and_then(|examples| examples.values().next())
            .and_then(|example| resolve(spec, example).get("value"))
    });
    let mut fields = serde_json::Map::new();
    for field in required {
        let value = example
            .and_then(|example| example.get(field))
            .or_else(|| schema.pointer(&format!("/properties/{field}/example")))
            .ok_or_else(|| {
                anyhow!(
                    "{id}: required body field `{field}` has no example, neither in the request \
                     body's example nor on the property; the test tables send it"
                )
            })?;
        fields.insert(field.to_owned(), value.clone());
    }
    Ok(Some((type_name, fields)))
}

/// progenitor's name for a builder method: snake case, with `_` after a Rust keyword.
fn method_ident(name: &str) -> syn::Ident {
    let snake = name.to_snake_case();
    syn::parse_str::<syn::Ident>(&snake).unwrap_or_else(|_| format_ident!("{snake}_"))
}

fn operation_table(operations: &[Operation]) -> TokenStream {
    let rows = operations.iter().map(|operation| {
        let (id, method, path) = (&operation.id, &operation.method, &operation.path);
        let example_path = operation.example_path();
        quote! {
            crate::operations::OperationRow {
                operation_id: #id,
                method: #method,
                path: #path,
                example_path: #example_path,
            }
        }
    });
    let arms = operations.iter().map(|operation| {
        let id = &operation.id;
        let client_method = format_ident!("{}", operation.id.to_snake_case());
        let setters = operation.parameters.iter().map(|parameter| {
            let setter = method_ident(&parameter.name);
            let example = &parameter.example;
            quote! { .#setter(#example) }
        });
        let body = operation.body.as_ref().map(|(type_name, fields)| {
            let body_type = format_ident!("{type_name}");
            let json = json_tokens(&Value::Object(fields.clone()));
            let expect = format!("{id}: the example body reads as {type_name}");
            quote! {
                .body(
                    serde_json::from_value::<gigs_client::types::#body_type>(serde_json::json!(#json))
                        .expect(#expect),
                )
            }
        });
        quote! {
            #id => Some(with.request(client.#client_method() #(#setters)* #body)),
        }
    });
    quote! {
        /// Every operation of the spec, in the spec's order.
        pub const OPERATIONS: &[crate::operations::OperationRow] = &[#(#rows),*];

        /// Builds the request of `operation_id` on `client` with its required parameters (and
        /// required body fields) set to the spec's examples, and hands it to `with`; `None` for
        /// an operationId the spec does not have.
        pub fn example_request<'a, W: crate::operations::WithRequest<'a>>(
            client: &'a gigs_client::Client,
            operation_id: &str,
            with: W,
        ) -> Option<W::Output> {
            match operation_id {
                #(#arms)*
                _ => None,
            }
        }
    }
}

/// `value` as the input of `serde_json::json!`.
fn json_tokens(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote!(null),
        Value::Bool(value) => quote!(#value),
        Value::Number(number) => number
            .to_string()
            .parse()
            .expect("a JSON number is a literal"),
        Value::String(text) => quote!(#text),
        Value::Array(items) => {
            let items = items.iter().map(json_tokens);
            quote!([#(#items),*])
        }
        Value::Object(fields) => {
            let keys = fields.keys();
            let values = fields.values().map(json_tokens);
            quote!({#(#keys: #values),*})
        }
    }
}

/// One constant per required parameter or body field name (`DEVICE`, `IMEI`, ...), holding the
/// first string example the spec gives for it.
fn example_ids(operations: &[Operation]) -> TokenStream {
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for operation in operations {
        let parameters = operation
            .parameters
            .iter()
            .map(|parameter| (parameter.name.as_str(), parameter.example.as_str()));
        let fields = operation
            .body
            .iter()
            .flat_map(|(_, fields)| fields)
            .filter_map(|(name, value)| Some((name.as_str(), value.as_str()?)));
        for (name, example) in parameters.chain(fields) {
            ids.entry(name.to_shouty_snake_case())
                .or_insert_with(|| example.to_owned());
        }
    }
    let constants = ids.iter().map(|(name, example)| {
        let ident = format_ident!("{name}");
        let doc = format!("The spec's example: `{example}`.");
        quote! {
            #[doc = #doc]
            pub const #ident: &str = #example;
        }
    });
    quote! {
        /// The spec's example value of each required parameter and body field, by name: the
        /// values [`example_request`] sends.
        pub mod example_ids {
            #(#constants)*
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{method_ident, required_body};

    #[test]
    fn builder_methods_are_snake_case_with_keywords_escaped() {
        assert_eq!(method_ident("deviceModel").to_string(), "device_model");
        assert_eq!(method_ident("type").to_string(), "type_");
    }

    fn spec_with_request(required: &[&str]) -> serde_json::Value {
        json!({"components": {"schemas": {"CreateThingRequest": {
            "type": "object",
            "required": required,
            "properties": {
                "imei": {"type": "string"},
                "code": {"type": "string", "example": "c-1"},
                "name": {"type": "string"},
            },
        }}}})
    }

    fn body(example: serde_json::Value) -> serde_json::Value {
        json!({"content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/CreateThingRequest"},
            "example": example,
        }}})
    }

    #[test]
    fn required_body_fields_come_from_the_body_example_then_the_property() {
        let spec = spec_with_request(&["imei", "code"]);
        let (type_name, fields) = required_body(
            &spec,
            "createThing",
            &body(json!({"imei": "490154203237518", "name": "optional"})),
        )
        .unwrap()
        .expect("two fields are required");
        assert_eq!(type_name, "CreateThingRequest");
        assert_eq!(
            serde_json::Value::Object(fields),
            json!({"imei": "490154203237518", "code": "c-1"})
        );
    }

    #[test]
    fn a_body_without_required_fields_is_left_to_the_builder() {
        let spec = spec_with_request(&[]);
        let required = required_body(&spec, "createThing", &body(json!({"name": "x"}))).unwrap();
        assert!(required.is_none());
    }

    #[test]
    fn a_required_body_field_without_an_example_is_named() {
        let spec = spec_with_request(&["name"]);
        let error = required_body(&spec, "createThing", &body(json!({"imei": "1"})))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("createThing: required body field `name` has no example"),
            "{error}"
        );
    }
}
