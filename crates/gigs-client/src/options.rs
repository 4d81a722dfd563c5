//! The settings a caller gives one request, on top of the client's.

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::idempotency::IdempotencyKey;
use crate::retry::RetryPolicy;

/// Settings for one request, given to [`Operation::exchange`](crate::operation::Operation::exchange)
/// (and `gigs`' `call_with`); unset ones follow the client's [`ClientSettings`](crate::ClientSettings).
///
/// ```
/// use std::time::Duration;
/// use gigs_client::{IdempotencyKey, RequestOptions, RetryPolicy};
///
/// let options = RequestOptions::new()
///     .idempotency_key(IdempotencyKey::new("order-4711-activate")?)
///     .retry_policy(RetryPolicy::default().with_max_retries(5))
///     .timeout(Duration::from_secs(60))
///     .deadline(Duration::from_secs(120))
///     .header("x-correlation-id", "c-42");
/// # let _ = options;
/// # Ok::<(), gigs_client::InvalidIdempotencyKey>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestOptions {
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) idempotency_key: Option<IdempotencyKey>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) deadline: Option<Duration>,
    pub(crate) headers: HeaderMap,
    /// Why the first header that could not be converted is refused; the call then fails
    /// before sending, as a reqwest `RequestBuilder` fails at `build()`.
    pub(crate) invalid_header: Option<String>,
}

impl RequestOptions {
    /// Options that change nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// The retry policy for this request.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Send this request once, whatever happens.
    pub fn no_retries(self) -> Self {
        self.retry_policy(RetryPolicy::none())
    }

    /// The `Idempotency-Key` of this request, sent unchanged on every attempt. It makes a POST or
    /// DELETE retryable, and lets the caller repeat the request later (after a crash, say)
    /// without applying it twice. GET and PATCH requests do not send it (the API ignores it there).
    pub fn idempotency_key(mut self, key: IdempotencyKey) -> Self {
        self.idempotency_key = Some(key);
        self
    }

    /// The time each attempt of this request may take, instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// A bound on this whole call, retries and waits included, instead of the client's (see
    /// [`ClientSettings::with_deadline`](crate::ClientSettings::with_deadline)).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// An extra header on this request (a correlation id, a header the spec does not list yet).
    /// It replaces a header of the same name that the generated client would send.
    ///
    /// Name and value take what reqwest's `RequestBuilder::header` takes: `&str`, `String`,
    /// bytes, or a typed [`HeaderName`] / [`HeaderValue`] (numbers too, as values). The bounds
    /// are reqwest's `HeaderName: TryFrom<K>` written as `impl TryInto<HeaderName>` (the same
    /// types, through the standard blanket impl; no generic parameter a caller could name). The
    /// name must also be `Debug` (every name type reqwest takes is), so that an invalid one can
    /// be named. A name or value that is not a valid header, and the `Authorization` header (it
    /// carries the client's token), make the call fail before anything is sent with the
    /// invalid-request error (`gigs::Error::InvalidRequest`) naming the header; the value is
    /// never printed, as it may be a secret. Nothing is checked against the spec.
    ///
    /// ```
    /// use gigs_client::RequestOptions;
    /// use reqwest::header::{HeaderName, HeaderValue};
    ///
    /// let options = RequestOptions::new()
    ///     .header("x-correlation-id", "c-42")
    ///     .header(String::from("x-tenant"), format!("t-{}", 7))
    ///     .header(HeaderName::from_static("x-batch"), HeaderValue::from_static("b-1"))
    ///     .header("x-attempt-budget", 3_u32);
    /// assert_eq!(options.headers()["x-correlation-id"], "c-42");
    /// assert_eq!(options.headers()["x-attempt-budget"], "3");
    /// assert_eq!(options.invalid_header(), None);
    ///
    /// // A newline cannot be in a header value: the call would be refused before sending.
    /// let refused = RequestOptions::new().header("x-note", "two\nlines");
    /// assert_eq!(
    ///     refused.invalid_header(),
    ///     Some("the value of header `x-note` is not a valid header value (visible ASCII, \
    ///           spaces and tabs only)")
    /// );
    /// ```
    pub fn header(
        mut self,
        name: impl TryInto<HeaderName, Error: Into<http::Error>> + fmt::Debug,
        value: impl TryInto<HeaderValue, Error: Into<http::Error>>,
    ) -> Self {
        let shown = format!("{name:?}");
        let name = match name.try_into() {
            Ok(name) => name,
            Err(_) => {
                return self.refuse(format!(
                    "header name {shown} is not a valid header name (letters, digits and \
                     !#$%&'*+-.^_`|~ only)"
                ))
            }
        };
        match value.try_into() {
            Ok(value) => {
                self.headers.insert(name, value);
                self
            }
            Err(_) => self.refuse(format!(
                "the value of header `{name}` is not a valid header value (visible ASCII, \
                 spaces and tabs only)"
            )),
        }
    }

    /// Adds the headers of `earlier` to these options, replacing headers of the same name set
    /// here; if a header given to `earlier` was invalid, the call is refused as it would have
    /// been with `earlier`. For building options in steps, such as defaults shared by many
    /// calls and a header for one.
    ///
    /// ```
    /// use gigs_client::RequestOptions;
    ///
    /// let shared = RequestOptions::new().header("x-tenant", "t-7");
    /// let options = RequestOptions::new().no_retries().header("x-tenant", "other").headers_from(&shared);
    /// assert_eq!(options.headers()["x-tenant"], "t-7");
    /// ```
    pub fn headers_from(mut self, earlier: &RequestOptions) -> Self {
        for (name, value) in &earlier.headers {
            self.headers.insert(name, value.clone());
        }
        if let Some(reason) = &earlier.invalid_header {
            self = self.refuse(reason.clone());
        }
        self
    }

    /// Keeps the first reason to refuse the call, as reqwest keeps a builder's first error.
    fn refuse(mut self, reason: String) -> Self {
        self.invalid_header.get_or_insert(reason);
        self
    }

    /// The extra headers set with [`header`](Self::header).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Why a header given to [`header`](Self::header) was refused: the first invalid name or
    /// value, for which a call with these options fails before sending.
    pub fn invalid_header(&self) -> Option<&str> {
        self.invalid_header.as_deref()
    }
}
