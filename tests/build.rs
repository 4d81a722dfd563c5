//! Lists every public type of `gigs_client::types`, read from the generated source, so that the
//! schema and example tests cover types added to the spec without anyone editing a list.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let generated =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/gigs-client/src/generated.rs");
    println!("cargo:rerun-if-changed={}", generated.display());
    let source = std::fs::read_to_string(&generated).expect("read generated.rs");
    let file = syn::parse_file(&source).expect("parse generated.rs");
    let types_module = file
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(module) if module.ident == "types" => module.content.as_ref(),
            _ => None,
        })
        .expect("generated.rs has a `types` module");
    let mut names: Vec<String> = types_module
        .1
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(item) if matches!(item.vis, syn::Visibility::Public(_)) => {
                Some(item.ident.to_string())
            }
            syn::Item::Enum(item) if matches!(item.vis, syn::Visibility::Public(_)) => {
                Some(item.ident.to_string())
            }
            // `open_enum! { pub enum Name { ... } }`: the body parses as an enum item.
            syn::Item::Macro(item) => syn::parse2::<syn::ItemEnum>(item.mac.tokens.clone())
                .ok()
                .map(|item| item.ident.to_string()),
            _ => None,
        })
        .collect();
    names.sort();

    let mut out = String::new();
    out.push_str("/// The names of every public type in `gigs_client::types`, sorted.\n");
    out.push_str("pub const TYPE_NAMES: &[&str] = &[\n");
    for name in &names {
        writeln!(out, "    {name:?},").unwrap();
    }
    out.push_str("];\n\n");
    out.push_str("/// The JSON Schema of every public type in `gigs_client::types`, by name.\n");
    out.push_str(
        "pub fn json_schemas() -> Vec<(&'static str, schemars::schema::RootSchema)> {\n    vec![\n",
    );
    for name in &names {
        writeln!(
            out,
            "        ({name:?}, schemars::schema_for!(gigs_client::types::{name})),"
        )
        .unwrap();
    }
    out.push_str("    ]\n}\n\n");
    out.push_str(
        "/// Reads `json` as the type named `type_name` and writes it back to JSON; `None` for an\n\
         /// unknown name.\n\
         pub fn round_trip(\n    type_name: &str,\n    json: &serde_json::Value,\n\
         ) -> Option<Result<serde_json::Value, serde_json::Error>> {\n    match type_name {\n",
    );
    for name in &names {
        writeln!(
            out,
            "        {name:?} => Some(\n            serde_json::from_value::<gigs_client::types::{name}>(json.clone())\n                .and_then(|value| serde_json::to_value(&value)),\n        ),"
        )
        .unwrap();
    }
    out.push_str("        _ => None,\n    }\n}\n");
    let out_dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    std::fs::write(Path::new(&out_dir).join("generated_types.rs"), out)
        .expect("write generated_types.rs");
}
