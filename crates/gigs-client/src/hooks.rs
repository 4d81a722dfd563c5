//! progenitor's hooks: how a generated builder's own `send()` enters the runtime. They run the
//! same steps as `.exchange()` (drawn in [`crate::call`]) with the client's settings alone,
//! because progenitor hands them only the request and the operation's name.

use progenitor_client::{ClientHooks, OperationInfo};

use crate::attempts::send_with_retries;
use crate::operation::OperationSpec;
use crate::options::RequestOptions;
use crate::prepare::prepare;
use crate::{Client, ClientSettings};

impl ClientHooks<ClientSettings> for Client {
    /// Finishes the request, or refuses it before it is sent (see the module's diagram).
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let operation = OperationSpec::by_method_name(info.operation_id);
        prepare(self, operation, &RequestOptions::new(), request)
            .map_err(progenitor_client::Error::InvalidRequest)
    }

    /// Sends the request, and sends it again while the failure is transient, the policy allows
    /// another attempt, repeating cannot apply it twice, and the deadline leaves time.
    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let operation_id = OperationSpec::by_method_name(info.operation_id)
            .map_or(info.operation_id, |operation| operation.operation_id);
        // progenitor decodes a `reqwest::Response`, which keeps its URL apart from the parts.
        let url = request.url().clone();
        send_with_retries(self, operation_id, request, &RequestOptions::new())
            .await
            .outcome
            .map(|response| response.into_response(url))
    }
}
