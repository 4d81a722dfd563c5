//! Request bodies that say what the caller means, and required properties that are always
//! written: a pass over the generated syn tree, decided from the spec.
//!
//! typify collapses states that the wire keeps apart. In a request body:
//! - an optional, nullable property becomes `Option<T>` skipped when `None`, so `null` ("clear
//!   it") cannot be sent; this pass makes it `crate::Patch<T>` (`Keep` left out, `Null`, `Set`);
//! - an optional array or map becomes `Vec<T>` / a map skipped when empty, so `[]` ("detach
//!   every SIM") is never sent; an optional property with a `default` reads a left-out key as the
//!   default and writes it back. Every other optional property becomes `Option<T>`, skipped only
//!   when `None`, read as `None` when left out.
//!
//! In every type, a property the spec lists as `required` is always written (typify skips an
//! empty list whose property declares `default: []`, such as `Device.sims`).
//!
//! The request side is every schema a request body reaches; a schema that a response reaches too
//! cannot be both, and is refused (with any other shape this pass cannot keep) at the property's
//! location.

use std::collections::BTreeSet;

use quote::{quote, ToTokens};
use serde_json::Value;
use syn::punctuated::Punctuated;
use syn::{parse_quote, Expr, Field, GenericArgument, ImplItem, Item, Meta, Token, Type};

use spec_model::diagnostic::{Diagnostic, FieldPath};
use spec_model::field_form::{FieldForm, PropertyFacts, ValueKind};
use spec_model::naming;
use spec_model::spec::{read_operations, schema_ref_name, Operation, SpecDocument};

/// What a generated field becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Change {
    /// `Option<T>` → `crate::Patch<T>`, left out when `Keep`.
    Patch,
    /// `T` → `Option<T>` (or an `Option` that stays), left out only when `None`, no default.
    Optional,
    /// No `skip_serializing_if`: a required property is always written.
    AlwaysWritten,
}

/// One generated field to change, and where its property is in the spec.
#[derive(Debug)]
struct Planned {
    rust_type: String,
    wire_name: String,
    change: Change,
    field: FieldPath,
}

/// An object schema that typify generates as a struct.
pub(super) struct Site<'a> {
    pub(super) rust_type: String,
    pub(super) schema: &'a Value,
    pub(super) field: FieldPath,
    /// The component name, for schemas under `components.schemas`.
    component: Option<String>,
}

/// Rewrites the request and response types of `file` (progenitor's output for `normalized`).
/// `spec` is the document as written, for the `required` lists (normalization relaxes those
/// that have a default) and for the locations of problems.
pub fn keep_wire_states(
    spec: &SpecDocument,
    normalized: &Value,
    operations: &[Operation],
    file: &mut syn::File,
) -> Result<(), Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let planned = plan(spec, normalized, operations, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let Some(types) = module_items(&mut file.items, "types") else {
        return Err(vec![spec.diagnostic(
            &FieldPath::root(),
            "progenitor's output has no `types` module",
        )]);
    };
    for planned in &planned {
        if let Err(message) = apply(types, planned) {
            problems.push(spec.diagnostic(&planned.field, message));
        }
    }
    if problems.is_empty() {
        remove_unused_defaults(types);
        Ok(())
    } else {
        Err(problems)
    }
}

/// What this pass changes in the field of a property: a required one is always written; an
/// optional one of a request type is a `Patch` when it can send `null`, else an `Option` with no
/// default. Fields of response types are left as typify makes them.
fn change(required: bool, in_request: bool, nullable: bool) -> Option<Change> {
    match (required, in_request, nullable) {
        (true, _, _) => Some(Change::AlwaysWritten),
        (false, true, true) => Some(Change::Patch),
        (false, true, false) => Some(Change::Optional),
        (false, false, _) => None,
    }
}

/// How the generated field of the property at `property` (its place in the spec as written:
/// `components.schemas.X.properties.p`, or inside an inline request body) stands for it: this
/// pass's rule over typify's. The contract review names fields with it.
///
/// typify (`struct_property`, `has_default` in typify-impl 0.8) makes an optional property
/// `Option<T>` unless `T` has a default of its own: a `default` in the spec (`T` with
/// `#[serde(default)]`), or the intrinsic one of an inline array or map (empty, skipped while
/// empty); a nullable property is `Option<T>` whatever else. `normalize` makes a required
/// property with a `default` optional for typify, so it reads as its default when left out.
pub fn field_form(spec: &Value, property: &FieldPath, facts: PropertyFacts) -> FieldForm {
    let in_request = is_request_property(spec, property);
    match change(facts.required, in_request, facts.nullable) {
        Some(Change::Patch) => return FieldForm::Patch,
        Some(Change::Optional) => return FieldForm::Option,
        Some(Change::AlwaysWritten) | None => {}
    }
    if facts.nullable {
        FieldForm::Option
    } else if facts.has_default {
        FieldForm::Default
    } else if facts.required {
        FieldForm::Required
    } else if facts.value == ValueKind::Other {
        FieldForm::Option
    } else {
        FieldForm::EmptyWhenLeftOut
    }
}

/// Whether an optional request property can send `null`: it is generated as `Patch<T>` (the
/// command line gives it a `--clear-` flag by the same rule).
pub fn sends_null(property: &Value) -> bool {
    property.get("nullable").and_then(Value::as_bool) == Some(true)
}

/// Whether the property at `field` (`components.schemas.X.properties.p`, or inside an inline
/// request body) belongs to a type this pass treats as a request type: an inline request body,
/// or a component schema that a request body reaches.
fn is_request_property(spec: &Value, field: &FieldPath) -> bool {
    match field.segments() {
        [paths, _, _, body, ..] if paths == "paths" && body == "requestBody" => true,
        [components, schemas, name, ..] if components == "components" && schemas == "schemas" => {
            // A spec whose operations cannot be read is reported as such by the review; its
            // properties are named as response ones meanwhile.
            read_operations(spec)
                .is_ok_and(|operations| reachable(spec, request_roots(&operations)).contains(name))
        }
        _ => false,
    }
}

fn plan(
    spec: &SpecDocument,
    normalized: &Value,
    operations: &[Operation],
    problems: &mut Vec<Diagnostic>,
) -> Vec<Planned> {
    let sites = sites(normalized, operations);
    let request = reachable(normalized, request_roots(operations));
    let response = reachable(normalized, response_roots(operations));
    let mut planned = Vec::new();
    for site in &sites {
        let in_request = match &site.component {
            Some(name) => request.contains(name),
            None => true, // inline request bodies and their inline objects
        };
        let in_response = site
            .component
            .as_ref()
            .is_some_and(|name| response.contains(name));
        let required = original_required(spec, &site.field);
        let properties = site.schema.get("properties").and_then(Value::as_object);
        for (name, property) in properties.into_iter().flatten() {
            let field = site.field.join("properties").join(name);
            let Some(change) = change(required.contains(name), in_request, sends_null(property))
            else {
                continue;
            };
            if in_request && in_response && change != Change::AlwaysWritten {
                problems.push(spec.diagnostic(
                    &field,
                    format!(
                        "`{}` is used by a request body and by a response: its optional \
                         properties cannot keep left out, null and empty apart in a request \
                         and stay plain `Option`s in a response; declare a separate schema \
                         for the request",
                        site.rust_type
                    ),
                ));
                continue;
            }
            planned.push(Planned {
                rust_type: site.rust_type.clone(),
                wire_name: name.clone(),
                change,
                field,
            });
        }
    }
    planned
}

/// The Rust types of the structs a response reaches: the component schemas that a response
/// reaches through `$ref`s, and the inline objects of their properties. `growth` makes them
/// `#[non_exhaustive]`.
pub(crate) fn response_structs(normalized: &Value, operations: &[Operation]) -> BTreeSet<String> {
    let response = reachable(normalized, response_roots(operations));
    sites(normalized, operations)
        .into_iter()
        .filter(|site| {
            site.component
                .as_ref()
                .is_some_and(|name| response.contains(name))
        })
        .map(|site| site.rust_type)
        .collect()
}

/// Every object with properties that typify generates as a struct: the component schemas,
/// the inline request bodies, and the inline object properties of both.
pub(super) fn sites<'a>(normalized: &'a Value, operations: &[Operation<'a>]) -> Vec<Site<'a>> {
    let mut sites = Vec::new();
    for (name, schema) in normalized
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let field = FieldPath::root()
            .join("components")
            .join("schemas")
            .join(name);
        push_site(
            &mut sites,
            naming::type_name(name),
            schema,
            field,
            Some(name),
        );
    }
    for operation in operations {
        let Some(body) = &operation.body else {
            continue;
        };
        // A body that is a component is a site already, under `components.schemas`.
        let inline = body.json.and_then(|json| json.get("schema"));
        let (Some(schema), Some(rust_type)) = (inline, &body.type_name) else {
            continue;
        };
        if schema.get("$ref").is_some() {
            continue;
        }
        let field = body
            .field
            .join("content")
            .join("application/json")
            .join("schema");
        push_site(&mut sites, rust_type.clone(), schema, field, None);
    }
    sites
}

fn push_site<'a>(
    sites: &mut Vec<Site<'a>>,
    rust_type: String,
    schema: &'a Value,
    field: FieldPath,
    component: Option<&str>,
) {
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        return;
    };
    for (name, property) in properties {
        if property.get("properties").is_some() {
            push_site(
                sites,
                naming::property_type(&rust_type, name),
                property,
                field.join("properties").join(name),
                component,
            );
        }
    }
    sites.push(Site {
        rust_type,
        schema,
        field,
        component: component.map(str::to_owned),
    });
}

/// The `required` list of the schema at `field` in the spec as written.
fn original_required(spec: &SpecDocument, field: &FieldPath) -> BTreeSet<String> {
    let pointer: String = field
        .segments()
        .iter()
        .map(|segment| format!("/{}", segment.replace('~', "~0").replace('/', "~1")))
        .collect();
    spec.value
        .pointer(&format!("{pointer}/required"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// The component schemas referenced by the request bodies (`$ref`s to shared bodies followed).
fn request_roots(operations: &[Operation]) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for body in operations
        .iter()
        .filter_map(|operation| operation.body.as_ref())
    {
        collect_refs(body.value, &mut names);
    }
    names
}

/// The component schemas referenced by the responses (`$ref`s to shared responses followed).
fn response_roots(operations: &[Operation]) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for response in operations.iter().flat_map(|operation| &operation.responses) {
        collect_refs(response.value, &mut names);
    }
    names
}

/// Every component schema reachable from `roots` through `$ref`s.
fn reachable(spec: &Value, roots: BTreeSet<String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut pending: Vec<String> = roots.into_iter().collect();
    while let Some(name) = pending.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = spec.pointer(&format!("/components/schemas/{name}")) {
            let mut found = BTreeSet::new();
            collect_refs(schema, &mut found);
            pending.extend(found);
        }
    }
    seen
}

fn collect_refs(value: &Value, names: &mut BTreeSet<String>) {
    match value {
        Value::Object(object) => {
            if object.get("$ref").is_some() {
                if let Some(name) = schema_ref_name(value) {
                    names.insert(name.to_owned());
                }
            }
            for child in object.values() {
                collect_refs(child, names);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_refs(item, names)),
        _ => {}
    }
}

pub(super) fn module_items<'a>(items: &'a mut [Item], name: &str) -> Option<&'a mut Vec<Item>> {
    items.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == name => {
            module.content.as_mut().map(|(_, items)| items)
        }
        _ => None,
    })
}

/// Changes one field of a type in `types`, and its builder in `types::builder`.
fn apply(types: &mut [Item], planned: &Planned) -> Result<(), String> {
    let rust_type = &planned.rust_type;
    let field = types
        .iter_mut()
        .find_map(|item| match item {
            Item::Struct(item) if item.ident == rust_type => Some(item),
            _ => None,
        })
        .ok_or_else(|| {
            format!(
                "typify generated no struct `{rust_type}` for this object, so its properties \
                 cannot be given their wire states; make the schema a plain object"
            )
        })?
        .fields
        .iter_mut()
        .find(|field| wire_name(field).as_deref() == Some(planned.wire_name.as_str()))
        .ok_or_else(|| {
            format!(
                "typify generated no field for property `{}` in `{rust_type}`",
                planned.wire_name
            )
        })?;
    let field_ident = field.ident.clone().expect("a struct with named fields");
    let old = field.ty.clone();
    let describe = |reason: &str| {
        format!(
            "cannot keep left out, null and empty apart for `{rust_type}.{field_ident}` \
             (generated as `{}`): {reason}",
            old.to_token_stream()
        )
    };
    let mut serde = SerdeAttribute::read(field).map_err(|reason| describe(&reason))?;
    match planned.change {
        Change::AlwaysWritten => {
            if serde.skip_serializing_if.take().is_some() {
                serde.write(field);
            }
            return Ok(());
        }
        Change::Patch => {
            if serde.has_others {
                return Err(describe(
                    "its serde attribute has options this pass does not know",
                ));
            }
            let inner = option_inner(&old)
                .ok_or_else(|| describe("a nullable property is expected to be an `Option`"))?;
            field.ty = parse_quote!(crate::Patch<#inner>);
            serde.default = Some(None);
            serde.skip_serializing_if = Some("crate::Patch::is_keep".to_owned());
        }
        Change::Optional => {
            if serde.has_others {
                return Err(describe(
                    "its serde attribute has options this pass does not know",
                ));
            }
            if option_inner(&old).is_none() {
                field.ty = parse_quote!(::std::option::Option<#old>);
            }
            serde.default = Some(None);
            serde.skip_serializing_if = Some("::std::option::Option::is_none".to_owned());
        }
    }
    serde.write(field);
    let builder = module_items(types, "builder")
        .ok_or_else(|| "progenitor's output has no `types::builder` module".to_owned())?;
    change_builder(builder, rust_type, &field_ident, planned.change)
        .map_err(|reason| describe(&reason))
}

/// The builder keeps a `Result<T, String>` per field, a setter taking `TryInto<T>` and a default
/// of `Ok(..)`: all three follow the field's new type, and the default becomes the type's own
/// (`Keep` or `None`: left out).
fn change_builder(
    builder: &mut [Item],
    rust_type: &str,
    field: &syn::Ident,
    change: Change,
) -> Result<(), String> {
    let structure = builder
        .iter_mut()
        .find_map(|item| match item {
            Item::Struct(item) if item.ident == rust_type => Some(item),
            _ => None,
        })
        .ok_or("typify generated no builder for it")?;
    let slot = structure
        .fields
        .iter_mut()
        .find(|candidate| candidate.ident.as_ref() == Some(field))
        .ok_or("its builder has no such field")?;
    let old = result_ok_type(&slot.ty).ok_or("its builder field is not a `Result`")?;
    let new: Type = match change {
        Change::Patch => {
            let inner = option_inner(&old).ok_or("its builder field is not an `Option`")?;
            parse_quote!(crate::Patch<#inner>)
        }
        Change::Optional if option_inner(&old).is_some() => old.clone(),
        Change::Optional => parse_quote!(::std::option::Option<#old>),
        Change::AlwaysWritten => return Ok(()),
    };
    slot.ty = parse_quote!(::std::result::Result<#new, ::std::string::String>);

    let mut setter_changed = false;
    let mut default_changed = false;
    for item in builder.iter_mut() {
        let Item::Impl(block) = item else { continue };
        let self_ty = &block.self_ty;
        if quote!(#self_ty).to_string() != rust_type {
            continue;
        }
        if block.trait_.is_none() {
            for item in &mut block.items {
                let ImplItem::Fn(setter) = item else { continue };
                if setter.sig.ident != *field {
                    continue;
                }
                let Some(clause) = setter.sig.generics.where_clause.as_mut() else {
                    continue;
                };
                for predicate in &mut clause.predicates {
                    let syn::WherePredicate::Type(predicate) = predicate else {
                        continue;
                    };
                    for bound in &mut predicate.bounds {
                        let syn::TypeParamBound::Trait(bound) = bound else {
                            continue;
                        };
                        let Some(last) = bound.path.segments.last_mut() else {
                            continue;
                        };
                        if last.ident != "TryInto" {
                            continue;
                        }
                        if let syn::PathArguments::AngleBracketed(arguments) = &mut last.arguments {
                            for argument in &mut arguments.args {
                                if matches!(argument, GenericArgument::Type(ty) if same_type(ty, &old))
                                {
                                    *argument = GenericArgument::Type(new.clone());
                                    setter_changed = true;
                                }
                            }
                        }
                    }
                }
            }
        } else if block
            .trait_
            .as_ref()
            .is_some_and(|(_, path, _)| path.segments.last().is_some_and(|s| s.ident == "Default"))
        {
            for item in &mut block.items {
                let ImplItem::Fn(default) = item else {
                    continue;
                };
                for statement in &mut default.block.stmts {
                    let syn::Stmt::Expr(Expr::Struct(init), _) = statement else {
                        continue;
                    };
                    for value in &mut init.fields {
                        if matches!(&value.member, syn::Member::Named(name) if name == field) {
                            value.expr = parse_quote!(Ok(Default::default()));
                            default_changed = true;
                        }
                    }
                }
            }
        }
    }
    if (setter_changed || same_type(&old, &new)) && default_changed {
        Ok(())
    } else {
        Err("its builder's setter or default is not in the form typify writes".to_owned())
    }
}

/// The property name a generated field reads and writes: its `rename`, or its name.
pub(super) fn wire_name(field: &Field) -> Option<String> {
    let renamed = SerdeAttribute::read(field)
        .ok()
        .and_then(|serde| serde.rename);
    renamed.or_else(|| {
        field
            .ident
            .as_ref()
            .map(|ident| ident.to_string().trim_start_matches("r#").to_owned())
    })
}

fn same_type(a: &Type, b: &Type) -> bool {
    a.to_token_stream().to_string() == b.to_token_stream().to_string()
}

/// `T` of `Option<T>` (any path ending in `Option`).
fn option_inner(ty: &Type) -> Option<Type> {
    generic_argument(ty, "Option", 0)
}

/// `T` of `Result<T, E>`.
fn result_ok_type(ty: &Type) -> Option<Type> {
    generic_argument(ty, "Result", 0)
}

fn generic_argument(ty: &Type, name: &str, index: usize) -> Option<Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    match arguments.args.iter().nth(index)? {
        GenericArgument::Type(ty) => Some(ty.clone()),
        _ => None,
    }
}

/// The `#[serde(..)]` attribute of a generated field, in the options typify writes.
#[derive(Default)]
struct SerdeAttribute {
    rename: Option<String>,
    /// `Some(None)`: `default`; `Some(Some(path))`: `default = "path"`.
    default: Option<Option<String>>,
    skip_serializing_if: Option<String>,
    /// Any other option (`deserialize_with`, ...), kept as written.
    others: Vec<Meta>,
    has_others: bool,
}

impl SerdeAttribute {
    fn read(field: &Field) -> Result<Self, String> {
        let mut serde = SerdeAttribute::default();
        for attribute in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
            let options = attribute
                .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
                .map_err(|error| format!("its serde attribute does not parse: {error}"))?;
            for option in options {
                let string_value = |meta: &Meta| match meta {
                    Meta::NameValue(syn::MetaNameValue {
                        value:
                            Expr::Lit(syn::ExprLit {
                                lit: syn::Lit::Str(value),
                                ..
                            }),
                        ..
                    }) => Some(value.value()),
                    _ => None,
                };
                if option.path().is_ident("rename") {
                    serde.rename = string_value(&option);
                } else if option.path().is_ident("default") {
                    serde.default = Some(string_value(&option));
                } else if option.path().is_ident("skip_serializing_if") {
                    serde.skip_serializing_if = string_value(&option);
                } else {
                    serde.has_others = true;
                    serde.others.push(option);
                }
            }
        }
        Ok(serde)
    }

    /// Replaces the field's serde attributes with this one (none when it is empty).
    fn write(&self, field: &mut Field) {
        field
            .attrs
            .retain(|attribute| !attribute.path().is_ident("serde"));
        let mut options: Vec<proc_macro2::TokenStream> = Vec::new();
        if let Some(rename) = &self.rename {
            options.push(quote!(rename = #rename));
        }
        match &self.default {
            Some(Some(path)) => options.push(quote!(default = #path)),
            Some(None) => options.push(quote!(default)),
            None => {}
        }
        if let Some(skip) = &self.skip_serializing_if {
            options.push(quote!(skip_serializing_if = #skip));
        }
        options.extend(self.others.iter().map(ToTokens::to_token_stream));
        if !options.is_empty() {
            field.attrs.push(parse_quote!(#[serde(#(#options),*)]));
        }
    }
}

/// Drops the functions of `types::defaults` that no field refers to any more (a request
/// property's default is the server's business now: a left-out key stays left out).
fn remove_unused_defaults(types: &mut [Item]) {
    let used: String = types
        .iter()
        .filter(|item| !matches!(item, Item::Mod(module) if module.ident == "defaults"))
        .map(|item| item.to_token_stream().to_string())
        .collect();
    let Some(defaults) = module_items(types, "defaults") else {
        return;
    };
    defaults.retain(|item| {
        let Item::Fn(function) = item else {
            return true;
        };
        let name = function.sig.ident.to_string();
        used.contains(&format!("defaults::{name}\""))
            || used.contains(&format!("defaults :: {name}"))
    });
}

/// Counts of what changed, by kind, for tests and messages.
#[cfg(test)]
fn changes(planned: &[Planned]) -> std::collections::BTreeMap<String, Change> {
    planned
        .iter()
        .map(|p| (format!("{}.{}", p.rust_type, p.wire_name), p.change))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn spec(text: &str) -> SpecDocument {
        SpecDocument::parse(Path::new("openapi.yaml"), text).unwrap()
    }

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things/{thing}:
    patch:
      operationId: updateThing
      parameters: [{name: thing, in: path, required: true, schema: {type: string}, example: t1}]
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/UpdateThing'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    UpdateThing:
      type: object
      properties:
        name: {type: string, nullable: true}
        tags: {type: array, items: {type: string}}
        size: {type: integer}
    Thing:
      type: object
      required: [id, tags]
      properties:
        id: {type: string}
        name: {type: string, nullable: true}
        tags: {type: array, items: {type: string}, default: []}
"#;

    #[test]
    fn the_plan_follows_direction_nullability_and_required() {
        let spec = spec(SPEC);
        let operations = spec.operations().unwrap();
        let mut problems = Vec::new();
        let planned = plan(&spec, &spec.value, &operations, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        let changes = changes(&planned);
        assert_eq!(changes["UpdateThing.name"], Change::Patch);
        assert_eq!(changes["UpdateThing.tags"], Change::Optional);
        assert_eq!(changes["UpdateThing.size"], Change::Optional);
        assert_eq!(changes["Thing.tags"], Change::AlwaysWritten);
        assert_eq!(changes["Thing.id"], Change::AlwaysWritten);
        assert!(!changes.contains_key("Thing.name"), "responses keep Option");
    }

    #[test]
    fn a_schema_shared_by_a_request_and_a_response_is_refused_at_the_property() {
        let shared = SPEC.replace(
            "schema: {$ref: '#/components/schemas/Thing'}",
            "schema: {$ref: '#/components/schemas/UpdateThing'}",
        );
        let spec = spec(&shared);
        let operations = spec.operations().unwrap();
        let mut problems = Vec::new();
        plan(&spec, &spec.value, &operations, &mut problems);
        let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(
            messages[0].contains("components.schemas.UpdateThing.properties.name")
                && messages[0].contains("used by a request body and by a response"),
            "{messages:?}"
        );
    }

    #[test]
    fn fields_and_builders_are_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("openapi.yaml");
        std::fs::write(&path, SPEC).unwrap();
        let generated = crate::generate(&path).unwrap();
        let code = &generated.files[0].code;
        for expected in [
            "#[serde(default, skip_serializing_if = \"crate::Patch::is_keep\")]\n        pub name: crate::Patch<::std::string::String>,",
            "#[serde(default, skip_serializing_if = \"::std::option::Option::is_none\")]\n        pub tags: ::std::option::Option<::std::vec::Vec<::std::string::String>>,",
            "T: ::std::convert::TryInto<crate::Patch<::std::string::String>>,",
            "T: ::std::convert::TryInto<\n                    ::std::option::Option<::std::vec::Vec<::std::string::String>>,",
            // The response keeps `Option` and writes its required list even when empty.
            "pub name: ::std::option::Option<::std::string::String>,",
            "#[serde(default)]\n        pub tags: ::std::vec::Vec<::std::string::String>,",
        ] {
            assert!(code.contains(expected), "missing {expected:?} in\n{code}");
        }
    }

    /// The facts `field_form` takes, read from a property as the specs of these tests write
    /// it (the review reads them through every wrapper).
    fn facts(property: &Value, required: bool) -> PropertyFacts {
        let composed = ["$ref", "allOf", "oneOf", "anyOf"]
            .iter()
            .any(|key| property.get(key).is_some());
        let value = ValueKind::of(
            composed,
            property.get("type").and_then(Value::as_str),
            property
                .get("additionalProperties")
                .is_some_and(Value::is_object),
        );
        PropertyFacts {
            required,
            nullable: sends_null(property)
                || spec_model::nullable::nullable_member(property).is_some(),
            has_default: property.get("default").is_some(),
            value,
        }
    }

    /// Every property of every component schema, against the field the generated `code`
    /// declares for it: `field_form` must name the wrapper typify and this pass wrote.
    fn check_forms(spec: &SpecDocument, code: &str) -> usize {
        let file = syn::parse_file(code).unwrap();
        let types = file
            .items
            .iter()
            .find_map(|item| match item {
                Item::Mod(module) if module.ident == "types" => {
                    module.content.as_ref().map(|(_, items)| items)
                }
                _ => None,
            })
            .expect("a types module");
        let mut checked = 0;
        let mut wrong = Vec::new();
        let schemas = spec.value["components"]["schemas"].as_object().unwrap();
        for (name, schema) in schemas {
            let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
                continue;
            };
            let rust_type = naming::type_name(name);
            let Some(fields) = types.iter().find_map(|item| match item {
                Item::Struct(item) if item.ident == rust_type => Some(&item.fields),
                _ => None,
            }) else {
                continue;
            };
            let required = original_required(
                spec,
                &FieldPath::root()
                    .join("components")
                    .join("schemas")
                    .join(name),
            );
            for (property_name, property) in properties {
                let field = FieldPath::root()
                    .join("components")
                    .join("schemas")
                    .join(name)
                    .join("properties")
                    .join(property_name);
                let form = field_form(
                    &spec.value,
                    &field,
                    facts(property, required.contains(property_name)),
                );
                let declared = fields
                    .iter()
                    .find(|generated| {
                        generated
                            .ident
                            .as_ref()
                            .is_some_and(|ident| *ident == naming::field(property_name))
                    })
                    .map(|generated| generated.ty.to_token_stream().to_string().replace(' ', ""))
                    .unwrap_or_else(|| panic!("no field for {field}"));
                let wrapper = if declared.starts_with("::std::option::Option<") {
                    FieldForm::Option
                } else if declared.starts_with("crate::Patch<") {
                    FieldForm::Patch
                } else {
                    FieldForm::Required
                };
                let named = match form {
                    FieldForm::Default | FieldForm::EmptyWhenLeftOut => FieldForm::Required,
                    other => other,
                };
                if named != wrapper {
                    wrong.push(format!(
                        "{field}: field_form says {form:?}, generated {declared}"
                    ));
                }
                checked += 1;
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        checked
    }

    #[test]
    fn field_form_names_the_generated_fields() {
        const FORMS: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewThing'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Labels:
      type: object
      additionalProperties: {type: string}
    NewThing:
      type: object
      required: [name]
      properties:
        name: {type: string, example: n}
        note: {type: string, nullable: true}
        labels: {$ref: '#/components/schemas/Labels'}
        tags: {type: array, items: {type: string}}
        size: {type: integer, default: 1}
    Thing:
      type: object
      required: [id, sims, kept]
      properties:
        id: {type: string}
        labels:
          default: {}
          allOf: [{$ref: '#/components/schemas/Labels'}]
        kept:
          default: {}
          allOf: [{$ref: '#/components/schemas/Labels'}]
        plain: {$ref: '#/components/schemas/Labels'}
        inline: {type: object, additionalProperties: {type: integer}}
        tags: {type: array, items: {type: string}}
        sims: {type: array, items: {type: string}, default: []}
        size: {type: integer, default: 1}
        note: {type: string, nullable: true}
        count: {type: integer}
"#;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("openapi.yaml");
        std::fs::write(&path, FORMS).unwrap();
        let generated = crate::generate(&path).unwrap();
        assert_eq!(check_forms(&spec(FORMS), &generated.files[0].code), 15);
    }

    #[test]
    fn field_form_names_every_field_of_the_committed_client() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let text = std::fs::read_to_string(root.join("openapi.yaml")).unwrap();
        let spec = SpecDocument::parse(&root.join("openapi.yaml"), &text).unwrap();
        let code =
            std::fs::read_to_string(root.join("crates/gigs-client/src/generated.rs")).unwrap();
        assert!(check_forms(&spec, &code) > 100);
    }

    #[test]
    fn a_missing_generated_field_is_refused_at_the_property() {
        let mut file: syn::File = parse_quote! {
            pub mod types {
                pub struct UpdateThing {
                    pub size: ::std::option::Option<i64>,
                }
            }
        };
        let spec = spec(SPEC);
        let operations = spec.operations().unwrap();
        let problems = keep_wire_states(&spec, &spec.value, &operations, &mut file).unwrap_err();
        let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(
            messages.iter().any(|m| m.contains("properties.name")
                && m.contains("typify generated no field for property `name`")),
            "{messages:?}"
        );
    }
}
