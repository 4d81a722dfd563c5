//! Plans through gigs: read-only from the seed, listed with their filters (`status` defaults to
//! `available`), retrieved in any status; `createSubscription` and `listSubscriptions?user=`
//! against the users and plans the fake holds.

use futures::TryStreamExt;
use gigs::{Call, Paginate};
use gigs_client::types::{
    CreateSubscriptionRequest, CreateUserRequest, Plan, PlanStatus, SimType, Subscription,
    SubscriptionStatus,
};
use reqwest::Method;
use serde_json::json;

use crate::ids::{PLAN, USER};
use crate::{raw, seeded};

/// A plan for project `gigs` with this id, status, provider and SIM types.
fn plan(id: &str, status: &str, provider: &str, sim_types: &[&str]) -> Plan {
    serde_json::from_value(json!({
        "object": "plan", "id": id, "name": id, "status": status, "provider": provider,
        "simTypes": sim_types, "createdAt": "2024-01-01T00:00:00Z"
    }))
    .unwrap()
}

fn ids(plans: &[Plan]) -> Vec<&str> {
    plans.iter().map(|plan| plan.id.as_str()).collect()
}

#[tokio::test]
async fn list_filters_and_retrieve() {
    let fake = seeded().await;
    fake.insert_plan(plan("pln_psim", "available", "p9", &["pSIM"]));
    fake.insert_plan(plan("pln_old", "archived", "p5", &["eSIM"]));
    fake.insert_plan(plan("pln_draft", "draft", "p5", &["eSIM", "pSIM"]));
    let gigs = fake.gigs();

    let available: Vec<Plan> = gigs.plans().list().items().try_collect().await.unwrap();
    assert_eq!(
        ids(&available),
        ["pln_psim", PLAN],
        "only available ones by default"
    );

    let page = gigs
        .plans()
        .list()
        .status(vec![PlanStatus::Archived, PlanStatus::Draft])
        .call()
        .await
        .unwrap();
    assert_eq!(ids(&page.items), ["pln_draft", "pln_old"]);
    let by_provider = gigs
        .plans()
        .list()
        .provider(vec!["p9".to_owned()])
        .call()
        .await
        .unwrap();
    assert_eq!(ids(&by_provider.items), ["pln_psim"]);
    let by_sim_type = gigs
        .plans()
        .list()
        .sim_type(vec![SimType::ESim])
        .status(vec![
            PlanStatus::Available,
            PlanStatus::Archived,
            PlanStatus::Draft,
            PlanStatus::Pending,
        ])
        .call()
        .await
        .unwrap();
    assert_eq!(ids(&by_sim_type.items), ["pln_draft", "pln_old", PLAN]);
    let pages: Vec<_> = gigs
        .plans()
        .list()
        .paginate()
        .limit(1)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);

    let archived = gigs.plans().retrieve("pln_old").call().await.unwrap();
    assert_eq!(
        archived.status,
        Some(PlanStatus::Archived),
        "any status is retrievable"
    );
    assert_eq!(
        gigs.plans().retrieve(PLAN).call().await.unwrap(),
        fake.plan(PLAN).unwrap()
    );
    let missing = gigs.plans().retrieve("pln_nope").call().await.unwrap_err();
    assert!(missing.is_not_found(), "{missing}");

    let (status, _, body) = raw(
        &fake,
        Method::GET,
        "/projects/gigs/plans?status=gone",
        None,
        true,
    )
    .await;
    assert_eq!(
        (status, &body["details"][0]["property"]),
        (400, &json!("status")),
        "{body}"
    );
}

#[tokio::test]
async fn plans_are_read_only() {
    let fake = seeded().await;
    for method in [Method::POST, Method::PATCH, Method::DELETE] {
        let path = if method == Method::POST {
            "/projects/gigs/plans".to_owned()
        } else {
            format!("/projects/gigs/plans/{PLAN}")
        };
        let (status, _, body) = raw(&fake, method.clone(), &path, Some("{}"), true).await;
        assert_eq!(status, 405, "{method} {path}: {body}");
    }
    assert!(fake.plan(PLAN).is_some());
}

#[tokio::test]
async fn create_subscription_needs_a_known_user_and_an_available_plan() {
    let fake = seeded().await;
    fake.insert_plan(plan("pln_old", "archived", "p5", &["eSIM"]));
    let gigs = fake.gigs();
    let create = |plan: &str, user: &str| {
        gigs.subscriptions()
            .create()
            .body(CreateSubscriptionRequest::builder().plan(plan).user(user))
            .call()
    };
    for (plan, user, property, code) in [
        (PLAN, "usr_nope", "user", "notFound"),
        ("pln_nope", USER, "plan", "notFound"),
        ("pln_old", USER, "plan", "planNotAvailable"),
    ] {
        let error = create(plan, user).await.unwrap_err();
        let api = error.as_api().expect("an API error");
        assert_eq!(api.status().as_u16(), 422, "{error}");
        assert_eq!(error.code(), Some(code), "{error}");
        let body = api.body().unwrap();
        assert_eq!(body.type_, "unprocessableEntity");
        assert_eq!(body.details[0].property, property);
        assert!(
            body.message.contains(plan) || body.message.contains(user),
            "{}",
            body.message
        );
    }
    let error = create("pln_nope", "usr_nope").await.unwrap_err();
    assert_eq!(error.code(), Some("invalidProperties"), "both are named");
    assert_eq!(error.as_api().unwrap().body().unwrap().details.len(), 2);
}

#[tokio::test]
async fn subscriptions_listed_by_user_follow_the_store() {
    let fake = seeded().await;
    let gigs = fake.gigs();
    let user = gigs
        .users()
        .create()
        .body(CreateUserRequest::builder().email("george@example.com"))
        .call()
        .await
        .unwrap();
    let by_user = || gigs.subscriptions().list().user(&user.id).items();
    let none: Vec<Subscription> = by_user().try_collect().await.unwrap();
    assert!(none.is_empty());

    let created = gigs
        .subscriptions()
        .create()
        .body(
            CreateSubscriptionRequest::builder()
                .plan(PLAN)
                .user(&user.id),
        )
        .call()
        .await
        .unwrap();
    assert_eq!(created.user, user);
    let listed: Vec<Subscription> = by_user().try_collect().await.unwrap();
    assert_eq!(listed, std::slice::from_ref(&created));

    gigs.users().delete(&user.id).call().await.unwrap();
    assert_eq!(
        fake.subscription(&created.id).unwrap().status,
        SubscriptionStatus::Ended
    );
    let after: Vec<Subscription> = by_user().try_collect().await.unwrap();
    assert!(
        after.is_empty(),
        "a deleted user's subscriptions are not listed by its id"
    );
}
