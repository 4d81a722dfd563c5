//! Finishing a request before it is sent, or refusing it: one function per concern, called in
//! order by [`prepare`] (see the request path drawn in [`crate::call`]).

use reqwest::header::AUTHORIZATION;

use crate::endpoint::Endpoint;
use crate::idempotency::{IdempotencyKey, IDEMPOTENCY_KEY};
use crate::operation::OperationSpec;
use crate::options::RequestOptions;
use crate::settings::ClientSettings;

/// Why a request is refused before it is sent.
pub(crate) type Refusal = Result<(), String>;

/// Finishes `request` for sending (token, headers, idempotency key), or says why it must not be
/// sent. `operation` is the spec's operation the request was built for (none for a raw request).
pub(crate) fn prepare(
    endpoint: Endpoint,
    operation: Option<&OperationSpec>,
    options: &RequestOptions,
    request: &mut reqwest::Request,
) -> Refusal {
    if let Some(operation) = operation {
        check_path(operation, base_path(endpoint.base_url), request)?;
    }
    check_cursors(request)?;
    restore_commas(request);
    add_headers(endpoint.settings, options, request)?;
    add_idempotency_key(endpoint.settings, options, request);
    Ok(())
}

/// Refuses a request whose path a parameter changed. An id of `.` or `..` is not
/// percent-encoded, and URL parsing then removes segments: the request would reach another
/// resource.
fn check_path(operation: &OperationSpec, base_path: &str, request: &reqwest::Request) -> Refusal {
    let path = request.url().path();
    let below_base = path.strip_prefix(base_path).unwrap_or(path);
    if operation.matches_path(below_base) {
        Ok(())
    } else {
        Err(format!(
            "{}: a path parameter changes the request path (to `{path}`); \
             `.` and `..` cannot be ids",
            operation.operation_id
        ))
    }
}

/// The API takes `after` or `before`, never both; the mistake is caught before it is sent.
fn check_cursors(request: &reqwest::Request) -> Refusal {
    let Some(query) = request.url().query() else {
        return Ok(());
    };
    let has = |name: &str| {
        query
            .split('&')
            .any(|pair| pair.split_once('=').map_or(pair, |(key, _)| key) == name)
    };
    if has("after") && has("before") {
        return Err("`after` and `before` cannot be sent together: set only one cursor".to_owned());
    }
    Ok(())
}

/// The URL encoder progenitor goes through writes `,` as `%2C`. Both decode to the same value,
/// so this changes nothing a form decoder sees, but it keeps requests in the form the Gigs
/// reference documents (`?status=active,pending`) and readable in logs.
fn restore_commas(request: &mut reqwest::Request) {
    if let Some(query) = request.url().query().filter(|query| query.contains("%2C")) {
        let query = query.replace("%2C", ",");
        request.url_mut().set_query(Some(&query));
    }
}

/// The client's token and the call's extra headers, or why one of those headers is refused
/// (not a valid header, or `Authorization`). A token set on the HTTP client itself (as a
/// default header) is left alone when the settings carry none.
fn add_headers(
    settings: &ClientSettings,
    options: &RequestOptions,
    request: &mut reqwest::Request,
) -> Refusal {
    if let Some(authorization) = &settings.authorization {
        request
            .headers_mut()
            .insert(AUTHORIZATION, authorization.clone());
    }
    if let Some(reason) = &options.invalid_header {
        return Err(reason.clone());
    }
    if !options.headers.is_empty() {
        if options.headers.contains_key(AUTHORIZATION) {
            return Err("the Authorization header cannot be set per request: \
                 it carries the client's token"
                .to_owned());
        }
        for (name, value) in &options.headers {
            request.headers_mut().insert(name, value.clone());
        }
    }
    Ok(())
}

/// The call's idempotency key, or a fresh one when the client makes them, on the methods that
/// take one ([`IdempotencyKey::applies_to`]).
fn add_idempotency_key(
    settings: &ClientSettings,
    options: &RequestOptions,
    request: &mut reqwest::Request,
) {
    if !IdempotencyKey::applies_to(request.method())
        || request.headers().contains_key(IDEMPOTENCY_KEY)
    {
        return;
    }
    let key = match &options.idempotency_key {
        Some(key) => key.clone(),
        None if settings.idempotency_keys => IdempotencyKey::generate(),
        None => return,
    };
    request
        .headers_mut()
        .insert(IDEMPOTENCY_KEY, key.header_value().clone());
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
