//! Subscriptions through gigs: create (active at once, `sim: auto` makes an eSIM), list with
//! the default status filter, search by phone number, cancel / resume / end and their 409s.

use futures::TryStreamExt;
use gigs::{Call, Paginate};
use gigs_client::types::{
    CancelSubscriptionRequest, CreateSubscriptionRequest, EndSubscriptionRequest,
    SearchSubscriptionsRequest, Subscription, SubscriptionCancellationDetailsInput,
    SubscriptionCancellationUserReason, SubscriptionStatus,
};

use crate::ids::{PLAN, SUBSCRIPTION, USER};
use crate::seeded;

#[tokio::test]
async fn create_then_cancel_resume_end() {
    let fake = seeded().await;
    let gigs = fake.gigs();
    let created = gigs
        .subscriptions()
        .create()
        .body(CreateSubscriptionRequest::builder().plan(PLAN).user(USER))
        .call()
        .await
        .unwrap();
    assert_eq!(created.status, SubscriptionStatus::Active);
    let sim = created.sim.clone().expect("`auto` made an eSIM");
    assert_eq!(fake.sim(&sim.id).unwrap().status.as_str(), "active");

    let canceled = gigs
        .subscriptions()
        .cancel(&created.id)
        .body(CancelSubscriptionRequest::builder().cancellation_details(
            SubscriptionCancellationDetailsInput {
                user_comment: gigs_client::Patch::Keep,
                user_reason: SubscriptionCancellationUserReason::TooExpensive,
            },
        ))
        .call()
        .await
        .unwrap();
    assert!(canceled.canceled_at.is_some());
    assert_eq!(
        canceled.status,
        SubscriptionStatus::Active,
        "still active until it ends"
    );
    let details = canceled.cancellation_details.unwrap();
    assert_eq!(details.cause.unwrap().as_str(), "cancellationRequested");
    assert_eq!(
        details.user_reason,
        Some(SubscriptionCancellationUserReason::TooExpensive)
    );

    let twice = gigs
        .subscriptions()
        .cancel(&created.id)
        .call()
        .await
        .unwrap_err();
    assert_eq!(twice.status().map(|s| s.as_u16()), Some(409));

    let resumed = gigs
        .subscriptions()
        .resume(&created.id)
        .call()
        .await
        .unwrap();
    assert_eq!(
        (resumed.canceled_at, resumed.cancellation_details),
        (None, None)
    );

    let ended = gigs
        .subscriptions()
        .end(&created.id)
        .body(EndSubscriptionRequest::builder())
        .call()
        .await
        .unwrap();
    assert_eq!(ended.status, SubscriptionStatus::Ended);
    assert!(ended.ended_at.is_some());
    assert_eq!(
        fake.subscription(&created.id).unwrap().status,
        SubscriptionStatus::Ended
    );
    let resume_ended = gigs
        .subscriptions()
        .resume(&created.id)
        .call()
        .await
        .unwrap_err();
    assert_eq!(resume_ended.code(), Some("subscriptionEnded"));

    // Ended subscriptions are left out by default (pending, initiated, active).
    let active: Vec<Subscription> = gigs
        .subscriptions()
        .list()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        active.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        [SUBSCRIPTION]
    );
    let ended_only = gigs
        .subscriptions()
        .list()
        .status(vec![SubscriptionStatus::Ended])
        .call()
        .await
        .unwrap();
    assert_eq!(ended_only.items[0].id, created.id);
}

#[tokio::test]
async fn search_by_phone_number_and_filters() {
    let fake = seeded().await;
    let gigs = fake.gigs();
    let found = gigs
        .subscriptions()
        .search()
        .body(SearchSubscriptionsRequest::builder().phone_number("+19591234567"))
        .call()
        .await
        .unwrap();
    assert_eq!(found.items[0].id, SUBSCRIPTION);
    let by_plan = gigs
        .subscriptions()
        .list()
        .plan("pln_other")
        .call()
        .await
        .unwrap();
    assert!(by_plan.items.is_empty());
    let by_user = gigs.subscriptions().list().user(USER).call().await.unwrap();
    assert_eq!(by_user.items.len(), 1);
}

#[tokio::test]
async fn references_that_do_not_exist_are_422s_naming_the_property() {
    let fake = seeded().await;
    let error = fake
        .gigs()
        .subscriptions()
        .create()
        .body(
            CreateSubscriptionRequest::builder()
                .plan("pln_nope")
                .user(USER),
        )
        .call()
        .await
        .unwrap_err();
    let api = error.as_api().expect("an API error");
    assert_eq!(api.status().as_u16(), 422);
    assert_eq!(api.body().unwrap().details[0].property, "plan");
}
