//! `cargo xtask generate`: openapi.yaml → progenitor → prettyplease → generated.rs.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use anyhow::{anyhow, bail, Context};
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};
use quote::{format_ident, quote};

use crate::diagnostic::{Diagnostic, Diagnostics, FieldPath};
use crate::files::{self, GENERATED_HEADER as HEADER};
use crate::normalize::{normalize, OpenEnum, Replacement, COMMA_SEPARATED_PATH};
use crate::spec::{read_operations, type_parameters, SpecDocument};
use crate::validate::validate;

/// The crate the typed mocks refer to for the request and response types.
const HTTPMOCK_CLIENT_CRATE: &str = "gigs_client";

/// One generated file: where it goes (relative to the workspace root) and what it holds.
pub struct GeneratedFile {
    pub path: &'static str,
    pub code: String,
}

/// Everything one run of `generate` produces, with the figures it reports. All files are
/// produced in memory before any is written, so a failure anywhere writes nothing.
pub struct Generated {
    /// The client first, then any other generated file (each with the same [`HEADER`]).
    pub files: Vec<GeneratedFile>,
    /// Every operation as the fake serves it, for the report of which it answers from the spec
    /// alone.
    pub fake: Vec<crate::fake_server::Served>,
    pub operations: usize,
    pub types: usize,
}

impl Generated {
    /// Lines of the generated client.
    pub fn lines(&self) -> usize {
        self.files[0].code.lines().count()
    }
}

/// Reads and checks the spec at `spec_path` and generates the client source from it.
pub fn generate(spec_path: &Path) -> anyhow::Result<Generated> {
    let spec = SpecDocument::load(spec_path)?;
    let problems = validate(&spec);
    if !problems.is_empty() {
        return Err(Diagnostics(problems).into());
    }
    let normalized = normalize(&spec).map_err(Diagnostics)?;
    let openapi: openapiv3::OpenAPI =
        serde_path_to_error::deserialize(&normalized.value).map_err(|error| {
            let field =
                error
                    .path()
                    .iter()
                    .fold(FieldPath::root(), |field, segment| match segment {
                        serde_path_to_error::Segment::Seq { index } => field.join(index),
                        serde_path_to_error::Segment::Map { key } => field.join(key),
                        serde_path_to_error::Segment::Enum { variant } => field.join(variant),
                        serde_path_to_error::Segment::Unknown => field,
                    });
            Diagnostics(vec![Diagnostic {
                location: spec.locate(&field),
                message: format!("not a valid OpenAPI 3.0 document: {}", error.inner()),
            }])
        })?;

    let settings = settings(&normalized.replacements, "crate");
    // progenitor panics on some inputs instead of returning an error; a spec author should get
    // a message, not a backtrace.
    let tokens = run_progenitor(spec_path, "a client", || {
        Generator::new(&settings).generate_tokens(&openapi)
    })?;

    // The one reading of the operations every renderer below takes its facts from.
    let mut operations = read_operations(&normalized.value)
        .map_err(|problem| Diagnostics(vec![spec.problem(problem)]))?;

    let mut file: syn::File = syn::parse2(tokens).context("progenitor produced invalid Rust")?;
    type_parameters(&mut operations, &file)?;
    let types = reserve_open_enums(&mut file, &normalized.open_enums)?;
    crate::patch::keep_wire_states(&spec, &normalized.value, &operations, &mut file)
        .map_err(Diagnostics)?;
    crate::build_request::add_build_request_methods(&mut file)?;
    file.items.extend(crate::extras::extras(&operations)?);
    let test_tables = crate::test_tables::test_tables(
        &file,
        &normalized.open_enums,
        &normalized.value,
        &operations,
    )
    .context("cannot generate the tests' tables")?;
    let formatted = prettyplease::unparse(&file);
    let placeholder_line = formatted
        .lines()
        .find(|line| line.trim() == OPEN_ENUMS_PLACEHOLDER)
        .context("the open enum placeholder went missing in formatting")?;
    let indent = &placeholder_line[..placeholder_line.len() - OPEN_ENUMS_PLACEHOLDER.len()];
    let open_enums = render_open_enums(&normalized.open_enums, indent)?;
    let code = format!(
        "{HEADER}\n{}",
        formatted.replacen(&format!("{placeholder_line}\n"), &open_enums, 1)
    );
    let cli = crate::cli::generate(&normalized.value, &operations)?;
    let httpmock = generate_httpmock(spec_path, &openapi, &normalized.replacements)?;
    let (fake_server, fake) = crate::fake_server::fake_server(&normalized.value, &operations)
        .context("cannot generate the fake's server trait")?;
    Ok(Generated {
        files: vec![
            GeneratedFile {
                path: files::CLIENT,
                code,
            },
            GeneratedFile {
                path: files::TEST_TABLES,
                code: format!("{HEADER}\n{test_tables}"),
            },
            GeneratedFile {
                path: files::CLI,
                code: cli,
            },
            GeneratedFile {
                path: files::HTTPMOCK,
                code: httpmock,
            },
            GeneratedFile {
                path: files::CATALOG,
                code: device_model_catalog(&spec.value)?,
            },
            GeneratedFile {
                path: files::FAKE_SERVER,
                code: fake_server,
            },
        ],
        fake,
        operations: operations.len(),
        types,
    })
}

/// progenitor's settings for this workspace. `crate_path` is how the generated code names
/// gigs-client: `crate` inside it, `::gigs_client` from another crate (the typed mocks).
fn settings(replacements: &[Replacement], crate_path: &str) -> GenerationSettings {
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
        .with_derive("schemars::JsonSchema")
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
fn run_progenitor(
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

/// The typed `httpmock` extensions (progenitor's `Generator::httpmock`): one `MockServerExt`
/// method per operation, with `when` matchers and `then` responses typed by gigs-client. The
/// open enums and comma-separated filters are gigs-client's own types, so a matcher compares
/// their wire form (`Display`), exactly what the client sends.
fn generate_httpmock(
    spec_path: &Path,
    openapi: &openapiv3::OpenAPI,
    replacements: &[Replacement],
) -> anyhow::Result<String> {
    let settings = settings(replacements, &format!("::{HTTPMOCK_CLIENT_CRATE}"));
    let tokens = run_progenitor(spec_path, "the typed mocks", || {
        Generator::new(&settings).httpmock(openapi, HTTPMOCK_CLIENT_CRATE)
    })?;
    let file: syn::File = syn::parse2(tokens).context("progenitor produced invalid Rust")?;
    Ok(format!("{HEADER}\n{}", prettyplease::unparse(&file)))
}

/// The fake's device model catalog: every `deviceModel` object among the spec's examples,
/// once per id, in the order they first appear, as the JSON array `DEVICE_MODELS`.
fn device_model_catalog(spec: &serde_json::Value) -> anyhow::Result<String> {
    fn collect(value: &serde_json::Value, in_example: bool, found: &mut Vec<serde_json::Value>) {
        match value {
            serde_json::Value::Object(object) => {
                let is_model =
                    object.get("object").and_then(serde_json::Value::as_str) == Some("deviceModel");
                if in_example && is_model {
                    let id = object.get("id");
                    if id.is_some() && !found.iter().any(|model| model.get("id") == id) {
                        found.push(value.clone());
                    }
                    return;
                }
                for (key, child) in object {
                    let example = in_example || key == "example" || key == "examples";
                    collect(child, example, found);
                }
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    collect(item, in_example, found);
                }
            }
            _ => {}
        }
    }
    let mut models = Vec::new();
    collect(spec, false, &mut models);
    let json = serde_json::to_string_pretty(&models)?;
    Ok(format!(
        "{HEADER}\n//! The device models among openapi.yaml's examples: the fake's default catalog.\n\n\
         /// Every `deviceModel` object of the spec's examples, as a JSON array.\n\
         pub(crate) const DEVICE_MODELS: &str = r#\"{json}\"#;\n"
    ))
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
        let variant = crate::naming::variant(value);
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
