//! Subscriptions: list (filters `user`, `plan`, `sim`, `status` default
//! `pending,initiated,active`), create, search by phone number, retrieve, update (metadata),
//! cancel, resume, end. A new subscription needs a user that exists and is not deleted, and a
//! plan that exists and is available.

use std::num::NonZeroU64;

use chrono::{DateTime, Duration, Utc};
use gigs_client::types::{
    Plan, PlanStatus, Sim, SimStatus, SimType, Subscription, SubscriptionCancellationCause,
    SubscriptionCancellationDetails, SubscriptionCancellationDetailsInput,
    SubscriptionCurrentPeriod, SubscriptionList, SubscriptionStatus,
};

use super::check_body;
use crate::body::{new_metadata, update_metadata};
use crate::error::{ApiError, Detail};
use crate::generated::server_trait::requests;
use crate::params::{Page, PageRequest};
use crate::store::{Project, Store};

/// The subscription as the API answers it: its SIM, user and plan as currently stored.
pub(crate) fn render(project: &Project, subscription: &Subscription) -> Subscription {
    let mut subscription = subscription.clone();
    if let Some(sim) = &mut subscription.sim {
        if let Some(current) = project.sims.get(&sim.id) {
            *sim = current.clone();
        }
    }
    if let Some(user) = project.users.get(&subscription.user.id) {
        subscription.user = user.clone();
    }
    if let Some(plan) = project.plans.get(&subscription.plan.id) {
        subscription.plan = plan.clone();
    }
    subscription
}

/// Whether `user` is a deleted user of `project`: its subscriptions are no longer listed by
/// its id.
fn deleted(project: &Project, user: &str) -> bool {
    project
        .users
        .get(user)
        .is_some_and(super::users::is_deleted)
}

pub(super) fn list(
    store: &mut Store,
    request: requests::ListSubscriptions,
) -> Result<SubscriptionList, ApiError> {
    let page = PageRequest::new(request.limit, request.after, request.before)?;
    let statuses = request.status.as_slice();
    let (user, plan, sim) = (
        request.user.as_deref(),
        request.plan.as_deref(),
        request.sim.as_deref(),
    );
    let project = store.project(&request.project);
    let subscriptions: Vec<Subscription> = project
        .subscriptions
        .newest_first()
        .into_iter()
        .filter(|s| statuses.contains(&s.status))
        .filter(|s| user.is_none_or(|user| s.user.id == user && !deleted(project, user)))
        .filter(|s| plan.is_none_or(|plan| s.plan.id == plan))
        .filter(|s| sim.is_none_or(|sim| s.sim.as_ref().is_some_and(|x| x.id == sim)))
        .map(|s| render(project, s))
        .collect();
    page.page(&subscriptions.iter().collect::<Vec<_>>())
        .map(Into::into)
}

/// The length of one period of `plan`: its validity (`value` × `unit`), 30 days when unset.
fn period(plan: &Plan) -> Duration {
    let validity = plan.validity.as_ref();
    let value = validity.and_then(|v| v.value).unwrap_or(30).clamp(1, 3650);
    match validity.and_then(|v| v.unit.as_deref()) {
        Some("hour") => Duration::hours(value),
        Some("week") => Duration::weeks(value),
        Some("month") => Duration::days(30 * value),
        Some("year") => Duration::days(365 * value),
        _ => Duration::days(value),
    }
}

fn first_period(plan: &Plan, start: DateTime<Utc>) -> SubscriptionCurrentPeriod {
    SubscriptionCurrentPeriod::builder()
        .end(start + period(plan))
        .number(NonZeroU64::MIN)
        .start(start)
        .try_into()
        .expect("the fake sets every field of a `SubscriptionCurrentPeriod`")
}

/// Creates the subscription active at once (the fake has no activation process); `sim` is
/// `auto` by default, which makes a new eSIM when the plan allows eSIMs.
pub(super) fn create(
    store: &mut Store,
    request: requests::CreateSubscription,
) -> Result<Subscription, ApiError> {
    let input = request.body.typed;
    let mut details = Vec::new();
    let metadata = new_metadata(input.metadata.as_ref(), &mut details);
    if input.device.is_set() && input.device_model.is_set() {
        details.push(Detail::new(
            "deviceModel",
            "conflictingProperties",
            "at most one of `device` and `deviceModel` may be given",
        ));
    }
    if let Some(porting) = input.porting.value() {
        details.push(Detail::new(
            "porting",
            "notFound",
            format!("no draft porting with id `{porting}` exists (the fake holds no portings)"),
        ));
    }
    if let Some(model) = input.device_model.value() {
        if store.device_models.get(model).is_none() {
            details.push(Detail::new(
                "deviceModel",
                "notFound",
                format!("no device model with id `{model}` exists"),
            ));
        }
    }
    let id = store.new_id("sub");
    let seq = store.next_seq();
    let new_sim_id = store.new_id("sim");
    let project = store.project(&request.project);
    let user = project.users.get(&input.user).cloned();
    match &user {
        None => details.push(Detail::new(
            "user",
            "notFound",
            format!("no user with id `{}` exists", input.user),
        )),
        Some(user) if super::users::is_deleted(user) => details.push(Detail::new(
            "user",
            "userDeleted",
            format!("user `{}` has been deleted", input.user),
        )),
        Some(_) => {}
    }
    let plan = project.plans.get(&input.plan).cloned();
    match &plan {
        None => details.push(Detail::new(
            "plan",
            "notFound",
            format!("no plan with id `{}` exists", input.plan),
        )),
        Some(plan) if super::plans::status(plan) != PlanStatus::Available => {
            details.push(Detail::new(
                "plan",
                "planNotAvailable",
                format!(
                    "plan `{}` is {}; only available plans take new subscriptions",
                    input.plan,
                    super::plans::status(plan)
                ),
            ))
        }
        Some(_) => {}
    }
    if let Some(device) = input.device.value() {
        if project.devices.get(device).is_none() {
            details.push(Detail::new(
                "device",
                "notFound",
                format!("no device with id `{device}` exists"),
            ));
        }
    }
    let sim_id = input
        .sim
        .clone()
        .into_value()
        .unwrap_or_else(|| "auto".to_owned());
    let sim = if sim_id == "auto" {
        None
    } else {
        let sim = project.sims.get(&sim_id).cloned();
        if sim.is_none() {
            details.push(Detail::new(
                "sim",
                "notFound",
                format!("no SIM with id `{sim_id}` exists"),
            ));
        }
        sim
    };
    check_body(details)?;
    let (Some(user), Some(plan)) = (user, plan) else {
        unreachable!("a missing user or plan is a detail above");
    };
    let now = Store::now();
    let mut sim = match sim {
        Some(sim) => {
            let in_use = project.subscriptions.newest_first().into_iter().find(|s| {
                s.status != SubscriptionStatus::Ended
                    && s.sim.as_ref().is_some_and(|x| x.id == sim.id)
            });
            if let Some(other) = in_use {
                return Err(ApiError::conflict(
                    "simInUse",
                    format!(
                        "SIM `{}` is used by subscription `{}`, which has not ended.",
                        sim.id, other.id
                    ),
                ));
            }
            sim
        }
        None if plan.sim_types.is_empty() || plan.sim_types.contains(&SimType::ESim) => {
            Sim::builder()
                .created_at(now)
                .iccid(format!("8988307{:013}", seq))
                .id(new_sim_id)
                .metadata(gigs_client::types::Metadata(Default::default()))
                .object("sim")
                .provider(plan.provider.clone().unwrap_or_else(|| "p9".to_owned()))
                .status(SimStatus::Inactive)
                .type_(SimType::ESim)
                .try_into()
                .expect("the fake sets every field of a `Sim`")
        }
        None => {
            return Err(ApiError::invalid_body(vec![Detail::new(
                "sim",
                "required",
                "`auto` needs a plan that allows eSIMs; give the id of a pSIM",
            )]))
        }
    };
    sim.status = SimStatus::Active;
    project.sims.upsert(seq, sim.clone());
    let current_period = first_period(&plan, now);
    let subscription: Subscription = Subscription::builder()
        .activated_at(Some(now))
        .canceled_at(None)
        .cancellation_details(None)
        .created_at(now)
        .earliest_end_at(Some(current_period.end))
        .current_period(Some(current_period))
        .ended_at(None)
        .first_usage_at(None)
        .id(id)
        .metadata(metadata)
        .object("subscription")
        .phone_number(Some(format!("+1959{:07}", seq % 10_000_000)))
        .plan(plan)
        .porting(None)
        .sim(Some(sim))
        .status(SubscriptionStatus::Active)
        .user(user)
        .try_into()
        .expect("the fake sets every field of a `Subscription`");
    project.subscriptions.upsert(seq, subscription.clone());
    Ok(render(project, &subscription))
}

/// Every subscription of the project with this phone number, in one page.
pub(super) fn search(
    store: &mut Store,
    request: requests::SearchSubscriptions,
) -> Result<SubscriptionList, ApiError> {
    let phone = &request.body.phone_number;
    let e164 = phone.strip_prefix('+').is_some_and(|digits| {
        (2..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
    });
    if !e164 {
        check_body(vec![Detail::new(
            "phoneNumber",
            "invalidPhoneNumber",
            "must be in E.164 form, such as +12065550123",
        )])?;
    }
    let project = store.project(&request.project);
    let found: Vec<Subscription> = project
        .subscriptions
        .newest_first()
        .into_iter()
        .filter(|s| s.phone_number.as_deref() == Some(phone.as_str()))
        .map(|s| render(project, s))
        .collect();
    Ok(Page::all(found).into())
}

fn find<'a>(project: &'a mut Project, id: &str) -> Result<&'a mut Subscription, ApiError> {
    project
        .subscriptions
        .get_mut(id)
        .ok_or_else(|| ApiError::not_found("subscription", id))
}

pub(super) fn retrieve(
    store: &mut Store,
    request: requests::RetrieveSubscription,
) -> Result<Subscription, ApiError> {
    let project = store.project(&request.project);
    let subscription = find(project, &request.subscription)?.clone();
    Ok(render(project, &subscription))
}

pub(super) fn update(
    store: &mut Store,
    request: requests::UpdateSubscription,
) -> Result<Subscription, ApiError> {
    let project = store.project(&request.project);
    let current = find(project, &request.subscription)?.metadata.clone();
    let mut details = Vec::new();
    let metadata = update_metadata(&current, request.body.metadata.as_ref(), &mut details);
    check_body(details)?;
    let subscription = find(project, &request.subscription)?;
    subscription.metadata = metadata;
    let subscription = subscription.clone();
    Ok(render(project, &subscription))
}

fn details_from(
    input: Option<SubscriptionCancellationDetailsInput>,
) -> SubscriptionCancellationDetails {
    SubscriptionCancellationDetails::builder()
        .cause(Some(SubscriptionCancellationCause::CancellationRequested))
        .user_comment(
            input
                .as_ref()
                .and_then(|i| i.user_comment.clone().into_value()),
        )
        .user_reason(input.map(|i| i.user_reason))
        .try_into()
        .expect("the fake sets every field of a `SubscriptionCancellationDetails`")
}

/// Sets `canceledAt` and `cancellationDetails`; the status stays until the subscription ends
/// (the fake never ends one by itself: end it to see it ended). An ended or already canceled
/// subscription: 409.
pub(super) fn cancel(
    store: &mut Store,
    request: requests::CancelSubscription,
) -> Result<Subscription, ApiError> {
    let project = store.project(&request.project);
    let subscription = find(project, &request.subscription)?;
    if subscription.status == SubscriptionStatus::Ended {
        return Err(ApiError::conflict(
            "subscriptionEnded",
            format!("Subscription `{}` has ended.", subscription.id),
        ));
    }
    if subscription.canceled_at.is_some() {
        return Err(ApiError::conflict(
            "subscriptionCanceled",
            format!(
                "Subscription `{}` is already canceled; resume it first.",
                subscription.id
            ),
        ));
    }
    subscription.canceled_at = Some(Store::now());
    subscription.cancellation_details = Some(details_from(
        request.body.typed.cancellation_details.into_value(),
    ));
    let subscription = subscription.clone();
    Ok(render(project, &subscription))
}

/// Clears the cancellation of a canceled subscription that has not ended; otherwise 409.
pub(super) fn resume(
    store: &mut Store,
    request: requests::ResumeSubscription,
) -> Result<Subscription, ApiError> {
    let project = store.project(&request.project);
    let subscription = find(project, &request.subscription)?;
    if subscription.status == SubscriptionStatus::Ended {
        return Err(ApiError::conflict(
            "subscriptionEnded",
            format!("Subscription `{}` has ended.", subscription.id),
        ));
    }
    if subscription.canceled_at.is_none() {
        return Err(ApiError::conflict(
            "subscriptionNotCanceled",
            format!("Subscription `{}` is not canceled.", subscription.id),
        ));
    }
    subscription.canceled_at = None;
    subscription.cancellation_details = None;
    let subscription = subscription.clone();
    Ok(render(project, &subscription))
}

/// Ends the subscription now: status `ended`, `endedAt` set, no current period; details given
/// in the body are kept (cause `cancellationRequested`). Ended already: 409.
pub(super) fn end(
    store: &mut Store,
    request: requests::EndSubscription,
) -> Result<Subscription, ApiError> {
    let project = store.project(&request.project);
    let subscription = find(project, &request.subscription)?;
    if subscription.status == SubscriptionStatus::Ended {
        return Err(ApiError::conflict(
            "subscriptionEnded",
            format!("Subscription `{}` has already ended.", subscription.id),
        ));
    }
    let now = Store::now();
    subscription.status = SubscriptionStatus::Ended;
    subscription.ended_at = Some(now);
    subscription.current_period = None;
    subscription.earliest_end_at = None;
    if let Some(input) = request.body.typed.cancellation_details.into_value() {
        subscription.cancellation_details = Some(details_from(Some(input)));
        subscription.canceled_at.get_or_insert(now);
    }
    let subscription = subscription.clone();
    Ok(render(project, &subscription))
}
