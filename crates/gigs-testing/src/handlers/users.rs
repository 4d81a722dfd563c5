//! Users: list, create, search by email, retrieve, update, delete.
//!
//! A deleted user stays readable with status `deleted` (the status the reference documents),
//! but is no longer listed or found by a search, its email is free for a new user, and it
//! cannot be changed or deleted again (409 `userDeleted`). Deleting a user ends its
//! subscriptions that have not ended, with cause `userDeleted`.

use gigs_client::types::{
    SubscriptionCancellationCause, SubscriptionCancellationDetails, SubscriptionStatus, User,
    UserList, UserStatus,
};
use serde_json::Value;

use super::check_body;
use crate::body::{new_metadata, update_metadata};
use crate::error::{ApiError, Detail};
use crate::generated::server_trait::requests;
use crate::params::{Page, PageRequest};
use crate::store::{Project, Store};

/// The locale of a new user that gives none: the project's preferred locale, which is
/// `en-US` for every project of the fake.
const PROJECT_LOCALE: &str = "en-US";

/// Whether `user` is deleted. A user stored without a status (a seed may leave it out) is
/// active.
pub(crate) fn is_deleted(user: &User) -> bool {
    user.status == Some(UserStatus::Deleted)
}

/// An email address has one `@` with something on both sides and no spaces (the fake checks
/// no more than that).
fn check_email(property: &str, email: &str, details: &mut Vec<Detail>) {
    let valid = email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && !domain.is_empty() && !domain.contains('@')
    }) && !email.contains(char::is_whitespace);
    if !valid {
        details.push(Detail::new(
            property,
            "invalidEmail",
            "must be an email address, such as jerry@example.com",
        ));
    }
}

/// An IETF language tag: letters, digits and `-`, starting with a letter (`en`, `en-US`).
fn check_locale(locale: &str, details: &mut Vec<Detail>) {
    let valid = locale.starts_with(|c: char| c.is_ascii_alphabetic())
        && locale.split('-').all(|part| {
            (1..=8).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphanumeric())
        });
    if !valid {
        details.push(Detail::new(
            "preferredLocale",
            "invalidLocale",
            "must be an IETF language tag, such as en-US",
        ));
    }
}

/// 409 when another user that is not deleted has this email (compared without regard to case).
fn check_email_free(project: &Project, email: &str, except: Option<&str>) -> Result<(), ApiError> {
    let taken = project.users.newest_first().into_iter().find(|user| {
        !is_deleted(user)
            && Some(user.id.as_str()) != except
            && user
                .email
                .as_deref()
                .is_some_and(|known| known.eq_ignore_ascii_case(email))
    });
    match taken {
        Some(other) => Err(ApiError::conflict(
            "emailAlreadyExists",
            format!(
                "The email `{email}` is already used by user `{}`.",
                other.id
            ),
        )),
        None => Ok(()),
    }
}

fn find<'a>(project: &'a Project, id: &str) -> Result<&'a User, ApiError> {
    project
        .users
        .get(id)
        .ok_or_else(|| ApiError::not_found("user", id))
}

/// 409 for anything but reading a deleted user.
fn check_not_deleted(user: &User) -> Result<(), ApiError> {
    if is_deleted(user) {
        return Err(ApiError::conflict(
            "userDeleted",
            format!("User `{}` has been deleted.", user.id),
        ));
    }
    Ok(())
}

/// Every user that is not deleted, newest first.
pub(super) fn list(store: &mut Store, request: requests::ListUsers) -> Result<UserList, ApiError> {
    let page = PageRequest::new(request.limit, request.after, request.before)?;
    let project = store.project(&request.project);
    let users: Vec<&User> = project
        .users
        .newest_first()
        .into_iter()
        .filter(|user| !is_deleted(user))
        .collect();
    page.page(&users).map(Into::into)
}

/// A new active user with an unverified email; `preferredLocale` defaults to `en-US`.
pub(super) fn create(store: &mut Store, request: requests::CreateUser) -> Result<User, ApiError> {
    let input = request.body.typed;
    let mut details = Vec::new();
    check_email("email", &input.email, &mut details);
    if let Some(locale) = &input.preferred_locale {
        check_locale(locale, &mut details);
    }
    let metadata = new_metadata(input.metadata.as_ref(), &mut details);
    check_body(details)?;
    let id = store.new_id("usr");
    let seq = store.next_seq();
    let project = store.project(&request.project);
    check_email_free(project, &input.email, None)?;
    let user: User = User::builder()
        .birthday(input.birthday.into_value())
        .created_at(Some(Store::now()))
        .email(Some(input.email))
        .email_verified(Some(false))
        .full_name(input.full_name.into_value())
        .id(id)
        .metadata(metadata)
        .object("user")
        .preferred_locale(Some(
            input
                .preferred_locale
                .unwrap_or_else(|| PROJECT_LOCALE.to_owned()),
        ))
        .status(Some(UserStatus::Active))
        .try_into()
        .expect("the fake sets every field of a `User`");
    project.users.upsert(seq, user.clone());
    Ok(user)
}

/// Every user that is not deleted with this email (without regard to case), in one page.
pub(super) fn search(
    store: &mut Store,
    request: requests::SearchUsers,
) -> Result<UserList, ApiError> {
    let email = &request.body.email;
    let mut details = Vec::new();
    check_email("email", email, &mut details);
    check_body(details)?;
    let project = store.project(&request.project);
    let found: Vec<User> = project
        .users
        .newest_first()
        .into_iter()
        .filter(|user| !is_deleted(user))
        .filter(|user| {
            user.email
                .as_deref()
                .is_some_and(|known| known.eq_ignore_ascii_case(email))
        })
        .cloned()
        .collect();
    Ok(Page::all(found).into())
}

/// The user, deleted ones included (with status `deleted`).
pub(super) fn retrieve(
    store: &mut Store,
    request: requests::RetrieveUser,
) -> Result<User, ApiError> {
    let project = store.project(&request.project);
    find(project, &request.user).cloned()
}

/// PATCH: `fullName` and `birthday` may be `null` (cleared); `email` and `preferredLocale`
/// set a new value (`null` is a 422); `metadata` changes keys (`null` deletes one). Keys left
/// out are not changed. A new email must be free, and is not verified.
pub(super) fn update(store: &mut Store, request: requests::UpdateUser) -> Result<User, ApiError> {
    let project = store.project(&request.project);
    let current = find(project, &request.user)?.clone();
    check_not_deleted(&current)?;
    let body = request.body;
    let mut details = Vec::new();
    for property in ["email", "preferredLocale", "metadata"] {
        if body.raw.get(property).is_some_and(Value::is_null) {
            details.push(Detail::new(
                property,
                "invalidType",
                "cannot be null; leave it out to keep the current value",
            ));
        }
    }
    if let Some(email) = &body.email {
        check_email("email", email, &mut details);
    }
    if let Some(locale) = &body.preferred_locale {
        check_locale(locale, &mut details);
    }
    let mut user = current.clone();
    user.metadata = update_metadata(&current.metadata, body.metadata.as_ref(), &mut details);
    check_body(details)?;
    if let Some(email) = &body.email {
        check_email_free(project, email, Some(&current.id))?;
        let changed = current
            .email
            .as_deref()
            .is_none_or(|old| !old.eq_ignore_ascii_case(email));
        if changed {
            user.email_verified = Some(false);
        }
        user.email = Some(email.clone());
    }
    // `into_option`: `None` leaves the field, `Some(None)` clears it, `Some(Some(_))` sets it.
    if let Some(full_name) = body.full_name.clone().into_option() {
        user.full_name = full_name;
    }
    if let Some(birthday) = body.birthday.into_option() {
        user.birthday = birthday;
    }
    if let Some(locale) = &body.preferred_locale {
        user.preferred_locale = Some(locale.clone());
    }
    if let Some(stored) = project.users.get_mut(&current.id) {
        *stored = user.clone();
    }
    Ok(user)
}

/// Sets the status to `deleted` and answers the user; its subscriptions that have not ended
/// end now (cause `userDeleted`).
pub(super) fn delete(store: &mut Store, request: requests::DeleteUser) -> Result<User, ApiError> {
    let project = store.project(&request.project);
    check_not_deleted(find(project, &request.user)?)?;
    let now = Store::now();
    let ids: Vec<String> = project
        .subscriptions
        .newest_first()
        .into_iter()
        .filter(|s| s.user.id == request.user && s.status != SubscriptionStatus::Ended)
        .map(|s| s.id.clone())
        .collect();
    for id in ids {
        if let Some(subscription) = project.subscriptions.get_mut(&id) {
            subscription.status = SubscriptionStatus::Ended;
            subscription.ended_at = Some(now);
            subscription.current_period = None;
            subscription.earliest_end_at = None;
            subscription.canceled_at.get_or_insert(now);
            subscription.cancellation_details = Some(
                SubscriptionCancellationDetails::builder()
                    .cause(Some(SubscriptionCancellationCause::UserDeleted))
                    .user_comment(None)
                    .user_reason(None)
                    .try_into()
                    .expect("the fake sets every field of a `SubscriptionCancellationDetails`"),
            );
        }
    }
    let user = project
        .users
        .get_mut(&request.user)
        .expect("the user was found above");
    user.status = Some(UserStatus::Deleted);
    Ok(user.clone())
}
