//! The public Rust API of two committed generated clients (`crates/gigs-client/src/generated.rs`),
//! compared item by item: what the spec rules cannot see when the generator, not the spec,
//! changed a type (`UpdateDeviceRequest.name: Option<String>` → `Patch<String>` came from
//! `xtask/codegen/src/client/patch.rs`, with the same spec on both sides).
//!
//! Read with syn from the `types` module: public structs (public fields and their types), public
//! enums (variants and what they hold, `#[non_exhaustive]`), and the builders in
//! `types::builder` (the type each setter converts its argument into).

use std::collections::BTreeMap;

use quote::ToTokens;
use syn::{Fields, GenericArgument, Item, PathArguments, Type, TypePath, WherePredicate};

use crate::findings;
use crate::rules::Severity;

/// The public shape of one generated file's `types` module.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PublicApi {
    types: BTreeMap<String, Shape>,
    /// Builder struct → setter → the type its argument is converted into.
    builders: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Debug, PartialEq, Eq)]
enum Shape {
    /// Public fields (or `0`, `1`, … of a tuple struct) and their types.
    Struct {
        fields: BTreeMap<String, String>,
        /// Outside the crate no literal or exhaustive pattern of it exists, so a field added
        /// breaks nobody.
        non_exhaustive: bool,
    },
    /// Variants and what each holds (`""` for a unit variant).
    Enum {
        variants: BTreeMap<String, String>,
        non_exhaustive: bool,
    },
}

/// One difference of the public API.
#[derive(Debug, PartialEq, Eq)]
pub struct ApiChange {
    /// The type, as `types::{type_name}` names it.
    pub type_name: String,
    /// The field, variant or builder setter; `None` when the whole type is added or removed.
    pub member: Option<String>,
    pub what: Member,
    pub old: Option<String>,
    pub new: Option<String>,
    pub rust: Severity,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Member {
    Type,
    Field,
    Variant,
    Setter,
}

impl ApiChange {
    /// `UpdateDeviceRequest.name` (a field or variant), `builder::UpdateDeviceRequest::name()`.
    pub fn qualified(&self) -> String {
        match (&self.member, self.what) {
            (Some(member), Member::Setter) => {
                format!("builder::{}::{member}()", self.type_name)
            }
            (Some(member), Member::Variant) => format!("{}::{member}", self.type_name),
            (Some(member), _) => format!("{}.{member}", self.type_name),
            (None, _) => self.type_name.clone(),
        }
    }

    /// What a reviewer reads: "`UpdateDeviceRequest.name`: `Option<String>` → `Patch<String>`".
    pub fn effect(&self) -> String {
        let kind = match self.what {
            Member::Type => "type",
            Member::Field => "field",
            Member::Variant => "variant",
            Member::Setter => "builder method",
        };
        let name = self.qualified();
        match (&self.old, &self.new) {
            (Some(old), Some(new)) => format!("{kind} `{name}`: `{old}` → `{new}`"),
            (None, Some(new)) if new.is_empty() => format!("new {kind} `{name}`"),
            (None, Some(new)) => format!("new {kind} `{name}`: `{new}`"),
            (Some(_), None) => format!("{kind} `{name}` removed"),
            (None, None) => format!("{kind} `{name}`"),
        }
    }
}

/// Reads the public API of a generated client's source.
///
/// # Errors
/// When the text is not Rust syn can parse.
pub fn read(source: &str) -> syn::Result<PublicApi> {
    let file = syn::parse_file(source)?;
    let mut api = PublicApi::default();
    if let Some(types) = module(&file.items, "types") {
        for item in types {
            match item {
                Item::Struct(item) if is_public(&item.vis) => {
                    let fields = match &item.fields {
                        Fields::Named(named) => named
                            .named
                            .iter()
                            .filter(|field| is_public(&field.vis))
                            .filter_map(|field| {
                                Some((field.ident.as_ref()?.to_string(), type_text(&field.ty)))
                            })
                            .collect(),
                        Fields::Unnamed(unnamed) => unnamed
                            .unnamed
                            .iter()
                            .enumerate()
                            .filter(|(_, field)| is_public(&field.vis))
                            .map(|(index, field)| (index.to_string(), type_text(&field.ty)))
                            .collect(),
                        Fields::Unit => BTreeMap::new(),
                    };
                    api.types.insert(
                        item.ident.to_string(),
                        Shape::Struct {
                            fields,
                            non_exhaustive: is_non_exhaustive(&item.attrs),
                        },
                    );
                }
                Item::Enum(item) if is_public(&item.vis) => {
                    let variants = item
                        .variants
                        .iter()
                        .map(|variant| (variant.ident.to_string(), fields_text(&variant.fields)))
                        .collect();
                    let non_exhaustive = is_non_exhaustive(&item.attrs);
                    api.types.insert(
                        item.ident.to_string(),
                        Shape::Enum {
                            variants,
                            non_exhaustive,
                        },
                    );
                }
                _ => {}
            }
        }
        if let Some(builders) = module(types, "builder") {
            for item in builders {
                let Item::Impl(block) = item else { continue };
                if block.trait_.is_some() {
                    continue;
                }
                let Type::Path(self_type) = &*block.self_ty else {
                    continue;
                };
                let Some(name) = self_type.path.segments.last() else {
                    continue;
                };
                let setters = api.builders.entry(name.ident.to_string()).or_default();
                for item in &block.items {
                    let syn::ImplItem::Fn(method) = item else {
                        continue;
                    };
                    if is_public(&method.vis) {
                        if let Some(argument) = setter_argument(&method.sig) {
                            setters.insert(method.sig.ident.to_string(), argument);
                        }
                    }
                }
            }
        }
    }
    Ok(api)
}

fn is_non_exhaustive(attributes: &[syn::Attribute]) -> bool {
    attributes
        .iter()
        .any(|attribute| attribute.path().is_ident("non_exhaustive"))
}

/// Every difference from `base` to `head`, types in name order.
pub fn compare(base: &PublicApi, head: &PublicApi) -> Vec<ApiChange> {
    let mut changes = Vec::new();
    let change = |type_name: &str, member: Option<&str>, what, old, new, rust| ApiChange {
        type_name: type_name.to_owned(),
        member: member.map(str::to_owned),
        what,
        old,
        new,
        rust,
    };
    for (name, base_shape) in &base.types {
        match (base_shape, head.types.get(name)) {
            (_, None) => changes.push(change(
                name,
                None,
                Member::Type,
                Some(String::new()),
                None,
                Severity::Breaking,
            )),
            (
                Shape::Struct {
                    fields: base_fields,
                    non_exhaustive: base_closed,
                },
                Some(Shape::Struct {
                    fields: head_fields,
                    non_exhaustive: head_closed,
                }),
            ) => {
                // Becoming `#[non_exhaustive]` breaks the struct literals and patterns written
                // against the base; once it is, a field added breaks nothing.
                if *head_closed && !*base_closed {
                    changes.push(change(
                        name,
                        None,
                        Member::Type,
                        Some("struct".to_owned()),
                        Some("#[non_exhaustive] struct".to_owned()),
                        Severity::Breaking,
                    ));
                }
                let added = if *head_closed && *base_closed {
                    Severity::Info
                } else {
                    Severity::Breaking
                };
                members(name, Member::Field, base_fields, head_fields, added)
                    .for_each(|c| changes.push(c));
            }
            (
                Shape::Enum {
                    variants: base_variants,
                    ..
                },
                Some(Shape::Enum {
                    variants: head_variants,
                    non_exhaustive,
                }),
            ) => {
                // A variant added breaks exhaustive matches unless the enum is open.
                let added = if *non_exhaustive {
                    Severity::Info
                } else {
                    Severity::Breaking
                };
                members(name, Member::Variant, base_variants, head_variants, added)
                    .for_each(|c| changes.push(c));
            }
            (base_shape, Some(head_shape)) => changes.push(change(
                name,
                None,
                Member::Type,
                Some(shape_kind(base_shape).to_owned()),
                Some(shape_kind(head_shape).to_owned()),
                Severity::Breaking,
            )),
        }
    }
    for name in head
        .types
        .keys()
        .filter(|name| !base.types.contains_key(*name))
    {
        changes.push(change(
            name,
            None,
            Member::Type,
            None,
            Some(String::new()),
            Severity::Info,
        ));
    }
    // A setter of a type whose field changed the same way says nothing new.
    let empty = BTreeMap::new();
    for (name, base_setters) in &base.builders {
        let Some(head_setters) = head.builders.get(name) else {
            continue; // the type's own finding covers it
        };
        for setter in members(
            name,
            Member::Setter,
            base_setters,
            head_setters,
            Severity::Info,
        ) {
            let field_changed = changes.iter().any(|c| {
                c.type_name == *name
                    && c.what == Member::Field
                    && c.member == setter.member
                    && c.old == setter.old
                    && c.new == setter.new
            });
            if !field_changed {
                changes.push(setter);
            }
        }
    }
    for (name, head_setters) in &head.builders {
        if !base.builders.contains_key(name) && base.types.contains_key(name) {
            members(name, Member::Setter, &empty, head_setters, Severity::Info)
                .for_each(|c| changes.push(c));
        }
    }
    changes.sort_by(|a, b| (&a.type_name, &a.member).cmp(&(&b.type_name, &b.member)));
    changes
}

/// Members removed (breaking), changed (breaking) and added (`added`).
fn members<'a>(
    type_name: &'a str,
    what: Member,
    base: &'a BTreeMap<String, String>,
    head: &'a BTreeMap<String, String>,
    added: Severity,
) -> impl Iterator<Item = ApiChange> + 'a {
    let make = move |member: &str, old: Option<&String>, new: Option<&String>, rust| ApiChange {
        type_name: type_name.to_owned(),
        member: Some(member.to_owned()),
        what,
        old: old.cloned(),
        new: new.cloned(),
        rust,
    };
    let removed_or_changed = base
        .iter()
        .filter_map(move |(member, old)| match head.get(member) {
            None => Some(make(member, Some(old), None, Severity::Breaking)),
            Some(new) if new != old => Some(make(member, Some(old), Some(new), Severity::Breaking)),
            Some(_) => None,
        });
    let new_members = head
        .iter()
        .filter(move |(member, _)| !base.contains_key(*member))
        .map(move |(member, new)| make(member, None, Some(new), added));
    removed_or_changed.chain(new_members)
}

fn shape_kind(shape: &Shape) -> &'static str {
    match shape {
        Shape::Struct { .. } => "struct",
        Shape::Enum { .. } => "enum",
    }
}

fn module<'a>(items: &'a [Item], name: &str) -> Option<&'a [Item]> {
    items.iter().find_map(|item| match item {
        Item::Mod(module) if module.ident == name => {
            module.content.as_ref().map(|(_, items)| items.as_slice())
        }
        _ => None,
    })
}

fn is_public(visibility: &syn::Visibility) -> bool {
    matches!(visibility, syn::Visibility::Public(_))
}

/// The type a builder setter takes: `T` of `where T: TryInto<T>` for progenitor's generic
/// setters, else the type of its one argument.
fn setter_argument(signature: &syn::Signature) -> Option<String> {
    let argument = signature.inputs.iter().find_map(|input| match input {
        syn::FnArg::Typed(typed) => Some(&*typed.ty),
        syn::FnArg::Receiver(_) => None,
    })?;
    let generic = signature.generics.type_params().find(|param| {
        matches!(argument, Type::Path(TypePath { path, .. }) if path.is_ident(&param.ident))
    });
    let Some(generic) = generic else {
        return Some(type_text(argument));
    };
    let bounds = generic.bounds.iter().chain(
        signature
            .generics
            .where_clause
            .iter()
            .flat_map(|clause| &clause.predicates)
            .filter_map(|predicate| match predicate {
                WherePredicate::Type(predicate)
                    if matches!(&predicate.bounded_ty, Type::Path(TypePath { path, .. }) if path.is_ident(&generic.ident)) =>
                {
                    Some(&predicate.bounds)
                }
                _ => None,
            })
            .flatten(),
    );
    for bound in bounds {
        let syn::TypeParamBound::Trait(bound) = bound else {
            continue;
        };
        let Some(last) = bound.path.segments.last() else {
            continue;
        };
        if last.ident == "TryInto" || last.ident == "Into" {
            if let PathArguments::AngleBracketed(arguments) = &last.arguments {
                if let Some(GenericArgument::Type(target)) = arguments.args.first() {
                    return Some(type_text(target));
                }
            }
        }
    }
    Some(type_text(argument))
}

fn fields_text(fields: &Fields) -> String {
    match fields {
        Fields::Unit => String::new(),
        Fields::Unnamed(unnamed) => {
            let types: Vec<String> = unnamed.unnamed.iter().map(|f| type_text(&f.ty)).collect();
            format!("({})", types.join(", "))
        }
        Fields::Named(named) => {
            let fields: Vec<String> = named
                .named
                .iter()
                .map(|f| {
                    let name = f
                        .ident
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default();
                    format!("{name}: {}", type_text(&f.ty))
                })
                .collect();
            format!("{{ {} }}", fields.join(", "))
        }
    }
}

/// A type as a reviewer writes it: the last segment of each path (`::std::option::Option<
/// ::std::string::String>` → `Option<String>`, `crate::Patch<T>` → `Patch<T>`).
pub fn type_text(ty: &Type) -> String {
    match ty {
        Type::Path(TypePath { qself: None, path }) => match path.segments.last() {
            Some(segment) => {
                let mut text = segment.ident.to_string();
                if let PathArguments::AngleBracketed(arguments) = &segment.arguments {
                    let inner: Vec<String> = arguments
                        .args
                        .iter()
                        .map(|argument| match argument {
                            GenericArgument::Type(ty) => type_text(ty),
                            other => compact(&other.to_token_stream().to_string()),
                        })
                        .collect();
                    text.push_str(&format!("<{}>", inner.join(", ")));
                }
                text
            }
            None => compact(&ty.to_token_stream().to_string()),
        },
        Type::Reference(reference) => {
            let mutability = if reference.mutability.is_some() {
                "mut "
            } else {
                ""
            };
            format!("&{mutability}{}", type_text(&reference.elem))
        }
        Type::Slice(slice) => format!("[{}]", type_text(&slice.elem)),
        Type::Tuple(tuple) => {
            let types: Vec<String> = tuple.elems.iter().map(type_text).collect();
            format!("({})", types.join(", "))
        }
        other => compact(&other.to_token_stream().to_string()),
    }
}

/// Token text without the spaces `to_string` puts around punctuation.
fn compact(text: &str) -> String {
    text.replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" < ", "<")
        .replace(" <", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
}

/// The differences of the committed generated clients' public Rust API, as findings of
/// `generated-rust-api-changed` placed at the schema (or property) the type comes from. A
/// difference that a spec finding at the same place already names (both types, or the member
/// removed or added) is left to that finding.
pub fn add_findings(
    findings: &mut Vec<findings::Finding>,
    changes: Vec<ApiChange>,
    base: &spec_model::spec::SpecDocument,
    head: &spec_model::spec::SpecDocument,
) {
    let mut added = Vec::new();
    for change in changes {
        let side = if change.new.is_none() {
            findings::Side::Base
        } else {
            findings::Side::Head
        };
        let document = match side {
            findings::Side::Base => base,
            findings::Side::Head => head,
        };
        let field = location(document, &change);
        let pointer = findings::json_pointer(&field);
        let member = change
            .member
            .clone()
            .unwrap_or_else(|| change.type_name.clone());
        let named: Vec<&str> = [change.old.as_deref(), change.new.as_deref(), Some(&member)]
            .into_iter()
            .flatten()
            .filter(|text| !text.is_empty())
            .collect();
        let already_named = findings.iter().any(|finding| {
            let same_place = finding.pointer == pointer
                || (!pointer.is_empty() && finding.pointer.starts_with(&format!("{pointer}/")));
            same_place && named.iter().all(|text| finding.rust_effect.contains(text))
        });
        if already_named {
            continue;
        }
        let qualified = change.qualified();
        let line = document.locate(&field).line_column.map(|(line, _)| line);
        added.push(findings::Finding {
            rule: &crate::rules::GENERATED_RUST_API_CHANGED,
            operations: std::collections::BTreeSet::new(),
            pointer,
            side,
            line,
            field,
            old: change.old.as_ref().map(|old| {
                format!("{qualified}: {old}")
                    .trim_end_matches(": ")
                    .to_owned()
            }),
            new: change.new.as_ref().map(|new| {
                format!("{qualified}: {new}")
                    .trim_end_matches(": ")
                    .to_owned()
            }),
            rust_effect: format!("{}; the wire is unchanged", change.effect()),
            accepted: None,
            wire: Severity::Info,
            rust: change.rust,
            lifecycle: None,
        });
    }
    findings.extend(added);
}

/// Where in the spec a generated type comes from: `components.schemas.X` (and its property for
/// a field or builder setter), or the document root for a type no component is named after.
fn location(
    document: &spec_model::spec::SpecDocument,
    change: &ApiChange,
) -> spec_model::diagnostic::FieldPath {
    use spec_model::diagnostic::FieldPath;
    let schemas = document
        .value
        .pointer("/components/schemas")
        .and_then(serde_json::Value::as_object);
    let Some((component, schema)) = schemas
        .into_iter()
        .flatten()
        .find(|(name, _)| spec_model::naming::type_name(name) == change.type_name)
    else {
        return FieldPath::root();
    };
    let at_component = FieldPath::root()
        .join("components")
        .join("schemas")
        .join(component);
    let property = match (change.what, &change.member) {
        (Member::Field | Member::Setter, Some(member)) => schema
            .get("properties")
            .and_then(serde_json::Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, _)| name)
            .find(|name| spec_model::naming::field(name) == *member),
        _ => None,
    };
    match property {
        Some(property) => at_component.join("properties").join(property),
        None => at_component,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = r#"
        pub mod types {
            pub struct UpdateDeviceRequest {
                #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
                pub name: ::std::option::Option<::std::string::String>,
                #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
                pub sims: ::std::vec::Vec<::std::string::String>,
                pub user: ::std::option::Option<::std::string::String>,
            }
            pub struct Thing(pub ::std::string::String);
            #[non_exhaustive]
            pub enum Status { Active, Unknown(::std::string::String) }
            pub enum Size { Small }
            pub mod builder {
                pub struct UpdateDeviceRequest { name: Result<Option<String>, String> }
                impl UpdateDeviceRequest {
                    pub fn name<T>(mut self, value: T) -> Self
                    where
                        T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                    { self }
                    pub fn note(mut self, value: String) -> Self { self }
                }
            }
        }
    "#;

    fn api(source: &str) -> PublicApi {
        read(source).unwrap()
    }

    #[test]
    fn identical_sources_have_no_difference() {
        assert!(compare(&api(BASE), &api(BASE)).is_empty());
        // Attributes and paths written another way are the same API.
        let respelled = BASE.replace("::std::string::String", "String").replace(
            "#[serde(default, skip_serializing_if = \"::std::vec::Vec::is_empty\")]",
            "",
        );
        assert!(compare(&api(BASE), &api(&respelled)).is_empty());
    }

    #[test]
    fn field_variant_and_setter_changes_are_named() {
        let head = BASE
            .replace(
                "pub name: ::std::option::Option<::std::string::String>",
                "pub name: crate::Patch<::std::string::String>",
            )
            .replace(
                "pub sims: ::std::vec::Vec<::std::string::String>",
                "pub sims: ::std::option::Option<::std::vec::Vec<::std::string::String>>",
            )
            .replace(
                "T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>",
                "T: ::std::convert::TryInto<crate::Patch<::std::string::String>>",
            )
            .replace("Active, Unknown", "Active, Paused, Unknown")
            .replace("pub enum Size { Small }", "pub enum Size { Small, Large }")
            .replace(
                "pub fn note(mut self, value: String)",
                "pub fn note(mut self, value: i64)",
            );
        let effects: Vec<(String, Severity)> = compare(&api(BASE), &api(&head))
            .iter()
            .map(|change| (change.effect(), change.rust))
            .collect();
        assert_eq!(
            effects,
            [
                ("new variant `Size::Large`".to_owned(), Severity::Breaking),
                ("new variant `Status::Paused`".to_owned(), Severity::Info),
                (
                    "field `UpdateDeviceRequest.name`: `Option<String>` → `Patch<String>`"
                        .to_owned(),
                    Severity::Breaking
                ),
                (
                    "builder method `builder::UpdateDeviceRequest::note()`: `String` → `i64`"
                        .to_owned(),
                    Severity::Breaking
                ),
                (
                    "field `UpdateDeviceRequest.sims`: `Vec<String>` → `Option<Vec<String>>`"
                        .to_owned(),
                    Severity::Breaking
                ),
            ]
        );
    }

    #[test]
    fn a_field_added_to_a_non_exhaustive_struct_breaks_nothing() {
        let exhaustive = "pub mod types { pub struct Device { pub id: String } }";
        let closed = exhaustive.replace("pub struct", "#[non_exhaustive] pub struct");
        let grown = closed.replace("pub id: String", "pub id: String, pub name: Option<String>");
        let effects = |base: &str, head: &str| -> Vec<(String, Severity)> {
            compare(&api(base), &api(head))
                .iter()
                .map(|change| (change.effect(), change.rust))
                .collect()
        };
        assert_eq!(
            effects(&closed, &grown),
            [(
                "new field `Device.name`: `Option<String>`".to_owned(),
                Severity::Info
            )]
        );
        // Becoming non-exhaustive is the break (literals written against the base); a field
        // added to an exhaustive struct still is one.
        assert_eq!(
            effects(exhaustive, &closed),
            [(
                "type `Device`: `struct` → `#[non_exhaustive] struct`".to_owned(),
                Severity::Breaking
            )]
        );
        let grown_open =
            exhaustive.replace("pub id: String", "pub id: String, pub name: Option<String>");
        assert_eq!(effects(exhaustive, &grown_open)[0].1, Severity::Breaking);
    }
}
