//! A success response with what came with it: status, headers, request id, attempts.

use std::ops::{Deref, DerefMut};

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// The body of a successful call with its metadata, from
/// [`Call::call_with_response`](crate::Call::call_with_response) and raw requests
/// ([`Gigs::request`](crate::Gigs::request)).
///
/// It dereferences to the body, so fields read as on the body itself.
///
/// ```
/// use gigs::Response;
/// use reqwest::header::{HeaderMap, HeaderValue};
///
/// let headers = HeaderMap::from_iter([(
///     reqwest::header::HeaderName::from_static("x-request-id"),
///     HeaderValue::from_static("req_123"),
/// )]);
/// let response = Response::new(vec![1, 2, 3], reqwest::StatusCode::OK, headers, 2);
/// assert_eq!(response.len(), 3); // through Deref
/// assert_eq!(response.request_id(), Some("req_123"));
/// assert_eq!(response.attempts(), 2);
/// assert_eq!(response.into_inner(), vec![1, 2, 3]);
/// ```
#[derive(Clone, Debug)]
pub struct Response<T> {
    body: T,
    status: StatusCode,
    headers: HeaderMap,
    attempts: u32,
}

impl<T> Response<T> {
    /// A response from its parts; the SDK makes these, tests of code that uses them can too.
    pub fn new(body: T, status: StatusCode, headers: HeaderMap, attempts: u32) -> Self {
        Self {
            body,
            status,
            headers,
            attempts,
        }
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers, also those the spec does not list (rate limits, deprecation).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The request id the response carried, for support tickets with Gigs. Gigs does not
    /// document the header's name; these are looked up in order:
    /// [`REQUEST_ID_HEADERS`](gigs_client::REQUEST_ID_HEADERS).
    pub fn request_id(&self) -> Option<&str> {
        gigs_client::request_id(&self.headers)
    }

    /// How many attempts the call took (1 when no retry was needed).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The body.
    pub fn into_inner(self) -> T {
        self.body
    }

    /// The same metadata around another body.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            body: f(self.body),
            status: self.status,
            headers: self.headers,
            attempts: self.attempts,
        }
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

impl<T> DerefMut for Response<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.body
    }
}
