//! The three ways of reading one subscription that the request benchmarks compare: `.call()`
//! through `gigs`, the generated client's `send()`, and a hand-written reqwest call, against a
//! loopback server answering with the reference's example.

use std::time::Duration;

use gigs::types::Subscription;
use gigs::{Call, Gigs};
use hyper::body::Bytes;

use crate::http::{configured_http_client, get_json, PROJECT, TOKEN};
use crate::loopback::LoopbackServer;
use crate::spec;

/// The server and the three clients, set up alike (token, timeouts) so that only what each
/// adds on top of reqwest differs.
pub struct SubscriptionCalls {
    pub expected: Subscription,
    base_url: String,
    gigs: Gigs,
    generated: gigs_client::Client,
    hand_written: reqwest::Client,
    // Dropped last: the clients' pooled connections close before the server stops.
    _server: LoopbackServer,
}

impl SubscriptionCalls {
    pub fn start() -> Self {
        let example = spec::subscription_example();
        let expected: Subscription =
            serde_json::from_value(example.clone()).expect("the example is a Subscription");
        let path = format!("/projects/{PROJECT}/subscriptions/{}", expected.id);
        let body = Bytes::from(serde_json::to_vec(&example).expect("serialise the example"));
        // Any other path gets `{}`, which no contender can decode: a wrong URL fails the run.
        let server = LoopbackServer::start(Duration::from_secs(300), move |uri| {
            let answer = if uri.path() == path {
                body.clone()
            } else {
                Bytes::from_static(b"{}")
            };
            async move { answer }
        });
        let base_url = server.base_url().to_owned();
        let gigs = Gigs::builder()
            .token(TOKEN)
            .project(PROJECT)
            .base_url(&base_url)
            .build()
            .expect("a gigs client");
        let generated = gigs_client::Client::new_with_client(
            &base_url,
            configured_http_client(),
            gigs_client::ClientSettings::default(),
        );
        Self {
            expected,
            base_url,
            gigs,
            generated,
            hand_written: configured_http_client(),
            _server: server,
        }
    }

    /// `.call()` through `gigs`.
    pub async fn through_gigs(&self) -> Subscription {
        self.gigs
            .subscriptions()
            .retrieve(self.expected.id.as_str())
            .call()
            .await
            .expect("gigs: retrieveSubscription")
    }

    /// The generated client's `send()`.
    pub async fn through_generated(&self) -> Subscription {
        self.generated
            .retrieve_subscription()
            .project(PROJECT)
            .subscription(self.expected.id.as_str())
            .send()
            .await
            .expect("generated client: retrieveSubscription")
            .into_inner()
    }

    /// reqwest and serde_json by hand.
    pub async fn by_hand(&self) -> Subscription {
        get_json::<Subscription>(
            &self.hand_written,
            format!(
                "{}/projects/{PROJECT}/subscriptions/{}",
                self.base_url, self.expected.id
            ),
        )
        .await
        .expect("hand-written: GET subscription")
    }
}
