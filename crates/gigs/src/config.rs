//! Building a [`Gigs`] client from code or from the environment.

use std::fmt;
use std::time::Duration;

use gigs_client::{Client, ClientSettings, RetryPolicy};
use reqwest::header::HeaderValue;

use crate::error::{ConfigError, Error};
use crate::token::ApiToken;
use crate::{Gigs, UnscopedGigs};

/// The API's address unless another base URL is configured.
pub const DEFAULT_BASE_URL: &str = "https://api.gigs.com";
/// How long one request may take, from connecting to the end of the body, by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long connecting may take by default.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The `User-Agent` sent unless another is configured: this crate's name and version.
pub const DEFAULT_USER_AGENT: &str =
    concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// Configures a [`Gigs`] client (or an [`UnscopedGigs`]). The API token is required; the
/// project decides what is built.
///
/// The builder records in its type whether it has a project: [`Gigs::builder`] starts as
/// `GigsBuilder<NoProject>`, and [`project`](Self::project) makes it a
/// `GigsBuilder<WithProject>`. Only that one has [`build`](GigsBuilder::build), which gives a
/// [`Gigs`]; without a project, [`build_unscoped`](GigsBuilder::build_unscoped) gives an
/// [`UnscopedGigs`] (device models, and [`UnscopedGigs::project`] for the rest). So a forgotten
/// project is a compile error, never a failed call.
///
/// ```
/// use std::time::Duration;
///
/// let gigs = gigs::Gigs::builder()
///     .token("sk_test_123")
///     .project("my-project")
///     .timeout(Duration::from_secs(10))
///     .build()?;
/// assert_eq!(gigs.project_id(), "my-project");
/// # Ok::<(), gigs::Error>(())
/// ```
///
/// ```compile_fail
/// // No project, no `build()`: `build_unscoped()` is the builder's only way out.
/// let gigs = gigs::Gigs::builder().token("sk_test_123").build()?;
/// # Ok::<(), gigs::Error>(())
/// ```
pub struct GigsBuilder<P = NoProject> {
    token: Option<ApiToken>,
    base_url: String,
    project: P,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    http: HttpSource,
    settings: ClientSettings,
}

/// The state of a [`GigsBuilder`] that has no project yet: it builds an [`UnscopedGigs`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoProject;

/// The state of a [`GigsBuilder`] given a project: it builds a [`Gigs`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WithProject(String);

impl WithProject {
    /// The project.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where the HTTP client comes from.
enum HttpSource {
    /// A new reqwest client with this builder's settings.
    New,
    /// The caller's builder, with this builder's settings applied on top.
    Builder(Box<reqwest::ClientBuilder>),
    /// The caller's client, used as it is.
    Client(reqwest::Client),
}

impl Default for GigsBuilder<NoProject> {
    fn default() -> Self {
        Self {
            token: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
            project: NoProject,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            http: HttpSource::New,
            settings: ClientSettings::default(),
        }
    }
}

impl<P: fmt::Debug> fmt::Debug for GigsBuilder<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GigsBuilder")
            .field("token", &self.token)
            .field("base_url", &self.base_url)
            .field("project", &self.project)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field(
                "http",
                &match self.http {
                    HttpSource::New => "new",
                    HttpSource::Builder(_) => "from a reqwest::ClientBuilder",
                    HttpSource::Client(_) => "a reqwest::Client",
                },
            )
            .field("settings", &self.settings)
            .finish()
    }
}

impl GigsBuilder<WithProject> {
    /// A builder pre-filled from `GIGS_TOKEN` and `GIGS_PROJECT` (both required) and
    /// `GIGS_BASE_URL` (left at its default when unset), for settings to add before building.
    ///
    /// # Errors
    /// [`ConfigError::MissingEnvVar`] naming `GIGS_TOKEN` or `GIGS_PROJECT` when it is unset or
    /// empty.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    pub(crate) fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let builder = GigsBuilder::unscoped_from_vars(&var)?;
        let project =
            non_empty(&var, "GIGS_PROJECT").ok_or(ConfigError::MissingEnvVar("GIGS_PROJECT"))?;
        Ok(builder.project(project))
    }

    /// The project.
    pub fn project_id(&self) -> &str {
        self.project.as_str()
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`ConfigError::MissingToken`] without a non-empty token, [`ConfigError::InvalidBaseUrl`]
    /// for a base URL that is not an absolute `http`/`https` URL, and the other
    /// [`ConfigError`]s for header values or a reqwest builder that cannot be used.
    pub fn build(self) -> Result<Gigs, Error> {
        let (builder, WithProject(project)) = self.into_parts();
        Ok(Gigs::from_client(builder.client()?, project))
    }
}

impl GigsBuilder<NoProject> {
    /// `GIGS_TOKEN` (required) and `GIGS_BASE_URL`, not `GIGS_PROJECT`.
    pub(crate) fn unscoped_from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let token =
            non_empty(&var, "GIGS_TOKEN").ok_or(ConfigError::MissingEnvVar("GIGS_TOKEN"))?;
        let mut builder = Self::default().token(token);
        if let Some(base_url) = non_empty(&var, "GIGS_BASE_URL") {
            builder = builder.base_url(base_url);
        }
        Ok(builder)
    }

    /// Builds a client without a project: for the operations that no project scopes, and
    /// [`UnscopedGigs::project`] for the others.
    ///
    /// # Errors
    /// As [`build`](GigsBuilder::build).
    pub fn build_unscoped(self) -> Result<UnscopedGigs, Error> {
        Ok(UnscopedGigs::from_client(self.client()?))
    }
}

/// The variable `name`, unless it is unset or blank.
fn non_empty(var: impl Fn(&str) -> Option<String>, name: &str) -> Option<String> {
    var(name).filter(|value| !value.trim().is_empty())
}

impl<P> GigsBuilder<P> {
    /// The API token (required). It is sent as `Authorization: Bearer <token>` and never printed.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = ApiToken::new(token);
        self
    }

    /// The API's base URL; `https://api.gigs.com` by default.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// The project that project-scoped operations go to; with it, [`build`](GigsBuilder::build)
    /// gives a [`Gigs`]. Given twice, the second wins.
    pub fn project(self, project: impl Into<String>) -> GigsBuilder<WithProject> {
        let (builder, _) = self.into_parts();
        GigsBuilder {
            token: builder.token,
            base_url: builder.base_url,
            project: WithProject(project.into()),
            timeout: builder.timeout,
            connect_timeout: builder.connect_timeout,
            user_agent: builder.user_agent,
            http: builder.http,
            settings: builder.settings,
        }
    }

    /// The builder without its project state, and that state.
    fn into_parts(self) -> (GigsBuilder<NoProject>, P) {
        let builder = GigsBuilder {
            token: self.token,
            base_url: self.base_url,
            project: NoProject,
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
            user_agent: self.user_agent,
            http: self.http,
            settings: self.settings,
        };
        (builder, self.project)
    }

    /// The time each attempt of a request may take, from connecting to the end of the body;
    /// 30 s by default. A retried request gets this time again for every attempt.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The time connecting may take, per attempt; 5 s by default.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` header; `gigs/<version>` by default.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// How failed requests are retried; [`RetryPolicy`] states the defaults, and
    /// [`RetryPolicy::none()`] turns retries off.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.settings = self.settings.with_retry_policy(policy);
        self
    }

    /// A bound on every call: all its attempts and the waits between them (none by default).
    /// A retry whose wait, or `Retry-After`, would end past it is not made; the call then ends
    /// with an error for which [`Error::is_timeout`] is true. One call can set its own with
    /// [`RequestOptions::deadline`](crate::RequestOptions::deadline).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let gigs = gigs::Gigs::builder()
    ///     .token("sk_test_123")
    ///     .project("my-project")
    ///     .timeout(Duration::from_secs(5)) // each attempt
    ///     .deadline(Duration::from_secs(8)) // the whole call
    ///     .build()?;
    /// # let _ = gigs;
    /// # Ok::<(), gigs::Error>(())
    /// ```
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.settings = self.settings.with_deadline(deadline);
        self
    }

    /// Attach a fresh UUIDv4 `Idempotency-Key` to every POST and DELETE, which makes them safe
    /// to retry. Off by default: the Gigs feature may have to be enabled for the project first.
    /// One request can be given its own key with
    /// [`RequestOptions::idempotency_key`](crate::RequestOptions::idempotency_key) instead.
    pub fn idempotency_keys(mut self, enabled: bool) -> Self {
        self.settings = self.settings.with_idempotency_keys(enabled);
        self
    }

    /// A reqwest client to send the requests with, used as it is: one a service already shares,
    /// say. The token is added to each request (never to the client's default headers), and so
    /// are the timeout, retries and deadline of this builder; the client's own user agent,
    /// connect timeout, proxies and redirect policy apply.
    ///
    /// ```
    /// let shared = reqwest::Client::new();
    /// let gigs = gigs::Gigs::builder()
    ///     .token("sk_test_123")
    ///     .project("my-project")
    ///     .http_client(shared.clone())
    ///     .build()?;
    /// # let _ = gigs;
    /// # Ok::<(), gigs::Error>(())
    /// ```
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = HttpSource::Client(http);
        self
    }

    /// A reqwest builder to start from (proxies, TLS roots, pool settings, ...). The user agent,
    /// timeout and connect timeout of this builder are applied on top of it, and an `https` base URL
    /// makes it refuse plain `http` (no redirect can take the token there).
    pub fn http_client_builder(mut self, http: reqwest::ClientBuilder) -> Self {
        self.http = HttpSource::Builder(Box::new(http));
        self
    }

    /// The generated client these settings describe.
    fn client(self) -> Result<Client, Error> {
        let token = self.token.ok_or(ConfigError::MissingToken)?;
        let base_url = parse_base_url(&self.base_url)?;
        // Plain http is for a base URL the caller chose (a local mock); an https client must
        // never be redirected to http with the token.
        let https_only = base_url.starts_with("https://");

        let settings = self
            .settings
            .with_bearer_token(token.expose())
            .map_err(|_| ConfigError::InvalidHeader("API token"))?;
        let user_agent = HeaderValue::from_str(&self.user_agent)
            .map_err(|_| ConfigError::InvalidHeader("user agent"))?;
        let builder = match self.http {
            HttpSource::Client(http) => Err(http),
            HttpSource::Builder(builder) => Ok(*builder),
            HttpSource::New => Ok(reqwest::ClientBuilder::new()),
        };
        // A client built here applies the timeout itself; a client given ready-made gets it on
        // each request.
        let settings = settings.with_timeout(self.timeout);
        let client = match builder {
            Err(http) => Client::new_with_client(&base_url, http, settings),
            Ok(builder) => {
                let builder = builder
                    .user_agent(user_agent)
                    .connect_timeout(self.connect_timeout)
                    .https_only(https_only);
                Client::from_http_client_builder(&base_url, builder, settings)
                    .map_err(ConfigError::HttpClient)?
            }
        };
        Ok(client)
    }
}

/// Checks the base URL and returns it without a trailing slash (operation paths start with one).
fn parse_base_url(raw: &str) -> Result<String, ConfigError> {
    let invalid = |reason: &str| ConfigError::InvalidBaseUrl {
        url: raw.to_owned(),
        reason: reason.to_owned(),
    };
    let url = reqwest::Url::parse(raw).map_err(|error| invalid(&error.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("a base URL has no query or fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
        }
    }

    #[test]
    fn the_environment_sets_token_project_and_base_url() {
        let gigs = GigsBuilder::from_vars(vars(&[
            ("GIGS_TOKEN", "sk_env"),
            ("GIGS_PROJECT", "env-project"),
            ("GIGS_BASE_URL", "http://127.0.0.1:9/"),
        ]))
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(gigs.project_id(), "env-project");
        assert_eq!(gigs.base_url(), "http://127.0.0.1:9");
    }

    #[test]
    fn a_missing_token_variable_is_named() {
        for missing in [vars(&[("GIGS_PROJECT", "p")]), vars(&[("GIGS_TOKEN", " ")])] {
            let error = GigsBuilder::from_vars(&missing).unwrap_err();
            assert!(matches!(
                error,
                Error::Config(ConfigError::MissingEnvVar("GIGS_TOKEN"))
            ));
            assert!(error.to_string().contains("GIGS_TOKEN"), "{error}");
            let error = GigsBuilder::unscoped_from_vars(&missing).unwrap_err();
            assert!(error.to_string().contains("GIGS_TOKEN"), "{error}");
        }
    }

    #[test]
    fn a_missing_project_variable_is_named_when_building_a_gigs() {
        for missing in [
            vars(&[("GIGS_TOKEN", "sk_env")]),
            vars(&[("GIGS_TOKEN", "sk_env"), ("GIGS_PROJECT", "")]),
        ] {
            let error = GigsBuilder::from_vars(&missing).unwrap_err();
            assert!(matches!(
                error,
                Error::Config(ConfigError::MissingEnvVar("GIGS_PROJECT"))
            ));
            assert!(error.to_string().contains("GIGS_PROJECT"), "{error}");
            // An unscoped client needs none.
            let unscoped = GigsBuilder::unscoped_from_vars(&missing)
                .unwrap()
                .build_unscoped()
                .unwrap();
            assert_eq!(unscoped.base_url(), DEFAULT_BASE_URL);
        }
    }

    #[test]
    fn a_project_can_be_chosen_per_value() {
        let unscoped = Gigs::builder().token("t").build_unscoped().unwrap();
        let gigs = unscoped.project("a");
        assert_eq!(gigs.project_id(), "a");
        assert_eq!(gigs.project("b").project_id(), "b");
        assert_eq!(gigs.project_id(), "a");
        assert!(format!("{:?}", gigs.unscoped()).starts_with("UnscopedGigs"));
        let builder = Gigs::builder().project("first").project("second");
        assert_eq!(builder.project_id(), "second");
    }

    #[test]
    fn a_missing_or_empty_token_is_rejected() {
        for builder in [
            Gigs::builder().project("p"),
            Gigs::builder().token("").project("p"),
            Gigs::builder().token("  ").project("p"),
        ] {
            let error = builder.build().unwrap_err();
            assert!(
                matches!(error, Error::Config(ConfigError::MissingToken)),
                "{error}"
            );
        }
    }

    #[test]
    fn an_unusable_base_url_is_rejected_with_the_reason() {
        for (url, reason) in [
            ("not a url", "relative URL without a base"),
            ("ftp://api.gigs.com", "scheme must be http or https"),
            ("https://api.gigs.com?x=1", "no query or fragment"),
        ] {
            let error = Gigs::builder()
                .token("t")
                .base_url(url)
                .build_unscoped()
                .unwrap_err();
            let message = error.to_string();
            assert!(
                message.contains(url) && message.contains(reason),
                "{message}"
            );
        }
    }

    #[test]
    fn the_token_is_never_printed() {
        let builder = Gigs::builder().token("sk_live_secret").project("p");
        assert!(!format!("{builder:?}").contains("sk_live_secret"));
        let gigs = builder.build().unwrap();
        assert!(!format!("{gigs:?}").contains("sk_live_secret"));
        assert!(!format!("{:?}", gigs.client()).contains("sk_live_secret"));
    }
}
