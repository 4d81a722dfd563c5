//! The hooks progenitor's generated `Client` calls around every request: `pre` finishes the
//! request (cursor check, comma-separated filters, idempotency key, timeout); `exec` sends it,
//! retrying what is safe to retry, with one `tracing` span per attempt.

use std::time::Instant;

use bytes::Bytes;
use http_body_util::BodyExt;
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{ResponseBuilderExt, StatusCode};
use tracing::{field, Instrument};

use crate::operation::OperationSpec;
use crate::retry::is_repeatable;
use crate::runtime::{
    current_scope, takes_idempotency_key, Runtime, IDEMPOTENCY_KEY, MAX_IDEMPOTENCY_KEY_LEN,
};
use crate::Client;

impl ClientHooks<Runtime> for Client {
    /// Refuses a request whose path an id changed (`..`) or that carries both pagination
    /// cursors, sends the commas of
    /// comma-separated filters as commas (`?status=active,pending`), and applies the idempotency
    /// key and timeout of the request's options or the client's runtime.
    ///
    /// The URL encoder progenitor goes through writes `,` as `%2C`. Both decode to the same
    /// value, so this changes nothing a form decoder sees, but it keeps requests in the form the
    /// Gigs reference documents and readable in logs.
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        if let Some(operation) = OperationSpec::find(info.operation_id) {
            let path = request.url().path();
            let below_base = path.strip_prefix(base_path(self.baseurl())).unwrap_or(path);
            if !operation.matches_path(below_base) {
                return Err(progenitor_client::Error::InvalidRequest(format!(
                    "{}: a path parameter changes the request path (to `{path}`); \
                     `.` and `..` cannot be ids",
                    operation.operation_id
                )));
            }
        }
        // The API takes `after` or `before`, never both; catch the mistake before it is sent.
        let has = |name: &str| request.url().query_pairs().any(|(key, _)| key == name);
        if has("after") && has("before") {
            return Err(progenitor_client::Error::InvalidRequest(
                "`after` and `before` cannot be sent together: set only one cursor".to_owned(),
            ));
        }
        if let Some(query) = request.url().query().filter(|query| query.contains("%2C")) {
            let query = query.replace("%2C", ",");
            request.url_mut().set_query(Some(&query));
        }

        let scope = current_scope();
        let options = scope.as_ref().map(|scope| &scope.options);
        if let Some(timeout) = options.and_then(|options| options.timeout) {
            *request.timeout_mut() = Some(timeout);
        }
        // A given key is checked whatever the method, so a mistake shows on the first call.
        let given_key = options
            .and_then(|options| options.idempotency_key.as_deref())
            .map(idempotency_key)
            .transpose()
            .map_err(|reason| {
                progenitor_client::Error::InvalidRequest(format!(
                    "invalid idempotency key: {reason}"
                ))
            })?;
        if takes_idempotency_key(request.method())
            && !request.headers().contains_key(IDEMPOTENCY_KEY)
        {
            let key = given_key.or_else(|| {
                self.inner().sends_idempotency_keys().then(|| {
                    HeaderValue::try_from(uuid::Uuid::new_v4().to_string())
                        .expect("a UUID is a valid header value")
                })
            });
            if let Some(key) = key {
                request
                    .headers_mut()
                    .insert(HeaderName::from_static(IDEMPOTENCY_KEY), key);
            }
        }
        Ok(())
    }

    /// Sends the request, and sends it again while the failure is transient, the policy allows
    /// another attempt, and repeating cannot apply it twice (see [`crate::RetryPolicy`]).
    ///
    /// Each attempt reads the whole body, so a connection that breaks mid-body is a failed
    /// attempt like any other, and the per-attempt timeout covers the body too.
    async fn exec(
        &self,
        mut request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let operation_id = OperationSpec::find(info.operation_id)
            .map_or(info.operation_id, |operation| operation.operation_id);
        let scope = current_scope();
        let policy = scope
            .as_ref()
            .and_then(|scope| scope.options.retry)
            .unwrap_or_else(|| self.inner().get_retry_policy());
        let repeatable = is_repeatable(
            request.method(),
            request.headers().contains_key(IDEMPOTENCY_KEY),
        );
        let max_retries = if repeatable {
            policy.get_max_retries()
        } else {
            0
        };

        let mut attempt = 1;
        loop {
            // A request with a streaming body cannot be cloned; it is then sent once.
            let next = (attempt <= max_retries)
                .then(|| request.try_clone())
                .flatten();
            let span = tracing::info_span!(
                "gigs.request",
                operation = operation_id,
                method = %request.method(),
                path = request.url().path(),
                attempt,
                status = field::Empty,
                duration_ms = field::Empty,
            );
            let started = Instant::now();
            let outcome = send_and_read(self.client(), request)
                .instrument(span.clone())
                .await;
            span.record("duration_ms", started.elapsed().as_millis() as u64);

            let wait = match &outcome {
                Ok(response) => {
                    span.record("status", response.status().as_u16());
                    if response.status().as_u16() >= 400 {
                        tracing::trace!(
                            parent: &span,
                            body = %String::from_utf8_lossy(&response.body),
                            "error response body"
                        );
                    }
                    policy.wait_after_response(attempt, response.status(), response.headers())
                }
                Err(error) => policy.wait_after_failure(attempt, error),
            };
            if let Some(scope) = &scope {
                let seen = outcome
                    .as_ref()
                    .ok()
                    .map(|response| (response.status(), response.headers(), &response.body));
                scope.record(attempt, seen);
            }
            match (wait, next) {
                (Some(wait), Some(next)) => {
                    match &outcome {
                        Ok(response) => tracing::warn!(
                            parent: &span,
                            status = response.status().as_u16(),
                            wait_ms = wait.as_millis() as u64,
                            "retrying after a transient error status"
                        ),
                        Err(error) => tracing::warn!(
                            parent: &span,
                            %error,
                            wait_ms = wait.as_millis() as u64,
                            "retrying after a transport failure"
                        ),
                    }
                    tokio::time::sleep(wait).await;
                    request = next;
                    attempt += 1;
                }
                _ => return outcome.map(ReadResponse::into_response),
            }
        }
    }
}

/// A response read to its end.
struct ReadResponse {
    url: reqwest::Url,
    parts: http::response::Parts,
    body: Bytes,
}

impl ReadResponse {
    fn status(&self) -> StatusCode {
        self.parts.status
    }

    fn headers(&self) -> &HeaderMap {
        &self.parts.headers
    }

    /// The response again, for progenitor to decode.
    fn into_response(self) -> reqwest::Response {
        // reqwest keeps the URL outside the parts, and only its response builder extension can
        // put it back.
        let (with_url, ()) = http::Response::builder()
            .url(self.url)
            .body(())
            .expect("a response with only a URL")
            .into_parts();
        let mut parts = self.parts;
        parts.extensions.extend(with_url.extensions);
        http::Response::from_parts(parts, self.body).into()
    }
}

async fn send_and_read(
    client: &reqwest::Client,
    request: reqwest::Request,
) -> reqwest::Result<ReadResponse> {
    let response = client.execute(request).await?;
    let url = response.url().clone();
    // Through `http::Response` the headers move instead of being copied.
    let (parts, body) = http::Response::from(response).into_parts();
    let body = body.collect().await?.to_bytes();
    Ok(ReadResponse { url, parts, body })
}

/// The path of a base URL (`https://host/v1/` has `/v1`), which prefixes every request path.
fn base_path(base_url: &str) -> &str {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    after_scheme
        .find('/')
        .map_or("", |start| &after_scheme[start..])
        .trim_end_matches('/')
}

/// The header value of a caller-given idempotency key, or why it cannot be one.
fn idempotency_key(key: &str) -> Result<HeaderValue, String> {
    if key.is_empty() {
        return Err("it is empty".to_owned());
    }
    if let Some(bad) = key.chars().find(|c| !c.is_ascii_graphic()) {
        return Err(format!(
            "it contains {bad:?}: only visible ASCII characters (no spaces) are allowed"
        ));
    }
    if key.len() > MAX_IDEMPOTENCY_KEY_LEN {
        return Err(format!(
            "it has {} characters, at most {MAX_IDEMPOTENCY_KEY_LEN} are allowed",
            key.len()
        ));
    }
    Ok(HeaderValue::from_str(key).expect("visible ASCII is a valid header value"))
}

#[cfg(test)]
mod tests {
    use super::base_path;

    #[test]
    fn the_base_path_is_what_precedes_operation_paths() {
        assert_eq!(base_path("https://api.gigs.com"), "");
        assert_eq!(base_path("https://api.gigs.com/"), "");
        assert_eq!(base_path("http://127.0.0.1:4010/v1/"), "/v1");
        assert_eq!(base_path("http://127.0.0.1:4010/a/b"), "/a/b");
    }
}
