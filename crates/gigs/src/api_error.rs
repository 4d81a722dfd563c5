//! An error status from the API: [`ApiError`], read from the response, and [`ApiErrorBuilder`],
//! which makes one without a server for tests of code that handles them.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use gigs_client::types;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
use reqwest::StatusCode;

/// An error status from the API, with the Gigs error body when it is one.
///
/// `type` and `code` are open strings: new values are normal, so match on the ones you handle and
/// keep a fallback.
///
/// Tests of code that handles API errors can make one with [`ApiError::builder`].
///
/// `Debug` shows the parsed Gigs error and the raw body's length, never the raw body itself
/// (a proxy can answer anything): read it with [`raw_body`](Self::raw_body).
#[derive(Clone)]
pub struct ApiError {
    operation: &'static str,
    status: StatusCode,
    body: Option<types::Error>,
    raw_body: Bytes,
    headers: HeaderMap,
    retry_after: Option<Duration>,
    attempts: u32,
    deadline_reached: bool,
}

impl ApiError {
    pub(crate) fn new(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        raw_body: Bytes,
        attempts: u32,
    ) -> Self {
        Self {
            operation,
            status,
            body: serde_json::from_slice(&raw_body).ok(),
            raw_body,
            retry_after: gigs_client::retry::retry_after(&headers, std::time::SystemTime::now()),
            headers,
            attempts,
            deadline_reached: false,
        }
    }

    /// Marks the error as the last answer of a call the deadline ended.
    pub(crate) fn with_deadline_reached(mut self, deadline_reached: bool) -> Self {
        self.deadline_reached = deadline_reached;
        self
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
        gigs_client::request_id(&self.headers)
    }

    /// The response headers, also those the spec does not list (rate limits, deprecation).
    ///
    /// ```
    /// use reqwest::header::{HeaderName, HeaderValue};
    /// use reqwest::StatusCode;
    ///
    /// let error = gigs::ApiError::builder("listSims", StatusCode::TOO_MANY_REQUESTS)
    ///     .header(HeaderName::from_static("x-ratelimit-remaining"), HeaderValue::from_static("0"))
    ///     .build();
    /// assert_eq!(error.headers()["x-ratelimit-remaining"], "0");
    /// ```
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
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

/// The parsed body, and the raw body's length only.
impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("body", &self.body)
            .field("raw_body", &format_args!("<{} bytes>", self.raw_body.len()))
            .field("request_id", &self.request_id())
            .field("headers", &self.headers)
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
            self.headers,
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
        crate::error::write_request_id(f, self.request_id())
    }
}

impl std::error::Error for ApiError {}
