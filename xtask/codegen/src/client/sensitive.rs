//! Secrets that never print: every property the spec marks `x-gigs-sensitive: true`
//! ([`SENSITIVE_EXTENSION`]) is shown as [`PLACEHOLDER`] by the `Debug` of the type that holds
//! it and of that type's builder, in place of typify's derived `Debug`. The JSON names of those
//! properties also go into the generated `SENSITIVE_PROPERTIES`, which the SDK reads to keep
//! their values out of its errors.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, Context};
use quote::{format_ident, quote};
use serde_json::Value;
use syn::punctuated::Punctuated;
use syn::{parse_quote, Item, Meta, Path, Token};

use super::patch::{module_items, sites, wire_name};
use spec_model::spec::{is_sensitive, Operation, SENSITIVE_EXTENSION};

/// What a sensitive field's `Debug` shows, whatever its value.
pub const PLACEHOLDER: &str = "[redacted]";

/// The sensitive properties of the spec: the JSON names of each generated type's.
pub fn sensitive_properties(
    normalized: &Value,
    operations: &[Operation],
) -> BTreeMap<String, BTreeSet<String>> {
    let mut found: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for site in sites(normalized, operations) {
        let properties = site.schema.get("properties").and_then(Value::as_object);
        for (name, property) in properties.into_iter().flatten() {
            if is_sensitive(property) {
                found
                    .entry(site.rust_type.clone())
                    .or_default()
                    .insert(name.clone());
            }
        }
    }
    found
}

/// Gives every type with a sensitive property (and its builder) a `Debug` that prints
/// [`PLACEHOLDER`] for it, and adds the `SENSITIVE_PROPERTIES` constant to the file.
pub fn redact_sensitive_fields(
    file: &mut syn::File,
    sensitive: &BTreeMap<String, BTreeSet<String>>,
) -> anyhow::Result<()> {
    let types = module_items(&mut file.items, "types")
        .context("progenitor's output has no `types` module")?;
    for (rust_type, properties) in sensitive {
        redact(types, rust_type, properties, false)?;
        let builder = module_items(types, "builder")
            .context("progenitor's output has no `types::builder` module")?;
        redact(builder, rust_type, properties, true)?;
    }
    let names: BTreeSet<&str> = sensitive.values().flatten().map(String::as_str).collect();
    let names = names.into_iter();
    let doc = format!(
        "The JSON name of every property the spec marks `{SENSITIVE_EXTENSION}`: their values \
         are secrets. The generated types print `{PLACEHOLDER}` for them in `Debug`, and the \
         `gigs` crate keeps such values out of its errors."
    );
    file.items.push(parse_quote! {
        #[doc = #doc]
        pub const SENSITIVE_PROPERTIES: &[&str] = &[#(#names),*];
    });
    Ok(())
}

/// Replaces the derived `Debug` of `rust_type` in `items` (the `types` module, or its
/// `builder` module when `builder`) with one that prints the sensitive `properties` as the
/// placeholder.
fn redact(
    items: &mut Vec<Item>,
    rust_type: &str,
    properties: &BTreeSet<String>,
    builder: bool,
) -> anyhow::Result<()> {
    let Some(structure) = items.iter_mut().find_map(|item| match item {
        Item::Struct(item) if item.ident == rust_type => Some(item),
        _ => None,
    }) else {
        if builder {
            // typify writes no builder for some structs; nothing to redact then.
            return Ok(());
        }
        bail!(
            "typify generated no struct `{rust_type}`, so its `{SENSITIVE_EXTENSION}` \
             properties cannot be redacted; make the schema a plain object"
        );
    };
    let mut removed = false;
    for attribute in &mut structure.attrs {
        if !attribute.path().is_ident("derive") {
            continue;
        }
        let derives: Punctuated<Path, Token![,]> =
            attribute.parse_args_with(Punctuated::parse_terminated)?;
        let kept: Punctuated<Path, Token![,]> = derives
            .into_iter()
            .filter(|path| {
                let debug = path
                    .segments
                    .last()
                    .is_some_and(|last| last.ident == "Debug");
                removed |= debug;
                !debug
            })
            .collect();
        attribute.meta = Meta::List(parse_quote!(derive(#kept)));
    }
    if !removed {
        bail!("`{rust_type}` does not derive `Debug`; nothing to redact");
    }
    let mut fields = Vec::new();
    let mut marked = BTreeSet::new();
    for field in &structure.fields {
        let ident = field.ident.clone().context("a struct with named fields")?;
        let shown = ident.to_string().trim_start_matches("r#").to_owned();
        // A builder's fields carry the type's field names; their serde names are the type's.
        let wire = wire_name(field).unwrap_or_default();
        let sensitive = properties.contains(&wire)
            || properties
                .iter()
                .any(|property| ident == spec_model::naming::field(property));
        if sensitive {
            marked.insert(wire);
            fields.push(quote! { .field(#shown, &::std::format_args!(#PLACEHOLDER)) });
        } else {
            fields.push(quote! { .field(#shown, &self.#ident) });
        }
    }
    if marked.is_empty() {
        bail!("`{rust_type}` has no field for its sensitive properties {properties:?}");
    }
    let ident = format_ident!("{rust_type}");
    let name = rust_type.to_owned();
    let generics = structure.generics.clone();
    let doc = format!("Prints `{PLACEHOLDER}` for the properties the spec marks sensitive.");
    items.push(parse_quote! {
        #[doc = #doc]
        impl #generics ::std::fmt::Debug for #ident #generics {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#name)
                    #(#fields)*
                    .finish()
            }
        }
    });
    Ok(())
}
