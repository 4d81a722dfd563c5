//! A `build_request()` method on every generated builder: the first half of progenitor's
//! `send()`, which turns the builder's parameters into a `reqwest::Request`, without the
//! second half (progenitor's hooks and its `ResponseValue` decoding).
//!
//! The runtime's own request path (`gigs_client::call`) sends that request with the call's
//! options passed as a value and hands the response back undecoded, so that `gigs` decodes the
//! body once and keeps the headers without a copy. Taking the statements from progenitor's
//! `send()`, instead of writing a second request builder from the spec, keeps both paths sending
//! byte-for-byte the same request.

use anyhow::{bail, Context};
use quote::quote;
use syn::punctuated::Punctuated;
use syn::{
    parse_quote, Expr, GenericArgument, ImplItem, Item, PathArguments, ReturnType, Stmt, Token,
    Type,
};

/// Adds `build_request` to every builder in the generated `builder` module that has a `send()`.
pub fn add_build_request_methods(file: &mut syn::File) -> anyhow::Result<()> {
    let builders = file
        .items
        .iter_mut()
        .find_map(|item| match item {
            Item::Mod(module) if module.ident == "builder" => module.content.as_mut(),
            _ => None,
        })
        .context("progenitor's output has no `builder` module")?;
    for item in &mut builders.1 {
        let Item::Impl(block) = item else { continue };
        let Some(send) = block.items.iter().find_map(|item| match item {
            ImplItem::Fn(function) if function.sig.ident == "send" => Some(function),
            _ => None,
        }) else {
            continue;
        };
        let self_ty = &block.self_ty;
        let builder = quote!(#self_ty).to_string();
        let method = build_request(send).with_context(|| {
            format!("cannot take the request building out of `{builder}::send`")
        })?;
        block.items.push(method);
    }
    Ok(())
}

/// `build_request()` made from `send`: its statements up to the one that hands the request to
/// progenitor's hooks (`let info = OperationInfo { .. }`), then the client and the request.
fn build_request(send: &syn::ImplItemFn) -> anyhow::Result<ImplItem> {
    let statements = &send.block.stmts;
    let hooks_start = statements
        .iter()
        .position(|statement| binds(statement, "info"))
        .context("no `let info = OperationInfo { .. }` statement")?;
    let building = statements[..hooks_start]
        .iter()
        .map(encode_path_in_place)
        .collect::<anyhow::Result<Vec<Stmt>>>()?;
    let building = headers_in_place(building)?;
    let error = error_type(&send.sig.output)?;
    Ok(parse_quote! {
        /// The request `send()` would send, not sent: for the runtime's request path
        /// (`crate::call`), which sends it with the call's options.
        pub(crate) fn build_request(
            self,
        ) -> ::std::result::Result<(&'a super::Client, ::reqwest::Request), #error> {
            #(#building)*
            Ok((client, request))
        }
    })
}

/// `let url = format!(.., encode_path(&id.to_string()), ..)` with each segment written into the
/// URL as it is encoded (`crate::call::PathSegment(&id)`) instead of going through two strings
/// of its own; other statements unchanged. The URL is the same (a test in `gigs_client::call`
/// compares the two encodings).
fn encode_path_in_place(statement: &Stmt) -> anyhow::Result<Stmt> {
    let format = match statement {
        Stmt::Local(local) if binds(statement, "url") => {
            local
                .init
                .as_ref()
                .and_then(|init| match init.expr.as_ref() {
                    Expr::Macro(format) if format.mac.path.is_ident("format") => Some(format),
                    _ => None,
                })
        }
        _ => None,
    };
    let Some(format) = format else {
        return Ok(statement.clone());
    };
    let arguments = format
        .mac
        .parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated)
        .context("the URL's `format!` arguments do not parse")?;
    let arguments = arguments.into_iter().map(|argument| {
        let Expr::Call(call) = &argument else {
            return argument;
        };
        let is_encode_path =
            matches!(call.func.as_ref(), Expr::Path(path) if path.path.is_ident("encode_path"));
        let segment = match call.args.first() {
            Some(Expr::Reference(reference)) if is_encode_path && call.args.len() == 1 => {
                match reference.expr.as_ref() {
                    Expr::MethodCall(to_string)
                        if to_string.method == "to_string" && to_string.args.is_empty() =>
                    {
                        Some(to_string.receiver.clone())
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        match segment {
            Some(segment) => parse_quote!(crate::call::PathSegment(&#segment)),
            None => argument,
        }
    });
    Ok(parse_quote! {
        let url = format!(#(#arguments),*);
    })
}

/// The header parameters appended to the request's own header map, instead of to a map of
/// their own that `.headers(header_map)` then merges into it: progenitor's
///
/// ```text
/// let mut header_map = HeaderMap::with_capacity(n);
/// header_map.append(..);                      // and conditional appends
/// let mut request = client.client.get(url).header(ACCEPT, ..).headers(header_map).build()?;
/// ```
///
/// becomes the request built without `.headers(..)`, then `let header_map =
/// request.headers_mut();` and the same appends. The request carries the same headers: the map
/// only ever holds the operation's header parameters, which `ACCEPT` is not.
fn headers_in_place(statements: Vec<Stmt>) -> anyhow::Result<Vec<Stmt>> {
    let Some(map_at) = statements.iter().position(|s| binds(s, "mut header_map")) else {
        return Ok(statements);
    };
    let request_at = statements
        .iter()
        .position(|s| binds(s, "mut request"))
        .context("no `let mut request = ..` statement")?;
    if request_at < map_at {
        bail!("the request is built before its header map");
    }
    let mut statements = statements;
    let Stmt::Local(request) = &mut statements[request_at] else {
        unreachable!("found as a `let` above")
    };
    let init = request
        .init
        .as_mut()
        .context("`let mut request` has no value")?;
    if !remove_headers_call(&mut init.expr) {
        bail!("the request is built without `.headers(header_map)`");
    }
    let appends: Vec<Stmt> = statements.drain(map_at + 1..request_at).collect();
    statements.remove(map_at);
    statements.push(parse_quote!(let header_map = request.headers_mut();));
    statements.extend(appends);
    Ok(statements)
}

/// Takes `.headers(header_map)` out of the method chain `expression` (through a trailing `?`);
/// says whether it was there.
fn remove_headers_call(expression: &mut Expr) -> bool {
    match expression {
        Expr::Try(attempt) => remove_headers_call(&mut attempt.expr),
        Expr::MethodCall(call) => {
            let is_merge = call.method == "headers"
                && call.args.len() == 1
                && matches!(&call.args[0], Expr::Path(path) if path.path.is_ident("header_map"));
            if is_merge {
                *expression = (*call.receiver).clone();
                true
            } else {
                remove_headers_call(&mut call.receiver)
            }
        }
        _ => false,
    }
}

/// Whether `statement` is a `let` binding `pattern` (`info`, `mut request`, ...).
fn binds(statement: &Stmt, pattern: &str) -> bool {
    match statement {
        Stmt::Local(local) => {
            let bound = &local.pat;
            quote!(#bound).to_string() == pattern
        }
        _ => false,
    }
}

/// `Error<E>` out of `send`'s `Result<ResponseValue<T>, Error<E>>`.
fn error_type(output: &ReturnType) -> anyhow::Result<&Type> {
    let ReturnType::Type(_, result) = output else {
        bail!("`send` returns nothing");
    };
    let Type::Path(result) = result.as_ref() else {
        bail!("`send` does not return a `Result`");
    };
    let last = result
        .path
        .segments
        .last()
        .context("an empty return type")?;
    let PathArguments::AngleBracketed(arguments) = &last.arguments else {
        bail!("`send` does not return a `Result<_, _>`");
    };
    match arguments.args.iter().nth(1) {
        Some(GenericArgument::Type(error)) => Ok(error),
        _ => bail!("`send` does not return a `Result<_, _>`"),
    }
}

#[cfg(test)]
mod tests {
    use super::add_build_request_methods;
    use quote::quote;

    /// A builder as progenitor writes it, cut down to what `build_request` takes from it.
    fn progenitor_builder(hooks: proc_macro2::TokenStream) -> syn::File {
        syn::parse2(quote! {
            pub mod builder {
                impl<'a> RetrieveThing<'a> {
                    pub async fn send(self) -> Result<ResponseValue<types::Thing>, Error<types::Error>> {
                        let Self { client, project, thing } = self;
                        let project = project.map_err(Error::InvalidRequest)?;
                        let thing = thing.map_err(Error::InvalidRequest)?;
                        let url = format!(
                            "{}/projects/{}/things/{}",
                            client.baseurl,
                            encode_path(&project.to_string()),
                            encode_path(&thing.to_string()),
                        );
                        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                        header_map.append("api-version", ::reqwest::header::HeaderValue::from_static("1"));
                        #[allow(unused_mut)]
                        let mut request = client.client.get(url).header(ACCEPT, JSON).headers(header_map).build()?;
                        #hooks
                        client.pre(&mut request, &info).await?;
                        todo!()
                    }
                }
            }
        })
        .unwrap()
    }

    fn normalised(tokens: impl quote::ToTokens) -> String {
        tokens
            .to_token_stream()
            .to_string()
            .split_whitespace()
            .collect()
    }

    #[test]
    fn the_request_is_built_as_send_builds_it_with_segments_and_headers_in_place() {
        let mut file = progenitor_builder(
            quote! { let info = OperationInfo { operation_id: "retrieve_thing" }; },
        );
        add_build_request_methods(&mut file).unwrap();
        let built = normalised(&file);
        let expected = normalised(quote! {
            pub(crate) fn build_request(
                self,
            ) -> ::std::result::Result<(&'a super::Client, ::reqwest::Request), Error<types::Error>> {
                let Self { client, project, thing } = self;
                let project = project.map_err(Error::InvalidRequest)?;
                let thing = thing.map_err(Error::InvalidRequest)?;
                let url = format!(
                    "{}/projects/{}/things/{}",
                    client.baseurl,
                    crate::call::PathSegment(&project),
                    crate::call::PathSegment(&thing)
                );
                #[allow(unused_mut)]
                let mut request = client.client.get(url).header(ACCEPT, JSON).build()?;
                let header_map = request.headers_mut();
                header_map.append("api-version", ::reqwest::header::HeaderValue::from_static("1"));
                Ok((client, request))
            }
        });
        assert!(built.contains(&expected), "{built}");
    }

    #[test]
    fn a_send_of_another_shape_is_an_error_naming_the_builder() {
        let mut file = progenitor_builder(quote! {});
        let error = format!("{:#}", add_build_request_methods(&mut file).unwrap_err());
        assert!(
            error.contains("RetrieveThing") && error.contains("OperationInfo"),
            "{error}"
        );
    }
}
