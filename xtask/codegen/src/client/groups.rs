//! The resource groups: one per tag of the spec, reached from a client that has a project
//! (`ProjectClient`: every operation of the tag) or from one that has none (`UnscopedClient`:
//! the tag's operations that no project scopes, such as the device models).
//!
//! A group method takes one argument per path parameter other than `project`, in path order
//! (`subscriptions().cancel(subscription)`), and returns the operation's builder with the
//! project and those ids set: nothing a path needs is left for the caller to forget, and no
//! call fails at run time with "project was not initialized".

use std::collections::BTreeMap;

use anyhow::Context;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use spec_model::naming;
use spec_model::spec::Operation;

/// The name of the path parameter that the project-scoped client fills in.
const PROJECT: &str = "project";

/// `ProjectClient`, `UnscopedClient` and the `resources` module with their groups.
pub fn resource_groups(operations: &[Operation]) -> anyhow::Result<TokenStream> {
    let mut by_tag: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for operation in operations {
        let tag = operation.tag.unwrap_or(naming::DEFAULT_TAG);
        by_tag.entry(tag).or_default().push(operation);
    }
    let mut groups = TokenStream::new();
    let mut scoped_accessors = TokenStream::new();
    let mut unscoped_accessors = TokenStream::new();
    for (tag, operations) in by_tag {
        let names = operations[0].require_names()?;
        let group = format_ident!("{}", names.group);
        let accessor = format_ident!("{}", names.group_accessor);
        let methods = operations
            .iter()
            .map(|operation| group_method(operation, true))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let group_doc = format!(
            "The {tag} operations of one project; see [`crate::ProjectClient`]. Each method \
             takes the ids of its path, in path order."
        );
        groups.extend(quote! {
            #[doc = #group_doc]
            #[derive(Clone, Copy, Debug)]
            pub struct #group<'a> {
                pub(crate) client: &'a super::Client,
                pub(crate) project: &'a str,
            }
            impl<'a> #group<'a> {
                #(#methods)*
            }
        });
        let accessor_doc = format!("The {tag} operations, with this client's project filled in.");
        scoped_accessors.extend(quote! {
            #[doc = #accessor_doc]
            pub fn #accessor(&self) -> resources::#group<'_> {
                resources::#group {
                    client: &self.client,
                    project: &self.project,
                }
            }
        });

        let global: Vec<&&Operation> = operations
            .iter()
            .filter(|operation| !operation.project_scoped)
            .collect();
        if global.is_empty() {
            continue;
        }
        let unscoped_group = format_ident!("{}", naming::unscoped_group(tag));
        let methods = global
            .iter()
            .map(|operation| group_method(operation, false))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let group_doc =
            format!("The {tag} operations that no project scopes; see [`crate::UnscopedClient`].");
        groups.extend(quote! {
            #[doc = #group_doc]
            #[derive(Clone, Copy, Debug)]
            pub struct #unscoped_group<'a> {
                pub(crate) client: &'a super::Client,
            }
            impl<'a> #unscoped_group<'a> {
                #(#methods)*
            }
        });
        let accessor_doc = format!("The {tag} operations that need no project.");
        unscoped_accessors.extend(quote! {
            #[doc = #accessor_doc]
            pub fn #accessor(&self) -> resources::#unscoped_group<'_> {
                resources::#unscoped_group { client: &self.client }
            }
        });
    }
    Ok(quote! {
        /// The generated [`Client`] with a project: the operations of every tag, grouped, with
        /// the project filled in.
        ///
        /// A group method takes the ids of its path (other than the project) as arguments, in
        /// path order, and returns the operation's builder with them set:
        ///
        /// ```
        /// let client = gigs_client::Client::new("https://api.gigs.com", Default::default());
        /// let gigs = gigs_client::ProjectClient::new(client, "my-project");
        /// let list = gigs.subscriptions().list().limit(20);
        /// let cancel = gigs.subscriptions().cancel("sub_123");
        /// # let _ = (list, cancel);
        /// ```
        #[derive(Clone, Debug)]
        pub struct ProjectClient {
            client: Client,
            project: ::std::string::String,
        }

        impl ProjectClient {
            /// Wraps `client`, filling in `project` for every project-scoped operation.
            pub fn new(client: Client, project: impl ::std::convert::Into<::std::string::String>) -> Self {
                Self { client, project: project.into() }
            }

            /// The generated client, for everything the resource groups do not cover.
            pub fn client(&self) -> &Client {
                &self.client
            }

            /// The project this client fills in.
            pub fn project_id(&self) -> &str {
                &self.project
            }

            /// The same client without its project.
            pub fn unscoped(&self) -> UnscopedClient {
                UnscopedClient::new(self.client.clone())
            }

            #scoped_accessors
        }

        /// The generated [`Client`] without a project: the operations that no project scopes
        /// (the device models), grouped; [`project`](Self::project) gives a [`ProjectClient`]
        /// for the others.
        ///
        /// ```
        /// let client = gigs_client::Client::new("https://api.gigs.com", Default::default());
        /// let gigs = gigs_client::UnscopedClient::new(client);
        /// let models = gigs.devices().list_models();
        /// let project = gigs.project("my-project");
        /// let devices = project.devices().list();
        /// # let _ = (models, devices);
        /// ```
        #[derive(Clone, Debug)]
        pub struct UnscopedClient {
            client: Client,
        }

        impl UnscopedClient {
            /// Wraps `client`.
            pub fn new(client: Client) -> Self {
                Self { client }
            }

            /// The generated client, for everything the resource groups do not cover.
            pub fn client(&self) -> &Client {
                &self.client
            }

            /// A client for `project` (sharing this one's connection pool).
            pub fn project(&self, project: impl ::std::convert::Into<::std::string::String>) -> ProjectClient {
                ProjectClient::new(self.client.clone(), project)
            }

            #unscoped_accessors
        }

        /// Operations grouped by tag: those of a [`ProjectClient`], with its project, and those
        /// of an [`UnscopedClient`], which need none.
        pub mod resources {
            #groups
        }
    })
}

/// One group method: its path ids as arguments (the project from the group when `scoped`).
fn group_method(operation: &Operation, scoped: bool) -> anyhow::Result<TokenStream> {
    let names = operation.require_names()?;
    let method = format_ident!("{}", names.group_method);
    let client_method = format_ident!("{}", names.method);
    let builder = format_ident!("{}", names.builder);
    let mut arguments = Vec::new();
    let mut setters = Vec::new();
    let mut set = Vec::new();
    for parameter in operation.path_parameters() {
        let setter = format_ident!("{}", parameter.rust_name);
        if parameter.name == PROJECT {
            if scoped {
                setters.push(quote! { .#setter(self.project) });
            }
            continue;
        }
        let rust_type = parameter.rust_type.as_deref().with_context(|| {
            format!(
                "{}: path parameter `{}` has no Rust type",
                operation.label(),
                parameter.name
            )
        })?;
        let ty: syn::Type = syn::parse_str(rust_type)
            .with_context(|| format!("cannot read the type `{rust_type}`"))?;
        arguments.push(quote! { #setter: impl ::std::convert::Into<#ty> });
        setters.push(quote! { .#setter(#setter.into()) });
        set.push(format!("`{}`", parameter.rust_name));
    }
    let mut doc = format!(
        "`{} {}`: [`Client::{client_method}`](crate::Client::{client_method})",
        operation.http_method(),
        operation.path,
    );
    let mut filled = Vec::new();
    if scoped && operation.project_scoped {
        filled.push("the project".to_owned());
    }
    filled.extend(set);
    if !filled.is_empty() {
        doc.push_str(&format!(" with {} set", filled.join(" and ")));
    }
    doc.push('.');
    Ok(quote! {
        #[doc = #doc]
        pub fn #method(&self, #(#arguments),*) -> super::builder::#builder<'a> {
            self.client.#client_method()#(#setters)*
        }
    })
}
