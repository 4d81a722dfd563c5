//! Code that `generate` adds beside progenitor's output, derived from the spec so that new
//! operations get it with no hand edits:
//!
//! - the table of operations (name, operationId, method, path template, success statuses,
//!   whether the spec marks it safe to repeat) the runtime checks against and retries by;
//! - an `Operation` impl for every operation's builder (its operationId, response and error types);
//! - `ListPage`/`ListRequest` impls for every paginated list operation (query `after`, `before`
//!   and `limit`, answered by an `items`/`moreItemsAfter`/`moreItemsBefore` envelope);
//! - the resource groups of `ProjectClient` and `UnscopedClient` ([`super::groups`]).

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use spec_model::spec::Operation;

/// The items added to progenitor's output for `operations` (the model of the normalized spec).
pub fn extras(operations: &[Operation]) -> anyhow::Result<Vec<syn::Item>> {
    let mut tokens = operation_impls(operations)?;
    tokens.extend(pagination_impls(operations)?);
    tokens.extend(super::groups::resource_groups(operations)?);
    let file: syn::File = syn::parse2(tokens).expect("the extras are valid Rust");
    Ok(file.items)
}

/// The success and error body types of an operation, when both are JSON components: an
/// `Operation` impl needs both (a list request is one too).
fn bodies(operation: &Operation) -> Option<(String, String)> {
    Some((
        spec_model::naming::type_name(operation.success_type()?),
        spec_model::naming::type_name(operation.error_type()?),
    ))
}

fn operation_impls(operations: &[Operation]) -> anyhow::Result<TokenStream> {
    // Sorted by name: the runtime looks operations up by binary search on every request.
    let mut by_name: Vec<(&str, &str, &Operation)> = operations
        .iter()
        .map(|operation| {
            let name = operation.require_names()?.method.as_str();
            Ok((name, operation.require_id()?, operation))
        })
        .collect::<anyhow::Result<_>>()?;
    by_name.sort_by(|a, b| a.0.cmp(b.0));
    let specs = by_name.iter().map(|(name, id, operation)| {
        let (method, path) = (operation.http_method(), operation.path);
        let success = operation.success_statuses();
        let idempotent = operation.idempotent;
        quote! {
            crate::operation::OperationSpec {
                name: #name,
                operation_id: #id,
                method: #method,
                path: #path,
                success_statuses: &[#(#success),*],
                idempotent: #idempotent,
            }
        }
    });
    let mut tokens = quote! {
        impl crate::operation::OperationSpec {
            /// Every operation of the spec, sorted by method name, for the runtime's checks and
            /// logs.
            pub const ALL: &'static [crate::operation::OperationSpec] = &[#(#specs),*];

            /// The operation whose generated method is `name` (`retrieve_device`): progenitor
            /// hands the hooks this name, not the spec's `operationId`.
            pub fn by_method_name(name: &str) -> ::std::option::Option<&'static Self> {
                Self::ALL
                    .binary_search_by(|operation| operation.name.cmp(name))
                    .ok()
                    .map(|index| &Self::ALL[index])
            }

            /// The operation with the spec's `operationId` `id` (`retrieveDevice`).
            pub fn by_operation_id(id: &str) -> ::std::option::Option<&'static Self> {
                Self::ALL.iter().find(|operation| operation.operation_id == id)
            }
        }

        /// How a builder's own `send()` enters the runtime (`crate::hooks`), with the
        /// operation looked up in the table above.
        impl ClientHooks<crate::ClientSettings> for Client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                info: &OperationInfo,
            ) -> ::std::result::Result<(), Error<E>> {
                let operation = crate::operation::OperationSpec::by_method_name(info.operation_id);
                crate::hooks::pre(crate::endpoint::Endpoint::of(self), operation, request)
                    .map_err(Error::InvalidRequest)
            }

            async fn exec(
                &self,
                request: reqwest::Request,
                info: &OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                let operation = crate::operation::OperationSpec::by_method_name(info.operation_id);
                let operation_id = operation.map_or(info.operation_id, |operation| operation.operation_id);
                crate::hooks::exec(crate::endpoint::Endpoint::of(self), operation_id, operation, request)
                    .await
            }
        }

        impl Client {
            /// A client whose HTTP client is built from `builder` with the settings'
            /// per-attempt timeout applied by the HTTP client itself (no per-request timeout
            /// to allocate on each call). Use [`Client::new_with_client`] for a
            /// `reqwest::Client` that already exists: its requests then carry the timeout.
            ///
            /// ```
            /// use std::time::Duration;
            ///
            /// let settings = gigs_client::ClientSettings::default()
            ///     .with_timeout(Duration::from_secs(30));
            /// let builder = reqwest::Client::builder().connect_timeout(Duration::from_secs(5));
            /// let client = gigs_client::Client::from_http_client_builder(
            ///     "https://api.gigs.com",
            ///     builder,
            ///     settings,
            /// )?;
            /// # let _ = client;
            /// # Ok::<(), reqwest::Error>(())
            /// ```
            ///
            /// # Errors
            /// When reqwest cannot build the HTTP client (a TLS backend that fails to start).
            pub fn from_http_client_builder(
                baseurl: &str,
                builder: reqwest::ClientBuilder,
                settings: crate::ClientSettings,
            ) -> reqwest::Result<Self> {
                let (http, settings) = settings.build_http_client(builder)?;
                Ok(Self::new_with_client(baseurl, http, settings))
            }
        }
    };
    for operation in operations {
        let Some((response, error)) = bodies(operation) else {
            continue;
        };
        let index = by_name
            .iter()
            .position(|(_, _, listed)| listed.id == operation.id)
            .expect("every operation is in the table");
        let builder = format_ident!("{}", operation.require_names()?.builder);
        let response = format_ident!("{response}");
        let error = format_ident!("{error}");
        let id = operation.require_id()?;
        tokens.extend(quote! {
            impl crate::operation::Operation for builder::#builder<'_> {
                const OPERATION_ID: &'static str = #id;
                const SPEC: &'static crate::operation::OperationSpec =
                    &crate::operation::OperationSpec::ALL[#index];
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
                fn decode_response(
                    body: &[u8],
                ) -> ::std::result::Result<types::#response, crate::operation::BodyMismatch> {
                    crate::operation::decode_json::<types::#response>(body)
                }
            }
        });
    }
    Ok(tokens)
}

fn pagination_impls(operations: &[Operation]) -> anyhow::Result<TokenStream> {
    let mut tokens = TokenStream::new();
    let mut pages = BTreeSet::new();
    for operation in operations {
        let Some(list) = operation
            .list
            .as_ref()
            .filter(|_| bodies(operation).is_some())
        else {
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
        let builder = format_ident!("{}", operation.require_names()?.builder);
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
    Ok(tokens)
}
