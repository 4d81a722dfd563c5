//! The client, `crates/gigs-client/src/generated.rs`: progenitor's builders and types, then the
//! passes that make them say what the wire says ([`patch`]), emit requests as data
//! ([`build_request`]), print secrets as a placeholder ([`sensitive`]), put `JsonSchema` behind
//! a feature ([`json_schema`]) and add what progenitor
//! does not write ([`extras`]: the operation table, hooks, project-scoped groups, pagination),
//! and the open enums.

pub mod build_request;
pub mod extras;
pub mod groups;
pub mod growth;
pub mod json_schema;
pub mod patch;
pub mod sensitive;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use anyhow::{anyhow, bail, Context};
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};
use quote::{format_ident, quote};

use crate::normalize::{Normalized, OpenEnum, Replacement, COMMA_SEPARATED_PATH};
use crate::GENERATED_HEADER as HEADER;
use spec_model::diagnostic::Diagnostics;
use spec_model::spec::{type_parameters, Operation, SpecDocument};

/// The client as a syn tree (which the tests' tables also read), before formatting.
pub struct Client {
    pub file: syn::File,
    /// How many types its `types` module declares, open enums included.
    pub types: usize,
}

impl Client {
    /// Runs progenitor on `openapi` (the normalized spec) and the passes over its output.
    /// `operations` gain their Rust types from the generated builders.
    pub fn build(
        spec_path: &Path,
        spec: &SpecDocument,
        normalized: &Normalized,
        openapi: &openapiv3::OpenAPI,
        operations: &mut [Operation],
    ) -> anyhow::Result<Self> {
        let settings = settings(&normalized.replacements, "crate");
        let tokens = run_progenitor(spec_path, "a client", || {
            Generator::new(&settings).generate_tokens(openapi)
        })?;
        let mut file: syn::File =
            syn::parse2(tokens).context("progenitor produced invalid Rust")?;
        type_parameters(operations, &file)?;
        let types = reserve_open_enums(&mut file, &normalized.open_enums)?;
        patch::keep_wire_states(spec, &normalized.value, operations, &mut file)
            .map_err(Diagnostics)?;
        growth::let_response_types_grow(&normalized.value, operations, &mut file)?;
        build_request::add_build_request_methods(&mut file)?;
        let secrets = sensitive::sensitive_properties(&normalized.value, operations);
        sensitive::redact_sensitive_fields(&mut file, &secrets)?;
        json_schema::behind_feature(&mut file)?;
        file.items.extend(extras::extras(operations)?);
        Ok(Self { file, types })
    }

    /// The file's text: the header, the formatted tree, and the open enums in their place.
    pub fn render(&self, open_enums: &[OpenEnum]) -> anyhow::Result<String> {
        let formatted = prettyplease::unparse(&self.file);
        let placeholder_line = formatted
            .lines()
            .find(|line| line.trim() == OPEN_ENUMS_PLACEHOLDER)
            .context("the open enum placeholder went missing in formatting")?;
        let indent = &placeholder_line[..placeholder_line.len() - OPEN_ENUMS_PLACEHOLDER.len()];
        let open_enums = render_open_enums(open_enums, indent)?;
        Ok(format!(
            "{HEADER}\n{}",
            formatted.replacen(&format!("{placeholder_line}\n"), &open_enums, 1)
        ))
    }
}

/// progenitor's settings for this workspace. `crate_path` is how the generated code names
/// gigs-client: `crate` inside it, `::gigs_client` from another crate (the typed mocks).
pub(crate) fn settings(replacements: &[Replacement], crate_path: &str) -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        // The runtime's hooks (crates/gigs-client/src/hooks.rs) must exist: a missing impl is a
        // compile error rather than a silently different client.
        .with_hooks(HooksMode::Expected)
        // Per-client settings the hooks read (retry policy, idempotency keys): the generated
        // `Client` has no other place for them.
        .with_inner_type(quote::quote!(crate::ClientSettings))
        // `schemars::JsonSchema` is added behind gigs-client's `schemars` feature instead
        // ([`json_schema`]): a consumer without it compiles and links no schema code.
        .with_derive("PartialEq");
    for replacement in replacements {
        let impls = if replacement.rust_type.starts_with(COMMA_SEPARATED_PATH) {
            vec![TypeImpl::Display, TypeImpl::Default]
        } else {
            vec![TypeImpl::Display, TypeImpl::FromStr]
        };
        // Every path in a replacement (`CommaSeparated<crate::types::SimStatus>`) is rebased.
        let rust_type = replacement
            .rust_type
            .replace("crate::", &format!("{crate_path}::"));
        settings.with_replacement(&replacement.schema, &rust_type, impls.into_iter());
    }
    settings
}

/// Runs one progenitor generator. progenitor panics on some inputs instead of returning an
/// error; a spec author should get a message, not a backtrace.
pub(crate) fn run_progenitor(
    spec_path: &Path,
    what: &str,
    generate: impl FnOnce() -> Result<proc_macro2::TokenStream, progenitor::Error>,
) -> anyhow::Result<proc_macro2::TokenStream> {
    catch_unwind(AssertUnwindSafe(generate))
        .map_err(|panic| {
            let reason = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "unknown reason".to_owned());
            anyhow!(
                "progenitor could not generate {what} from {}: {reason}",
                spec_path.display()
            )
        })?
        .with_context(|| format!("progenitor rejected {}", spec_path.display()))
}

/// Marks where the open enums go in the `types` module; replaced after formatting.
const OPEN_ENUMS_PLACEHOLDER: &str = "const __GIGS_OPEN_ENUMS__: () = ();";

/// Reserves the place for the open enums in the generated `types` module, next to the types that
/// use them, and returns how many types that module then declares.
fn reserve_open_enums(file: &mut syn::File, open_enums: &[OpenEnum]) -> anyhow::Result<usize> {
    let Some((_, items)) = file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "types" => module.content.as_mut(),
        _ => None,
    }) else {
        bail!("progenitor's output has no `types` module");
    };
    let declared = items
        .iter()
        .filter(|item| matches!(item, syn::Item::Struct(_) | syn::Item::Enum(_)))
        .count();
    items.push(syn::parse_str(OPEN_ENUMS_PLACEHOLDER)?);
    Ok(declared + open_enums.len())
}

/// One `open_enum!` invocation per enum. prettyplease leaves macro bodies on long unformatted
/// lines, so each body is formatted as the enum item it resembles and then wrapped.
fn render_open_enums(open_enums: &[OpenEnum], indent: &str) -> anyhow::Result<String> {
    let mut rendered = String::new();
    for open_enum in open_enums {
        let body: syn::File = syn::parse2(open_enum_tokens(open_enum)?)?;
        rendered.push_str(&format!("{indent}crate::open_enum::open_enum! {{\n"));
        for line in prettyplease::unparse(&body).lines() {
            if line.is_empty() {
                rendered.push('\n');
            } else {
                rendered.push_str(&format!("{indent}    {line}\n"));
            }
        }
        rendered.push_str(&format!("{indent}}}\n"));
    }
    Ok(rendered)
}

fn open_enum_tokens(open_enum: &OpenEnum) -> anyhow::Result<proc_macro2::TokenStream> {
    let name = format_ident!("{}", open_enum.name);
    let mut docs = Vec::new();
    if let Some(description) = &open_enum.description {
        docs.push(description.trim().to_owned());
        docs.push(String::new());
    }
    docs.push(format!(
        "Known values: {}. Any other value is kept as `Unknown`.",
        open_enum
            .values
            .iter()
            .map(|value| format!("`{value}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let mut variants = Vec::new();
    for value in &open_enum.values {
        let variant = spec_model::naming::variant(value);
        if variants.iter().any(|(existing, _)| *existing == variant) {
            bail!(
                "enum `{}`: value `{value}` gives the variant name `{variant}`, which is taken",
                open_enum.name
            );
        }
        variants.push((variant, value.clone()));
    }
    let variant_tokens = variants.iter().map(|(variant, value)| {
        let ident = format_ident!("{variant}");
        let doc = format!("`{value}`");
        quote! { #[doc = #doc] #ident = #value, }
    });
    Ok(quote! {
        #(#[doc = #docs])*
        pub enum #name {
            #(#variant_tokens)*
        }
    })
}
