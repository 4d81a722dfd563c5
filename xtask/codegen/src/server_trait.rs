//! The fake's server side, rendered from the operation model into gigs-testing
//! (`crates/gigs-testing/src/generated/server_trait.rs`), so that a spec change reaches the fake through the
//! compiler:
//!
//! - `OPERATIONS`, one row per operation in routing order (a fixed segment such as `/search`
//!   before a parameter in its place): operationId, method, path template, success status, the
//!   documented success example and the example values of the path parameters;
//! - `requests`, one struct per operation named like the client's builder, holding the typed
//!   path and query parameters (gigs-client's types, open enums and comma lists included;
//!   documented defaults filled in) and the typed body;
//! - the `GigsServer` trait, one method per operation named like the client's method, taking
//!   that struct and returning the typed success body or a Gigs error; its default answers
//!   "no behaviour", which the dispatch turns into the documented example (or a 501);
//! - `dispatch`, which decodes a routed request (bad input: Gigs 400/422 bodies), calls the
//!   method and encodes the answer with the spec's success status.
//!
//! The decoding and encoding helpers it calls are hand-written in gigs-testing (`dispatch.rs`).

use std::path::Path;

use anyhow::{bail, Context};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::GENERATED_HEADER;
use spec_model::naming;
use spec_model::spec::{Operation, Parameter};

/// The trait the fake implements.
pub const TRAIT_NAME: &str = "GigsServer";

/// An operation as the fake serves it, for the report of `generate`.
pub struct Served {
    pub operation_id: String,
    /// The trait method.
    pub method: String,
    /// The spec documents an example of the success answer.
    pub has_example: bool,
}

/// The generated file (with its header) and what each operation's default answer is.
pub fn fake_server(
    spec: &Value,
    operations: &[Operation],
) -> anyhow::Result<(String, Vec<Served>)> {
    let mut routed: Vec<&Operation> = operations.iter().collect();
    // Fixed segments first: at the first segment where two templates differ in kind, the one
    // with a fixed segment is tried first. The sort is stable, so the spec's order stays
    // otherwise.
    routed.sort_by_key(|operation| {
        operation
            .path
            .split('/')
            .map(|segment| segment.starts_with('{'))
            .collect::<Vec<_>>()
    });
    let mut rows = Vec::new();
    let mut requests = Vec::new();
    let mut methods = Vec::new();
    let mut arms = Vec::new();
    let mut served = Vec::new();
    for (index, operation) in routed.iter().enumerate() {
        let rendered = render(spec, operation, index)?;
        rows.push(rendered.row);
        requests.push(rendered.request);
        methods.push(rendered.method);
        arms.push(rendered.arm);
        served.push(Served {
            operation_id: operation.require_id()?.to_owned(),
            method: operation.require_names()?.method.clone(),
            has_example: rendered.has_example,
        });
    }
    let pages = page_conversions(operations);
    let trait_name = format_ident!("{TRAIT_NAME}");
    let tokens = quote! {
        use crate::dispatch::{Answer, Decode, Operation, Rules};
        use crate::error::ApiError;

        /// Every operation of openapi.yaml in routing order: a path with a fixed segment
        /// (`/search`) comes before the one with a parameter in its place.
        pub const OPERATIONS: &[Operation] = &[#(#rows),*];

        /// The typed input of each operation: path and query parameters (documented defaults
        /// filled in) and the body, named like the client's builders.
        pub(crate) mod requests {
            #(#requests)*
        }

        /// The API as a server: one method per operation of openapi.yaml, named like the
        /// client's methods, on typed input and output. A method left out answers with the
        /// operation's documented example (or a 501 naming it where there is none).
        pub(crate) trait #trait_name {
            #(#methods)*
        }

        #(#pages)*

        /// Decodes the request routed to `OPERATIONS[index]`, runs its method on `server` and
        /// encodes the answer.
        pub(crate) fn dispatch<S: #trait_name + ?Sized>(
            server: &mut S,
            index: usize,
            path: &[String],
            query: &crate::params::Query,
            body: &[u8],
        ) -> Result<Answer, ApiError> {
            let operation = &OPERATIONS[index];
            let mut decode = Decode::new(path, query);
            match index {
                #(#arms)*
                _ => unreachable!("routing only yields indexes of OPERATIONS"),
            }
        }
    };
    let file: syn::File =
        syn::parse2(tokens).context("the fake's server trait is not valid Rust")?;
    let code = format!(
        "{GENERATED_HEADER}\n//! The fake's server side of openapi.yaml (see xtask/codegen/src/server_trait.rs): the \
         operation table,\n//! the typed requests, the `{TRAIT_NAME}` trait and the dispatch.\n\n{}",
        prettyplease::unparse(&file)
    );
    Ok((code, served))
}

/// One `From<Page<Item>>` per list type of the spec, so that a handler hands back a page of
/// items and the list's envelope (cursor fields, the constant `object`) comes from the spec.
fn page_conversions(operations: &[Operation]) -> Vec<TokenStream> {
    let mut shapes: Vec<_> = operations
        .iter()
        .filter_map(|operation| operation.list.as_ref())
        .collect();
    shapes.sort_by(|a, b| a.page_type.cmp(&b.page_type));
    shapes.dedup_by(|a, b| a.page_type == b.page_type);
    shapes
        .into_iter()
        .map(|shape| {
            let page = format_ident!("{}", shape.page_type);
            let item = format_ident!("{}", shape.item_type);
            let object = shape.object.as_ref().map(|value| quote! { .object(#value) });
            let doc = format!("A page of `{}` as the spec's `{}`.", shape.item_type, shape.page_type);
            quote! {
                #[doc = #doc]
                impl From<crate::params::Page<::gigs_client::types::#item>> for ::gigs_client::types::#page {
                    fn from(page: crate::params::Page<::gigs_client::types::#item>) -> Self {
                        // The list types are `#[non_exhaustive]`: built with their builder.
                        ::gigs_client::types::#page::builder()
                            .items(page.items)
                            .more_items_after(page.more_items_after)
                            .more_items_before(page.more_items_before)
                            #object
                            .try_into()
                            .expect("a page sets every field of its list type")
                    }
                }
            }
        })
        .collect()
}

struct Rendered {
    row: TokenStream,
    request: TokenStream,
    method: TokenStream,
    arm: TokenStream,
    has_example: bool,
}

/// A type as the client names it (`crate::types::X`), seen from gigs-testing.
fn client_type(rust_type: &str) -> anyhow::Result<TokenStream> {
    rust_type
        .replace("crate ::", "::gigs_client::")
        .replace("crate::", "::gigs_client::")
        .parse()
        .map_err(|error| anyhow::anyhow!("cannot read the type `{rust_type}`: {error}"))
}

/// A parameter's documented default as it would be sent: a list joined with commas.
fn wire_default(default: &Value) -> Option<String> {
    match default {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Array(items) => items
            .iter()
            .map(wire_default)
            .collect::<Option<Vec<_>>>()
            .map(|items| items.join(",")),
        _ => None,
    }
}

fn rules(parameter: &Parameter) -> TokenStream {
    let values = &parameter.values;
    let list = values.list;
    let allowed = &values.allowed;
    let option = |bound: Option<i64>| match bound {
        Some(bound) => quote!(Some(#bound)),
        None => quote!(None),
    };
    let (minimum, maximum) = (option(values.minimum), option(values.maximum));
    quote! {
        &Rules { list: #list, allowed: &[#(#allowed),*], minimum: #minimum, maximum: #maximum }
    }
}

fn render(spec: &Value, operation: &Operation, index: usize) -> anyhow::Result<Rendered> {
    let id = operation.require_id()?;
    let names = operation.require_names()?;
    let label = operation.label();
    let method_name = format_ident!("{}", names.method);
    let request_name = format_ident!("{}", names.builder);

    let mut fields = Vec::new();
    let mut decodes = Vec::new();
    let mut required = Vec::new();
    let mut assigned = Vec::new();
    let path_parameters = operation.path_parameters();
    for (position, parameter) in path_parameters.iter().enumerate() {
        let name = parameter.name;
        let field = format_ident!("{}", parameter.rust_name);
        let ty = client_type(parameter.rust_type.as_deref().with_context(|| {
            format!("{label}: path parameter `{name}` has no type in the client's builder")
        })?)?;
        let doc = format!("Path parameter `{name}`.");
        fields.push(quote! { #[doc = #doc] pub #field: #ty, });
        decodes.push(quote! { let #field = decode.path::<#ty>(#position, #name); });
        required.push(field.clone());
        assigned.push(field);
    }
    for parameter in operation.parameters_in("query") {
        let name = parameter.name;
        let field = format_ident!("{}", parameter.rust_name);
        let ty = client_type(parameter.rust_type.as_deref().with_context(|| {
            format!("{label}: query parameter `{name}` has no type in the client's builder")
        })?)?;
        let rules = rules(parameter);
        let default = parameter.values.default.and_then(wire_default);
        if parameter.required || default.is_some() {
            let doc = match &default {
                Some(default) => format!("Query parameter `{name}`; `{default}` when left out."),
                None => format!("Query parameter `{name}` (required)."),
            };
            fields.push(quote! { #[doc = #doc] pub #field: #ty, });
            decodes.push(match default {
                Some(default) => {
                    quote! { let #field = decode.query_or::<#ty>(#name, #rules, #default); }
                }
                None => quote! { let #field = decode.required::<#ty>(#name, #rules); },
            });
            required.push(field.clone());
        } else {
            let doc = format!("Query parameter `{name}`.");
            fields.push(quote! { #[doc = #doc] pub #field: Option<#ty>, });
            decodes.push(quote! { let #field = decode.query::<#ty>(#name, #rules); });
        }
        assigned.push(field);
    }
    if let Some(header) = operation
        .parameters
        .iter()
        .find(|parameter| !matches!(parameter.location, "path" | "query"))
    {
        bail!(
            "{label}: the fake cannot decode the {} parameter `{}` yet",
            header.location,
            header.name
        );
    }
    let body_type = match &operation.body {
        Some(body) => Some(format_ident!(
            "{}",
            body.type_name
                .as_deref()
                .with_context(|| format!("{label}: the request body is not JSON"))?
        )),
        None => None,
    };
    if let Some(body_type) = &body_type {
        fields.push(quote! {
            /// The body, read as JSON (the keys it holds are kept too).
            pub body: crate::body::Body<::gigs_client::types::#body_type>,
        });
        assigned.push(format_ident!("body"));
    }
    let body_required = operation
        .body
        .as_ref()
        .and_then(|body| body.value.get("required"))
        .and_then(serde_json::Value::as_bool)
        == Some(true);
    // Top-level properties a `null` is wrong for: not `nullable` (a nullable reference reads
    // as `nullable: true` once normalized).
    let not_null: Vec<&str> = operation
        .body
        .as_ref()
        .and_then(|body| body.schema)
        .and_then(|schema| schema.get("properties"))
        .and_then(serde_json::Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, property)| {
            property
                .get("nullable")
                .and_then(serde_json::Value::as_bool)
                != Some(true)
        })
        .map(|(name, _)| name.as_str())
        .collect();
    let body_decode = body_type.as_ref().map(|body_type| {
        let parse = if body_required {
            format_ident!("parse_required")
        } else {
            format_ident!("parse")
        };
        quote! {
            let body = crate::body::#parse::<::gigs_client::types::#body_type>(body, &[#(#not_null),*])?;
        }
    });
    let unused_body = body_type.is_none().then(|| quote! { let _ = body; });

    let response: TokenStream = match operation.success_type() {
        Some(name) => {
            let name = format_ident!("{}", naming::type_name(name));
            quote!(::gigs_client::types::#name)
        }
        None => quote!(()),
    };
    let status_code = operation.success_statuses().first().copied().unwrap_or(200);
    let status = proc_macro2::Literal::u16_unsuffixed(status_code);
    let example = operation.success_example(spec);
    let example_text = example.map(serde_json::to_string).transpose()?;
    let example_tokens = match &example_text {
        Some(text) => quote!(Some(#text)),
        None => quote!(None),
    };
    let path_examples = path_parameters.iter().map(|parameter| {
        let example = parameter
            .values
            .example
            .and_then(Value::as_str)
            .unwrap_or_default();
        quote!(#example)
    });
    let request_example = match operation.request_example(spec) {
        Some(example) => {
            let text = serde_json::to_string(example)?;
            quote!(Some(#text))
        }
        None => quote!(None),
    };
    let method = operation.http_method();
    let path = operation.path;
    let paginated = operation.list.is_some();
    let row = quote! {
        Operation {
            id: #id,
            method: #method,
            path: #path,
            status: #status,
            example: #example_tokens,
            path_examples: &[#(#path_examples),*],
            request_example: #request_example,
            paginated: #paginated,
        }
    };

    let request_doc = format!("The input of `{id}` (`{label}`).");
    let request = quote! {
        #[doc = #request_doc]
        #[derive(Debug)]
        pub(crate) struct #request_name {
            #(#fields)*
        }
    };
    let method_doc = format!(
        "`{id}`: `{label}`, answered with status {status_code}. Left out, the fake answers {}.",
        if example.is_some() {
            "with the spec's example"
        } else {
            "501 (the spec has no example)"
        }
    );
    let method = quote! {
        #[doc = #method_doc]
        fn #method_name(
            &mut self,
            request: requests::#request_name,
        ) -> Result<#response, ApiError> {
            let _ = request;
            Err(ApiError::no_behaviour(#id))
        }
    };
    // The page size a list example is cut to, read before the request moves into the method.
    let limit = match &operation.list {
        Some(_) => {
            let limit = operation
                .parameters_in("query")
                .find(|parameter| parameter.name == "limit")
                .context("a list operation has a `limit`")?;
            let field = format_ident!("{}", limit.rust_name);
            if required.contains(&field) {
                quote! { let limit = usize::try_from(request.#field).ok(); }
            } else {
                quote! { let limit = request.#field.and_then(|limit| usize::try_from(limit).ok()); }
            }
        }
        None => quote! { let limit: Option<usize> = None; },
    };
    let unwrap_required = (!required.is_empty()).then(|| {
        quote! {
            let (#(Some(#required),)*) = (#(#required,)*) else {
                return Err(decode.failed());
            };
        }
    });
    let arm = quote! {
        #index => {
            #(#decodes)*
            #unwrap_required
            decode.finish()?;
            #unused_body
            #body_decode
            let request = requests::#request_name { #(#assigned),* };
            #limit
            Answer::new(operation, server.#method_name(request), path, limit)
        }
    };
    Ok(Rendered {
        row,
        request,
        method,
        arm,
        has_example: example.is_some(),
    })
}

/// The trait methods the fake implements: the `fn`s of every `impl GigsServer for ..` in
/// `behaviour` (gigs-testing's hand-written handlers).
pub fn implemented_methods(behaviour: &Path) -> anyhow::Result<Option<Vec<String>>> {
    let source = match std::fs::read_to_string(behaviour) {
        Ok(source) => source,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error).context(format!("cannot read {}", behaviour.display())),
    };
    let file = syn::parse_file(&source)
        .with_context(|| format!("{} is not valid Rust", behaviour.display()))?;
    let methods = file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(block) => Some(block),
            _ => None,
        })
        .filter(|block| {
            block.trait_.as_ref().is_some_and(|(_, path, _)| {
                path.segments
                    .last()
                    .is_some_and(|segment| segment.ident == TRAIT_NAME)
            })
        })
        .flat_map(|block| &block.items)
        .filter_map(|item| match item {
            syn::ImplItem::Fn(function) => Some(function.sig.ident.to_string()),
            _ => None,
        })
        .collect();
    Ok(Some(methods))
}

/// The line `generate` prints about the fake: which operations it answers without behaviour.
/// `behaviour` is the file of the fake's hand-written `impl GigsServer`, `name` how the line
/// names it.
pub fn report(behaviour: &Path, name: &str, served: &[Served]) -> anyhow::Result<String> {
    let implemented = implemented_methods(behaviour)?.unwrap_or_default();
    let missing: Vec<String> = served
        .iter()
        .filter(|operation| !implemented.contains(&operation.method))
        .map(|operation| {
            let answer = if operation.has_example {
                "example"
            } else {
                "501, no example"
            };
            format!("{} ({answer})", operation.operation_id)
        })
        .collect();
    Ok(if missing.is_empty() {
        format!("the fake has behaviour for all {} operations", served.len())
    } else {
        format!(
            "the fake serves {} of {} operations from the spec alone (no method in {}): {}",
            missing.len(),
            served.len(),
            name,
            missing.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn served(operation_id: &str, method: &str, has_example: bool) -> Served {
        Served {
            operation_id: operation_id.to_owned(),
            method: method.to_owned(),
            has_example,
        }
    }

    #[test]
    fn the_report_names_each_operation_without_a_method_and_what_answers_it() {
        let root = tempfile::tempdir().unwrap();
        let behaviour = root.path().join("handlers.rs");
        std::fs::write(
            &behaviour,
            "impl GigsServer for Store { fn list_things(&mut self) {} }\n\
             impl Other for Store { fn retrieve_thing(&mut self) {} }\n",
        )
        .unwrap();
        let operations = [
            served("listThings", "list_things", true),
            served("retrieveThing", "retrieve_thing", true),
            served("deleteThing", "delete_thing", false),
        ];
        assert_eq!(
            report(
                &behaviour,
                "crates/gigs-testing/src/handlers/mod.rs",
                &operations
            )
            .unwrap(),
            "the fake serves 2 of 3 operations from the spec alone (no method in \
             crates/gigs-testing/src/handlers/mod.rs): retrieveThing (example), deleteThing \
             (501, no example)"
        );
        assert_eq!(
            report(&behaviour, "handlers.rs", &operations[..1]).unwrap(),
            "the fake has behaviour for all 1 operations"
        );
    }

    #[test]
    fn a_default_is_sent_as_the_api_would_receive_it() {
        let list = serde_json::json!(["inactive", "active"]);
        assert_eq!(wire_default(&list).as_deref(), Some("inactive,active"));
        assert_eq!(wire_default(&serde_json::json!(10)).as_deref(), Some("10"));
        assert_eq!(wire_default(&serde_json::json!({"a": 1})), None);
    }
}
