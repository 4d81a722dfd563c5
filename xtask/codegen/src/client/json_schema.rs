//! `schemars::JsonSchema` for the generated types behind gigs-client's `schemars` feature. typify
//! derives nothing for it here: each type that derives serde's traits gets
//! `#[cfg_attr(feature = "schemars", derive(::schemars::JsonSchema))]`, so a build without the
//! feature compiles (and links) no schema code. The open enums and `Patch` implement it behind
//! the same feature in the runtime.

use anyhow::Context;
use quote::ToTokens;
use syn::{parse_quote, Attribute, Item};

/// Adds the feature-gated derive to every struct and enum of the `types` module that derives
/// `Deserialize` (typify's types; the builders in `types::builder` derive no serde traits).
pub fn behind_feature(file: &mut syn::File) -> anyhow::Result<()> {
    let (_, items) = file
        .items
        .iter_mut()
        .find_map(|item| match item {
            Item::Mod(module) if module.ident == "types" => module.content.as_mut(),
            _ => None,
        })
        .context("progenitor's output has no `types` module")?;
    let gated: Attribute =
        parse_quote!(#[cfg_attr(feature = "schemars", derive(::schemars::JsonSchema))]);
    for item in items {
        let attributes = match item {
            Item::Struct(item) => &mut item.attrs,
            Item::Enum(item) => &mut item.attrs,
            _ => continue,
        };
        if attributes.iter().any(derives_deserialize) {
            attributes.push(gated.clone());
        }
    }
    Ok(())
}

fn derives_deserialize(attribute: &Attribute) -> bool {
    attribute.path().is_ident("derive")
        && attribute
            .meta
            .to_token_stream()
            .to_string()
            .contains("Deserialize")
}
