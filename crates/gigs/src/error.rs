//! The one error type of the SDK, and how a failed call becomes one.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use gigs_client::types;
use gigs_client::CallReport;
use reqwest::header::HeaderMap;
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
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error status (after any retries).
    #[error(transparent)]
    Api(Box<ApiError>),
    /// An attempt took longer than its timeout, and no retry was left.
    #[error("{operation}: timed out after {attempts} attempt(s): {source}")]
    Timeout {
        /// The operation's `operationId`.
        operation: &'static str,
        /// The attempts made.
        attempts: u32,
        /// The last attempt's failure.
        #[source]
        source: reqwest::Error,
    },
    /// The connection could not be made or broke before the response was read, and no retry was
    /// left.
    #[error("{operation}: connection failed after {attempts} attempt(s): {source}")]
    Connection {
        /// The operation's `operationId`.
        operation: &'static str,
        /// The attempts made.
        attempts: u32,
        /// The last attempt's failure.
        #[source]
        source: reqwest::Error,
    },
    /// A success response whose body does not match the operation's response type.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// A response with a status that is not an error but that the operation does not document.
    #[error("{operation}: unexpected response status {status}")]
    UnexpectedStatus {
        /// The operation's `operationId`.
        operation: &'static str,
        /// The status received.
        status: StatusCode,
        /// The body received.
        body: Bytes,
    },
    /// The request was refused before it was sent (a missing required parameter, both page
    /// cursors, an unusable idempotency key, ...).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The client could not be configured.
    #[error("invalid Gigs client configuration: {0}")]
    Config(#[from] ConfigError),
    /// A list page size outside what the API allows; nothing was sent.
    #[error("invalid page size {limit}: it must be between 1 and 200")]
    InvalidPageSize {
        /// The size that was asked for.
        limit: u32,
    },
    /// The API returned a page cursor it had returned before; the stream stops rather than loop.
    #[error("the API returned the page cursor `{cursor}` a second time; stopping the list")]
    RepeatedCursor {
        /// The cursor seen twice.
        cursor: String,
    },
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

    /// Whether the same request may succeed later: a timeout, a connection failure, or a
    /// transient status (408, 429, 500, 502, 503, 504). Such errors come back only once the
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

    /// Builds the error of a call to `operation` from what progenitor returned and what the
    /// runtime saw of the attempts.
    pub(crate) async fn from_call<T: DeserializeOwned>(
        operation: &'static str,
        error: progenitor_client::Error<types::Error>,
        report: CallReport,
    ) -> Self {
        use progenitor_client::Error as Generated;

        // An error status is an API error whatever its body: the body can be HTML from a proxy,
        // empty or cut off, and progenitor then reports a decode error without the status.
        if let Some(status) = report.status.filter(|status| status.as_u16() >= 400) {
            let body = report.error_body.clone().unwrap_or_default();
            return Self::Api(Box::new(ApiError::new(
                operation,
                status,
                &report.headers,
                body,
                report.attempts,
            )));
        }
        match error {
            Generated::InvalidRequest(message) | Generated::Custom(message) => {
                Self::InvalidRequest(message)
            }
            Generated::CommunicationError(source)
            | Generated::InvalidUpgrade(source)
            | Generated::ResponseBodyError(source) => {
                let attempts = report.attempts;
                if source.is_timeout() {
                    Self::Timeout {
                        operation,
                        attempts,
                        source,
                    }
                } else {
                    Self::Connection {
                        operation,
                        attempts,
                        source,
                    }
                }
            }
            // Every documented error status is 400 or more, so the report has taken this case
            // above; should a spec document a lower one, keep what progenitor decoded.
            Generated::ErrorResponse(response) => {
                let mut error = ApiError::new(
                    operation,
                    response.status(),
                    response.headers(),
                    Bytes::new(),
                    report.attempts,
                );
                error.body = Some(response.into_inner());
                Self::Api(Box::new(error))
            }
            Generated::InvalidResponsePayload(body, source) => {
                Self::Decode(Box::new(DecodeError::new::<T>(
                    operation,
                    report.status.unwrap_or(StatusCode::OK),
                    body,
                    source,
                )))
            }
            Generated::UnexpectedResponse(response) => Self::UnexpectedStatus {
                operation,
                status: response.status(),
                // The runtime has read the body already: this cannot fail.
                body: response.bytes().await.unwrap_or_default(),
            },
        }
    }
}

/// An error status from the API, with the Gigs error body when it is one.
///
/// `type` and `code` are open strings: new values are normal, so match on the ones you handle and
/// keep a fallback.
#[derive(Debug, Clone)]
pub struct ApiError {
    operation: &'static str,
    status: StatusCode,
    body: Option<types::Error>,
    raw_body: Bytes,
    request_id: Option<String>,
    retry_after: Option<Duration>,
    attempts: u32,
}

/// The response headers that may carry the API's request id, in the order they are looked up.
const REQUEST_ID_HEADERS: [&str; 3] = ["x-request-id", "request-id", "x-gigs-request-id"];

impl ApiError {
    fn new(
        operation: &'static str,
        status: StatusCode,
        headers: &HeaderMap,
        raw_body: Bytes,
        attempts: u32,
    ) -> Self {
        let request_id = REQUEST_ID_HEADERS
            .iter()
            .find_map(|name| headers.get(*name)?.to_str().ok())
            .map(str::to_owned);
        Self {
            operation,
            status,
            body: serde_json::from_slice(&raw_body).ok(),
            raw_body,
            request_id,
            retry_after: gigs_client::retry::retry_after(headers, std::time::SystemTime::now()),
            attempts,
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

    /// The request id the response carried (`X-Request-Id` or `Request-Id`), for support.
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
