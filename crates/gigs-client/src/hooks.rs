//! The hooks progenitor's generated `Client` calls around every request.

use progenitor_client::{ClientHooks, OperationInfo};

use crate::Client;

impl ClientHooks for Client {
    /// Refuses a request that carries both pagination cursors, and sends the commas of comma-separated filters as commas: `?status=active,pending`.
    ///
    /// The URL encoder progenitor goes through writes `,` as `%2C`. Both decode to the same
    /// value, so this changes nothing a form decoder sees, but it keeps requests in the form the
    /// Gigs reference documents and readable in logs.
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        // The API takes `after` or `before`, never both; catch the mistake before it is sent.
        let has = |name: &str| request.url().query_pairs().any(|(key, _)| key == name);
        if has("after") && has("before") {
            return Err(progenitor_client::Error::InvalidRequest(
                "`after` and `before` cannot be sent together: set only one cursor".to_owned(),
            ));
        }
        if let Some(query) = request.url().query().filter(|query| query.contains("%2C")) {
            let query = query.replace("%2C", ",");
            request.url_mut().set_query(Some(&query));
        }
        Ok(())
    }
}
