//! The configured client.

use std::fmt;
use std::ops::Deref;

use gigs_client::ProjectClient;

use crate::config::GigsBuilder;
use crate::Error;

/// A configured Gigs API client: the generated client, authenticated, with an optional default
/// project. Cheap to clone; clones share the connection pool.
///
/// It dereferences to [`ProjectClient`], so the resource groups are methods of `Gigs`:
/// `gigs.subscriptions().list()`, `gigs.sims().retrieve()`, ... (the project is filled in when a
/// default is set), and [`client()`](ProjectClient::client) gives the generated
/// [`gigs_client::Client`] for anything else.
#[derive(Clone)]
pub struct Gigs {
    inner: ProjectClient,
}

impl Gigs {
    /// A builder; only the token is required.
    pub fn builder() -> GigsBuilder {
        GigsBuilder::default()
    }

    /// A client configured from `GIGS_TOKEN` (required), `GIGS_PROJECT` and `GIGS_BASE_URL`.
    ///
    /// # Errors
    /// [`ConfigError::MissingEnvVar`](crate::ConfigError::MissingEnvVar) naming `GIGS_TOKEN`
    /// when it is unset, and the errors of [`GigsBuilder::build`].
    pub fn from_env() -> Result<Self, Error> {
        GigsBuilder::from_env()?.build()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        progenitor_client::ClientInfo::baseurl(self.inner.client())
    }

    pub(crate) fn from_project_client(inner: ProjectClient) -> Self {
        Self { inner }
    }
}

impl Deref for Gigs {
    type Target = ProjectClient;

    fn deref(&self) -> &ProjectClient {
        &self.inner
    }
}

impl fmt::Debug for Gigs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Gigs")
            .field("base_url", &self.base_url())
            .field("project", &self.inner.project())
            .finish_non_exhaustive()
    }
}
