//! The configured client.

use std::fmt;
use std::ops::Deref;

use gigs_client::ProjectClient;

use crate::config::GigsBuilder;
use crate::raw::RawRequest;
use crate::Error;

/// A configured Gigs API client: the generated client, authenticated, with an optional default
/// project. Cheap to clone; clones share the connection pool.
///
/// It dereferences to [`ProjectClient`], so the resource groups are methods of `Gigs`:
/// `gigs.subscriptions().list()`, `gigs.sims().retrieve()`, ... (the project is filled in when a
/// default is set), and [`client()`](ProjectClient::client) gives the generated
/// [`gigs_client::Client`]; [`request`](Self::request) reaches what the spec does not have yet.
///
/// Why `Deref` and not methods of its own: the resource groups are generated from the spec's
/// tags onto [`ProjectClient`], so a tag added to the spec appears on `Gigs` with no hand edit,
/// and `Gigs` keeps no state or invariant that reaching `ProjectClient`'s (read-only, `&self`)
/// methods could bypass: it is the configured handle to one.
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

    /// A raw request to `path` (below the base URL, e.g. `/projects/p/devices`), for endpoints
    /// and fields the spec does not have yet. It gets the client's token, retries, idempotency
    /// rules, timeouts, deadline and tracing, and its errors are [`Error`]s; see [`RawRequest`].
    pub fn request(&self, method: reqwest::Method, path: &str) -> RawRequest<'_> {
        RawRequest::new(self, method, path)
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
