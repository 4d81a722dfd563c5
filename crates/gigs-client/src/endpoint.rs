//! What the runtime knows of a client.

use progenitor_client::ClientInfo;

use crate::settings::ClientSettings;

/// What the runtime needs of a client: its settings, its HTTP client and its base URL. The
/// generated `Client` hands these over; the runtime never sees the generated type itself.
#[derive(Clone, Copy)]
pub(crate) struct Endpoint<'a> {
    pub(crate) settings: &'a ClientSettings,
    pub(crate) http: &'a reqwest::Client,
    pub(crate) base_url: &'a str,
}

impl<'a> Endpoint<'a> {
    /// The endpoint of a generated client (or of any client progenitor's way).
    pub(crate) fn of(client: &'a impl ClientInfo<ClientSettings>) -> Self {
        Self {
            settings: client.inner(),
            http: client.client(),
            base_url: client.baseurl(),
        }
    }
}
