//! The Rust names a review report gives for the committed spec exist in the committed
//! `generated.rs`: types, fields (with their types), enum variants, client and builder methods,
//! and resource-group methods. The diff is run on the committed spec against edited copies that
//! remove or rename everything, so every name the report can give for the base shows up.

mod review_library;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn findings(base: &Path, head: &Value) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let head_path = dir.path().join("head.json");
    std::fs::write(&head_path, head.to_string()).unwrap();
    let report = review_library::json_report(
        base,
        &head_path,
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff/no-accepted-breaks.yaml"),
        "2026-12-06",
    );
    report["findings"].as_array().unwrap().clone()
}

/// What `generated.rs` declares, by name.
#[derive(Default)]
struct Declared {
    /// struct name → field name → field type (normalized)
    structs: BTreeMap<String, BTreeMap<String, String>>,
    /// enum name → variants (open enums included)
    enums: BTreeMap<String, BTreeSet<String>>,
    /// type name → its methods, with what each returns (normalized)
    methods: BTreeMap<String, BTreeMap<String, String>>,
}

/// A type as the report writes it: no paths, no spaces.
fn normalize_type(text: &str) -> String {
    let mut text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for (from, to) in [
        ("crate::types::", ""),
        ("crate::Patch", "Patch"),
        ("::std::option::", ""),
        ("::std::string::", ""),
        ("::std::vec::", ""),
        ("::std::collections::", ""),
        ("::chrono::offset::", ""),
        ("::chrono::naive::", "chrono::"),
        ("::chrono::", "chrono::"),
        ("::serde_json::", "serde_json::"),
        ("::uuid::", "uuid::"),
        ("super::builder::", ""),
        ("builder::", ""),
        ("resources::", ""),
        ("<'_>", ""),
        ("<'a>", ""),
        (",>", ">"),
    ] {
        text = text.replace(from, to);
    }
    text
}

fn tokens(tokens: impl quote::ToTokens) -> String {
    normalize_type(&tokens.to_token_stream().to_string())
}

/// `parent`: the module holding `items` (typify's `types::builder` structs are skipped).
fn collect(items: &[syn::Item], parent: &str, declared: &mut Declared) {
    for item in items {
        match item {
            syn::Item::Mod(module) if !(parent == "types" && module.ident == "builder") => {
                if let Some((_, items)) = &module.content {
                    collect(items, &module.ident.to_string(), declared);
                }
            }
            syn::Item::Struct(item) => {
                let fields = declared.structs.entry(item.ident.to_string()).or_default();
                for field in &item.fields {
                    if let Some(ident) = &field.ident {
                        fields.insert(ident.to_string(), tokens(&field.ty));
                    }
                }
            }
            syn::Item::Enum(item) => {
                declared
                    .enums
                    .entry(item.ident.to_string())
                    .or_default()
                    .extend(
                        item.variants
                            .iter()
                            .map(|variant| variant.ident.to_string()),
                    );
            }
            syn::Item::Macro(item)
                if item.mac.path.is_ident("open_enum")
                    || tokens(&item.mac.path).ends_with("open_enum") =>
            {
                let item: syn::ItemEnum = syn::parse2(item.mac.tokens.clone()).unwrap();
                declared
                    .enums
                    .entry(item.ident.to_string())
                    .or_default()
                    .extend(
                        item.variants
                            .iter()
                            .map(|variant| variant.ident.to_string()),
                    );
            }
            syn::Item::Impl(item) if item.trait_.is_none() => {
                let owner = tokens(&item.self_ty)
                    .rsplit("::")
                    .next()
                    .unwrap()
                    .to_owned();
                let methods = declared.methods.entry(owner).or_default();
                for member in &item.items {
                    if let syn::ImplItem::Fn(function) = member {
                        let output = match &function.sig.output {
                            syn::ReturnType::Default => String::new(),
                            syn::ReturnType::Type(_, ty) => tokens(ty),
                        };
                        methods.insert(function.sig.ident.to_string(), output);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The backticked spans of a text.
fn quoted(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// What the committed `generated.rs` declares.
fn committed_declarations() -> Declared {
    let source =
        std::fs::read_to_string(workspace().join("crates/gigs-client/src/generated.rs")).unwrap();
    let file: syn::File = syn::parse_file(&source).unwrap();
    let mut declared = Declared::default();
    collect(&file.items, "", &mut declared);
    declared
}

/// The committed `openapi.yaml`: its path and its value.
fn committed_spec() -> (PathBuf, Value) {
    let spec_path = workspace().join("openapi.yaml");
    let spec = serde_yaml_ng::from_str(&std::fs::read_to_string(&spec_path).unwrap()).unwrap();
    (spec_path, spec)
}

#[test]
fn every_rust_name_the_diff_reports_for_the_committed_spec_exists_in_generated_rs() {
    let declared = committed_declarations();
    let (spec_path, spec) = committed_spec();
    let operation_ids: BTreeMap<String, String> = spec["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .iter()
                .filter_map(move |(method, operation)| {
                    let id = operation.get("operationId")?.as_str()?;
                    Some((format!("{} {path}", method.to_uppercase()), id.to_owned()))
                })
        })
        .collect();

    // Head 1: every operationId renamed, every parameter gone, every enum with other values.
    let mut renamed = spec.clone();
    edit(&mut renamed, &mut |key, value| match key {
        "operationId" => *value = Value::String(format!("{}Renamed", value.as_str().unwrap())),
        "parameters" if value.is_array() => *value = Value::Array(Vec::new()),
        "enum" => *value = serde_json::json!(["zzz-other-value"]),
        _ => {}
    });
    // Head 2: every property gone.
    let mut emptied = spec.clone();
    edit(&mut emptied, &mut |key, value| {
        if key == "properties" {
            *value = Value::Object(serde_json::Map::new());
        }
    });

    let mut failures = Vec::new();
    let mut checked: BTreeMap<&str, usize> = BTreeMap::new();
    let mut check = |kind: &'static str, ok: bool, what: String| {
        *checked.entry(kind).or_default() += 1;
        if !ok {
            failures.push(format!("{kind}: {what}"));
        }
    };
    let client = &declared.methods["Client"];
    let check_calls = |check: &mut dyn FnMut(&'static str, bool, String), text: &str| {
        for name in quoted(text) {
            if let Some(method) = name.strip_prefix("Client::") {
                check(
                    "client method",
                    client.contains_key(method),
                    name.to_owned(),
                );
            } else if let Some(call) = name.strip_prefix("ProjectClient::") {
                let (accessor, rest) = call.split_once("().").unwrap();
                // `retrieve(device)`: the method, then the path's ids.
                let method = rest.split_once('(').unwrap().0;
                let group = declared.methods["ProjectClient"].get(accessor);
                let ok = group.is_some_and(|group| {
                    declared
                        .methods
                        .get(group)
                        .is_some_and(|methods| methods.contains_key(method))
                });
                check("resource-group method", ok, name.to_owned());
            }
        }
    };
    for finding in findings(&spec_path, &renamed)
        .into_iter()
        .chain(findings(&spec_path, &emptied))
    {
        let effect = finding["rust_effect"].as_str().unwrap();
        match finding["rule"].as_str().unwrap() {
            "operation-id-changed" => {
                let (old, _) = effect.split_once(" → ").unwrap();
                check_calls(&mut check, old);
            }
            "parameter-removed" => {
                let setter = quoted(effect)[0];
                let setter = setter
                    .strip_prefix('.')
                    .and_then(|setter| setter.strip_suffix("()"))
                    .unwrap();
                for operation in finding["operations"].as_array().unwrap() {
                    let id = &operation_ids[operation.as_str().unwrap()];
                    let method = id_to_method(client, id);
                    let builder = &client[&method];
                    let ok = declared.methods[builder].contains_key(setter);
                    check("builder method", ok, format!("{builder}::{setter}"));
                }
            }
            rule if rule.ends_with("enum-value-removed") => {
                let (enum_name, variant) = quoted(effect)[0].split_once("::").unwrap();
                let ok = declared
                    .enums
                    .get(enum_name)
                    .is_some_and(|variants| variants.contains(variant));
                check("enum variant", ok, format!("{enum_name}::{variant}"));
            }
            rule if rule.ends_with("property-removed") => {
                let spans = quoted(effect);
                let (field, rust_type) = spans[0].split_once(": ").unwrap();
                let owner = spans[1];
                let declared_type = declared
                    .structs
                    .get(owner)
                    .and_then(|fields| fields.get(field));
                check(
                    "struct field",
                    declared_type == Some(&normalize_type(rust_type)),
                    format!("{owner}.{field}: {rust_type} (generated: {declared_type:?})"),
                );
            }
            _ => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for (kind, floor) in [
        ("client method", 24),
        ("resource-group method", 24),
        ("builder method", 30),
        ("enum variant", 40),
        ("struct field", 90),
    ] {
        let count = checked.get(kind).copied().unwrap_or(0);
        assert!(count >= floor, "only {count} {kind}s checked: {checked:?}");
    }
}

/// The client method for an operationId, found by its builder's name in `generated.rs` rather
/// than by re-deriving the generator's naming.
fn id_to_method(client: &BTreeMap<String, String>, id: &str) -> String {
    let builder: String = id
        .chars()
        .enumerate()
        .map(|(index, c)| {
            if index == 0 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect();
    client
        .iter()
        .find(|(_, returns)| **returns == builder)
        .map(|(method, _)| method.clone())
        .unwrap_or_else(|| panic!("no client method returns builder {builder}"))
}

fn edit(value: &mut Value, apply: &mut impl FnMut(&str, &mut Value)) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                apply(key, child);
                edit(child, apply);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| edit(item, apply)),
        _ => {}
    }
}

/// A parameter change that changes what the generated builder method takes names the method
/// (`ListSubscriptions::status`) and both types; the base's type is the one `generated.rs`
/// declares for it. Every comma-separated array query parameter of the committed spec loses
/// `explode: false`, which turns `CommaSeparated<T>` back into `Vec<T>`.
#[test]
fn a_parameter_change_names_the_builder_method_and_the_types_it_takes() {
    let declared = committed_declarations();
    let (spec_path, spec) = committed_spec();
    let mut exploded = spec.clone();
    edit(&mut exploded, &mut |key, value| {
        if key == "parameters" {
            for parameter in value.as_array_mut().into_iter().flatten() {
                if let Some(parameter) = parameter.as_object_mut() {
                    parameter.remove("explode");
                }
            }
        }
    });
    let mut checked = 0;
    let mut failures = Vec::new();
    for finding in findings(&spec_path, &exploded) {
        if finding["rule"] != "parameter-style-changed" {
            continue;
        }
        let effect = finding["rust_effect"].as_str().unwrap();
        let spans = quoted(effect);
        let [setter, old, new, ..] = spans.as_slice() else {
            failures.push(format!("no builder method and types in {effect:?}"));
            continue;
        };
        let (builder, method) = setter.split_once("::").unwrap();
        let field = declared
            .structs
            .get(builder)
            .and_then(|fields| fields.get(method))
            .map(|field| field.replace("crate::query::", ""));
        let inner = old
            .strip_prefix("CommaSeparated<")
            .and_then(|rest| rest.strip_suffix('>'));
        let ok = declared
            .methods
            .get(builder)
            .is_some_and(|methods| methods.contains_key(method))
            && field
                .as_ref()
                .is_some_and(|field| field.contains(&normalize_type(old)))
            && inner.is_some_and(|inner| *new == format!("Vec<{inner}>"));
        if !ok {
            failures.push(format!(
                "{setter}: {old} → {new} (generated field: {field:?})"
            ));
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 5, "only {checked} builder methods checked");
}
