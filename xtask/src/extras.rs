//! Code that `generate` adds beside progenitor's output, derived from the spec so that new
//! operations get it with no hand edits:
//!
//! - the table of operations (name, operationId, method, path template) the runtime checks against;
//! - an `Operation` impl for every operation's builder (its operationId, response and error types);
//! - `ListPage`/`ListRequest` impls for every paginated list operation (query `after`, `before`
//!   and `limit`, answered by an `items`/`moreItemsAfter`/`moreItemsBefore` envelope);
//! - one resource group per tag (`ProjectClient::subscriptions()`, ...) whose methods return the
//!   operation's builder with the default project filled in.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::naming;
use crate::spec::{self, resolve_or_self as resolve, schema_ref_name as schema_name};

/// The group of operations without a tag.
pub const DEFAULT_TAG: &str = "Other";

/// What the extras need to know of one operation.
struct Operation {
    id: String,
    method: String,
    path: String,
    tag: String,
    has_project: bool,
    /// The documented success statuses (2xx), in the spec's order.
    success_statuses: Vec<u16>,
    /// The schemas of the success and error bodies, when both are JSON components.
    bodies: Option<Bodies>,
    list: Option<ListShape>,
}

struct Bodies {
    response_type: String,
    error_type: String,
}

struct ListShape {
    page_type: String,
    item_type: String,
}

pub fn extras(spec: &Value) -> Vec<syn::Item> {
    let operations = operations(spec);
    let mut tokens = operation_impls(&operations);
    tokens.extend(pagination_impls(&operations));
    tokens.extend(resource_groups(&operations));
    let file: syn::File = syn::parse2(tokens).expect("the extras are valid Rust");
    file.items
}

fn operations(spec: &Value) -> Vec<Operation> {
    spec::operations(spec)
        .map(|operation| {
            let parameters: Vec<&Value> = operation
                .value
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|parameter| resolve(spec, parameter))
                .collect();
            let has = |name: &str, location: &str| {
                parameters.iter().any(|parameter| {
                    parameter.get("name").and_then(Value::as_str) == Some(name)
                        && parameter.get("in").and_then(Value::as_str) == Some(location)
                })
            };
            let list = if has("after", "query") && has("before", "query") && has("limit", "query") {
                list_shape(spec, operation.value)
            } else {
                None
            };
            let bodies = bodies(spec, operation.value);
            let success_statuses = operation
                .value
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .filter_map(|(status, _)| status.parse::<u16>().ok())
                .filter(|status| (200..300).contains(status))
                .collect();
            Operation {
                id: operation.operation_id().unwrap_or_default().to_owned(),
                method: operation.method.to_uppercase(),
                path: operation.path.to_owned(),
                tag: operation.tag().unwrap_or(DEFAULT_TAG).to_owned(),
                has_project: has("project", "path"),
                success_statuses,
                // A list request is an `Operation` too, so it needs both bodies.
                list: list.filter(|_| bodies.is_some()),
                bodies,
            }
        })
        .collect()
}

/// The schema of an operation's JSON response body: the first 2xx one, or the first other one.
fn response_schema(spec: &Value, operation: &Value, success: bool) -> Option<String> {
    operation
        .get("responses")?
        .as_object()?
        .iter()
        .filter(|(status, _)| status.starts_with('2') == success)
        .find_map(|(_, response)| {
            resolve(spec, response)
                .pointer("/content/application~1json/schema")
                .and_then(schema_name)
                .map(str::to_owned)
        })
}

fn bodies(spec: &Value, operation: &Value) -> Option<Bodies> {
    Some(Bodies {
        response_type: response_schema(spec, operation, true)?,
        error_type: response_schema(spec, operation, false)?,
    })
}

fn list_shape(spec: &Value, operation: &Value) -> Option<ListShape> {
    let page_type = response_schema(spec, operation, true)?;
    let page = spec.pointer(&format!("/components/schemas/{page_type}"))?;
    let properties = page.get("properties")?;
    properties.get("moreItemsAfter")?;
    properties.get("moreItemsBefore")?;
    let item_type = properties
        .pointer("/items/items")
        .and_then(schema_name)?
        .to_owned();
    Some(ListShape {
        page_type,
        item_type,
    })
}

fn operation_impls(operations: &[Operation]) -> TokenStream {
    // Sorted by name: the runtime looks operations up by binary search on every request.
    let mut by_name: Vec<(String, &Operation)> = operations
        .iter()
        .map(|operation| (naming::method(&operation.id), operation))
        .collect();
    by_name.sort_by(|a, b| a.0.cmp(&b.0));
    let specs = by_name.iter().map(|(name, operation)| {
        let (id, method, path) = (&operation.id, &operation.method, &operation.path);
        let success = &operation.success_statuses;
        quote! {
            crate::operation::OperationSpec {
                name: #name,
                operation_id: #id,
                method: #method,
                path: #path,
                success_statuses: &[#(#success),*],
            }
        }
    });
    let mut tokens = quote! {
        /// Every operation of the spec, sorted by name, for the runtime's checks and logs.
        pub(crate) const OPERATIONS: &[crate::operation::OperationSpec] = &[#(#specs),*];
    };
    for operation in operations {
        let Some(bodies) = &operation.bodies else {
            continue;
        };
        let index = by_name
            .iter()
            .position(|(_, listed)| listed.id == operation.id)
            .expect("every operation is in the table");
        let builder = format_ident!("{}", naming::builder(&operation.id));
        let response = format_ident!("{}", bodies.response_type);
        let error = format_ident!("{}", bodies.error_type);
        let id = &operation.id;
        tokens.extend(quote! {
            impl crate::operation::Operation for builder::#builder<'_> {
                const OPERATION_ID: &'static str = #id;
                const SPEC: &'static crate::operation::OperationSpec = &OPERATIONS[#index];
                type Response = types::#response;
                type ErrorBody = types::#error;
                fn send_request(
                    self,
                ) -> impl ::std::future::Future<
                    Output = ::std::result::Result<
                        ResponseValue<types::#response>,
                        Error<types::#error>,
                    >,
                > + Send {
                    builder::#builder::send(self)
                }
                fn exchange(
                    self,
                    options: crate::RequestOptions,
                ) -> impl ::std::future::Future<Output = crate::call::Exchange> + Send {
                    crate::call::exchange(builder::#builder::build_request(self), Self::SPEC, options)
                }
            }
        });
    }
    tokens
}

fn pagination_impls(operations: &[Operation]) -> TokenStream {
    let mut tokens = TokenStream::new();
    let mut pages = BTreeSet::new();
    for operation in operations {
        let Some(list) = &operation.list else {
            continue;
        };
        let page = format_ident!("{}", list.page_type);
        let item = format_ident!("{}", list.item_type);
        if pages.insert(list.page_type.clone()) {
            tokens.extend(quote! {
                impl crate::pagination::ListPage for types::#page {
                    type Item = types::#item;
                    fn items(&self) -> &[types::#item] {
                        &self.items
                    }
                    fn into_items(self) -> ::std::vec::Vec<types::#item> {
                        self.items
                    }
                    fn more_items_after(&self) -> ::std::option::Option<&str> {
                        self.more_items_after.as_deref()
                    }
                    fn more_items_before(&self) -> ::std::option::Option<&str> {
                        self.more_items_before.as_deref()
                    }
                }
            });
        }
        let builder = format_ident!("{}", naming::builder(&operation.id));
        tokens.extend(quote! {
            impl crate::pagination::ListRequest for builder::#builder<'_> {
                fn set_after(self, cursor: &str) -> Self {
                    builder::#builder::after(self, cursor)
                }
                fn set_before(self, cursor: &str) -> Self {
                    builder::#builder::before(self, cursor)
                }
                fn set_limit(self, limit: u32) -> Self {
                    builder::#builder::limit(self, limit)
                }
            }
        });
    }
    tokens
}

fn resource_groups(operations: &[Operation]) -> TokenStream {
    let mut by_tag: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for operation in operations {
        by_tag.entry(&operation.tag).or_default().push(operation);
    }
    let mut groups = TokenStream::new();
    let mut accessors = TokenStream::new();
    for (tag, operations) in by_tag {
        let group = format_ident!("{}", naming::group(tag));
        let accessor = format_ident!("{}", naming::group_accessor(tag));
        let ids: Vec<&str> = operations
            .iter()
            .map(|operation| operation.id.as_str())
            .collect();
        let names = naming::group_methods(tag, &ids);
        let methods = operations.iter().zip(&names).map(|(operation, name)| {
            let method = format_ident!("{name}");
            let client_method = format_ident!("{}", naming::method(&operation.id));
            let builder = format_ident!("{}", naming::builder(&operation.id));
            let doc = format!(
                "`{} {}`: [`Client::{client_method}`](crate::Client::{client_method}){}.",
                operation.method,
                operation.path,
                if operation.has_project {
                    " with the default project filled in, if one is set"
                } else {
                    ""
                }
            );
            let body = if operation.has_project {
                quote! {
                    let request = self.client.#client_method();
                    match self.project {
                        Some(project) => request.project(project),
                        None => request,
                    }
                }
            } else {
                quote! { self.client.#client_method() }
            };
            quote! {
                #[doc = #doc]
                pub fn #method(&self) -> super::builder::#builder<'a> {
                    #body
                }
            }
        });
        let group_doc = format!("The {tag} operations; see [`crate::ProjectClient`].");
        groups.extend(quote! {
            #[doc = #group_doc]
            #[derive(Clone, Copy, Debug)]
            pub struct #group<'a> {
                pub(crate) client: &'a super::Client,
                pub(crate) project: ::std::option::Option<&'a str>,
            }
            impl<'a> #group<'a> {
                #(#methods)*
            }
        });
        let accessor_doc = format!("The {tag} operations, with the default project filled in.");
        accessors.extend(quote! {
            #[doc = #accessor_doc]
            pub fn #accessor(&self) -> resources::#group<'_> {
                resources::#group {
                    client: self.client(),
                    project: self.project(),
                }
            }
        });
    }
    quote! {
        /// Operations grouped by tag, with the default project of a [`crate::ProjectClient`].
        pub mod resources {
            #groups
        }
        impl crate::ProjectClient {
            #accessors
        }
    }
}
