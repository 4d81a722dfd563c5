//! What every operation's builder has in common, so that generic code (the `gigs` crate's error
//! mapping and pagers) can send any of them. `cargo xtask generate` implements [`Operation`] for
//! every builder.

use std::future::Future;

use progenitor_client::{Error, ResponseValue};
use serde::de::DeserializeOwned;

/// A request builder of one API operation, ready to send.
///
/// ```
/// use gigs_client::operation::Operation;
///
/// fn operation_id<O: Operation>(_: &O) -> &'static str {
///     O::OPERATION_ID
/// }
/// let client = gigs_client::Client::new("https://api.gigs.com", Default::default());
/// assert_eq!(operation_id(&client.list_devices()), "listDevices");
/// ```
pub trait Operation: Send {
    /// The operation's `operationId` in the spec.
    const OPERATION_ID: &'static str;
    /// The body of a success response.
    type Response: DeserializeOwned + Send;
    /// The body of an error response.
    type ErrorBody: DeserializeOwned + Send;

    /// Sends the request: the builder's own `send()`.
    fn send_request(
        self,
    ) -> impl Future<Output = Result<ResponseValue<Self::Response>, Error<Self::ErrorBody>>> + Send;
}
