//! The configured clients: [`Gigs`], which has a project, and [`UnscopedGigs`], which has none.

use std::fmt;
use std::ops::Deref;

use gigs_client::{Client, ProjectClient, UnscopedClient};
use progenitor_client::ClientInfo;

use crate::config::{GigsBuilder, NoProject};
use crate::raw::RawRequest;
use crate::Error;

/// A configured Gigs API client for one project: the generated client, authenticated, with the
/// project every project-scoped operation goes to. Cheap to clone; clones share the connection
/// pool.
///
/// It dereferences to [`ProjectClient`], so the resource groups are methods of `Gigs`, and each
/// takes the ids of its path as arguments: `gigs.subscriptions().list()`,
/// `gigs.devices().retrieve("dev_123")`, `gigs.subscriptions().cancel("sub_123")`.
/// [`client()`](ProjectClient::client) gives the generated [`gigs_client::Client`];
/// [`request`](Self::request) reaches what the spec does not have yet.
///
/// A `Gigs` always has a project: [`Gigs::builder`] builds one only after
/// [`.project(..)`](GigsBuilder::project) (without it, [`GigsBuilder::build_unscoped`] gives an
/// [`UnscopedGigs`]), [`Gigs::from_env`] fails when `GIGS_PROJECT` is unset, and
/// [`project`](Self::project) gives one for another project. No call can fail for want of one.
///
/// ```
/// let gigs = gigs::Gigs::builder().token("sk_test_123").project("my-project").build()?;
/// assert_eq!(gigs.project_id(), "my-project");
/// let other = gigs.project("other-project");
/// assert_eq!(other.project_id(), "other-project");
/// let cancel = other.subscriptions().cancel("sub_123");
/// # let _ = cancel;
/// # Ok::<(), gigs::Error>(())
/// ```
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
    /// A builder; the token is required, and [`build`](GigsBuilder::build) needs a
    /// [`project`](GigsBuilder::project).
    pub fn builder() -> GigsBuilder<NoProject> {
        GigsBuilder::default()
    }

    /// A client configured from `GIGS_TOKEN` and `GIGS_PROJECT` (both required) and
    /// `GIGS_BASE_URL`.
    ///
    /// # Errors
    /// [`ConfigError::MissingEnvVar`](crate::ConfigError::MissingEnvVar) naming `GIGS_TOKEN` or
    /// `GIGS_PROJECT` when it is unset or empty, and the errors of [`GigsBuilder::build`].
    /// [`UnscopedGigs::from_env`] needs no project.
    pub fn from_env() -> Result<Self, Error> {
        GigsBuilder::from_env()?.build()
    }

    /// The same client for `project` (sharing this one's connection pool and settings).
    pub fn project(&self, project: impl Into<String>) -> Gigs {
        Gigs::from_client(self.inner.client().clone(), project)
    }

    /// The same client without a project.
    pub fn unscoped(&self) -> UnscopedGigs {
        UnscopedGigs::from_client(self.inner.client().clone())
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.inner.client().baseurl()
    }

    /// A raw request to `path` (below the base URL, e.g. `/projects/p/devices`), for endpoints
    /// and fields the spec does not have yet. It gets the client's token, retries, idempotency
    /// rules, timeouts, deadline and tracing, and its errors are [`Error`]s; see [`RawRequest`].
    pub fn request(&self, method: reqwest::Method, path: &str) -> RawRequest<'_> {
        RawRequest::new(self.inner.client(), method, path)
    }

    pub(crate) fn from_client(client: Client, project: impl Into<String>) -> Self {
        Self {
            inner: ProjectClient::new(client, project),
        }
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
            .field("project", &self.inner.project_id())
            .finish_non_exhaustive()
    }
}

/// A configured Gigs API client without a project: for the operations that no project scopes
/// (the device models), and to make a [`Gigs`] per project with [`project`](Self::project).
/// Cheap to clone; clones share the connection pool.
///
/// It dereferences to [`UnscopedClient`], whose resource groups hold only the operations that
/// need no project, so a project-scoped operation cannot be reached from here without one.
///
/// ```
/// let unscoped = gigs::Gigs::builder().token("sk_test_123").build_unscoped()?;
/// let models = unscoped.devices().list_models();
/// let gigs = unscoped.project("my-project");
/// let devices = gigs.devices().list();
/// # let _ = (models, devices);
/// # Ok::<(), gigs::Error>(())
/// ```
#[derive(Clone)]
pub struct UnscopedGigs {
    inner: UnscopedClient,
}

impl UnscopedGigs {
    /// A client configured from `GIGS_TOKEN` (required) and `GIGS_BASE_URL`; `GIGS_PROJECT` is
    /// not read.
    ///
    /// # Errors
    /// [`ConfigError::MissingEnvVar`](crate::ConfigError::MissingEnvVar) naming `GIGS_TOKEN`
    /// when it is unset or empty, and the errors of [`GigsBuilder::build_unscoped`].
    pub fn from_env() -> Result<Self, Error> {
        GigsBuilder::unscoped_from_vars(|name| std::env::var(name).ok())?.build_unscoped()
    }

    /// A client for `project` (sharing this one's connection pool and settings).
    pub fn project(&self, project: impl Into<String>) -> Gigs {
        Gigs::from_client(self.inner.client().clone(), project)
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.inner.client().baseurl()
    }

    /// A raw request to `path`, as [`Gigs::request`].
    pub fn request(&self, method: reqwest::Method, path: &str) -> RawRequest<'_> {
        RawRequest::new(self.inner.client(), method, path)
    }

    pub(crate) fn from_client(client: Client) -> Self {
        Self {
            inner: UnscopedClient::new(client),
        }
    }
}

impl Deref for UnscopedGigs {
    type Target = UnscopedClient;

    fn deref(&self) -> &UnscopedClient {
        &self.inner
    }
}

impl fmt::Debug for UnscopedGigs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnscopedGigs")
            .field("base_url", &self.base_url())
            .finish_non_exhaustive()
    }
}
