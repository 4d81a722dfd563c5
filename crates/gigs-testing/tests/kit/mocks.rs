//! The typed httpmock extensions (generated): matchers and answers typed by gigs-client,
//! open enums and comma-separated filters matching what the client sends.

use gigs::Call;
use gigs_client::query::CommaSeparated;
use gigs_client::types::{Subscription, SubscriptionList, SubscriptionStatus};
use gigs_testing::httpmock::MockServerExt;
use httpmock::MockServer;

fn example_subscription() -> Subscription {
    let seed: serde_json::Value = serde_json::from_str(crate::SEED).unwrap();
    serde_json::from_value(seed["projects"]["gigs"]["subscriptions"][0].clone()).unwrap()
}

fn gigs_for(server: &MockServer) -> gigs::Gigs {
    gigs::Gigs::builder()
        .token("test")
        .base_url(server.base_url())
        .project("gigs")
        .retry_policy(gigs::RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_typed_mock_answers_the_typed_call() {
    let server = MockServer::start_async().await;
    let subscription = example_subscription();
    let mock = server.retrieve_subscription(|when, then| {
        when.subscription("sub_1");
        then.ok(&subscription);
    });
    let answer = gigs_for(&server)
        .subscriptions()
        .retrieve("sub_1")
        .call()
        .await
        .unwrap();
    assert_eq!(answer, subscription);
    mock.assert_async().await;
    let other = gigs_for(&server)
        .subscriptions()
        .retrieve("sub_2")
        .call()
        .await;
    assert!(other.is_err(), "the matcher holds the id");
}

#[tokio::test(flavor = "multi_thread")]
async fn comma_separated_filters_and_open_enums_match_the_wire_form() {
    let server = MockServer::start_async().await;
    let list: SubscriptionList = SubscriptionList::builder()
        .items(vec![example_subscription()])
        .object("list")
        .try_into()
        .unwrap();
    let statuses = CommaSeparated::from([
        SubscriptionStatus::Active,
        SubscriptionStatus::from("suspended"),
    ]);
    let mock = server.list_subscriptions(|when, then| {
        when.project("gigs").status(&statuses);
        then.ok(&list);
    });
    let gigs = gigs_for(&server);
    let answer = gigs
        .subscriptions()
        .list()
        .status(vec![
            SubscriptionStatus::Active,
            SubscriptionStatus::from("suspended"),
        ])
        .call()
        .await
        .unwrap();
    assert_eq!(answer.items.len(), 1);
    mock.assert_async().await;
    let unmatched = gigs
        .subscriptions()
        .list()
        .status(vec![SubscriptionStatus::Active])
        .call()
        .await;
    assert!(unmatched.is_err(), "another status list does not match");
}
