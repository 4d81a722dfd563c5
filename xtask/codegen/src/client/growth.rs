//! Types the API returns can grow: every struct a response reaches is `#[non_exhaustive]`, so a
//! property the API adds is a new field that breaks no consumer's build (no struct literal or
//! exhaustive pattern of it can exist outside gigs-client). Code that needs one of these values
//! (a test fixture, a fake) builds it with typify's builder, `Device::builder().id("dev_1")…`
//! and `try_into()`, or reads it from JSON.
//!
//! So that such a builder keeps working when the API adds a property that may be `null`, a
//! field that is an `Option` starts as `None` in the builders of these types (typify starts a
//! required one as "no value supplied"); a required property that can never be `null` must
//! still be set. Request types are left as they are: their builders, and struct literals, are
//! how a caller writes a request.
//!
//! The open enums are `#[non_exhaustive]` already (`crates/gigs-client/src/open_enum.rs`).

use quote::ToTokens;
use serde_json::Value;
use syn::{parse_quote, Expr, ImplItem, Item, Stmt};

use spec_model::spec::Operation;

/// Marks the response structs of `file` (progenitor's output for `normalized`) and relaxes their
/// builders' defaults. Returns how many structs it marked.
pub fn let_response_types_grow(
    normalized: &Value,
    operations: &[Operation],
    file: &mut syn::File,
) -> anyhow::Result<usize> {
    let names = super::patch::response_structs(normalized, operations);
    let types = module_items(&mut file.items, "types")
        .ok_or_else(|| anyhow::anyhow!("progenitor's output has no `types` module"))?;
    let mut marked = 0;
    for item in types.iter_mut() {
        let Item::Struct(structure) = item else {
            continue;
        };
        if !names.contains(&structure.ident.to_string())
            || !matches!(structure.fields, syn::Fields::Named(_))
        {
            continue;
        }
        let already = structure
            .attrs
            .iter()
            .any(|attribute| attribute.path().is_ident("non_exhaustive"));
        if !already {
            structure.attrs.push(parse_quote!(#[non_exhaustive]));
        }
        marked += 1;
    }
    let builders = module_items(types, "builder")
        .ok_or_else(|| anyhow::anyhow!("progenitor's output has no `types::builder` module"))?;
    for name in &names {
        options_start_as_none(builders, name)?;
    }
    Ok(marked)
}

/// In the builder of `name`, every field held as `Result<Option<_>, String>` starts as
/// `Ok(None)` instead of typify's "no value supplied" error.
fn options_start_as_none(builders: &mut [Item], name: &str) -> anyhow::Result<()> {
    let Some(structure) = builders.iter().find_map(|item| match item {
        Item::Struct(item) if item.ident == name => Some(item),
        _ => None,
    }) else {
        anyhow::bail!("typify generated no builder for `{name}`");
    };
    let optional: Vec<String> = structure
        .fields
        .iter()
        .filter(|field| holds_option(&field.ty))
        .filter_map(|field| field.ident.as_ref().map(ToString::to_string))
        .collect();
    for item in builders.iter_mut() {
        let Item::Impl(block) = item else { continue };
        let is_default = block
            .trait_
            .as_ref()
            .is_some_and(|(_, path, _)| path.segments.last().is_some_and(|s| s.ident == "Default"));
        let self_ty = &block.self_ty;
        if !is_default || quote::quote!(#self_ty).to_string() != name {
            continue;
        }
        for item in &mut block.items {
            let ImplItem::Fn(default) = item else {
                continue;
            };
            for statement in &mut default.block.stmts {
                let Stmt::Expr(Expr::Struct(init), _) = statement else {
                    continue;
                };
                for value in &mut init.fields {
                    let syn::Member::Named(field) = &value.member else {
                        continue;
                    };
                    if optional.contains(&field.to_string()) {
                        value.expr = parse_quote!(Ok(::std::option::Option::None));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Whether a builder field's type is `Result<Option<_>, _>`.
fn holds_option(ty: &syn::Type) -> bool {
    let text = ty.to_token_stream().to_string().replace(' ', "");
    text.starts_with("::std::result::Result<::std::option::Option<")
}

fn module_items<'a>(items: &'a mut [Item], name: &str) -> Option<&'a mut Vec<Item>> {
    items.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == name => {
            module.content.as_mut().map(|(_, items)| items)
        }
        _ => None,
    })
}
