//! Running a command: one request through [`gigs::Call`], or a list through [`gigs::Paginate`]
//! (one page by default, every page with `--all`), and what a failure means for the exit status.

use std::fmt;
use std::io::{self, BufWriter, Write};

use clap::{Arg, ArgAction, ArgMatches};
use futures::TryStreamExt;
use gigs::client::operation::Operation;
use gigs::client::pagination::{ListPage, ListRequest};
use gigs::{types, Call, IdempotencyKey, Paginate, RequestOptions};
use serde::Serialize;

use crate::output::{self, Format};
use crate::progress::Progress;

/// Why a command failed; each kind has its exit status.
#[derive(Debug)]
pub enum Failure {
    /// The API answered with an error, or the network failed: exit status 1. Printed with the
    /// SDK's `Display` (operation, status, code, message, request id).
    Api(gigs::Error),
    /// The command line or a file it names is wrong: exit status 2 (clap's own errors also exit 2).
    Usage(String),
    /// The configuration is missing or wrong (token, project, base URL): exit status 3.
    Config(String),
}

impl Failure {
    /// The process exit status for this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Api(gigs::Error::Config(_)) | Self::Config(_) => 3,
            // Refused by the SDK before sending: the command line asked for it.
            Self::Api(gigs::Error::InvalidPageSize { .. } | gigs::Error::InvalidRequest(_))
            | Self::Usage(_) => 2,
            Self::Api(_) => 1,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api(error) => write!(f, "{error}"),
            Self::Usage(message) | Self::Config(message) => f.write_str(message),
        }
    }
}

impl From<gigs::Error> for Failure {
    fn from(error: gigs::Error) -> Self {
        Self::Api(error)
    }
}

/// The `--all` flag of every list command.
pub fn all_arg() -> Arg {
    Arg::new("all").long("all").action(ArgAction::SetTrue).help(
        "Every page, printed as it arrives (--limit is then the page size, --after/--before \
             the start); a progress line goes to stderr when it is a terminal",
    )
}

/// The `--idempotency-key` flag of every POST and DELETE command that the spec does not mark
/// safe to repeat: the key makes the SDK retry the request, and the API applies it once however
/// often it arrives (the same key again, after a crash, returns the first result).
pub fn idempotency_key_arg() -> Arg {
    Arg::new("idempotency-key")
        .long("idempotency-key")
        .value_name("KEY")
        .value_parser(|key: &str| IdempotencyKey::new(key).map_err(|error| error.to_string()))
        .help(
            "Send Idempotency-Key: KEY (1 to 255 visible ASCII characters): the request is then \
             retried like a GET, and a repeat with the same key is applied once",
        )
}

/// The value of a required positional id.
///
/// # Errors
/// [`Failure::Usage`] if clap did not enforce it (a generator bug).
pub fn positional(matches: &ArgMatches, name: &str) -> Result<String, Failure> {
    matches
        .get_one::<String>(name)
        .cloned()
        .ok_or_else(|| Failure::Usage(format!("missing <{}>", name.to_uppercase())))
}

/// What one run of a command shares: the project and where and how results go.
pub struct Invocation {
    project: Option<String>,
    format: Format,
    out: BufWriter<io::Stdout>,
}

impl fmt::Debug for Invocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Invocation")
            .field("project", &self.project)
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

/// Writing stopped because the reader went away (`gigs ... | head`): not an error.
fn written(result: io::Result<()>) -> Result<(), Failure> {
    match result {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => Err(Failure::Usage(format!("cannot write the output: {error}"))),
    }
}

impl Invocation {
    /// Results go to stdout in `format`.
    pub fn new(project: Option<String>, format: Format) -> Self {
        Self {
            project,
            format,
            out: BufWriter::new(io::stdout()),
        }
    }

    /// The project of a project-scoped command.
    ///
    /// # Errors
    /// [`Failure::Config`] when neither `--project` nor `GIGS_PROJECT` sets one.
    pub fn project(&self) -> Result<&str, Failure> {
        self.project.as_deref().ok_or_else(|| {
            Failure::Config("no project: set GIGS_PROJECT or pass --project PROJECT".to_owned())
        })
    }

    /// Sends one request (with the `--idempotency-key` of the command, if it has one) and
    /// prints its body.
    ///
    /// # Errors
    /// [`Failure::Api`] with the SDK's error.
    pub async fn single<O>(&mut self, request: O, matches: &ArgMatches) -> Result<(), Failure>
    where
        O: Operation<ErrorBody = types::Error>,
        O::Response: Serialize,
    {
        let mut options = RequestOptions::new();
        // Only the commands that take a key define the flag.
        if let Ok(Some(key)) = matches.try_get_one::<IdempotencyKey>("idempotency-key") {
            options = options.idempotency_key(key.clone());
        }
        let response = request.call_with(options).await?;
        written(output::write_value(&mut self.out, self.format, &response))?;
        written(self.out.flush())
    }

    /// Runs a list request: one page (`--limit`, `--after`, `--before` as given), or with `--all`
    /// every page through the SDK's pager (prefetch on), printing items as they arrive.
    ///
    /// # Errors
    /// [`Failure::Api`] with the SDK's error; what was printed before it stays printed (a JSON
    /// array stays unterminated, so that a parser notices).
    pub async fn list<R>(&mut self, request: R, matches: &ArgMatches) -> Result<(), Failure>
    where
        R: ListRequest<ErrorBody = types::Error> + Send,
        R::Response: Serialize + Send,
        <R::Response as ListPage>::Item: Serialize + Send,
    {
        let limit = matches
            .get_one::<i64>("limit")
            .map(|limit| u32::try_from(*limit).unwrap_or(u32::MAX));
        let after = matches.get_one::<String>("after");
        let before = matches.get_one::<String>("before");
        if !matches.get_flag("all") {
            let mut request = request;
            if let Some(limit) = limit {
                request = request.set_limit(limit);
            }
            if let Some(after) = after {
                request = request.set_after(after);
            }
            if let Some(before) = before {
                request = request.set_before(before);
            }
            let page = request.call().await?;
            let result = match self.format {
                Format::Jsonl => page
                    .items()
                    .iter()
                    .try_for_each(|item| output::write_line(&mut self.out, item)),
                format => output::write_value(&mut self.out, format, &page),
            };
            written(result)?;
            return written(self.out.flush());
        }

        let mut pager = request.paginate().prefetch(true);
        if let Some(limit) = limit {
            pager = pager.limit(limit);
        }
        if let Some(after) = after {
            pager = pager.after(after.clone());
        }
        if let Some(before) = before {
            pager = pager.before(before.clone());
        }
        let mut pages = pager.pages();
        let mut progress = Progress::on_terminal();
        let mut collected = Vec::new();
        let mut first = true;
        if self.format == Format::Json {
            written(self.out.write_all(b"["))?;
        }
        let outcome: Result<(), Failure> = async {
            while let Some(page) = pages.try_next().await? {
                progress.page(page.items.len());
                for item in &page.items {
                    match self.format {
                        Format::Json => {
                            let separator: &[u8] = if first { b"\n" } else { b",\n" };
                            first = false;
                            written(self.out.write_all(separator))?;
                            written(
                                serde_json::to_writer_pretty(&mut self.out, item)
                                    .map_err(io::Error::from),
                            )?;
                        }
                        Format::Jsonl => written(output::write_line(&mut self.out, item))?,
                        Format::Table { .. } | Format::Yaml => collected.push(
                            serde_json::to_value(item)
                                .map_err(|error| Failure::Usage(error.to_string()))?,
                        ),
                    }
                }
                written(self.out.flush())?;
            }
            Ok(())
        }
        .await;
        progress.finish();
        outcome?;
        let result = match self.format {
            Format::Json if first => self.out.write_all(b"]\n"),
            Format::Json => self.out.write_all(b"\n]\n"),
            Format::Jsonl => Ok(()),
            Format::Table { width } => output::write_table(&mut self.out, &collected, width),
            Format::Yaml => output::write_yaml(&mut self.out, &collected),
        };
        written(result)?;
        written(self.out.flush())
    }
}
