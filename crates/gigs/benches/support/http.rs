//! The hand-written side of the comparisons: a `reqwest` client set up as a careful user would
//! set it up, with the same headers and timeouts the SDK configures, so that only what the SDK
//! adds on top of reqwest differs.

use hyper::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION};
use progenitor_client::ClientInfo;

/// The token every benchmark client sends; the loopback servers ignore it.
pub const TOKEN: &str = "sk_bench";

/// The project every benchmark request names.
pub const PROJECT: &str = "bench";

/// A reqwest client with bearer authentication and the SDK's default timeouts.
pub fn configured_http_client() -> reqwest::Client {
    let mut authorization =
        HeaderValue::from_str(&format!("Bearer {TOKEN}")).expect("a valid header value");
    authorization.set_sensitive(true);
    reqwest::Client::builder()
        .default_headers(HeaderMap::from_iter([(AUTHORIZATION, authorization)]))
        .user_agent("hand-written/1.0")
        .timeout(gigs::DEFAULT_TIMEOUT)
        .connect_timeout(gigs::DEFAULT_CONNECT_TIMEOUT)
        .build()
        .expect("a reqwest client")
}

/// A GET of `url` with the headers the generated client sends (`Accept`, `api-version`),
/// decoded into `T` by `reqwest`'s own JSON support.
pub async fn get_json<T: serde::de::DeserializeOwned>(
    http: &reqwest::Client,
    url: impl reqwest::IntoUrl,
) -> Result<T, reqwest::Error> {
    http.get(url)
        .header(ACCEPT, "application/json")
        .header(
            "api-version",
            <gigs_client::Client as ClientInfo<gigs_client::ClientSettings>>::api_version(),
        )
        .send()
        .await?
        .error_for_status()?
        .json()
        .await
}
