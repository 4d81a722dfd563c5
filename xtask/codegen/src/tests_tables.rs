//! The tables the cross-crate tests (`tests/`, the `gigs-tests` crate) read, generated from the
//! same spec and the same progenitor output as the client, so that a new type or operation is
//! covered by the schema, example, fuzz, request and contract tests without a hand-made list:
//!
//! - `TYPE_NAMES`, `json_schemas()`, `round_trip()` and `debug_formatted()` over every public
//!   type of `gigs_client::types`;
//! - `OPERATIONS`, one row per operation (operationId, method, path template, the path with the
//!   spec's example values filled in), and `example_request()`, which builds each operation's
//!   request on a `gigs_client::Client` with its required parameters set from the spec's examples;
//! - `example_ids`, the example value of each of those parameters, for tests that name one.

use std::collections::BTreeMap;

use anyhow::{anyhow, bail, Context};
use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::normalize::OpenEnum;
use spec_model::spec::{resolve_or_self as resolve, Operation, Parameter, RequestBody};

/// The Rust source of the tests' tables (without the generated-file header).
///
/// `client` is progenitor's output (its `types` module lists the types), `open_enums` the enums
/// that are rendered into that module after formatting, and `spec` the normalized spec.
pub fn test_tables(
    client: &syn::File,
    open_enums: &[OpenEnum],
    spec: &Value,
    operations: &[Operation],
) -> anyhow::Result<String> {
    let types = type_names(client, open_enums)?;
    let requests = example_requests(spec, operations)?;
    let mut tokens = type_registry(&types);
    tokens.extend(operation_table(&requests)?);
    tokens.extend(example_ids(&requests));
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

        /// Reads `json` as the type named `type_name` and formats it with `Debug`, plain and
        /// pretty (`{:?}` then `{:#?}`); `None` for an unknown name.
        pub fn debug_formatted(
            type_name: &str,
            json: &serde_json::Value,
        ) -> Option<Result<String, serde_json::Error>> {
            match type_name {
                #(#names => Some(
                    serde_json::from_value::<gigs_client::types::#idents>(json.clone())
                        .map(|value| format!("{value:?}\n{value:#?}")),
                ),)*
                _ => None,
            }
        }
    }
}

/// A required parameter and the spec's example value for it.
struct ExampleParameter<'m> {
    /// The name in the spec (`deviceModel`).
    name: &'m str,
    /// `path` or `query`.
    location: &'m str,
    /// The builder method.
    setter: &'m str,
    example: String,
}

/// An operation with the examples its test request is built from.
struct ExampleRequest<'m, 'd> {
    operation: &'m Operation<'d>,
    parameters: Vec<ExampleParameter<'m>>,
    /// The body's type name and its required fields with example values, when the body has
    /// required fields.
    body: Option<(String, serde_json::Map<String, Value>)>,
}

impl ExampleRequest<'_, '_> {
    fn example_path(&self) -> String {
        self.parameters
            .iter()
            .filter(|parameter| parameter.location == "path")
            .fold(self.operation.path.to_owned(), |path, parameter| {
                path.replace(&format!("{{{}}}", parameter.name), &parameter.example)
            })
    }
}

/// Every operation with its examples, in the spec's order.
fn example_requests<'m, 'd>(
    spec: &Value,
    operations: &'m [Operation<'d>],
) -> anyhow::Result<Vec<ExampleRequest<'m, 'd>>> {
    operations
        .iter()
        .map(|operation| {
            let id = operation.require_id()?;
            let parameters = operation
                .parameters
                .iter()
                .filter(|parameter| parameter.required)
                .map(|parameter| required_parameter(spec, id, parameter))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let body = match &operation.body {
                Some(body) => required_body(spec, id, body)?,
                None => None,
            };
            Ok(ExampleRequest {
                operation,
                parameters,
                body,
            })
        })
        .collect()
}

fn required_parameter<'m>(
    spec: &Value,
    id: &str,
    parameter: &'m Parameter,
) -> anyhow::Result<ExampleParameter<'m>> {
    let (name, location) = (parameter.name, parameter.location);
    if location != "path" && location != "query" {
        bail!("{id}: required {location} parameter `{name}`: the test tables set only path and query parameters");
    }
    let schema = parameter.schema().map(|schema| resolve(spec, schema));
    let example = parameter
        .value
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
    Ok(ExampleParameter {
        name,
        location,
        setter: &parameter.rust_name,
        example: example.to_owned(),
    })
}

/// The body type and its required fields with example values; `None` when no field is required
/// (the builder's default body is then sent).
fn required_body(
    spec: &Value,
    id: &str,
    body: &RequestBody,
) -> anyhow::Result<Option<(String, serde_json::Map<String, Value>)>> {
    let (Some(media), Some(type_name)) = (body.json, &body.type_name) else {
        return Ok(None);
    };
    let type_name = type_name.clone();
    let schema = body.schema.unwrap_or(&Value::Null);
    let required = body.required_properties();
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

fn operation_table(requests: &[ExampleRequest]) -> anyhow::Result<TokenStream> {
    let rows = requests.iter().map(|request| {
        let operation = request.operation;
        let (id, method, path) = (operation.id, operation.http_method(), operation.path);
        let example_path = request.example_path();
        quote! {
            crate::operations::OperationRow {
                operation_id: #id,
                method: #method,
                path: #path,
                example_path: #example_path,
            }
        }
    });
    let arms = requests.iter().map(|request| {
        let id = request.operation.require_id()?;
        let client_method = format_ident!("{}", request.operation.require_names()?.method);
        let setters = request.parameters.iter().map(|parameter| {
            let setter = format_ident!("{}", parameter.setter);
            let example = &parameter.example;
            quote! { .#setter(#example) }
        });
        let body = request.body.as_ref().map(|(type_name, fields)| {
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
        Ok(quote! {
            #id => Some(with.request(client.#client_method() #(#setters)* #body)),
        })
    });
    let arms = arms.collect::<anyhow::Result<Vec<_>>>()?;
    Ok(quote! {
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
    })
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
fn example_ids(requests: &[ExampleRequest]) -> TokenStream {
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for request in requests {
        let parameters = request
            .parameters
            .iter()
            .map(|parameter| (parameter.name, parameter.example.as_str()));
        let fields = request
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

    use super::required_body;
    use spec_model::spec::read_operations;

    fn spec_with_request(required: &[&str], example: serde_json::Value) -> serde_json::Value {
        json!({
            "paths": {"/things": {"post": {
                "operationId": "createThing",
                "requestBody": {"content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/CreateThingRequest"},
                    "example": example,
                }}},
                "responses": {},
            }}},
            "components": {"schemas": {"CreateThingRequest": {
                "type": "object",
                "required": required,
                "properties": {
                    "imei": {"type": "string"},
                    "code": {"type": "string", "example": "c-1"},
                    "name": {"type": "string"},
                },
            }}},
        })
    }

    fn required_fields(
        spec: &serde_json::Value,
    ) -> anyhow::Result<Option<(String, serde_json::Map<String, serde_json::Value>)>> {
        let operations = read_operations(spec).unwrap();
        let body = operations[0]
            .body
            .as_ref()
            .expect("the operation has a body");
        required_body(spec, "createThing", body)
    }

    #[test]
    fn required_body_fields_come_from_the_body_example_then_the_property() {
        let spec = spec_with_request(
            &["imei", "code"],
            json!({"imei": "490154203237518", "name": "optional"}),
        );
        let (type_name, fields) = required_fields(&spec)
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
        let spec = spec_with_request(&[], json!({"name": "x"}));
        assert!(required_fields(&spec).unwrap().is_none());
    }

    #[test]
    fn a_required_body_field_without_an_example_is_named() {
        let spec = spec_with_request(&["name"], json!({"imei": "1"}));
        let error = required_fields(&spec).unwrap_err().to_string();
        assert!(
            error.contains("createThing: required body field `name` has no example"),
            "{error}"
        );
    }
}
