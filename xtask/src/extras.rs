//! Code that `generate` adds beside progenitor's output, derived from the spec so that new
//! operations get it with no hand edits:
//!
//! - `ListPage`/`ListRequest` impls for every paginated list operation (query `after`, `before`
//!   and `limit`, answered by an `items`/`moreItemsAfter`/`moreItemsBefore` envelope);
//! - one resource group per tag (`ProjectClient::subscriptions()`, ...) whose methods return the
//!   operation's builder with the default project filled in.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::validate::HTTP_METHODS;

/// What the extras need to know of one operation.
struct Operation {
    id: String,
    method: String,
    path: String,
    tag: String,
    has_project: bool,
    list: Option<ListShape>,
}

struct ListShape {
    page_type: String,
    item_type: String,
    error_type: String,
}

pub fn extras(spec: &Value) -> Vec<syn::Item> {
    let operations = operations(spec);
    let mut tokens = pagination_impls(&operations);
    tokens.extend(resource_groups(&operations));
    let file: syn::File = syn::parse2(tokens).expect("the extras are valid Rust");
    file.items
}

fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|target| spec.pointer(target.trim_start_matches('#')))
        .unwrap_or(value)
}

fn schema_name(schema: &Value) -> Option<&str> {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|target| target.strip_prefix("#/components/schemas/"))
}

fn operations(spec: &Value) -> Vec<Operation> {
    let mut operations = Vec::new();
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
        return operations;
    };
    for (path, item) in paths {
        for method in HTTP_METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let parameters: Vec<&Value> = operation
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
                list_shape(spec, operation)
            } else {
                None
            };
            operations.push(Operation {
                id: operation["operationId"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                method: method.to_uppercase(),
                path: path.clone(),
                tag: operation
                    .pointer("/tags/0")
                    .and_then(Value::as_str)
                    .unwrap_or("Other")
                    .to_owned(),
                has_project: has("project", "path"),
                list,
            });
        }
    }
    operations
}

fn list_shape(spec: &Value, operation: &Value) -> Option<ListShape> {
    let responses = operation.get("responses")?.as_object()?;
    let media_schema = |response: &Value| {
        resolve(spec, response)
            .pointer("/content/application~1json/schema")
            .and_then(schema_name)
            .map(str::to_owned)
    };
    let page_type = responses
        .iter()
        .find(|(status, _)| status.starts_with('2'))
        .and_then(|(_, response)| media_schema(response))?;
    let page = spec.pointer(&format!("/components/schemas/{page_type}"))?;
    let properties = page.get("properties")?;
    properties.get("moreItemsAfter")?;
    properties.get("moreItemsBefore")?;
    let item_type = properties
        .pointer("/items/items")
        .and_then(schema_name)?
        .to_owned();
    let error_type = responses
        .iter()
        .filter(|(status, _)| !status.starts_with('2'))
        .find_map(|(_, response)| media_schema(response))?;
    Some(ListShape {
        page_type,
        item_type,
        error_type,
    })
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
        let error = format_ident!("{}", list.error_type);
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
        let builder = format_ident!("{}", operation.id.to_upper_camel_case());
        tokens.extend(quote! {
            impl crate::pagination::ListRequest for builder::#builder<'_> {
                type Page = types::#page;
                type ErrorBody = types::#error;
                fn set_after(self, cursor: &str) -> Self {
                    builder::#builder::after(self, cursor)
                }
                fn set_before(self, cursor: &str) -> Self {
                    builder::#builder::before(self, cursor)
                }
                fn set_limit(self, limit: u32) -> Self {
                    builder::#builder::limit(self, limit)
                }
                fn send_page(
                    self,
                ) -> impl ::std::future::Future<
                    Output = ::std::result::Result<
                        ResponseValue<types::#page>,
                        Error<types::#error>,
                    >,
                > + Send {
                    builder::#builder::send(self)
                }
            }
        });
    }
    tokens
}

/// The method name of an operation inside its tag's group: the operationId without the tag's
/// noun (`listSubscriptions` in Subscriptions is `list`), unless that would be unclear.
fn short_name(operation_id: &str, tag: &str) -> String {
    let plural = tag.to_lowercase();
    let singular = plural.strip_suffix('s').unwrap_or(&plural).to_owned();
    let mut words: Vec<String> = operation_id
        .to_snake_case()
        .split('_')
        .map(str::to_owned)
        .collect();
    // A one-letter word before the noun is part of an acronym (`e` + `sim` in eSIM): keep it.
    let position = words.iter().enumerate().position(|(index, word)| {
        (*word == plural || *word == singular) && (index == 0 || words[index - 1].len() > 1)
    });
    if let Some(position) = position {
        words.remove(position);
    }
    words.join("_")
}

fn resource_groups(operations: &[Operation]) -> TokenStream {
    let mut by_tag: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for operation in operations {
        by_tag.entry(&operation.tag).or_default().push(operation);
    }
    let mut groups = TokenStream::new();
    let mut accessors = TokenStream::new();
    for (tag, operations) in by_tag {
        let group = format_ident!("{}", tag.to_lowercase().to_upper_camel_case());
        let accessor = format_ident!("{}", tag.to_lowercase().to_snake_case());
        let mut names: Vec<String> = operations
            .iter()
            .map(|operation| short_name(&operation.id, tag))
            .collect();
        // Fall back to the full operation name wherever the short names are not unique.
        for index in 0..names.len() {
            let clashes = names.iter().filter(|name| **name == names[index]).count() > 1;
            if clashes || names[index].is_empty() {
                names[index] = operations[index].id.to_snake_case();
            }
        }
        let methods = operations.iter().zip(&names).map(|(operation, name)| {
            let method = format_ident!("{name}");
            let client_method = format_ident!("{}", operation.id.to_snake_case());
            let builder = format_ident!("{}", operation.id.to_upper_camel_case());
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

#[cfg(test)]
mod tests {
    use super::short_name;

    #[test]
    fn short_names_drop_the_tag_noun() {
        assert_eq!(short_name("listSubscriptions", "Subscriptions"), "list");
        assert_eq!(short_name("cancelSubscription", "Subscriptions"), "cancel");
        assert_eq!(
            short_name("listDeviceModelBrands", "Devices"),
            "list_model_brands"
        );
        assert_eq!(
            short_name("retrieveSimCredentials", "SIMs"),
            "retrieve_credentials"
        );
        assert_eq!(
            short_name("retrieveESimProfile", "SIMs"),
            "retrieve_e_sim_profile"
        );
    }
}
