//! Raw requests: an endpoint or field the spec does not have yet, sent with everything a
//! generated call gets (token, base URL, retries, idempotency rules, timeouts, deadline,
//! tracing, [`gigs::Error`](crate::Error)).

use bytes::Bytes;
use gigs_client::{call, RequestOptions};
use progenitor_client::ClientInfo;
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::{Error, Response};

/// The name raw requests go by in errors and spans (`gigs.operation`).
pub const RAW_OPERATION: &str = "rawRequest";

/// A request to any path of the API, made by [`Gigs::request`](crate::Gigs::request) or
/// [`UnscopedGigs::request`](crate::UnscopedGigs::request).
///
/// ```no_run
/// # async fn run(gigs: gigs::Gigs) -> Result<(), gigs::Error> {
/// use reqwest::Method;
/// use serde_json::{json, Value};
///
/// let response = gigs
///     .request(Method::GET, "/projects/my-project/subscriptions")
///     .query(&[("status", "active"), ("limit", "5")])
///     .send::<Value>()
///     .await?;
/// println!("{} {:?}", response.status(), response.request_id());
/// for item in response["items"].as_array().into_iter().flatten() {
///     println!("{}", item["id"]);
/// }
///
/// let device = gigs
///     .request(Method::POST, "/projects/my-project/devices")
///     .json(&json!({ "imei": "492388841798923" }))
///     .send::<Value>()
///     .await?;
/// # let _ = device;
/// # Ok(()) }
/// ```
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct RawRequest<'a> {
    client: &'a gigs_client::Client,
    path: String,
    builder: reqwest::RequestBuilder,
    options: RequestOptions,
}

impl<'a> RawRequest<'a> {
    pub(crate) fn new(client: &'a gigs_client::Client, method: Method, path: &str) -> Self {
        let url = format!("{}{path}", client.baseurl());
        let builder = client.client().request(method, url);
        Self {
            client,
            path: path.to_owned(),
            builder,
            options: RequestOptions::new(),
        }
    }

    /// Query parameters, from anything `serde_urlencoded` takes (pairs, a map, a struct).
    pub fn query<Q: Serialize + ?Sized>(mut self, query: &Q) -> Self {
        self.builder = self.builder.query(query);
        self
    }

    /// A JSON body.
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.builder = self.builder.json(body);
        self
    }

    /// A header, taking what reqwest's `RequestBuilder::header` takes (`&str`, `String`,
    /// bytes, typed [`HeaderName`](reqwest::header::HeaderName) and
    /// [`HeaderValue`](reqwest::header::HeaderValue)); see [`RequestOptions::header`]. An
    /// invalid name or value, or the `Authorization` header (the client's), makes
    /// [`send`](Self::send) fail with [`Error::InvalidRequest`] naming the header, before
    /// anything is sent.
    ///
    /// ```no_run
    /// # async fn run(gigs: gigs::Gigs) -> Result<(), gigs::Error> {
    /// use reqwest::Method;
    ///
    /// let response = gigs
    ///     .request(Method::GET, "/projects/my-project/subscriptions")
    ///     .header("x-correlation-id", "c-42")
    ///     .send::<serde_json::Value>()
    ///     .await?;
    /// # let _ = response;
    /// # Ok(()) }
    /// ```
    pub fn header(
        mut self,
        name: impl TryInto<HeaderName, Error: Into<http::Error>> + std::fmt::Debug,
        value: impl TryInto<HeaderValue, Error: Into<http::Error>>,
    ) -> Self {
        self.options = self.options.header(name, value);
        self
    }

    /// Settings of this request (retries, idempotency key, timeout, deadline, headers); headers
    /// set before with [`header`](Self::header) are kept.
    pub fn options(mut self, options: RequestOptions) -> Self {
        self.options = options.headers_from(&self.options);
        self
    }

    /// Sends the request and decodes a success body as `T` (`serde_json::Value` for anything,
    /// `()` for an empty body).
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for a path that is not a path of the API (another host, `..`,
    /// a query or fragment: use [`query`](Self::query)); otherwise the errors of a generated
    /// call.
    pub async fn send<T: DeserializeOwned>(self) -> Result<Response<T>, Error> {
        check_path(&self.path)?;
        let request = self
            .builder
            .build()
            .map_err(|error| Error::InvalidRequest(format!("cannot build the request: {error}")))?;
        let client = self.client;
        if !request.url().as_str().starts_with(client.baseurl()) {
            return Err(Error::InvalidRequest(format!(
                "`{}` is not below the base URL {}",
                self.path,
                client.baseurl()
            )));
        }
        let mut exchange = call::send_raw(client, RAW_OPERATION, request, self.options).await;
        // An empty success body (a 204, say) decodes as JSON `null`: `()` or an `Option`.
        if let Ok(reply) = &mut exchange.outcome {
            if reply.status.is_success() && reply.body.is_empty() {
                reply.body = Bytes::from_static(b"null");
            }
        }
        crate::decode::decode(
            RAW_OPERATION,
            exchange,
            None,
            gigs_client::operation::decode_json::<T>,
        )
    }
}

impl std::fmt::Debug for RawRequest<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawRequest")
            .field("path", &self.path)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// Refuses what is not a plain path below the base URL, before anything is built: another
/// host, a scheme, `.`/`..` segments (also percent-encoded: URL parsing removes them), a query or
/// fragment, or backslashes.
fn check_path(path: &str) -> Result<(), Error> {
    let refuse = |reason: &str| {
        Err(Error::InvalidRequest(format!(
            "`{path}` cannot be requested: {reason}"
        )))
    };
    if !path.starts_with('/') || path.starts_with("//") {
        return refuse("a path starts with a single `/` (the base URL is the client's)");
    }
    if path.contains(['?', '#']) {
        return refuse("a query or fragment goes through `.query(..)`");
    }
    if path.contains('\\') {
        return refuse("backslashes are not allowed");
    }
    let dot_segment = path.split('/').any(|segment| {
        let decoded = segment.to_ascii_lowercase().replace("%2e", ".");
        decoded == "." || decoded == ".."
    });
    if dot_segment {
        return refuse("`.` and `..` segments are not allowed");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_path;

    #[test]
    fn only_plain_paths_below_the_base_are_accepted() {
        for good in ["/projects/p/devices", "/deviceModels", "/a.b/c..d"] {
            assert!(check_path(good).is_ok(), "{good}");
        }
        for (bad, reason) in [
            ("projects", "single `/`"),
            ("//evil.example/x", "single `/`"),
            ("https://evil.example/x", "single `/`"),
            ("/projects/../admin", "`..`"),
            ("/projects/%2E%2e/admin", "`..`"),
            ("/projects/./x", "`.`"),
            ("/x?token=1", "query"),
            ("/x#y", "query"),
            ("/x\\y", "backslash"),
        ] {
            let error = check_path(bad).unwrap_err().to_string();
            assert!(
                error.contains(reason) && error.contains(bad),
                "{bad}: {error}"
            );
        }
    }
}
