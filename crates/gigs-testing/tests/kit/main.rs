//! The gigs-testing test binary: one module per concern, each says what belongs in it.

mod binary;
mod conformance;
mod devices;
mod errors;
mod faults;
mod lists;
mod mocks;
mod operations;
mod plans;
mod prism_proxy;
mod sims;
mod subscriptions;
mod users;

use gigs_testing::{FakeGigs, Seed};

/// The seed of the gigs-testing README examples (`crates/gigs-testing/seed.json`): the spec's
/// examples of a user, plan, eSIM, pSIM, device and an active subscription, in project `gigs`.
pub const SEED: &str = include_str!("../../seed.json");

/// Ids in [`SEED`].
pub mod ids {
    pub const USER: &str = "usr_0SNlurA049MEWV4OpCwsNyC9Kn2d";
    pub const PLAN: &str = "pln_0SNlurA049MEWV3V0q7gjQbM4EVo";
    pub const ESIM: &str = "sim_0SNlurA049MEWV1BAAmWZULA4lf6";
    pub const PSIM: &str = "sim_0SNlurA049MEWV7pSIMexample01";
    pub const DEVICE: &str = "dev_0SNlurA049MEWV55CrA9qMvI2FVJ";
    pub const SUBSCRIPTION: &str = "sub_0SNlurA049MEWV2gSfSxi00xlPIi";
    pub const IMEI: &str = "492388841798923";
}

/// A fake started with [`SEED`].
pub async fn seeded() -> FakeGigs {
    let seed = Seed::from_json(SEED).expect("seed.json is a valid seed");
    FakeGigs::builder()
        .seed(seed)
        .start()
        .await
        .expect("a loopback port is free")
}

/// A raw request to the fake (for what the SDK cannot send: bad input, missing token):
/// returns the status, headers and JSON body.
pub async fn raw(
    fake: &FakeGigs,
    method: reqwest::Method,
    path: &str,
    body: Option<&str>,
    token: bool,
) -> (u16, reqwest::header::HeaderMap, serde_json::Value) {
    let mut request = reqwest::Client::new().request(method, format!("{}{path}", fake.base_url()));
    if token {
        request = request.bearer_auth("test");
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    let response = request.send().await.expect("the fake answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("a whole body");
    let json = serde_json::from_slice(&bytes).unwrap_or_else(|error| {
        panic!("the fake answered {status} with a body that is not JSON ({error}): {bytes:?}")
    });
    (status, headers, json)
}
