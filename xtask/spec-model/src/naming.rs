//! The Rust names the generated client gives to what the spec declares. `generate` (with
//! `normalize` and `extras`) names things with these functions, and `diff` explains changes with
//! the same ones, so a report never names a type, field, variant or method that does not exist.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// The group of operations without a tag.
pub const DEFAULT_TAG: &str = "Other";

/// The client method of an operation: `retrieveDevice` → `retrieve_device`.
pub fn method(operation_id: &str) -> String {
    identifier(operation_id, Case::Snake)
}

/// The builder type of an operation: `retrieveDevice` → `RetrieveDevice`.
pub fn builder(operation_id: &str) -> String {
    identifier(operation_id, Case::Pascal)
}

/// A struct field or builder method for a property or parameter name, with the `_` suffix
/// progenitor adds to Rust keywords: `createdAt` → `created_at`, `type` → `type_`.
pub fn field(name: &str) -> String {
    identifier(name, Case::Snake)
}

#[derive(Clone, Copy)]
enum Case {
    Snake,
    Pascal,
}

/// The one rule that turns a spec name into a Rust identifier, the one progenitor applies to
/// operations and parameters: characters that cannot continue an identifier become word breaks,
/// the case is changed, `_` goes before a leading character that cannot start one, and `_` after
/// anything that is not accepted as an identifier (strict and reserved keywords, `_`). The
/// keyword list is typify's own, so our names cannot drift from the generated code's.
fn identifier(name: &str, case: Case) -> String {
    let words = name
        .replace('\'', "")
        .replace(|c: char| !unicode_ident::is_xid_continue(c), "-");
    let cased = match case {
        Case::Snake => words.to_snake_case(),
        Case::Pascal => words.to_upper_camel_case(),
    };
    let started = match cased.chars().next() {
        None => "x".to_owned(),
        Some(c) if unicode_ident::is_xid_start(c) => cased,
        Some(_) => format!("_{cased}"),
    };
    if typify::accept_as_ident(&started) {
        started
    } else {
        format!("{started}_")
    }
}

/// The Rust type of a `components.schemas` entry.
pub fn type_name(schema: &str) -> String {
    schema.to_upper_camel_case()
}

/// The named schema an inline enum of a component's property becomes: `ESimProfile.status` →
/// `ESimProfileStatus`. `normalize` follows the scheme typify names the other inline types of a
/// property with (objects, `oneOf`s), so one function names both.
pub fn property_enum(schema: &str, property: &str) -> String {
    property_type(schema, property)
}

/// The type typify generates for an inline object or `oneOf`/`anyOf` of a component's property:
/// `UpdateDeviceRequest.name` → `UpdateDeviceRequestName`.
pub fn property_type(schema: &str, property: &str) -> String {
    format!("{schema}{}", property.to_upper_camel_case())
}

/// The owner part of the name of a parameter's inline enum: the operation (`listSims` →
/// `ListSims`) or the `components.parameters` key.
pub fn parameter_owner(operation_id_or_key: &str) -> String {
    operation_id_or_key.to_upper_camel_case()
}

/// The named schema an inline enum of a parameter becomes: `ListSims` + `status`.
pub fn parameter_enum(owner: &str, parameter: &str) -> String {
    format!("{owner}{}", parameter.to_upper_camel_case())
}

/// The type progenitor has typify generate for an inline request body of an operation:
/// `createDevice` → `CreateDeviceBody`.
pub fn request_body_type(operation_id: &str) -> String {
    format!("{operation_id}-body").to_upper_camel_case()
}

/// The type progenitor has typify generate for an inline response body of an operation:
/// `createDevice` → `CreateDeviceResponse`.
pub fn response_type(operation_id: &str) -> String {
    format!("{operation_id}-response").to_upper_camel_case()
}

/// The named schema of the items of an array whose items are an inline enum.
pub fn items_enum(array_name: &str) -> String {
    format!("{array_name}Item")
}

/// The replaced schema of a comma-separated array query parameter.
pub fn comma_separated(owner: &str, parameter: &str) -> String {
    format!("{}Query", parameter_enum(owner, parameter))
}

/// The variant of an open enum for a wire value. `Unknown(String)` is the catch-all, so a
/// documented value spelled `unknown` becomes `UnknownValue`; a value that does not start with
/// a letter gets a `Value` prefix.
pub fn variant(value: &str) -> String {
    let variant = value.to_upper_camel_case();
    if variant.is_empty() || !variant.starts_with(|c: char| c.is_ascii_alphabetic()) {
        format!("Value{variant}")
    } else if variant == "Unknown" {
        "UnknownValue".to_owned()
    } else {
        variant
    }
}

/// The resource group type of a tag: `SIMs` → `Sims`.
pub fn group(tag: &str) -> String {
    tag.to_lowercase().to_upper_camel_case()
}

/// The resource group type of the operations of a tag that no project scopes, reached from
/// `UnscopedClient`: `Devices` → `UnscopedDevices`.
pub fn unscoped_group(tag: &str) -> String {
    format!("Unscoped{}", group(tag))
}

/// The `ProjectClient` (and `UnscopedClient`) method that returns a tag's group: `SIMs` → `sims`.
pub fn group_accessor(tag: &str) -> String {
    tag.to_lowercase().to_snake_case()
}

/// The methods of one tag's resource group, one per operationId in `operation_ids` (in that
/// order): the operationId without the tag's noun (`listSubscriptions` in Subscriptions is
/// `list`), or the full method name where short names would clash or be empty.
pub fn group_methods(tag: &str, operation_ids: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = operation_ids
        .iter()
        .map(|operation_id| short_name(operation_id, tag))
        .collect();
    let unclear: Vec<bool> = names
        .iter()
        .map(|name| name.is_empty() || names.iter().filter(|other| *other == name).count() > 1)
        .collect();
    for ((name, operation_id), unclear) in names.iter_mut().zip(operation_ids).zip(unclear) {
        if unclear {
            *name = method(operation_id);
        }
    }
    names
}

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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn clashing_or_empty_short_names_fall_back_to_the_method() {
        assert_eq!(
            group_methods("Things", &["listThings", "listThing", "things"]),
            ["list_things", "list_thing", "things"]
        );
    }

    #[test]
    fn variants_avoid_the_catch_all_and_leading_digits() {
        assert_eq!(variant("unknown"), "UnknownValue");
        assert_eq!(variant("5g"), "Value5g");
        assert_eq!(variant("eSIM"), "ESim");
    }

    #[test]
    fn keywords_get_a_trailing_underscore() {
        assert_eq!(field("type"), "type_");
        assert_eq!(field("createdAt"), "created_at");
        assert_eq!(method("yield"), "yield_");
    }

    /// Every keyword of the Rust reference (strict, reserved, and the 2024 edition's `gen`):
    /// the name made of it is an identifier that parses as one (`r#` never needed) and is not
    /// the keyword itself.
    #[test]
    fn every_rust_keyword_becomes_a_usable_identifier() {
        const STRICT: &[&str] = &[
            "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum",
            "extern", "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod",
            "move", "mut", "pub", "ref", "return", "self", "static", "struct", "super", "trait",
            "true", "type", "unsafe", "use", "where", "while",
        ];
        const RESERVED: &[&str] = &[
            "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try",
            "typeof", "unsized", "virtual", "yield",
        ];
        for keyword in STRICT.iter().chain(RESERVED) {
            let name = field(keyword);
            assert_eq!(name, format!("{keyword}_"), "{keyword}");
            assert!(syn::parse_str::<syn::Ident>(&name).is_ok(), "{name}");
            assert_eq!(method(keyword), name);
        }
        // `Self` is a keyword only in Pascal case.
        assert_eq!(builder("self"), "Self_");
    }

    #[test]
    fn names_that_cannot_start_an_identifier_are_prefixed() {
        assert_eq!(field("5g"), "_5g");
        assert_eq!(field(""), "x");
        assert_eq!(field("x-rate-limit"), "x_rate_limit");
    }
}
