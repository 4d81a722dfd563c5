//! Sending one request and getting its body or a [`gigs::Error`](crate::Error).

use std::future::Future;

use gigs_client::operation::Operation;
use gigs_client::{types, RequestOptions};

use crate::Error;

/// `.call()` and `.call_with(options)` on every request builder: send the request and get the
/// response body, or an [`Error`] that keeps the status, the Gigs error body and the request id.
///
/// The builders' own `.send()` is the generated client's: it follows the same retry policy but
/// returns [`progenitor_client::Error`], which loses the status of an error response whose body
/// is not Gigs JSON.
///
/// ```no_run
/// use gigs::{Call, RequestOptions};
///
/// # async fn run(gigs: gigs::Gigs) -> Result<(), gigs::Error> {
/// let sim = gigs.sims().retrieve().sim("sim_0SNlurA049MEWV4V0q7gxGRHOzMf").call().await?;
/// println!("{}", sim.iccid);
///
/// // One request with its own idempotency key: safe to retry, and to repeat after a crash.
/// let subscription = gigs
///     .subscriptions()
///     .cancel()
///     .subscription("sub_0SNlurA049MEWV4V0q7gxGRHOzMf")
///     .call_with(RequestOptions::new().idempotency_key("cancel-sub_0SNlurA049MEWV4V0q7gxGRHOzMf"))
///     .await?;
/// # let _ = subscription;
/// # Ok(()) }
/// ```
pub trait Call: Operation<ErrorBody = types::Error> + Sized {
    /// Sends the request under the client's settings.
    fn call(self) -> impl Future<Output = Result<Self::Response, Error>> + Send {
        self.call_with(RequestOptions::new())
    }

    /// Sends the request with settings of its own (retries, idempotency key, timeout).
    fn call_with(
        self,
        options: RequestOptions,
    ) -> impl Future<Output = Result<Self::Response, Error>> + Send {
        send(self, options)
    }
}

impl<O: Operation<ErrorBody = types::Error>> Call for O {}

/// Sends `operation` with `options`; the one path by which this crate sends requests.
pub(crate) async fn send<O>(operation: O, options: RequestOptions) -> Result<O::Response, Error>
where
    O: Operation<ErrorBody = types::Error>,
{
    let (result, report) = gigs_client::with_options(options, operation.send_request()).await;
    match result {
        Ok(response) => Ok(response.into_inner()),
        Err(error) => Err(Error::from_call::<O::Response>(O::OPERATION_ID, error, report).await),
    }
}
