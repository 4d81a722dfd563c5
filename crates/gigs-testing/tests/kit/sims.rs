//! SIMs through gigs: retrieve, update metadata, search by ICCID, credentials (eSIM only;
//! a pSIM's are a 404), eSIM profile (404 for a pSIM), the `user` filter.

use std::collections::HashMap;

use gigs::Call;
use gigs_client::types::{SearchSimsRequest, SimType, UpdateSimRequest};

use crate::ids::{ESIM, PSIM, USER};
use crate::seeded;

#[tokio::test]
async fn credentials_and_profile_only_for_esims() {
    let fake = seeded().await;
    let gigs = fake.gigs();
    let credentials = gigs.sims().retrieve_credentials(ESIM).call().await.unwrap();
    assert_eq!(credentials.sim, ESIM);
    assert!(credentials.activation_code.unwrap().starts_with("LPA:1$"));
    let profile = gigs
        .sims()
        .retrieve_e_sim_profile(ESIM)
        .call()
        .await
        .unwrap();
    assert_eq!(profile.sim.id, ESIM);
    assert_eq!(
        profile.status.as_str(),
        "unknown",
        "provider p9 reports no profile status"
    );
    for error in [
        gigs.sims()
            .retrieve_credentials(PSIM)
            .call()
            .await
            .unwrap_err(),
        gigs.sims()
            .retrieve_e_sim_profile(PSIM)
            .call()
            .await
            .unwrap_err(),
    ] {
        assert!(error.is_not_found(), "{error}");
    }
}

#[tokio::test]
async fn metadata_updates_and_searches() {
    let fake = seeded().await;
    let gigs = fake.gigs();
    let update: UpdateSimRequest =
        serde_json::from_value(serde_json::json!({"metadata": {"a": "1", "b": ""}})).unwrap();
    gigs.sims().update(ESIM).body(update).call().await.unwrap();
    let update: UpdateSimRequest =
        serde_json::from_value(serde_json::json!({"metadata": {"a": null}})).unwrap();
    let sim = gigs.sims().update(ESIM).body(update).call().await.unwrap();
    assert_eq!(
        sim.metadata.0,
        HashMap::from([("b".to_owned(), String::new())])
    );
    assert_eq!(fake.sim(ESIM).unwrap().metadata, sim.metadata);
    let device = fake.device(crate::ids::DEVICE).unwrap();
    assert_eq!(
        device.sims[0].metadata, sim.metadata,
        "a device shows its SIMs as they are now"
    );

    let found = gigs
        .sims()
        .search()
        .body(SearchSimsRequest::builder().iccid("89883070000007537119"))
        .call()
        .await
        .unwrap();
    assert_eq!(found.items[0].id, ESIM);
    let psim_only = gigs
        .sims()
        .search()
        .body(
            SearchSimsRequest::builder()
                .iccid("89883070000007537119")
                .type_(vec![SimType::PSim]),
        )
        .call()
        .await
        .unwrap();
    assert!(psim_only.items.is_empty());
}

#[tokio::test]
async fn user_filter_follows_devices_and_subscriptions() {
    let fake = seeded().await;
    let gigs = fake.gigs();
    let sims = gigs.sims().list().user(USER).call().await.unwrap();
    let mut ids: Vec<&str> = sims.items.iter().map(|s| s.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, [ESIM, PSIM]);
    let nobody = gigs.sims().list().user("usr_nobody").call().await.unwrap();
    assert!(nobody.items.is_empty());
}
