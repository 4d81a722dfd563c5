//! progenitor's hooks: how a generated builder's own `send()` enters the runtime. They run the
//! same steps as `.exchange()` (drawn in [`crate::call`]) with the client's settings alone,
//! because progenitor hands them only the request and the operation's name. The
//! `ClientHooks` impl is generated beside the client and the table of operations it looks the
//! name up in; it calls these two functions.

use crate::attempts::send_with_retries;
use crate::endpoint::Endpoint;
use crate::operation::OperationSpec;
use crate::options::RequestOptions;
use crate::prepare::prepare;

/// Finishes the request, or says why it is refused before it is sent (see the request path's
/// diagram); the generated hook returns the reason as `progenitor_client::Error::InvalidRequest`.
pub(crate) fn pre(
    endpoint: Endpoint,
    operation: Option<&OperationSpec>,
    request: &mut reqwest::Request,
) -> Result<(), String> {
    prepare(endpoint, operation, &RequestOptions::new(), request)
}

/// Sends the request, and sends it again while the failure is transient, the policy allows
/// another attempt, repeating cannot apply it twice (or nothing reached the server), and the
/// deadline leaves time.
pub(crate) async fn exec(
    endpoint: Endpoint<'_>,
    operation_id: &'static str,
    operation: Option<&OperationSpec>,
    request: reqwest::Request,
) -> reqwest::Result<reqwest::Response> {
    // progenitor decodes a `reqwest::Response`, which keeps its URL apart from the parts.
    let url = request.url().clone();
    send_with_retries(
        endpoint,
        operation_id,
        operation,
        request,
        &RequestOptions::new(),
    )
    .await
    .outcome
    .map(|response| response.into_response(url))
    .map_err(|failure| failure.error)
}
