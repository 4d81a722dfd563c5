//! The one error type of the SDK.

use gigs_client::types;

/// Everything that can go wrong in a call through this crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be configured.
    #[error("invalid Gigs client configuration: {0}")]
    Config(#[from] ConfigError),
    /// The request failed, or the API answered with an error. Boxed: it carries a response.
    #[error("Gigs API request failed: {0}")]
    Api(Box<progenitor_client::Error<types::Error>>),
    /// A list page size outside what the API allows; nothing was sent.
    #[error("invalid page size {limit}: it must be between 1 and 200")]
    InvalidPageSize {
        /// The size that was asked for.
        limit: u32,
    },
    /// The API returned a page cursor it had returned before; the stream stops rather than loop.
    #[error("the API returned the page cursor `{cursor}` a second time; stopping the list")]
    RepeatedCursor {
        /// The cursor seen twice.
        cursor: String,
    },
}

impl From<progenitor_client::Error<types::Error>> for Error {
    fn from(error: progenitor_client::Error<types::Error>) -> Self {
        Self::Api(Box::new(error))
    }
}

/// What is wrong with a client configuration.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// No API token was given, or it was empty.
    #[error("an API token is required (set it with `.token(...)` or GIGS_TOKEN)")]
    MissingToken,
    /// A required environment variable is not set or is empty.
    #[error("the environment variable {0} is not set")]
    MissingEnvVar(&'static str),
    /// The base URL cannot be used.
    #[error("invalid base URL `{url}`: {reason}")]
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// Why it cannot be used.
        reason: String,
    },
    /// The token or user agent contains characters that cannot go in an HTTP header.
    #[error("the {0} contains characters that are not allowed in an HTTP header")]
    InvalidHeader(&'static str),
    /// reqwest could not build the HTTP client.
    #[error("cannot build the HTTP client: {0}")]
    HttpClient(#[source] reqwest::Error),
}
