//! `gigs`, the Gigs Core API from a shell.
//!
//! The resource commands (`gigs subscriptions list`, `gigs sims credentials SIM`, ...) are
//! generated from `openapi.yaml` by `cargo xtask generate` into `generated.rs`; the rest of this
//! crate wires them to the `gigs` SDK: configuration ([`config`]), request bodies ([`body`]),
//! running one request or a whole list ([`run`]), and printing the result ([`output`]).
//!
//! ```
//! let command = gigs_cli::command();
//! let subscriptions = command.find_subcommand("subscriptions").unwrap();
//! assert!(subscriptions.find_subcommand("cancel").is_some());
//! ```

#![warn(missing_docs)]

pub mod body;
pub mod config;
// Generated (prettyplease's layout, which `cargo fmt` must not change: `generate --check`
// compares byte for byte).
#[rustfmt::skip]
mod generated;
pub mod output;
pub mod progress;
pub mod run;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{Arg, ArgAction, ArgMatches, Command};

pub use generated::COMMANDS;
pub use run::Failure;

/// One generated command: `gigs <resource> <verb>` runs `operation_id` (`method path`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommandSpec {
    /// The resource command, e.g. `subscriptions`.
    pub resource: &'static str,
    /// The operation's command inside it, e.g. `list`.
    pub verb: &'static str,
    /// The spec's operationId, e.g. `listSubscriptions`.
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The path template, e.g. `/projects/{project}/subscriptions`.
    pub path: &'static str,
}

/// The shells `gigs completion` writes scripts for.
const SHELLS: [&str; 3] = ["bash", "zsh", "fish"];

/// The help's closing part; the default comes from the SDK, which applies it.
fn after_help() -> String {
    format!(
        "\
Environment:
  GIGS_TOKEN     the API key (required unless --token-file is given; never pass it as a flag)
  GIGS_PROJECT   the project, like --project
  GIGS_BASE_URL  the API's base URL, like --base-url (default {})

Exit status: 0 success, 1 API or network error, 2 usage error, 3 configuration error.",
        gigs::DEFAULT_BASE_URL
    )
}

/// The whole command tree: global options, the generated resource commands and `completion`.
pub fn command() -> Command {
    Command::new("gigs")
        .version(env!("CARGO_PKG_VERSION"))
        .about("The Gigs Core API from a shell: devices, SIMs, subscriptions, users and plans")
        .after_help(after_help())
        .subcommand_required(true)
        .arg_required_else_help(true)
        .args(config::global_args())
        .subcommands(generated::resource_commands())
        .subcommand(
            Command::new("completion")
                .about("Print a shell completion script")
                .long_about(
                    "Print a shell completion script.\n\n\
                     bash: gigs completion bash > ~/.local/share/bash-completion/completions/gigs\n\
                     zsh:  gigs completion zsh > \"${fpath[1]}/_gigs\"\n\
                     fish: gigs completion fish > ~/.config/fish/completions/gigs.fish",
                )
                .arg(
                    Arg::new("shell")
                        .value_name("SHELL")
                        .required(true)
                        .value_parser(SHELLS)
                        .help("The shell to complete for"),
                ),
        )
        .arg(
            Arg::new("verbose")
                .long("verbose")
                .short('v')
                .global(true)
                .help_heading(config::GLOBAL_HEADING)
                .action(ArgAction::SetTrue)
                .help("Log every request attempt (the SDK's tracing spans) on stderr"),
        )
}

/// Runs `gigs` with these arguments (the first is the program name) and returns its exit status.
pub fn main<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let matches = match command().try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(error) => {
            // Help and version go to stdout with status 0, usage errors to stderr with 2.
            let _ = error.print();
            return ExitCode::from(error.exit_code() as u8);
        }
    };
    match execute(&matches) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}

fn execute(matches: &ArgMatches) -> Result<(), Failure> {
    let (resource, resource_matches) = matches
        .subcommand()
        .ok_or_else(|| Failure::Usage("no command given".to_owned()))?;
    if resource == "completion" {
        return completion(resource_matches);
    }
    let (verb, operation_matches) = resource_matches
        .subcommand()
        .ok_or_else(|| Failure::Usage(format!("`gigs {resource}` needs a command")))?;
    if matches.get_flag("verbose") {
        config::log_to_stderr();
    }
    let settings = config::Settings::from_matches(matches)?;
    let gigs = settings.client()?;
    let mut invocation =
        run::Invocation::new(settings.project, output::Format::from_matches(matches));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| Failure::Config(format!("cannot start the async runtime: {error}")))?;
    runtime.block_on(generated::dispatch(
        &gigs,
        &mut invocation,
        resource,
        verb,
        operation_matches,
    ))
}

fn completion(matches: &ArgMatches) -> Result<(), Failure> {
    let shell = match matches.get_one::<String>("shell").map(String::as_str) {
        Some("bash") => clap_complete::Shell::Bash,
        Some("zsh") => clap_complete::Shell::Zsh,
        Some("fish") => clap_complete::Shell::Fish,
        other => return Err(Failure::Usage(format!("unknown shell {other:?}"))),
    };
    // Written in one piece, so that a closed pipe is handled here (clap_complete would panic).
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command(), "gigs", &mut script);
    match std::io::Write::write_all(&mut std::io::stdout(), &script) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::Usage(
            format!("cannot write the completion script: {error}"),
        )),
        _ => Ok(()),
    }
}
