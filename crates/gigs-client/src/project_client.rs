//! A client with a default project, so project-scoped operations need no `.project(...)`.

use crate::Client;

/// The generated [`Client`] plus an optional default project.
///
/// Its resource accessors (`devices()`, `sims()`, `subscriptions()`, one per tag of the spec,
/// generated) return operation groups whose builders have the project filled in when a default is
/// set; without one, set it on the builder as usual.
///
/// ```
/// let client = gigs_client::Client::new("https://api.gigs.com", Default::default());
/// let gigs = gigs_client::ProjectClient::new(client, Some("my-project".to_owned()));
/// let request = gigs.subscriptions().list().limit(20);
/// # let _ = request;
/// ```
#[derive(Clone, Debug)]
pub struct ProjectClient {
    client: Client,
    project: Option<String>,
}

impl ProjectClient {
    /// Wraps `client`, filling in `project` for project-scoped operations when it is `Some`.
    pub fn new(client: Client, project: Option<String>) -> Self {
        Self { client, project }
    }

    /// The generated client, for everything the resource groups do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The default project, if one is set.
    pub fn project(&self) -> Option<&str> {
        self.project.as_deref()
    }
}
