//! Users through gigs: create, list, search by email, update with `Patch` semantics (left out
//! keeps, `null` clears, a value sets), delete (then readable with status `deleted`, unlisted,
//! and its subscriptions ended), and the errors of each.

use std::collections::HashMap;

use chrono::NaiveDate;
use futures::TryStreamExt;
use gigs::{Call, Paginate, Patch};
use gigs_client::types::{
    CreateSubscriptionRequest, CreateUserRequest, Metadata, SearchUsersRequest, SubscriptionStatus,
    UpdateUserRequest, User, UserStatus,
};
use reqwest::Method;
use serde_json::{json, Value};

use crate::ids::{PLAN, SUBSCRIPTION, USER};
use crate::{raw, seeded};

fn birthday() -> NaiveDate {
    NaiveDate::from_ymd_opt(1990, 5, 17).unwrap()
}

#[tokio::test]
async fn create_list_search_retrieve() {
    let fake = seeded().await;
    let gigs = fake.gigs();
    let created = gigs
        .users()
        .create()
        .body(
            CreateUserRequest::builder()
                .email("elaine@example.com")
                .full_name("Elaine Benes".to_owned())
                .birthday(birthday())
                .metadata(Some(Metadata(HashMap::from([(
                    "crm".to_owned(),
                    "42".to_owned(),
                )])))),
        )
        .call()
        .await
        .unwrap();
    assert!(created.id.starts_with("usr_"), "{}", created.id);
    assert_eq!(created.status, Some(UserStatus::Active));
    assert_eq!(created.email_verified, Some(false));
    assert_eq!(
        created.preferred_locale.as_deref(),
        Some("en-US"),
        "the project's locale by default"
    );
    assert_eq!(created.full_name.as_deref(), Some("Elaine Benes"));
    assert_eq!(created.birthday, Some(birthday()));
    assert_eq!(created.metadata.0["crm"], "42");
    assert_eq!(fake.user(&created.id), Some(created.clone()));

    let listed: Vec<User> = gigs
        .users()
        .list()
        .paginate()
        .limit(1)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        listed.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(),
        [created.id.as_str(), USER],
        "newest first, across pages of one"
    );

    let found = gigs
        .users()
        .search()
        .body(SearchUsersRequest::builder().email("ELAINE@example.com"))
        .call()
        .await
        .unwrap();
    assert_eq!(
        found.items,
        std::slice::from_ref(&created),
        "emails match without regard to case"
    );
    let none = gigs
        .users()
        .search()
        .body(SearchUsersRequest::builder().email("kramer@example.com"))
        .call()
        .await
        .unwrap();
    assert!(none.items.is_empty());

    let retrieved = gigs.users().retrieve(&created.id).call().await.unwrap();
    assert_eq!(retrieved, created);
}

#[tokio::test]
async fn update_keeps_clears_and_sets() {
    let fake = seeded().await;
    let gigs = fake.gigs();
    let before = fake.user(USER).unwrap();
    assert!(before.full_name.is_some() && before.birthday.is_some());

    // Left out: kept. A value: set. `null` (Patch::Null): cleared.
    let update: UpdateUserRequest = UpdateUserRequest::builder()
        .full_name(Patch::Null)
        .birthday(birthday())
        .preferred_locale(Some("de-DE".to_owned()))
        .try_into()
        .unwrap();
    assert_eq!(
        serde_json::to_value(&update).unwrap(),
        json!({"fullName": null, "birthday": "1990-05-17", "preferredLocale": "de-DE"})
    );
    let updated = gigs.users().update(USER).body(update).call().await.unwrap();
    assert_eq!(updated.full_name, None);
    assert_eq!(updated.birthday, Some(birthday()));
    assert_eq!(updated.preferred_locale.as_deref(), Some("de-DE"));
    assert_eq!(updated.email, before.email, "left out, kept");
    assert_eq!(
        updated.email_verified, before.email_verified,
        "same email, still verified"
    );
    assert_eq!(fake.user(USER), Some(updated.clone()));

    // An empty update changes nothing.
    let same = gigs
        .users()
        .update(USER)
        .body(UpdateUserRequest::builder())
        .call()
        .await
        .unwrap();
    assert_eq!(same, updated);

    // The same `null` sent raw: the key is answered as absent or null, never as a value.
    let path = format!("/projects/gigs/users/{USER}");
    let body = r#"{"birthday": null, "metadata": {"k": "v"}}"#;
    let (status, _, body) = raw(&fake, Method::PATCH, &path, Some(body), true).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("birthday").is_none_or(Value::is_null), "{body}");
    assert_eq!(body["metadata"], json!({"k": "v"}));
    assert_eq!(fake.user(USER).unwrap().birthday, None);

    // A new email is no longer verified.
    let moved = gigs
        .users()
        .update(USER)
        .body(UpdateUserRequest::builder().email(Some("jerry@seinfeld.example".to_owned())))
        .call()
        .await
        .unwrap();
    assert_eq!(moved.email.as_deref(), Some("jerry@seinfeld.example"));
    assert_eq!(moved.email_verified, Some(false));
}

#[tokio::test]
async fn bad_updates_and_creates_are_refused() {
    let fake = seeded().await;
    let gigs = fake.gigs();
    let path = format!("/projects/gigs/users/{USER}");
    for (body, property) in [
        (r#"{"email": null}"#, "email"),
        (r#"{"preferredLocale": null}"#, "preferredLocale"),
        (r#"{"email": "not an email"}"#, "email"),
        (r#"{"preferredLocale": "en_US"}"#, "preferredLocale"),
    ] {
        let (status, _, answer) = raw(&fake, Method::PATCH, &path, Some(body), true).await;
        assert_eq!(status, 422, "{body}: {answer}");
        assert_eq!(answer["details"][0]["property"], property, "{body}");
    }
    let (status, _, answer) = raw(
        &fake,
        Method::POST,
        "/projects/gigs/users",
        Some(r#"{"fullName": "No Email"}"#),
        true,
    )
    .await;
    assert_eq!(
        (status, &answer["details"][0]["property"]),
        (422, &json!("email"))
    );

    let duplicate = gigs
        .users()
        .create()
        .body(CreateUserRequest::builder().email("Jerry@Example.com"))
        .call()
        .await
        .unwrap_err();
    assert_eq!(duplicate.status().map(|s| s.as_u16()), Some(409));
    assert_eq!(duplicate.code(), Some("emailAlreadyExists"));
    let invalid = gigs
        .users()
        .create()
        .body(CreateUserRequest::builder().email("jerry"))
        .call()
        .await
        .unwrap_err();
    assert_eq!(invalid.code(), Some("invalidEmail"));

    for result in [
        gigs.users().retrieve("usr_nope").call().await,
        gigs.users()
            .update("usr_nope")
            .body(UpdateUserRequest::builder())
            .call()
            .await,
        gigs.users().delete("usr_nope").call().await,
    ] {
        let error = result.unwrap_err();
        assert!(error.is_not_found(), "{error}");
    }
}

#[tokio::test]
async fn a_deleted_user_is_read_only_and_its_subscriptions_end() {
    let fake = seeded().await;
    let gigs = fake.gigs();
    let subscription = fake.subscription(SUBSCRIPTION).unwrap();
    assert_eq!(
        (subscription.user.id.as_str(), &subscription.status),
        (USER, &SubscriptionStatus::Active)
    );

    let deleted = gigs.users().delete(USER).call().await.unwrap();
    assert_eq!(deleted.id, USER);
    assert_eq!(deleted.status, Some(UserStatus::Deleted));

    // Its subscription ended with cause `userDeleted`.
    let ended = fake.subscription(SUBSCRIPTION).unwrap();
    assert_eq!(ended.status, SubscriptionStatus::Ended);
    assert!(ended.ended_at.is_some() && ended.canceled_at.is_some());
    assert_eq!(
        ended.cancellation_details.unwrap().cause.unwrap().as_str(),
        "userDeleted"
    );
    assert_eq!(
        ended.user.status,
        Some(UserStatus::Deleted),
        "answered as it is now"
    );

    // Readable, with status `deleted`; not listed, found or matched by a subscription filter.
    let retrieved = gigs.users().retrieve(USER).call().await.unwrap();
    assert_eq!(retrieved, deleted);
    let listed = gigs.users().list().call().await.unwrap();
    assert!(listed.items.is_empty(), "{listed:?}");
    let found = gigs
        .users()
        .search()
        .body(SearchUsersRequest::builder().email("jerry@example.com"))
        .call()
        .await
        .unwrap();
    assert!(found.items.is_empty());
    let by_user = gigs
        .subscriptions()
        .list()
        .user(USER)
        .status(vec![SubscriptionStatus::Ended, SubscriptionStatus::Active])
        .call()
        .await
        .unwrap();
    assert!(by_user.items.is_empty(), "{by_user:?}");

    // No change, no second delete, no new subscription.
    let update = gigs
        .users()
        .update(USER)
        .body(UpdateUserRequest::builder().full_name("Jerry".to_owned()))
        .call()
        .await
        .unwrap_err();
    assert_eq!(
        (update.status().map(|s| s.as_u16()), update.code()),
        (Some(409), Some("userDeleted"))
    );
    let again = gigs.users().delete(USER).call().await.unwrap_err();
    assert_eq!(again.code(), Some("userDeleted"));
    let subscribe = gigs
        .subscriptions()
        .create()
        .body(CreateSubscriptionRequest::builder().plan(PLAN).user(USER))
        .call()
        .await
        .unwrap_err();
    let api = subscribe.as_api().expect("an API error");
    assert_eq!(api.status().as_u16(), 422);
    assert_eq!(subscribe.code(), Some("userDeleted"));
    assert_eq!(api.body().unwrap().details[0].property, "user");

    // The email is free again.
    let again = gigs
        .users()
        .create()
        .body(CreateUserRequest::builder().email("jerry@example.com"))
        .call()
        .await
        .unwrap();
    assert_ne!(again.id, USER);
}
