//! The one error type of the SDK, and how a failed call becomes one.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use gigs_client::call::{Exchange, Failure, Reply};
use gigs_client::types;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

/// Everything that can go wrong in a call through this crate.
///
/// ```no_run
/// # async fn example(gigs: gigs::Gigs) -> Result<(), gigs::Error> {
/// use gigs::Call;
///
/// match gigs.subscriptions().retrieve().subscription("sub_123").call().await {
///     Ok(subscription) => println!("{}", subscription.status),
///     Err(error) if error.is_not_found() => println!("no such subscription"),
///     Err(error) if error.code() == Some("subscriptionEnded") => println!("already ended"),
///     Err(error) => return Err(error),
/// }
/// # Ok(()) }
/// ```
#[derive(Debug)]
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
    },
    /// A success response whose body does not match the operation's response type.
    Decode(Box<DecodeError>),
    /// A response with a status that is not an error but that the operation does not document.
    UnexpectedStatus {
        /// The operation's `operationId`.
        operation: &'static str,
        /// The status received.
        status: StatusCode,
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
            } => {
                let what = if *deadline_reached {
                    "the call's deadline passed"
                } else {
                    "timed out"
                };
                write!(f, "{operation}: {what} after {attempts} attempt(s)")?;
                write_source(f, source.as_ref())
            }
            Self::Connection {
                operation,
                attempts,
                deadline_reached,
                source,
            } => {
                write!(
                    f,
                    "{operation}: connection failed after {attempts} attempt(s)"
                )?;
                if *deadline_reached {
                    f.write_str(" (the call's deadline left no time to retry)")?;
                }
                write_source(f, source.as_ref())
            }
            Self::UnexpectedStatus {
                operation, status, ..
            } => write!(f, "{operation}: unexpected response status {status}"),
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
    /// The HTTP status of the response this error comes from, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(error) => Some(error.status),
            Self::Decode(error) => Some(error.status),
            Self::UnexpectedStatus { status, .. } => Some(*status),
            _ => None,
        }
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
            Self::Api(error) => error.deadline_reached,
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
        }
    }

    /// Whether the same request may succeed later: a timeout, a connection failure, or a
    /// transient status ([`RetryPolicy`](crate::RetryPolicy) lists them). Such errors come back only once the
    /// retry policy is used up or does not allow a retry (a POST without an idempotency key).
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Timeout { .. } | Self::Connection { .. } => true,
            Self::Api(error) => gigs_client::retry::is_retryable_status(error.status),
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

    /// Turns what a call to `operation` came to into the response's body decoded as `T`, or
    /// into the error a caller can act on. `is_success` says which statuses the operation
    /// documents as success; any other status below 400 is unexpected, and every status from 400
    /// is an API error whatever its body (HTML from a proxy, empty, cut off).
    pub(crate) fn from_exchange<T: DeserializeOwned>(
        operation: &'static str,
        exchange: Exchange,
        is_success: impl FnOnce(StatusCode) -> bool,
    ) -> Result<crate::Response<T>, Self> {
        let Exchange {
            outcome,
            attempts,
            deadline_reached,
            ..
        } = exchange;
        let reply = match outcome {
            Ok(reply) => reply,
            Err(Failure::Refused(reason)) => return Err(Self::InvalidRequest(reason)),
            Err(Failure::Transport(source)) if source.is_timeout() => {
                return Err(Self::Timeout {
                    operation,
                    attempts,
                    deadline_reached,
                    source: Some(source),
                })
            }
            Err(Failure::Transport(source)) => {
                return Err(Self::Connection {
                    operation,
                    attempts,
                    deadline_reached,
                    source: Some(source),
                })
            }
        };
        let Reply {
            status,
            headers,
            body,
            ..
        } = reply;
        if status.as_u16() >= 400 {
            let mut error = ApiError::new(operation, status, &headers, body, attempts);
            error.deadline_reached = deadline_reached;
            return Err(Self::Api(Box::new(error)));
        }
        if !is_success(status) {
            return Err(Self::UnexpectedStatus {
                operation,
                status,
                body,
            });
        }
        match serde_json::from_slice(&body) {
            Ok(value) => Ok(crate::Response::new(value, status, headers, attempts)),
            Err(source) => Err(Self::Decode(Box::new(DecodeError::new::<T>(
                operation, status, body, source,
            )))),
        }
    }
}

/// An error status from the API, with the Gigs error body when it is one.
///
/// `type` and `code` are open strings: new values are normal, so match on the ones you handle and
/// keep a fallback.
///
/// Tests of code that handles API errors can make one with [`ApiError::builder`].
#[derive(Clone)]
pub struct ApiError {
    operation: &'static str,
    status: StatusCode,
    body: Option<types::Error>,
    raw_body: Bytes,
    request_id: Option<String>,
    retry_after: Option<Duration>,
    attempts: u32,
    deadline_reached: bool,
}

impl ApiError {
    pub(crate) fn new(
        operation: &'static str,
        status: StatusCode,
        headers: &HeaderMap,
        raw_body: Bytes,
        attempts: u32,
    ) -> Self {
        Self {
            operation,
            status,
            body: serde_json::from_slice(&raw_body).ok(),
            raw_body,
            request_id: gigs_client::request_id(headers).map(str::to_owned),
            retry_after: gigs_client::retry::retry_after(headers, std::time::SystemTime::now()),
            attempts,
            deadline_reached: false,
        }
    }

    /// A builder for the error `operation` gets when the API answers `status`: for tests of code
    /// that handles API errors, without a server.
    ///
    /// ```
    /// use gigs::ApiError;
    /// use reqwest::StatusCode;
    ///
    /// let error: gigs::Error = ApiError::builder("retrieveSubscription", StatusCode::NOT_FOUND)
    ///     .error_type("notFound")
    ///     .code("subscriptionNotFound")
    ///     .message("The subscription does not exist.")
    ///     .request_id("req_123")
    ///     .build()
    ///     .into();
    /// assert!(error.is_not_found());
    /// assert_eq!(error.code(), Some("subscriptionNotFound"));
    /// assert_eq!(
    ///     error.to_string(),
    ///     "retrieveSubscription: the API answered 404 Not Found (notFound, subscriptionNotFound): \
    ///      The subscription does not exist. [request id req_123]"
    /// );
    /// ```
    pub fn builder(operation: &'static str, status: StatusCode) -> ApiErrorBuilder {
        ApiErrorBuilder {
            operation,
            status,
            fields: serde_json::Map::new(),
            raw_body: None,
            headers: HeaderMap::new(),
            attempts: 1,
        }
    }

    /// The operation's `operationId`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The Gigs error body, or `None` when the body is not one (an HTML page from a proxy, an
    /// empty or cut-off body: see [`raw_body`](Self::raw_body)).
    pub fn body(&self) -> Option<&types::Error> {
        self.body.as_ref()
    }

    /// The error's `type` (`notFound`, `unauthenticated`, `validationFailed`, ...).
    pub fn error_type(&self) -> Option<&str> {
        self.body.as_ref().map(|body| body.type_.as_str())
    }

    /// The machine-readable `code`, when the API gives one.
    pub fn code(&self) -> Option<&str> {
        self.body.as_ref()?.code.as_deref()
    }

    /// The human-readable `message`.
    pub fn message(&self) -> Option<&str> {
        self.body.as_ref().map(|body| body.message.as_str())
    }

    /// The `hint` on how to fix the request, if any.
    pub fn hint(&self) -> Option<&str> {
        self.body.as_ref()?.hint.as_deref()
    }

    /// Links to the documentation of this error.
    pub fn documentation(&self) -> &[String] {
        self.body.as_ref().map_or(&[], |body| &body.documentation)
    }

    /// Per-property details (a preview feature of the API).
    pub fn details(&self) -> &[types::PropertyErrorDetail] {
        self.body.as_ref().map_or(&[], |body| &body.details)
    }

    /// The body exactly as received.
    pub fn raw_body(&self) -> &[u8] {
        &self.raw_body
    }

    /// The request id the response carried, for support (Gigs does not document the header;
    /// see [`REQUEST_ID_HEADERS`](gigs_client::REQUEST_ID_HEADERS)).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The wait the response asked for in `Retry-After`.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Whether the call's deadline ended the retries: a retry (or the `Retry-After` wait) was due
    /// but would have ended past it.
    pub fn deadline_reached(&self) -> bool {
        self.deadline_reached
    }
}

/// The body shows as text, not as a list of bytes.
impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("body", &self.body)
            .field("raw_body", &String::from_utf8_lossy(&self.raw_body))
            .field("request_id", &self.request_id)
            .field("retry_after", &self.retry_after)
            .field("attempts", &self.attempts)
            .field("deadline_reached", &self.deadline_reached)
            .finish()
    }
}

/// Makes an [`ApiError`] without a server; see [`ApiError::builder`].
#[derive(Clone, Debug)]
#[must_use = "call `.build()` to get the error"]
pub struct ApiErrorBuilder {
    operation: &'static str,
    status: StatusCode,
    fields: serde_json::Map<String, serde_json::Value>,
    raw_body: Option<Bytes>,
    headers: HeaderMap,
    attempts: u32,
}

impl ApiErrorBuilder {
    fn field(mut self, name: &str, value: &str) -> Self {
        self.fields.insert(name.to_owned(), value.into());
        self
    }

    /// The Gigs error body's `type` (`notFound`, `validationFailed`, ...).
    pub fn error_type(self, error_type: &str) -> Self {
        self.field("type", error_type)
    }

    /// The Gigs error body's `code`.
    pub fn code(self, code: &str) -> Self {
        self.field("code", code)
    }

    /// The Gigs error body's `message`.
    pub fn message(self, message: &str) -> Self {
        self.field("message", message)
    }

    /// The Gigs error body's `hint`.
    pub fn hint(self, hint: &str) -> Self {
        self.field("hint", hint)
    }

    /// A body exactly as received instead of a Gigs error body (an HTML page from a proxy, say).
    pub fn raw_body(mut self, body: impl Into<Bytes>) -> Self {
        self.raw_body = Some(body.into());
        self
    }

    /// A response header.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// The request id, sent as `x-request-id`.
    ///
    /// # Panics
    /// When `id` cannot be a header value (control characters).
    pub fn request_id(self, id: &str) -> Self {
        let value = HeaderValue::from_str(id).expect("a request id is a valid header value");
        self.header(HeaderName::from_static("x-request-id"), value)
    }

    /// A `Retry-After` of `wait` (whole seconds).
    pub fn retry_after(self, wait: Duration) -> Self {
        self.header(RETRY_AFTER, HeaderValue::from(wait.as_secs()))
    }

    /// How many attempts were made (1 unless set).
    pub fn attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// The error. Without a `raw_body`, the body is a Gigs error with the fields set (`type`
    /// defaults to `error` and `message` to the status's reason).
    pub fn build(self) -> ApiError {
        let raw_body = self.raw_body.unwrap_or_else(|| {
            let mut fields = self.fields;
            fields.insert("object".to_owned(), "error".into());
            fields.entry("type").or_insert_with(|| "error".into());
            fields
                .entry("message")
                .or_insert_with(|| self.status.canonical_reason().unwrap_or("error").into());
            Bytes::from(serde_json::Value::Object(fields).to_string())
        });
        ApiError::new(
            self.operation,
            self.status,
            &self.headers,
            raw_body,
            self.attempts,
        )
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: the API answered {}", self.operation, self.status)?;
        match &self.body {
            Some(body) => {
                write!(f, " ({}", body.type_)?;
                if let Some(code) = &body.code {
                    write!(f, ", {code}")?;
                }
                write!(f, "): {}", body.message)?;
            }
            None => write!(
                f,
                " with a body that is not a Gigs error ({} bytes)",
                self.raw_body.len()
            )?,
        }
        if self.deadline_reached {
            f.write_str(" (the call's deadline left no time to retry)")?;
        }
        if let Some(request_id) = &self.request_id {
            write!(f, " [request id {request_id}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// A success response whose body does not match the operation's response type.
#[derive(Debug)]
pub struct DecodeError {
    operation: &'static str,
    status: StatusCode,
    body: Bytes,
    path: String,
    source: serde_json::Error,
}

impl DecodeError {
    /// Decodes `body` again, tracking the path, to say where it does not match `T`.
    fn new<T: DeserializeOwned>(
        operation: &'static str,
        status: StatusCode,
        body: Bytes,
        fallback: serde_json::Error,
    ) -> Self {
        let mut deserializer = serde_json::Deserializer::from_slice(&body);
        let (path, source) = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Err(error) => (error.path().to_string(), error.into_inner()),
            Ok(_) => match deserializer.end() {
                Err(error) => (".".to_owned(), error),
                Ok(()) => (".".to_owned(), fallback),
            },
        };
        Self {
            operation,
            status,
            body,
            path,
            source,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The body exactly as received.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Where in the body decoding failed (`items[3].status`; `.` for the whole body).
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: cannot decode the {} response at `{}`: {}",
            self.operation, self.status, self.path, self.source
        )
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

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
