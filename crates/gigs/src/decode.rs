//! What a call came to, decoded once: the success body as the operation's type with the
//! response's metadata, or the [`Error`] a caller can act on.

use gigs_client::call::{Exchange, Failure, Reply};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::api_error::ApiError;
use crate::error::{DecodeError, Error};
use crate::response::Response;

/// Turns what a call to `operation` came to into the response's body decoded as `T`, or
/// into the error a caller can act on. `is_success` says which statuses the operation
/// documents as success; any other status below 400 is unexpected, and every status from 400
/// is an API error whatever its body (HTML from a proxy, empty, cut off).
pub(crate) fn decode<T: DeserializeOwned>(
    operation: &'static str,
    exchange: Exchange,
    is_success: impl FnOnce(StatusCode) -> bool,
) -> Result<Response<T>, Error> {
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
    if !is_success(status) {
        return Err(Error::UnexpectedStatus {
            operation,
            status,
            headers: Box::new(headers),
            body,
        });
    }
    match serde_json::from_slice(&body) {
        Ok(value) => Ok(Response::new(value, status, headers, attempts)),
        Err(source) => Err(Error::Decode(Box::new(DecodeError::new::<T>(
            operation, status, headers, body, source,
        )))),
    }
}
