//! The one error type of the SDK (an API error status is an [`ApiError`], in its own module;
//! how a call's outcome becomes one of these is `decode.rs`).

use std::fmt;

use bytes::Bytes;
use gigs_client::call::Head;
use gigs_client::operation::BodyMismatch;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use crate::api_error::ApiError;
use crate::redact::Secrets;

/// Everything that can go wrong in a call through this crate.
///
/// ```no_run
/// # async fn example(gigs: gigs::Gigs) -> Result<(), gigs::Error> {
/// use gigs::Call;
///
/// match gigs.subscriptions().retrieve("sub_123").call().await {
///     Ok(subscription) => println!("{}", subscription.status),
///     Err(error) if error.is_not_found() => println!("no such subscription"),
///     Err(error) if error.code() == Some("subscriptionEnded") => println!("already ended"),
///     Err(error) => return Err(error),
/// }
/// # Ok(()) }
/// ```
///
/// No variant's `Display` or `Debug` holds a response body: [`ApiError`], [`DecodeError`] and
/// `UnexpectedStatus` show its length, and the bodies stay readable through their accessors
/// (`raw_body()`, `body()`, the `body` field). Values of the properties the spec marks
/// sensitive ([`SENSITIVE_PROPERTIES`](gigs_client::SENSITIVE_PROPERTIES)) never appear in a
/// message.
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error status (after any retries).
    Api(Box<ApiError>),
    /// An attempt took longer than its timeout, or the call's deadline passed, and no retry was
    /// left.
    Timeout {
        /// The operation's `operationId`.
        operation: &'static str,
        /// The attempts made.
        attempts: u32,
        /// Whether the call's deadline (rather than one attempt's timeout) ended it.
        deadline_reached: bool,
        /// The last attempt's failure (`None` in errors made by tests).
        source: Option<reqwest::Error>,
        /// The status and headers of the response, when they arrived before its body timed
        /// out ([`Error::status`], [`Error::request_id`] read them).
        response: Option<Box<Head>>,
    },
    /// The connection could not be made or broke before the response was read, and no retry was
    /// left.
    Connection {
        /// The operation's `operationId`.
        operation: &'static str,
        /// The attempts made.
        attempts: u32,
        /// Whether a retry was due but the call's deadline left no time for it.
        deadline_reached: bool,
        /// The last attempt's failure (`None` in errors made by tests).
        source: Option<reqwest::Error>,
        /// The status and headers of the response, when they arrived before its body broke off.
        response: Option<Box<Head>>,
    },
    /// A success response whose body does not match the operation's response type.
    Decode(Box<DecodeError>),
    /// A response with a status that is not an error but that the operation does not document.
    UnexpectedStatus {
        /// The operation's `operationId`.
        operation: &'static str,
        /// The status received.
        status: StatusCode,
        /// The headers received (boxed: they would double the size of every `Error`).
        headers: Box<HeaderMap>,
        /// The body received.
        body: Bytes,
    },
    /// The request was refused before it was sent (a missing required parameter, both page
    /// cursors, a path an id would change, ...).
    InvalidRequest(String),
    /// The client could not be configured.
    Config(ConfigError),
    /// A list page size outside what the API allows; nothing was sent.
    InvalidPageSize {
        /// The size that was asked for.
        limit: u32,
    },
    /// The API returned a page cursor it had returned before; the stream stops rather than loop.
    RepeatedCursor {
        /// The cursor seen twice.
        cursor: String,
    },
}

/// One line a person can act on: the operation, what happened, and (for API errors) the status,
/// code, message and request id.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api(error) => error.fmt(f),
            Self::Decode(error) => error.fmt(f),
            Self::Timeout {
                operation,
                attempts,
                deadline_reached,
                source,
                response,
            } => {
                let what = if *deadline_reached {
                    "the call's deadline passed"
                } else {
                    "timed out"
                };
                write!(f, "{operation}: {what} after {attempts} attempt(s)")?;
                write_head(f, response.as_deref())?;
                write_source(f, source.as_ref())?;
                write_request_id(f, self.request_id())
            }
            Self::Connection {
                operation,
                attempts,
                deadline_reached,
                source,
                response,
            } => {
                write!(
                    f,
                    "{operation}: connection failed after {attempts} attempt(s)"
                )?;
                write_head(f, response.as_deref())?;
                if *deadline_reached {
                    f.write_str(" (the call's deadline left no time to retry)")?;
                }
                write_source(f, source.as_ref())?;
                write_request_id(f, self.request_id())
            }
            Self::UnexpectedStatus {
                operation,
                status,
                body,
                ..
            } => {
                write!(
                    f,
                    "{operation}: unexpected response status {status} ({} bytes)",
                    body.len()
                )?;
                write_request_id(f, self.request_id())
            }
            Self::InvalidRequest(message) => write!(f, "invalid request: {message}"),
            Self::Config(error) => write!(f, "invalid Gigs client configuration: {error}"),
            Self::InvalidPageSize { limit } => write!(
                f,
                "invalid page size {limit}: it must be between 1 and {}",
                crate::MAX_PAGE_SIZE
            ),
            Self::RepeatedCursor { cursor } => write!(
                f,
                "the API returned the page cursor `{cursor}` a second time; stopping the list"
            ),
        }
    }
}

/// ` (response 200 OK arrived, its body did not)`, for a failure after the response's head.
fn write_head(f: &mut fmt::Formatter<'_>, head: Option<&Head>) -> fmt::Result {
    match head {
        Some(head) => write!(
            f,
            " (the response's status {} arrived, its body did not)",
            head.status
        ),
        None => Ok(()),
    }
}

/// ` [request id <id>]` at the end of a message, when there is one.
pub(crate) fn write_request_id(f: &mut fmt::Formatter<'_>, id: Option<&str>) -> fmt::Result {
    match id {
        Some(id) => write!(f, " [request id {id}]"),
        None => Ok(()),
    }
}

/// Every field but response bodies, which show as their length (see [`Error`]).
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api(error) => f.debug_tuple("Api").field(error).finish(),
            Self::Decode(error) => f.debug_tuple("Decode").field(error).finish(),
            Self::Timeout {
                operation,
                attempts,
                deadline_reached,
                source,
                response,
            } => f
                .debug_struct("Timeout")
                .field("operation", operation)
                .field("attempts", attempts)
                .field("deadline_reached", deadline_reached)
                .field("source", source)
                .field("response", response)
                .finish(),
            Self::Connection {
                operation,
                attempts,
                deadline_reached,
                source,
                response,
            } => f
                .debug_struct("Connection")
                .field("operation", operation)
                .field("attempts", attempts)
                .field("deadline_reached", deadline_reached)
                .field("source", source)
                .field("response", response)
                .finish(),
            Self::UnexpectedStatus {
                operation,
                status,
                headers,
                body,
            } => f
                .debug_struct("UnexpectedStatus")
                .field("operation", operation)
                .field("status", status)
                .field("headers", headers)
                .field("body", &format_args!("<{} bytes>", body.len()))
                .finish(),
            Self::InvalidRequest(reason) => f.debug_tuple("InvalidRequest").field(reason).finish(),
            Self::Config(error) => f.debug_tuple("Config").field(error).finish(),
            Self::InvalidPageSize { limit } => f
                .debug_struct("InvalidPageSize")
                .field("limit", limit)
                .finish(),
            Self::RepeatedCursor { cursor } => f
                .debug_struct("RepeatedCursor")
                .field("cursor", cursor)
                .finish(),
        }
    }
}

/// `: <reqwest's message>` with its causes, on the same line.
fn write_source(f: &mut fmt::Formatter<'_>, source: Option<&reqwest::Error>) -> fmt::Result {
    let mut next: Option<&dyn std::error::Error> = source.map(|source| source as _);
    while let Some(error) = next {
        write!(f, ": {error}")?;
        next = error.source();
    }
    Ok(())
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Api(error) => Some(error.as_ref()),
            Self::Decode(error) => Some(error.as_ref()),
            Self::Config(error) => Some(error),
            // Display already prints the causes; an error reporter would print them twice.
            Self::Timeout { .. } | Self::Connection { .. } => None,
            _ => None,
        }
    }
}

impl From<ConfigError> for Error {
    fn from(error: ConfigError) -> Self {
        Self::Config(error)
    }
}

impl From<ApiError> for Error {
    fn from(error: ApiError) -> Self {
        Self::Api(Box::new(error))
    }
}

impl Error {
    /// The HTTP status of the response this error comes from, if there was one: an API
    /// error, a body that did not decode, an undocumented status, and a timeout or broken
    /// connection after the response's status and headers arrived.
    ///
    /// ```
    /// use reqwest::StatusCode;
    ///
    /// let error: gigs::Error = gigs::ApiError::builder("listSims", StatusCode::TOO_MANY_REQUESTS)
    ///     .request_id("req_1")
    ///     .build()
    ///     .into();
    /// assert_eq!(error.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    /// assert_eq!(error.request_id(), Some("req_1"));
    /// assert_eq!(gigs::Error::timeout("listSims", 1).status(), None);
    /// ```
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(error) => Some(error.status()),
            Self::Decode(error) => Some(error.status),
            Self::UnexpectedStatus { status, .. } => Some(*status),
            Self::Timeout { response, .. } | Self::Connection { response, .. } => {
                response.as_ref().map(|head| head.status)
            }
            _ => None,
        }
    }

    /// The response headers of the error, for every error that had a response (see
    /// [`status`](Self::status)).
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Self::Api(error) => Some(error.headers()),
            Self::Decode(error) => Some(error.headers()),
            Self::UnexpectedStatus { headers, .. } => Some(&**headers),
            Self::Timeout { response, .. } | Self::Connection { response, .. } => {
                response.as_ref().map(|head| &head.headers)
            }
            _ => None,
        }
    }

    /// The request id of the response this error comes from, for support: every error that
    /// had a response (see [`status`](Self::status)) whose headers carry one (Gigs does not
    /// document the header; see [`REQUEST_ID_HEADERS`](gigs_client::REQUEST_ID_HEADERS)).
    /// `Display` ends with it too: `[request id req_123]`.
    pub fn request_id(&self) -> Option<&str> {
        gigs_client::request_id(self.headers()?)
    }

    /// Whether the API answered 404 Not Found.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// Whether the call ran out of time: an attempt's timeout, or the call's deadline (which
    /// also ends a call whose next retry, or `Retry-After` wait, would end past it; the API's
    /// answer is then kept, see [`ApiError::deadline_reached`]).
    pub fn is_timeout(&self) -> bool {
        match self {
            Self::Timeout { .. } => true,
            Self::Connection {
                deadline_reached, ..
            } => *deadline_reached,
            Self::Api(error) => error.deadline_reached(),
            _ => false,
        }
    }

    /// A timeout of `operation` after `attempts`, as the SDK reports it; for tests of code that
    /// handles errors.
    ///
    /// ```
    /// let error = gigs::Error::timeout("retrieveSim", 3);
    /// assert!(error.is_timeout() && error.is_retryable());
    /// assert_eq!(error.to_string(), "retrieveSim: timed out after 3 attempt(s)");
    /// ```
    pub fn timeout(operation: &'static str, attempts: u32) -> Self {
        Self::Timeout {
            operation,
            attempts,
            deadline_reached: false,
            source: None,
            response: None,
        }
    }

    /// A connection failure of `operation` after `attempts`; for tests.
    ///
    /// ```
    /// let error = gigs::Error::connection("listSims", 1);
    /// assert!(error.is_retryable() && !error.is_timeout());
    /// ```
    pub fn connection(operation: &'static str, attempts: u32) -> Self {
        Self::Connection {
            operation,
            attempts,
            deadline_reached: false,
            source: None,
            response: None,
        }
    }

    /// Whether the same request may succeed later: a timeout, a connection failure, or a
    /// transient status ([`RetryPolicy`](crate::RetryPolicy) lists them). Such errors come back
    /// only once the retry policy is used up or does not allow a retry (a POST without an
    /// idempotency key that may have reached the server; see the retry table in the crate docs).
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Timeout { .. } | Self::Connection { .. } => true,
            Self::Api(error) => gigs_client::retry::is_retryable_status(error.status()),
            _ => false,
        }
    }

    /// The API's machine-readable error code (`invalidICCID`, ...), for branching.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Api(error) => error.code(),
            _ => None,
        }
    }

    /// The API error, if the API answered with an error status.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Self::Api(error) => Some(error),
            _ => None,
        }
    }
}

/// A success response whose body does not match the operation's response type.
///
/// Its `Display` and `Debug` never show the body (only its length), and the decoder's message
/// is kept with every value of a sensitive property found in the body replaced by `[redacted]`:
/// the message of a value of the wrong type quotes it. [`body`](Self::body) has the body as
/// received.
pub struct DecodeError {
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    path: String,
    message: String,
}

impl DecodeError {
    /// The error for `body`, which does not match the operation's type where `mismatch` says
    /// (gigs-client's decoder found it), with sensitive values redacted from path and message.
    pub(crate) fn new(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        mismatch: BodyMismatch,
    ) -> Self {
        let secrets = Secrets::in_body(&body);
        Self {
            operation,
            status,
            headers,
            path: secrets.redact(&mismatch.path),
            message: secrets.redact(&mismatch.error.to_string()),
            body,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The request id the response carried (see [`Error::request_id`]).
    pub fn request_id(&self) -> Option<&str> {
        gigs_client::request_id(&self.headers)
    }

    /// The body exactly as received.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Where in the body decoding failed (`items[3].status`; `.` for the whole body).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What the decoder said, sensitive values replaced.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: cannot decode the {} response at `{}`: {}",
            self.operation, self.status, self.path, self.message
        )?;
        write_request_id(f, self.request_id())
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .field("path", &self.path)
            .field("message", &self.message)
            .finish()
    }
}

impl std::error::Error for DecodeError {}

/// What is wrong with a client configuration.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// No API token was given, or it was empty.
    #[error("an API token is required (set it with `.token(...)` or GIGS_TOKEN)")]
    MissingToken,
    /// A required environment variable is not set or is empty.
    #[error("the environment variable {0} is not set")]
    MissingEnvVar(&'static str),
    /// The base URL cannot be used.
    #[error("invalid base URL `{url}`: {reason}")]
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// Why it cannot be used.
        reason: String,
    },
    /// The token or user agent contains characters that cannot go in an HTTP header.
    #[error("the {0} contains characters that are not allowed in an HTTP header")]
    InvalidHeader(&'static str),
    /// reqwest could not build the HTTP client.
    #[error("cannot build the HTTP client: {0}")]
    HttpClient(#[source] reqwest::Error),
}
