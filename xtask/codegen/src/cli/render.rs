//! The command line's model rendered as Rust: the command tree, the dispatch, the table of
//! commands.

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::model::{kebab, Body, Command, Flag, Kind, Resource, CLEAR_PREFIX, EMPTY_PREFIX};
use spec_model::spec::CURSOR_PARAMETERS;

pub fn render(resources: &[Resource]) -> TokenStream {
    let field_kind = field_kind();
    let mut command_fns = TokenStream::new();
    let mut resource_commands = Vec::new();
    let mut arms = Vec::new();
    for resource in resources {
        let resource_name = &resource.name;
        let verbs: Vec<&str> = resource
            .commands
            .iter()
            .map(|command| command.verb.as_str())
            .collect();
        let title = resource
            .title
            .clone()
            .unwrap_or_else(|| title(&resource.name));
        let about = format!("{title}: {}", verbs.join(", "));
        let mut subcommands = Vec::new();
        for command in &resource.commands {
            let names = command
                .operation
                .names
                .as_ref()
                .expect("the model named it");
            let function = format_ident!("{}_command", names.method.trim_end_matches('_'));
            command_fns.extend(command_fn(&function, command));
            subcommands.push(quote! { .subcommand(#function()) });
            let verb = &command.verb;
            let body = dispatch_body(command);
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
    let operation_count = resources.iter().map(|r| r.commands.len()).sum::<usize>();
    let operation_table = resources.iter().flat_map(|resource| {
        resource.commands.iter().map(move |command| {
            let (name, verb, id, method, path) = (
                &resource.name,
                &command.verb,
                command.operation.id.unwrap_or_default(),
                command.operation.http_method(),
                command.operation.path,
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

        use crate::body::BodyField;
        use crate::run::{Failure, Invocation};

        #field_kind

        /// Every command of the API: resource, verb, operationId, method and path template.
        pub const COMMANDS: [crate::CommandSpec; #operation_count] = [#(#operation_table),*];

        /// The resource commands (`devices`, `subscriptions`, ...), each with its operations.
        pub fn resource_commands() -> ::std::vec::Vec<::clap::Command> {
            ::std::vec![#(#resource_commands),*]
        }

        #command_fns

        /// Runs the operation `verb` of `resource` with the arguments in `matches`.
        pub async fn dispatch(
            gigs: &gigs::UnscopedGigs,
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

fn command_fn(function: &syn::Ident, command: &Command) -> TokenStream {
    let verb = &command.verb;
    let operation = command.operation;
    let about = command
        .summary
        .clone()
        .unwrap_or_else(|| operation.id.unwrap_or_default().to_owned());
    let mut long_about = about.clone();
    if let Some(description) = &command.description {
        if *description != about {
            long_about.push_str("\n\n");
            long_about.push_str(description);
        }
    }
    let label = operation.label();
    long_about.push_str(&format!("\n\n{label}"));
    let doc = format!("`gigs … {verb}`: {label}.");
    let mut args = Vec::new();
    for (index, parameter) in command.positional.iter().enumerate() {
        let name = parameter.name;
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
    for flag in &command.query {
        args.push(flag_arg(flag, false));
    }
    if let Some(body) = &command.body {
        for field in &body.fields {
            args.push(flag_arg(field, true));
            args.extend(clear_and_empty_args(field));
        }
        args.push(quote! { .arg(crate::body::body_arg()) });
    }
    if operation.list.is_some() {
        args.push(quote! { .arg(crate::run::all_arg()) });
    }
    // A POST or DELETE that the spec does not mark safe to repeat is retried only with a key.
    if matches!(operation.method, "post" | "delete") && !operation.idempotent {
        args.push(quote! { .arg(crate::run::idempotency_key_arg()) });
    }
    if let Some(after_help) = command.body.as_ref().and_then(body_after_help) {
        args.push(quote! { .after_help(#after_help) });
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

/// How the body's flags spell its three states, for a command with clear or empty-list flags.
fn body_after_help(body: &Body) -> Option<String> {
    let clear = body.fields.iter().any(|field| field.null_flag.is_some());
    let empty = body.fields.iter().any(|field| field.empty_flag.is_some());
    let mut lines =
        vec!["Body fields: a flag left out leaves its field out of the body.".to_owned()];
    if clear {
        lines.push(format!(
            "--{CLEAR_PREFIX}<FIELD> sends the field as null (clears it)."
        ));
    }
    if empty {
        lines.push(format!("--{EMPTY_PREFIX}<FIELD> sends an empty list []."));
    }
    lines.push("Flags win over the same field in --body, which is sent as written (nulls and [] included).".to_owned());
    (clear || empty).then(|| lines.join("\n"))
}

/// `--clear-<flag>` (sends `null`) and `--no-<flag>` (sends `[]`) beside a body property's
/// flag, where the model gives them; each conflicts with the value flag and with the other, so
/// clap refuses `--clear-name --name x` as a usage error instead of picking one.
fn clear_and_empty_args(field: &Flag) -> Vec<TokenStream> {
    let (value_flag, property) = (&field.flag, &field.api_name);
    let mut args = Vec::new();
    if let Some(clear) = &field.null_flag {
        let help = format!("Clear `{property}`: send `\"{property}\": null`");
        let others: Vec<&String> = std::iter::once(value_flag)
            .chain(&field.empty_flag)
            .collect();
        args.push(quote! {
            .arg(
                ::clap::Arg::new(#clear)
                    .long(#clear)
                    .help(#help)
                    .action(::clap::ArgAction::SetTrue)
                    .conflicts_with_all([#(#others),*])
            )
        });
    }
    if let Some(empty) = &field.empty_flag {
        let help =
            format!("Send `\"{property}\": []`, an empty list (unlike leaving --{value_flag} out)");
        args.push(quote! {
            .arg(
                ::clap::Arg::new(#empty)
                    .long(#empty)
                    .help(#help)
                    .action(::clap::ArgAction::SetTrue)
                    .conflicts_with(#value_flag)
            )
        });
    }
    args
}

fn dispatch_body(command: &Command) -> TokenStream {
    let operation = command.operation;
    let names = operation.names.as_ref().expect("the model named it");
    let client_method = format_ident!("{}", names.method);
    let mut steps = Vec::new();
    steps.push(quote! { let request = gigs.client().#client_method(); });
    if operation.project_scoped {
        steps.push(quote! { let request = request.project(invocation.project()?); });
    }
    for parameter in &command.positional {
        let name = parameter.name;
        let method = format_ident!("{}", parameter.setter);
        steps.push(quote! {
            let request = request.#method(crate::run::positional(matches, #name)?);
        });
    }
    for flag in &command.query {
        if operation.list.is_some() && CURSOR_PARAMETERS.contains(&flag.api_name.as_str()) {
            continue;
        }
        let id = &flag.flag;
        let method = format_ident!("{}", flag.setter);
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
    if let Some(body) = &command.body {
        let ty = format_ident!("{}", body.type_name);
        let fields = body.fields.iter().map(|field| {
            let (flag, property) = (&field.flag, &field.api_name);
            let kind = format_ident!("{}", field.kind.variant().0);
            let optional = |flag: &Option<String>| match flag {
                Some(flag) => quote! { ::std::option::Option::Some(#flag) },
                None => quote! { ::std::option::Option::None },
            };
            let (null_flag, empty_flag) = (optional(&field.null_flag), optional(&field.empty_flag));
            quote! {
                BodyField {
                    flag: #flag,
                    property: #property,
                    kind: FieldKind::#kind,
                    null_flag: #null_flag,
                    empty_flag: #empty_flag,
                }
            }
        });
        steps.push(quote! {
            let body: gigs::types::#ty = crate::body::read(matches, &[#(#fields),*])?;
            let request = request.body(body);
        });
    }
    let run = if operation.list.is_some() {
        quote! { invocation.list(request, matches).await }
    } else {
        quote! { invocation.single(request, matches).await }
    };
    quote! {
        #(#steps)*
        #run
    }
}

/// The command line's `FieldKind`, one variant per [`Kind`]: the generated flags and the
/// hand-written body reader share this one definition.
fn field_kind() -> TokenStream {
    let variants = Kind::ALL.iter().map(|kind| {
        let (name, doc) = kind.variant();
        let doc = format!(" {doc}");
        let name = format_ident!("{name}");
        quote! {
            #[doc = #doc]
            #name,
        }
    });
    quote! {
        /// How a flag's value goes into the body.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum FieldKind {
            #(#variants)*
        }
    }
}
