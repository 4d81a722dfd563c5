//! Belongs here: responses carrying enum values and fields this SDK version does not know.
//!
//! Responses with values and fields this SDK version does not know still read, and keep them.

use gigs_client::types::{Sim, SimStatus, Subscription, SubscriptionStatus};
use gigs_tests::examples::spec_example;
use serde_json::json;

#[test]
fn an_unknown_enum_value_is_kept_and_written_back_unchanged() {
    let mut subscription = spec_example("retrieveSubscription.200");
    subscription["status"] = json!("hibernating");
    subscription["plan"]["object"] = json!("planV2");

    let read: Subscription = serde_json::from_value(subscription.clone()).unwrap();
    assert_eq!(
        read.status,
        SubscriptionStatus::Unknown("hibernating".to_owned())
    );
    assert!(read.status.is_unknown());
    assert_eq!(read.status.to_string(), "hibernating");

    let written = serde_json::to_value(&read).unwrap();
    assert_eq!(written["status"], "hibernating");
    assert_eq!(written["plan"]["object"], "planV2");
}

#[test]
fn unknown_fields_are_accepted() {
    let mut sim = spec_example("retrieveSim.200");
    sim["eid"] = json!("89049032000000000000000000000000");
    sim["network"] = json!({"roaming": true});
    let read: Sim = serde_json::from_value(sim).unwrap();
    assert_eq!(read.id, "sim_0SNlurA049MEWV1BAAmWZULA4lf6");
}

#[test]
fn known_values_are_typed_variants_with_display_and_from_str() {
    let status: SimStatus = "retired".parse().unwrap();
    assert_eq!(status, SimStatus::Retired);
    assert_eq!(status.to_string(), "retired");
    assert_eq!(serde_json::to_value(SimStatus::Active).unwrap(), "active");
    let read: SimStatus = serde_json::from_value(json!("inactive")).unwrap();
    assert_eq!(read, SimStatus::Inactive);
    assert_eq!(SubscriptionStatus::KNOWN.len(), 4);
    assert!(SubscriptionStatus::KNOWN.contains(&SubscriptionStatus::Initiated));
}

#[test]
fn an_enum_value_that_is_not_a_string_is_still_an_error() {
    let error = serde_json::from_value::<SimStatus>(json!(7)).unwrap_err();
    assert!(error.to_string().contains("expected a string"), "{error}");
}
