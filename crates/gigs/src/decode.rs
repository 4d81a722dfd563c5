//! What a call came to, decoded once: the success body as the operation's type with the
//! response's metadata, or the [`Error`] a caller can act on.
//!
//! Only [`decode`] is generic, and only to hand the body to the operation's decoder: the rest
//! is compiled once, here, rather than again for every response type in every crate that
//! calls.

use bytes::Bytes;
use gigs_client::call::{Exchange, Failure, Reply};
use gigs_client::operation::{BodyMismatch, OperationSpec};
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use crate::api_error::ApiError;
use crate::error::{DecodeError, Error};
use crate::response::Response;

/// Turns what a call to `operation` came to into the response's body decoded by `decode_body`,
/// or into the error a caller can act on. `spec` says which statuses the operation documents
/// as success (`None`: any 2xx); any other status below 400 is unexpected, and every status
/// from 400 is an API error whatever its body (HTML from a proxy, empty, cut off).
pub(crate) fn decode<T>(
    operation: &'static str,
    exchange: Exchange,
    spec: Option<&'static OperationSpec>,
    decode_body: fn(&[u8]) -> Result<T, BodyMismatch>,
) -> Result<Response<T>, Error> {
    let success = success(operation, exchange, spec)?;
    match decode_body(&success.body) {
        Ok(value) => Ok(Response::new(
            value,
            success.status,
            success.headers,
            success.attempts,
        )),
        Err(mismatch) => Err(Error::Decode(Box::new(DecodeError::new(
            operation,
            success.status,
            success.headers,
            success.body,
            mismatch,
        )))),
    }
}

/// A response with a status the operation documents as success, its body not decoded yet.
struct Success {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    attempts: u32,
}

/// The success response of an exchange, or the error it came to.
fn success(
    operation: &'static str,
    exchange: Exchange,
    spec: Option<&'static OperationSpec>,
) -> Result<Success, Error> {
    let Exchange {
        outcome,
        attempts,
        deadline_reached,
        head,
        ..
    } = exchange;
    let reply = match outcome {
        Ok(reply) => reply,
        Err(Failure::Refused(reason)) => return Err(Error::InvalidRequest(reason)),
        Err(Failure::Transport(source)) if source.is_timeout() => {
            return Err(Error::Timeout {
                operation,
                attempts,
                deadline_reached,
                source: Some(source),
                response: head.map(Box::new),
            })
        }
        Err(Failure::Transport(source)) => {
            return Err(Error::Connection {
                operation,
                attempts,
                deadline_reached,
                source: Some(source),
                response: head.map(Box::new),
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
        let error = ApiError::new(operation, status, headers, body, attempts)
            .with_deadline_reached(deadline_reached);
        return Err(Error::Api(Box::new(error)));
    }
    let documented = match spec {
        Some(spec) => spec.is_success(status),
        None => status.is_success(),
    };
    if !documented {
        return Err(Error::UnexpectedStatus {
            operation,
            status,
            headers: Box::new(headers),
            body,
        });
    }
    Ok(Success {
        status,
        headers,
        body,
        attempts,
    })
}
