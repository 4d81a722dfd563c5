//! The HTTP side of the fake: hyper's HTTP/1 server on a loopback listener, one task per
//! connection, each request routed, passed through the fault queue, authenticated and handed
//! to the generated dispatch (`generated/server_trait.rs`), which runs the fake's `GigsServer` impl.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use bytes::Bytes;
use http::{header, HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::task::JoinSet;

use crate::dispatch::{allowed_methods, route, Answer as Success, EXAMPLE_HEADER};
use crate::error::ApiError;
use crate::faults::{Fault, FaultRequest, Faults};
use crate::generated::server_trait::{dispatch, OPERATIONS};
use crate::params::Query;
use crate::seed::Seed;
use crate::store::Store;

/// The admin routes' prefix: no path of the API starts with an underscore.
pub const ADMIN_PREFIX: &str = "/_fake";

/// The largest request body read; a larger one is refused with a 400.
const MAX_BODY: usize = 1 << 20;

/// Everything the requests share.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    pub store: Mutex<Store>,
    pub faults: Mutex<Faults>,
    /// Requests per operationId, faulted ones included.
    pub calls: Mutex<HashMap<&'static str, usize>>,
    /// The one bearer token accepted; any non-empty one when `None`.
    pub token: Option<String>,
}

/// Locks `mutex`; a panic elsewhere cannot leave the fake's data half-written (every change
/// is one assignment), so a poisoned lock is used as it is.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Serves `listener` until the task is aborted; aborting also ends every open connection.
pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let shared = Arc::clone(&shared);
        connections.spawn(async move {
            let service = service_fn(move |request| answer(Arc::clone(&shared), request));
            // A connection error (a client gone, a dropped connection by fault) ends only
            // this connection.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
        // Forget finished connections so the set does not grow.
        while connections.try_join_next().is_some() {}
    }
}

/// Returned by the service to make hyper close the connection without an answer.
#[derive(Debug)]
struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for DropConnection {}

type Answer = Response<Full<Bytes>>;

async fn answer(shared: Arc<Shared>, request: Request<Incoming>) -> Result<Answer, DropConnection> {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_owned();
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(body) => body.to_bytes(),
        Err(_) => {
            return Ok(error(ApiError::invalid_json(&format!(
                "the body could not be read or is larger than {MAX_BODY} bytes"
            ))))
        }
    };
    if path == ADMIN_PREFIX || path.starts_with(&format!("{ADMIN_PREFIX}/")) {
        return Ok(admin(&shared, &parts.method, &path, &body));
    }
    let (index, path_parameters) = match route(OPERATIONS, parts.method.as_str(), &path) {
        Ok(route) => route,
        Err(api_error) if api_error.status == StatusCode::METHOD_NOT_ALLOWED => {
            let mut response = error(api_error);
            let allow = allowed_methods(OPERATIONS, &path).join(", ");
            if let Ok(allow) = HeaderValue::from_str(&allow) {
                response.headers_mut().insert(header::ALLOW, allow);
            }
            return Ok(response);
        }
        Err(api_error) => return Ok(error(api_error)),
    };
    let operation_id = OPERATIONS[index].id;
    *lock(&shared.calls).entry(operation_id).or_default() += 1;
    let fault = lock(&shared.faults).take(operation_id);
    match fault {
        Some(Fault::Status {
            status,
            retry_after,
        }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut response = error(ApiError::injected(status));
            if let Some(wait) = retry_after {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(wait.as_secs()));
            }
            return Ok(response);
        }
        Some(Fault::Delay(delay)) => tokio::time::sleep(delay).await,
        Some(Fault::DropConnection) => return Err(DropConnection),
        None => {}
    }
    if !authenticated(
        parts.headers.get(header::AUTHORIZATION),
        shared.token.as_deref(),
    ) {
        return Ok(error(ApiError::unauthenticated()));
    }
    let query = match Query::parse(parts.uri.query()) {
        Ok(query) => query,
        Err(api_error) => return Ok(error(api_error)),
    };
    let result = dispatch(
        &mut *lock(&shared.store),
        index,
        &path_parameters,
        &query,
        &body,
    );
    Ok(match result {
        Ok(success) => success_response(success),
        Err(api_error) => error(api_error),
    })
}

fn success_response(success: Success) -> Answer {
    let status = StatusCode::from_u16(success.status).unwrap_or(StatusCode::OK);
    let mut response = match success.body {
        Some(body) => json_response(status, &body),
        None => {
            let mut response = Response::new(Full::new(Bytes::new()));
            *response.status_mut() = status;
            response
        }
    };
    if let Some(operation_id) = success.example_of {
        response
            .headers_mut()
            .insert(EXAMPLE_HEADER, HeaderValue::from_static(operation_id));
    }
    response
}

/// `Authorization: Bearer <token>` with the fake's token, or with any non-empty token when the
/// fake has none.
fn authenticated(value: Option<&HeaderValue>, expected: Option<&str>) -> bool {
    let token = value
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    match (token, expected) {
        (Some(token), Some(expected)) => token == expected,
        (Some(token), None) => !token.trim().is_empty(),
        (None, _) => false,
    }
}

fn json_response(status: StatusCode, value: &Value) -> Answer {
    let body = serde_json::to_vec(value).unwrap_or_default();
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

fn error(api_error: ApiError) -> Answer {
    json_response(api_error.status, &api_error.body)
}

/// The admin routes under [`ADMIN_PREFIX`], for the `gigs-fake` binary's users:
/// `POST /_fake/faults` queues a fault, `DELETE /_fake/faults` clears them,
/// `GET /_fake/calls` counts requests per operation, `POST /_fake/seed` adds a seed.
fn admin(shared: &Shared, method: &Method, path: &str, body: &[u8]) -> Answer {
    let bad = |message: String| {
        json_response(
            StatusCode::BAD_REQUEST,
            &json!({"object": "error", "type": "invalidRequest", "code": "invalidAdminRequest", "message": message}),
        )
    };
    let route = path.strip_prefix(ADMIN_PREFIX).unwrap_or_default();
    match (method.as_str(), route) {
        ("POST", "/faults") => {
            let request: FaultRequest = match serde_json::from_slice(body) {
                Ok(request) => request,
                Err(error) => return bad(format!("not a fault: {error}")),
            };
            let added = request.fault().and_then(|fault| {
                lock(&shared.faults).add(&request.operation, request.times, fault)
            });
            match added {
                Ok(()) => json_response(
                    StatusCode::OK,
                    &json!({"queued": request.times, "operation": request.operation}),
                ),
                Err(error) => bad(error.to_string()),
            }
        }
        ("DELETE", "/faults") => {
            lock(&shared.faults).clear();
            json_response(StatusCode::OK, &json!({"cleared": true}))
        }
        ("GET", "/calls") => {
            let calls = lock(&shared.calls).clone();
            json_response(StatusCode::OK, &json!(calls))
        }
        ("POST", "/seed") => {
            let seed = match std::str::from_utf8(body)
                .map_err(|error| crate::FakeError::InvalidSeed(error.to_string()))
                .and_then(Seed::from_json)
            {
                Ok(seed) => seed,
                Err(error) => return bad(error.to_string()),
            };
            seed.apply(&mut lock(&shared.store));
            json_response(StatusCode::OK, &json!({"seeded": true}))
        }
        _ => json_response(
            StatusCode::NOT_FOUND,
            &json!({"object": "error", "type": "notFound", "code": "notFound",
                "message": format!("{method} {path} is no admin route; there are POST/DELETE {ADMIN_PREFIX}/faults, GET {ADMIN_PREFIX}/calls and POST {ADMIN_PREFIX}/seed")}),
        ),
    }
}
