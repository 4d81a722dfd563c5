//! Sending one request and getting its body, or its body with the response's metadata, or a
//! [`gigs::Error`](crate::Error).

use std::future::Future;

use gigs_client::operation::Operation;
use gigs_client::{types, RequestOptions};

use crate::decode::decode;
use crate::{Error, Response};

/// `.call()` and its variants on every request builder: send the request and get the response
/// body (or a [`Response`] with status, headers, request id and attempts), or an [`Error`] that
/// keeps the status, the Gigs error body and the request id.
///
/// The builders' own `.send()` is the generated client's: it follows the same settings but
/// returns [`progenitor_client::Error`], which loses the status of an error response whose body
/// is not Gigs JSON, and takes no options. `.call()` sends the same request (the builder makes
/// it) through the runtime's request path, with the options as an argument, and decodes the body
/// once.
///
/// ```no_run
/// use gigs::{Call, IdempotencyKey, RequestOptions};
///
/// # async fn run(gigs: gigs::Gigs) -> Result<(), Box<dyn std::error::Error>> {
/// let sim = gigs.sims().retrieve("sim_0SNlurA049MEWV4V0q7gxGRHOzMf").call().await?;
/// println!("{}", sim.iccid);
///
/// // One request with its own idempotency key: safe to retry, and to repeat after a crash.
/// let key = IdempotencyKey::new("cancel-sub_0SNlurA049MEWV4V0q7gxGRHOzMf")?;
/// let subscription = gigs
///     .subscriptions()
///     .cancel("sub_0SNlurA049MEWV4V0q7gxGRHOzMf")
///     .call_with(RequestOptions::new().idempotency_key(key))
///     .await?;
/// # let _ = subscription;
///
/// // The body with the response's metadata, for a support ticket.
/// let response = gigs.subscriptions().retrieve("sub_123").call_with_response().await?;
/// println!("{} (request id {:?}, {} attempt(s))", response.status, response.request_id(), response.attempts());
/// # Ok(()) }
/// ```
pub trait Call: Operation<ErrorBody = types::Error> + Sized {
    /// Sends the request under the client's settings and returns the body.
    fn call(self) -> impl Future<Output = Result<Self::Response, Error>> + Send {
        self.call_with(RequestOptions::new())
    }

    /// Sends the request with settings of its own (retries, idempotency key, timeout, deadline,
    /// extra headers) and returns the body.
    fn call_with(
        self,
        options: RequestOptions,
    ) -> impl Future<Output = Result<Self::Response, Error>> + Send {
        send(self, options, Response::into_inner)
    }

    /// Sends the request under the client's settings and returns the body with the status,
    /// headers, request id and number of attempts.
    fn call_with_response(
        self,
    ) -> impl Future<Output = Result<Response<Self::Response>, Error>> + Send {
        self.call_with_response_and(RequestOptions::new())
    }

    /// [`call_with_response`](Self::call_with_response) with settings of its own.
    fn call_with_response_and(
        self,
        options: RequestOptions,
    ) -> impl Future<Output = Result<Response<Self::Response>, Error>> + Send {
        send(self, options, |response| response)
    }
}

impl<O: Operation<ErrorBody = types::Error>> Call for O {}

/// Sends `operation` with `options` and hands the decoded response to `finish` (the body alone,
/// or all of it): the one path by which this crate sends generated requests.
pub(crate) fn send<O, T>(
    operation: O,
    options: RequestOptions,
    finish: fn(Response<O::Response>) -> T,
) -> impl Future<Output = Result<T, Error>> + Send
where
    O: Operation<ErrorBody = types::Error>,
{
    // The request is built here, and the future awaits the runtime's own: one state machine
    // around the runtime's instead of two.
    let exchange = operation.exchange(options);
    async move {
        decode(
            O::OPERATION_ID,
            exchange.await,
            Some(O::SPEC),
            O::decode_response,
        )
        .map(finish)
    }
}
