//! Configuration, as in the SDK: the token from `GIGS_TOKEN` or `--token-file` (never from a flag
//! value, which would land in the shell history), the project and base URL from flags or the
//! environment, timeouts and retries from flags.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Arg, ArgMatches};
use gigs::{Gigs, RetryPolicy, UnscopedGigs};

use crate::run::Failure;

/// The environment variable that holds the API key.
pub const TOKEN_VAR: &str = "GIGS_TOKEN";

/// The heading of the options every command takes, apart from each command's own.
pub const GLOBAL_HEADING: &str = "Global options";

/// The options every command takes (declared global, so they may follow the command).
pub fn global_args() -> Vec<Arg> {
    let args = vec![
        Arg::new("project")
            .long("project")
            .value_name("PROJECT")
            .env("GIGS_PROJECT")
            .hide_env_values(true)
            .global(true)
            .help("The project of project-scoped commands"),
        Arg::new("base-url")
            .long("base-url")
            .value_name("URL")
            .env("GIGS_BASE_URL")
            .hide_env_values(true)
            .global(true)
            .help(format!(
                "The API's base URL [default: {}]",
                gigs::DEFAULT_BASE_URL
            )),
        Arg::new("token-file")
            .long("token-file")
            .value_name("FILE")
            .value_parser(clap::value_parser!(PathBuf))
            .global(true)
            .help("Read the API token from FILE instead of GIGS_TOKEN"),
        Arg::new("output")
            .long("output")
            .short('o')
            .value_name("FORMAT")
            .value_parser(crate::output::FORMATS)
            .global(true)
            .help("Output format [default: table on a terminal, json otherwise]"),
        Arg::new("timeout")
            .long("timeout")
            .value_name("SECONDS")
            .value_parser(parse_seconds)
            .global(true)
            .help(format!(
                "Time limit per attempt: connect, send, read the whole body [default: {}]",
                gigs::DEFAULT_TIMEOUT.as_secs_f64()
            )),
        Arg::new("connect-timeout")
            .long("connect-timeout")
            .value_name("SECONDS")
            .value_parser(parse_seconds)
            .global(true)
            .help(format!(
                "Time limit to connect [default: {}]",
                gigs::DEFAULT_CONNECT_TIMEOUT.as_secs_f64()
            )),
        Arg::new("retries")
            .long("retries")
            .value_name("N")
            .value_parser(clap::value_parser!(u32))
            .global(true)
            .help(format!(
                "Retries of a failed request: GET, PATCH, searches and requests with \
                 --idempotency-key after connection failures, timeouts, 408, 429, 5xx; any \
                 request after a refused connection or a 429 [default: {}]",
                RetryPolicy::default().max_retries()
            )),
    ];
    args.into_iter()
        .map(|arg| arg.help_heading(GLOBAL_HEADING))
        .collect()
}

fn parse_seconds(value: &str) -> Result<Duration, String> {
    let seconds: f64 = value
        .parse()
        .map_err(|_| format!("`{value}` is not a number of seconds"))?;
    if !seconds.is_finite() || seconds <= 0.0 {
        return Err(format!("`{value}`: a timeout must be more than 0 seconds"));
    }
    Duration::try_from_secs_f64(seconds).map_err(|error| format!("`{value}`: {error}"))
}

/// What the global options and the environment configure.
pub struct Settings {
    token: String,
    /// The project of project-scoped commands, if one is set.
    pub project: Option<String>,
    base_url: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    retries: Option<u32>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token is never printed.
        f.debug_struct("Settings")
            .field("project", &self.project)
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl Settings {
    /// Reads the global options, `GIGS_TOKEN` and the token file.
    ///
    /// # Errors
    /// [`Failure::Config`] when there is no token or the token file cannot be read.
    pub fn from_matches(matches: &ArgMatches) -> Result<Self, Failure> {
        let token = match matches.get_one::<PathBuf>("token-file") {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|error| {
                    Failure::Config(format!(
                        "cannot read the token file {}: {error}",
                        path.display()
                    ))
                })?;
                let token = text.trim().to_owned();
                if token.is_empty() {
                    return Err(Failure::Config(format!(
                        "the token file {} is empty",
                        path.display()
                    )));
                }
                token
            }
            None => match std::env::var(TOKEN_VAR) {
                Ok(token) if !token.trim().is_empty() => token.trim().to_owned(),
                _ => {
                    return Err(Failure::Config(format!(
                        "no API token: set {TOKEN_VAR} or pass --token-file FILE"
                    )))
                }
            },
        };
        Ok(Self {
            token,
            project: matches
                .get_one::<String>("project")
                .filter(|project| !project.is_empty())
                .cloned(),
            base_url: matches
                .get_one::<String>("base-url")
                .filter(|url| !url.is_empty())
                .cloned(),
            timeout: matches.get_one::<Duration>("timeout").copied(),
            connect_timeout: matches.get_one::<Duration>("connect-timeout").copied(),
            retries: matches.get_one::<u32>("retries").copied(),
        })
    }

    /// The SDK client these settings describe. It has no project: the generated commands set
    /// the project of each project-scoped request themselves (from `--project` or
    /// `GIGS_PROJECT`), and the device model commands need none.
    ///
    /// # Errors
    /// [`Failure::Config`] with the SDK's reason (a base URL that does not parse, a token that
    /// cannot be a header).
    pub fn client(&self) -> Result<UnscopedGigs, Failure> {
        let mut builder = Gigs::builder()
            .token(self.token.clone())
            .user_agent(concat!("gigs-cli/", env!("CARGO_PKG_VERSION")));
        if let Some(base_url) = &self.base_url {
            builder = builder.base_url(base_url.clone());
        }
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(timeout) = self.connect_timeout {
            builder = builder.connect_timeout(timeout);
        }
        if let Some(retries) = self.retries {
            builder = builder.retry_policy(RetryPolicy::default().with_max_retries(retries));
        }
        builder
            .build_unscoped()
            .map_err(|error| Failure::Config(error.to_string()))
    }
}

/// Sends the SDK's `tracing` output (one span per request attempt, retry warnings) to stderr.
/// Only the SDK's own targets are shown; the SDK never logs the token.
pub fn log_to_stderr() {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::fmt::format::FmtSpan;
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;

    let targets = Targets::new()
        .with_target("gigs", LevelFilter::DEBUG)
        .with_target("gigs_client", LevelFilter::DEBUG);
    let _ = tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_ansi(false)
                .with_span_events(FmtSpan::CLOSE),
        )
        .with(targets)
        .try_init();
}
