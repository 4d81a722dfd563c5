//! Belongs here: the flow around a subscription that `crates/gigs/examples/subscribe_flow.rs`
//! shows (create a user, pick an available plan, create a device, subscribe, list the user's
//! subscriptions, cancel), run from that very file against gigs-testing's in-process fake and
//! through Prism, which checks every request against openapi.yaml.

use gigs::{Gigs, RetryPolicy};
use gigs_client::types::{PlanStatus, SubscriptionCancellationUserReason, UserStatus};
use gigs_testing::{FakeGigs, Seed};
use gigs_tests::examples::{lost_fields, success_examples};
use gigs_tests::operations::example_ids::{EMAIL, PLAN, PROJECT};
use gigs_tests::prism;
use serde::Serialize;

#[allow(dead_code)] // its `main`: the test calls `subscribe`
#[path = "../../../crates/gigs/examples/subscribe_flow.rs"]
mod subscribe_flow;

/// An IMEI that no seeded device has.
const NEW_IMEI: &str = "492388841798924";

#[tokio::test]
async fn the_flow_runs_against_the_fake_and_leaves_its_state_there() {
    let seed_file = prism::workspace_root().join("crates/gigs-testing/seed.json");
    let seed = Seed::from_file(&seed_file).expect("the seed file loads");
    let fake = FakeGigs::builder()
        .seed(seed)
        .project(PROJECT)
        .start()
        .await
        .expect("the fake starts");

    let flow = subscribe_flow::subscribe(&fake.gigs(), "elaine@example.com", NEW_IMEI)
        .await
        .unwrap_or_else(|error| panic!("the flow failed against the fake: {error}"));

    let user = fake.user(&flow.user.id).expect("the user is stored");
    assert_eq!(user.email.as_deref(), Some("elaine@example.com"));
    assert_eq!(user.status, Some(UserStatus::Active));
    assert_eq!(
        flow.plan.id, PLAN,
        "the seed's plan is the available eSIM plan"
    );
    assert_eq!(flow.plan.status, Some(PlanStatus::Available));
    let device = fake.device(&flow.device.id).expect("the device is stored");
    assert_eq!(device.user.map(|owner| owner.id), Some(user.id.clone()));
    assert_eq!(device.imei.as_deref(), Some(NEW_IMEI));

    assert_eq!(flow.subscription.user.id, user.id);
    assert_eq!(flow.subscription.plan.id, PLAN);
    assert_eq!(
        flow.listed
            .iter()
            .map(|s| s.id.as_str())
            .collect::<Vec<_>>(),
        [flow.subscription.id.as_str()],
        "the new user has the new subscription only"
    );
    let stored = fake
        .subscription(&flow.subscription.id)
        .expect("the subscription is stored");
    assert!(stored.canceled_at.is_some());
    assert_eq!(stored, flow.canceled);
    assert_eq!(
        stored.cancellation_details.and_then(|d| d.user_reason),
        Some(SubscriptionCancellationUserReason::TooExpensive)
    );
    assert_eq!(fake.calls("listPlans"), 1);
    assert_eq!(fake.calls("cancelSubscription"), 1);
}

/// `value` read back holds every field of one of the documented success examples.
#[track_caller]
fn assert_is_example(operation_id: &str, value: &impl Serialize) {
    let written = serde_json::to_value(value).unwrap();
    let differences: Vec<Vec<String>> = success_examples(operation_id)
        .iter()
        .map(|example| {
            let example = example.get("items").map_or(example, |items| &items[0]);
            lost_fields(example, &written)
        })
        .collect();
    assert!(
        differences.iter().any(Vec::is_empty),
        "{operation_id}: not a documented example: {differences:?}"
    );
}

/// The same requests through Prism (run with `--errors`: a request that breaks the spec is
/// answered with an error status, which fails the flow), each answer read back whole.
#[tokio::test]
async fn the_flow_sends_requests_prism_accepts() {
    let Some(prism) = prism::shared() else {
        return;
    };
    let gigs = Gigs::builder()
        .token("sk_test_contract")
        .project(PROJECT)
        .base_url(prism.base_url())
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("an SDK client for the mock");
    let flow = subscribe_flow::subscribe(&gigs, EMAIL, NEW_IMEI)
        .await
        .unwrap_or_else(|error| {
            panic!(
                "Prism refused a request of the flow: {error}\n{}",
                prism.output()
            )
        });
    assert_is_example("createUser", &flow.user);
    assert_is_example("listPlans", &flow.plan);
    assert_is_example("createDevice", &flow.device);
    assert_is_example("createSubscription", &flow.subscription);
    assert_eq!(flow.listed.len(), 1);
    assert_is_example("listSubscriptions", &flow.listed[0]);
    assert_is_example("cancelSubscription", &flow.canceled);
}
