//! Sending one request and getting its body, or its body with the response's metadata, or a
//! [`gigs::Error`](crate::Error).

use std::future::Future;

use gigs_client::operation::Operation;
use gigs_client::{types, RequestOptions};
use progenitor_client::ResponseValue;

use crate::{Error, Response};

/// `.call()` and its variants on every request builder: send the request and get the response
/// body (or a [`Response`] with status, headers, request id and attempts), or an [`Error`] that
/// keeps the status, the Gigs error body and the request id.
///
/// The builders' own `.send()` is the generated client's: it follows the same settings but
/// returns [`progenitor_client::Error`], which loses the status of an error response whose body
/// is not Gigs JSON.
///
/// ```no_run
/// use gigs::{Call, IdempotencyKey, RequestOptions};
///
/// # async fn run(gigs: gigs::Gigs) -> Result<(), Box<dyn std::error::Error>> {
/// let sim = gigs.sims().retrieve().sim("sim_0SNlurA049MEWV4V0q7gxGRHOzMf").call().await?;
/// println!("{}", sim.iccid);
///
/// // One request with its own idempotency key: safe to retry, and to repeat after a crash.
/// let key = IdempotencyKey::new("cancel-sub_0SNlurA049MEWV4V0q7gxGRHOzMf")?;
/// let subscription = gigs
///     .subscriptions()
///     .cancel()
///     .subscription("sub_0SNlurA049MEWV4V0q7gxGRHOzMf")
///     .call_with(RequestOptions::new().idempotency_key(key))
///     .await?;
/// # let _ = subscription;
///
/// // The body with the response's metadata, for a support ticket.
/// let response = gigs.subscriptions().retrieve().subscription("sub_123").call_with_response().await?;
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
        async move {
            send(self, options)
                .await
                .map(|(value, _)| value.into_inner())
        }
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
        async move {
            let (value, attempts) = send(self, options).await?;
            // Headers are copied only here: `.call()` drops them with the value.
            let (status, headers) = (value.status(), value.headers().clone());
            Ok(Response::new(value.into_inner(), status, headers, attempts))
        }
    }
}

impl<O: Operation<ErrorBody = types::Error>> Call for O {}

/// Sends `operation` with `options`; the one path by which this crate sends generated requests.
/// Returns the decoded response and the number of attempts it took.
pub(crate) async fn send<O>(
    operation: O,
    options: RequestOptions,
) -> Result<(ResponseValue<O::Response>, u32), Error>
where
    O: Operation<ErrorBody = types::Error>,
{
    let (result, report) = gigs_client::with_options(options, operation.send_request()).await;
    match result {
        Ok(value) => Ok((value, report.attempts)),
        Err(error) => Err(Error::from_call::<O::Response>(O::OPERATION_ID, error, report).await),
    }
}
