//! The `gigs` command line's command tree and dispatch, generated from the spec
//! (`crates/gigs-cli/src/generated.rs`).
//!
//! progenitor's `Generator::cli` gives one flat command per operationId, path parameters as
//! required `--flags`, bodies only from `--json-body FILE`, and an `execute` that calls the
//! builders' `send()` (progenitor errors, no project default, no cursor pagination). The Gigs
//! command line wants commands grouped by resource with the API's verbs, positional ids, comma
//! filters and `--body FILE|-`, run through the `gigs` SDK; so the tree is generated here, from the
//! same normalized spec progenitor reads:
//!
//! - resource: the first literal path segment after an optional `/projects/{project}` scope,
//!   in kebab case (`/deviceModels/search` → `device-models`);
//! - verb: the literal segment after the last path parameter (`/sims/{sim}/credentials` →
//!   `credentials`), otherwise the first word of the operationId (`listSims` → `list`); the kebab
//!   operationId where two operations of a resource would get the same verb;
//! - path parameters other than `project` are positional, in path order; `project` comes from the
//!   global `--project`/`GIGS_PROJECT`;
//! - every query parameter is a flag (comma-separated arrays accept `a,b` and repeated flags);
//! - every top-level property of a JSON request body is a flag (objects and arrays of objects take
//!   JSON), beside `--body FILE|-` for the whole body.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, Context};
use heck::{ToKebabCase, ToSnakeCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::generate::HEADER;
use crate::spec::{resolve_or_self as resolve, schema_ref_name as schema_name, HTTP_METHODS};

/// Where the generated command line goes, relative to the workspace root.
pub const CLI_PATH: &str = "crates/gigs-cli/src/generated.rs";

/// Flags the hand-written part of the command line declares on every command, or on every list
/// command; a spec parameter or body property with one of these names gets `field-` in front.
const RESERVED_FLAGS: &[&str] = &[
    "all",
    "base-url",
    "body",
    "connect-timeout",
    "help",
    "output",
    "project",
    "retries",
    "timeout",
    "token-file",
    "verbose",
    "version",
];

/// The query parameters the pager sets; the hand-written list runner reads them.
const CURSOR_PARAMETERS: [&str; 3] = ["after", "before", "limit"];

struct Resource {
    name: String,
    /// The spec's tag of the same name (`SIMs` for `sims`), for the resource's help.
    title: Option<String>,
    operations: Vec<Operation>,
}

struct Operation {
    id: String,
    tag: Option<String>,
    verb: String,
    summary: Option<String>,
    description: Option<String>,
    method: String,
    path: String,
    positional: Vec<Parameter>,
    has_project: bool,
    query: Vec<Flag>,
    body: Option<Body>,
    list: bool,
}

struct Parameter {
    name: String,
    description: Option<String>,
}

struct Body {
    type_name: String,
    fields: Vec<Flag>,
}

#[derive(Clone)]
struct Flag {
    /// The name in the API (query parameter or body property).
    api_name: String,
    /// The long flag, without `--`.
    flag: String,
    help: Option<String>,
    kind: Kind,
    /// Documented values (string enums), offered by `--help` and completion and checked.
    values: Vec<String>,
    /// The Rust enum of a query parameter or its items, when its schema is a named enum.
    enum_type: Option<String>,
    minimum: Option<i64>,
    maximum: Option<i64>,
    /// Body properties the API requires (unless the whole body comes from `--body`).
    required: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    String,
    Integer,
    Number,
    Boolean,
    StringList,
    IntegerList,
    Json,
}

/// The generated source of `crates/gigs-cli/src/generated.rs`, with [`HEADER`].
pub fn generate(spec: &Value) -> anyhow::Result<String> {
    let resources = resources(spec)?;
    let tokens = render(&resources);
    let file: syn::File =
        syn::parse2(tokens).context("the command line generator produced invalid Rust")?;
    Ok(format!("{HEADER}\n{}", prettyplease::unparse(&file)))
}

/// A property's schema with a single `allOf` member (how the spec attaches descriptions to
/// references) replaced by that member.
fn unwrap_all_of(schema: &Value) -> &Value {
    match schema.get("allOf").and_then(Value::as_array) {
        Some(members) if members.len() == 1 => &members[0],
        _ => schema,
    }
}

fn text(value: &Value, key: &str) -> Option<String> {
    value
        .get(key)
        .and_then(Value::as_str)
        .map(|text| text.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|text| !text.is_empty())
}

/// Kebab case with a one-letter word joined to the next one, so that `eSimProfile` reads
/// `esim-profile`, not `e-sim-profile`.
fn kebab(name: &str) -> String {
    let words: Vec<String> = name.to_kebab_case().split('-').map(str::to_owned).collect();
    let mut joined: Vec<String> = Vec::new();
    let mut pending = String::new();
    for word in words {
        if word.len() == 1 {
            pending.push_str(&word);
        } else {
            joined.push(format!("{pending}{word}"));
            pending.clear();
        }
    }
    if !pending.is_empty() {
        joined.push(pending);
    }
    joined.join("-")
}

/// The builder method progenitor names after a parameter (`type` → `type_`).
fn setter(name: &str) -> syn::Ident {
    let snake = name.to_snake_case();
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "box", "break", "const", "continue", "crate", "dyn", "else",
        "enum", "extern", "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod",
        "move", "mut", "pub", "ref", "return", "self", "static", "struct", "super", "trait",
        "true", "try", "type", "unsafe", "use", "where", "while", "yield",
    ];
    if KEYWORDS.contains(&snake.as_str()) {
        format_ident!("{snake}_")
    } else {
        format_ident!("{snake}")
    }
}

fn resources(spec: &Value) -> anyhow::Result<Vec<Resource>> {
    let mut by_name: BTreeMap<String, Vec<Operation>> = BTreeMap::new();
    let paths = spec
        .get("paths")
        .and_then(Value::as_object)
        .context("the spec has no paths")?;
    for (path, item) in paths {
        for method in HTTP_METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let (resource, operation) = operation_of(spec, path, method, item, operation)?;
            by_name.entry(resource).or_default().push(operation);
        }
    }
    let mut resources = Vec::new();
    for (name, mut operations) in by_name {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for operation in &operations {
            *counts.entry(operation.verb.clone()).or_default() += 1;
        }
        for operation in &mut operations {
            if counts[&operation.verb] > 1 {
                operation.verb = kebab(&operation.id);
            }
        }
        operations.sort_by(|a, b| a.verb.cmp(&b.verb));
        let title = operations
            .iter()
            .filter_map(|operation| operation.tag.clone())
            .find(|tag| tag.to_lowercase().replace([' ', '-'], "") == name.replace('-', ""));
        resources.push(Resource {
            name,
            title,
            operations,
        });
    }
    Ok(resources)
}

fn operation_of(
    spec: &Value,
    path: &str,
    method: &str,
    item: &Value,
    operation: &Value,
) -> anyhow::Result<(String, Operation)> {
    let id = operation
        .get("operationId")
        .and_then(Value::as_str)
        .with_context(|| format!("{} {path} has no operationId", method.to_uppercase()))?
        .to_owned();
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let scoped = segments.len() >= 2 && segments[0] == "projects" && segments[1] == "{project}";
    let rest = if scoped {
        &segments[2..]
    } else {
        &segments[..]
    };
    let resource = rest
        .iter()
        .find(|segment| !segment.starts_with('{'))
        .map(|segment| kebab(segment))
        .with_context(|| format!("{id}: path {path} names no resource"))?;
    let last_parameter = rest.iter().rposition(|s| s.starts_with('{'));
    let verb = match last_parameter {
        Some(index) if index + 1 < rest.len() => kebab(rest[rest.len() - 1]),
        _ => kebab(&id).split('-').next().unwrap_or_default().to_owned(),
    };

    let parameters: Vec<&Value> = item
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .chain(
            operation
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        )
        .map(|parameter| resolve(spec, parameter))
        .collect();
    let mut positional = Vec::new();
    let mut has_project = false;
    let mut query = Vec::new();
    for parameter in &parameters {
        let name = parameter
            .get("name")
            .and_then(Value::as_str)
            .with_context(|| format!("{id}: a parameter has no name"))?;
        match parameter.get("in").and_then(Value::as_str) {
            Some("path") if name == "project" => has_project = true,
            Some("path") => positional.push(Parameter {
                name: name.to_owned(),
                description: text(parameter, "description"),
            }),
            Some("query") => {
                let schema = parameter.get("schema").unwrap_or(&Value::Null);
                let mut flag = flag_of(spec, &id, name, schema)?;
                flag.help = text(parameter, "description");
                if parameter.get("required").and_then(Value::as_bool) == Some(true) {
                    flag.required = true;
                }
                query.push(flag);
            }
            // Header and cookie parameters are the SDK's business (authorization, idempotency).
            _ => {}
        }
    }
    // Path parameters in the order of the path.
    positional.sort_by_key(|parameter| path.find(&format!("{{{}}}", parameter.name)));
    let is_list = CURSOR_PARAMETERS
        .iter()
        .all(|cursor| query.iter().any(|flag| flag.api_name == *cursor));

    let body = match operation.get("requestBody") {
        None => None,
        Some(body) => {
            let body = resolve(spec, body);
            let schema = body
                .pointer("/content/application~1json/schema")
                .with_context(|| format!("{id}: the request body is not application/json"))?;
            let type_name = schema_name(schema)
                .with_context(|| {
                    format!("{id}: the request body schema must be a $ref to components.schemas")
                })?
                .to_owned();
            let schema = resolve(spec, schema);
            let required: BTreeSet<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let mut fields = Vec::new();
            for (name, property) in schema
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let target = resolve(spec, unwrap_all_of(property));
                let mut flag = flag_of(spec, &id, name, property).unwrap_or_else(|_| Flag {
                    api_name: name.clone(),
                    flag: kebab(name),
                    help: None,
                    kind: Kind::Json,
                    values: Vec::new(),
                    enum_type: None,
                    minimum: None,
                    maximum: None,
                    required: false,
                });
                if matches!(flag.kind, Kind::Json) {
                    flag.enum_type = None;
                }
                flag.help = text(property, "description").or_else(|| text(target, "description"));
                flag.required = required.contains(name.as_str());
                fields.push(flag);
            }
            Some(Body { type_name, fields })
        }
    };

    let mut operation = Operation {
        id: id.clone(),
        tag: operation
            .pointer("/tags/0")
            .and_then(Value::as_str)
            .map(str::to_owned),
        verb,
        summary: text(operation, "summary"),
        description: operation
            .get("description")
            .and_then(Value::as_str)
            .map(|text| text.trim().to_owned()),
        method: method.to_uppercase(),
        path: path.to_owned(),
        positional,
        has_project,
        query,
        body,
        list: is_list,
    };
    rename_clashing_flags(&mut operation)?;
    Ok((resource, operation))
}

/// A flag for a query parameter or body property with this schema (a `$ref`, a single `allOf`
/// or inline).
fn flag_of(spec: &Value, id: &str, name: &str, declared: &Value) -> anyhow::Result<Flag> {
    let schema = resolve(spec, unwrap_all_of(declared));
    let enum_values = |schema: &Value| -> Vec<String> {
        schema
            .get("enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    };
    let mut flag = Flag {
        api_name: name.to_owned(),
        flag: kebab(name),
        help: None,
        kind: Kind::String,
        values: Vec::new(),
        enum_type: None,
        minimum: schema.get("minimum").and_then(Value::as_i64),
        maximum: schema.get("maximum").and_then(Value::as_i64),
        required: false,
    };
    let (kind, values, enum_type) = match schema.get("type").and_then(Value::as_str) {
        Some("array") => {
            let items_ref = schema.get("items").unwrap_or(&Value::Null);
            let items = resolve(spec, unwrap_all_of(items_ref));
            match items.get("type").and_then(Value::as_str) {
                Some("string") | None if items.get("enum").is_some() => (
                    Kind::StringList,
                    enum_values(items),
                    schema_name(unwrap_all_of(items_ref)).map(str::to_owned),
                ),
                Some("string") => (Kind::StringList, Vec::new(), None),
                Some("integer") => (Kind::IntegerList, Vec::new(), None),
                _ => (Kind::Json, Vec::new(), None),
            }
        }
        Some("string") | None if schema.get("enum").is_some() => (
            Kind::String,
            enum_values(schema),
            schema_name(unwrap_all_of(declared)).map(str::to_owned),
        ),
        Some("string") => (Kind::String, Vec::new(), None),
        Some("integer") => (Kind::Integer, Vec::new(), None),
        Some("number") => (Kind::Number, Vec::new(), None),
        Some("boolean") => (Kind::Boolean, Vec::new(), None),
        Some("object") | None => (Kind::Json, Vec::new(), None),
        Some(other) => bail!("{id}: `{name}` has the unsupported schema type `{other}`"),
    };
    flag.kind = kind;
    flag.values = values;
    flag.enum_type = enum_type;
    Ok(flag)
}

fn rename_clashing_flags(operation: &mut Operation) -> anyhow::Result<()> {
    let mut taken: BTreeSet<String> = RESERVED_FLAGS.iter().map(|s| (*s).to_owned()).collect();
    let flags = operation.query.iter_mut().chain(
        operation
            .body
            .iter_mut()
            .flat_map(|body| body.fields.iter_mut()),
    );
    for flag in flags {
        if taken.contains(&flag.flag) {
            flag.flag = format!("field-{}", flag.flag);
        }
        if !taken.insert(flag.flag.clone()) {
            bail!(
                "{}: two parameters or body properties give the flag `--{}`",
                operation.id,
                flag.flag
            );
        }
    }
    Ok(())
}

fn render(resources: &[Resource]) -> TokenStream {
    let mut command_fns = TokenStream::new();
    let mut resource_commands = Vec::new();
    let mut arms = Vec::new();
    for resource in resources {
        let resource_name = &resource.name;
        let verbs: Vec<&str> = resource
            .operations
            .iter()
            .map(|o| o.verb.as_str())
            .collect();
        let title = resource
            .title
            .clone()
            .unwrap_or_else(|| title(&resource.name));
        let about = format!("{title}: {}", verbs.join(", "));
        let mut subcommands = Vec::new();
        for operation in &resource.operations {
            let function = format_ident!("{}_command", operation.id.to_snake_case());
            command_fns.extend(command_fn(&function, operation));
            subcommands.push(quote! { .subcommand(#function()) });
            let verb = &operation.verb;
            let body = dispatch_body(operation);
            arms.push(quote! { (#resource_name, #verb) => { #body } });
        }
        resource_commands.push(quote! {
            ::clap::Command::new(#resource_name)
                .about(#about)
                .subcommand_required(true)
                .arg_required_else_help(true)
                #(#subcommands)*
        });
    }
    let operation_count = resources.iter().map(|r| r.operations.len()).sum::<usize>();
    let operation_table = resources.iter().flat_map(|resource| {
        resource.operations.iter().map(move |operation| {
            let (name, verb, id, method, path) = (
                &resource.name,
                &operation.verb,
                &operation.id,
                &operation.method,
                &operation.path,
            );
            quote! {
                crate::CommandSpec {
                    resource: #name,
                    verb: #verb,
                    operation_id: #id,
                    method: #method,
                    path: #path,
                }
            }
        })
    });
    quote! {
        //! The resource commands: one per collection of the API, one subcommand per operation.

        use crate::body::{BodyField, FieldKind};
        use crate::run::{Failure, Invocation};

        /// Every command of the API: resource, verb, operationId, method and path template.
        pub const COMMANDS: [crate::CommandSpec; #operation_count] = [#(#operation_table),*];

        /// The resource commands (`devices`, `subscriptions`, ...), each with its operations.
        pub fn resource_commands() -> ::std::vec::Vec<::clap::Command> {
            ::std::vec![#(#resource_commands),*]
        }

        #command_fns

        /// Runs the operation `verb` of `resource` with the arguments in `matches`.
        pub async fn dispatch(
            gigs: &gigs::Gigs,
            invocation: &mut Invocation,
            resource: &str,
            verb: &str,
            matches: &::clap::ArgMatches,
        ) -> ::std::result::Result<(), Failure> {
            match (resource, verb) {
                #(#arms)*
                _ => ::std::result::Result::Err(Failure::Usage(::std::format!(
                    "unknown command `{resource} {verb}`"
                ))),
            }
        }
    }
}

fn title(kebab_name: &str) -> String {
    let spaced = kebab_name.replace('-', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

fn command_fn(function: &syn::Ident, operation: &Operation) -> TokenStream {
    let verb = &operation.verb;
    let about = operation
        .summary
        .clone()
        .unwrap_or_else(|| operation.id.clone());
    let mut long_about = about.clone();
    if let Some(description) = &operation.description {
        if *description != about {
            long_about.push_str("\n\n");
            long_about.push_str(description);
        }
    }
    long_about.push_str(&format!("\n\n{} {}", operation.method, operation.path));
    let doc = format!("`gigs … {verb}`: {} {}.", operation.method, operation.path);
    let mut args = Vec::new();
    for (index, parameter) in operation.positional.iter().enumerate() {
        let name = &parameter.name;
        let value_name = name.to_snake_case().to_uppercase();
        let help = parameter
            .description
            .clone()
            .unwrap_or_else(|| format!("The {} id.", kebab(name).replace('-', " ")));
        let index = index + 1;
        args.push(quote! {
            .arg(
                ::clap::Arg::new(#name)
                    .value_name(#value_name)
                    .required(true)
                    .index(#index)
                    .help(#help)
            )
        });
    }
    for flag in &operation.query {
        args.push(flag_arg(flag, false));
    }
    if let Some(body) = &operation.body {
        for field in &body.fields {
            args.push(flag_arg(field, true));
        }
        args.push(quote! { .arg(crate::body::body_arg()) });
    }
    if operation.list {
        args.push(quote! { .arg(crate::run::all_arg()) });
    }
    quote! {
        #[doc = #doc]
        fn #function() -> ::clap::Command {
            ::clap::Command::new(#verb)
                .about(#about)
                .long_about(#long_about)
                #(#args)*
        }
    }
}

fn flag_arg(flag: &Flag, in_body: bool) -> TokenStream {
    let (id, long) = (&flag.flag, &flag.flag);
    let value_name = flag.api_name.to_snake_case().to_uppercase();
    let mut help = flag.help.clone().unwrap_or_default();
    if matches!(flag.kind, Kind::Json) {
        help.push_str(" (JSON)");
    }
    if matches!(flag.kind, Kind::StringList | Kind::IntegerList) {
        help.push_str(" (comma-separated or repeated)");
    }
    let help = help.trim().to_owned();
    let parser = match flag.kind {
        Kind::String | Kind::StringList if !flag.values.is_empty() => {
            let values = &flag.values;
            quote! { .value_parser([#(#values),*]) }
        }
        Kind::String | Kind::StringList => quote! {},
        Kind::Integer | Kind::IntegerList => match (flag.minimum, flag.maximum) {
            (Some(minimum), Some(maximum)) => {
                quote! { .value_parser(::clap::value_parser!(i64).range(#minimum..=#maximum)) }
            }
            (Some(minimum), None) => {
                quote! { .value_parser(::clap::value_parser!(i64).range(#minimum..)) }
            }
            (None, Some(maximum)) => {
                quote! { .value_parser(::clap::value_parser!(i64).range(..=#maximum)) }
            }
            (None, None) => quote! { .value_parser(::clap::value_parser!(i64)) },
        },
        Kind::Number => quote! { .value_parser(::clap::value_parser!(f64)) },
        Kind::Boolean => quote! { .value_parser(::clap::value_parser!(bool)) },
        Kind::Json => quote! { .value_parser(crate::body::parse_json) },
    };
    let multiple = if matches!(flag.kind, Kind::StringList | Kind::IntegerList) {
        quote! { .action(::clap::ArgAction::Append).value_delimiter(',') }
    } else {
        quote! {}
    };
    let required = match (flag.required, in_body) {
        (true, true) => quote! { .required_unless_present(crate::body::BODY_ARG) },
        (true, false) => quote! { .required(true) },
        (false, _) => quote! {},
    };
    quote! {
        .arg(
            ::clap::Arg::new(#id)
                .long(#long)
                .value_name(#value_name)
                .help(#help)
                #parser
                #multiple
                #required
        )
    }
}

fn dispatch_body(operation: &Operation) -> TokenStream {
    let client_method = format_ident!("{}", operation.id.to_snake_case());
    let mut steps = Vec::new();
    steps.push(quote! { let request = gigs.client().#client_method(); });
    if operation.has_project {
        steps.push(quote! { let request = request.project(invocation.project()?); });
    }
    for parameter in &operation.positional {
        let name = &parameter.name;
        let method = setter(name);
        steps.push(quote! {
            let request = request.#method(crate::run::positional(matches, #name)?);
        });
    }
    for flag in &operation.query {
        if operation.list && CURSOR_PARAMETERS.contains(&flag.api_name.as_str()) {
            continue;
        }
        let id = &flag.flag;
        let method = setter(&flag.api_name);
        let (get, value, argument) = match flag.kind {
            Kind::String => match &flag.enum_type {
                Some(name) => {
                    let ty = format_ident!("{name}");
                    (
                        quote! { get_one::<String> },
                        quote! { value },
                        quote! { gigs::types::#ty::from(value.as_str()) },
                    )
                }
                None => (
                    quote! { get_one::<String> },
                    quote! { value },
                    quote! { value.clone() },
                ),
            },
            Kind::StringList => {
                let collect = match &flag.enum_type {
                    Some(name) => {
                        let ty = format_ident!("{name}");
                        quote! { values.map(|value| gigs::types::#ty::from(value.as_str())).collect::<::std::vec::Vec<_>>() }
                    }
                    None => quote! { values.cloned().collect::<::std::vec::Vec<_>>() },
                };
                (quote! { get_many::<String> }, quote! { values }, collect)
            }
            Kind::Integer => (
                quote! { get_one::<i64> },
                quote! { value },
                quote! { *value },
            ),
            Kind::IntegerList => (
                quote! { get_many::<i64> },
                quote! { values },
                quote! { values.copied().collect::<::std::vec::Vec<_>>() },
            ),
            Kind::Number => (
                quote! { get_one::<f64> },
                quote! { value },
                quote! { *value },
            ),
            Kind::Boolean => (
                quote! { get_one::<bool> },
                quote! { value },
                quote! { *value },
            ),
            Kind::Json => (
                quote! { get_one::<::serde_json::Value> },
                quote! { value },
                quote! { crate::body::decode(#id, value.clone())? },
            ),
        };
        steps.push(quote! {
            let request = match matches.#get(#id) {
                Some(#value) => request.#method(#argument),
                None => request,
            };
        });
    }
    if let Some(body) = &operation.body {
        let ty = format_ident!("{}", body.type_name);
        let fields = body.fields.iter().map(|field| {
            let (flag, property) = (&field.flag, &field.api_name);
            let kind = match field.kind {
                Kind::String => quote! { FieldKind::String },
                Kind::Integer => quote! { FieldKind::Integer },
                Kind::Number => quote! { FieldKind::Number },
                Kind::Boolean => quote! { FieldKind::Boolean },
                Kind::StringList => quote! { FieldKind::StringList },
                Kind::IntegerList => quote! { FieldKind::IntegerList },
                Kind::Json => quote! { FieldKind::Json },
            };
            quote! { BodyField { flag: #flag, property: #property, kind: #kind } }
        });
        steps.push(quote! {
            let body: gigs::types::#ty = crate::body::read(matches, &[#(#fields),*])?;
            let request = request.body(body);
        });
    }
    let run = if operation.list {
        quote! { invocation.list(request, matches).await }
    } else {
        quote! { invocation.single(request).await }
    };
    quote! {
        #(#steps)*
        #run
    }
}

#[cfg(test)]
mod tests {
    use super::kebab;

    #[test]
    fn kebab_joins_one_letter_words() {
        assert_eq!(kebab("eSimProfile"), "esim-profile");
        assert_eq!(kebab("deviceModelBrands"), "device-model-brands");
        assert_eq!(kebab("retrieveESimProfile"), "retrieve-esim-profile");
        assert_eq!(kebab("credentials"), "credentials");
    }
}
