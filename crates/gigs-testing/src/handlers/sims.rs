//! SIMs: list (filters `provider`, `status` default `inactive,active`, `type`, `user`), search
//! by ICCID, retrieve, update (metadata), credentials and eSIM profile (eSIMs only).

use gigs_client::types::{
    ESimProfile, SearchSimsRequest, Sim, SimCredentials, SimType, UpdateSimRequest,
};
use serde_json::Value;

use super::{check_body, check_parameters, to_json, Request};
use crate::body::{parse, update_metadata};
use crate::error::{ApiError, Detail};
use crate::params::{unpaged, PageRequest};
use crate::store::{Project, Store};

const STATUSES: &[&str] = &["inactive", "active", "retired"];
const DEFAULT_STATUSES: &[&str] = &["inactive", "active"];
const TYPES: &[&str] = &["eSIM", "pSIM"];
/// Providers whose eSIM profiles report a status; for every other one it is `unknown`, as the
/// reference says.
const PROFILE_PROVIDERS: &[&str] = &["p3", "p14", "p15"];

/// Whether `user` has the SIM: in one of the user's devices or subscriptions.
fn belongs_to(project: &Project, sim: &Sim, user: &str) -> bool {
    let in_device = project.devices.newest_first().into_iter().any(|device| {
        device.user.as_ref().is_some_and(|u| u.id == user)
            && device.sims.iter().any(|s| s.id == sim.id)
    });
    let in_subscription = project
        .subscriptions
        .newest_first()
        .into_iter()
        .any(|subscription| {
            subscription.user.id == user
                && subscription.sim.as_ref().is_some_and(|s| s.id == sim.id)
        });
    in_device || in_subscription
}

pub(super) fn list(store: &mut Store, request: &Request<'_>) -> Result<Value, ApiError> {
    let mut details = Vec::new();
    let providers = request.query.list("provider", None, &mut details);
    let statuses = request
        .query
        .list("status", Some(STATUSES), &mut details)
        .unwrap_or_else(|| DEFAULT_STATUSES.iter().map(|s| (*s).to_owned()).collect());
    let sim_type = request.query.get("type");
    if let Some(sim_type) = sim_type {
        if !TYPES.contains(&sim_type) {
            details.push(Detail::new(
                "type",
                "invalidValue",
                format!("`{sim_type}` is not one of eSIM, pSIM"),
            ));
        }
    }
    let page = PageRequest::parse(request.query, &mut details);
    check_parameters(details)?;
    let user = request.query.get("user");
    let project = store.project(request.project());
    let sims: Vec<&Sim> = project
        .sims
        .newest_first()
        .into_iter()
        .filter(|sim| providers.as_ref().is_none_or(|p| p.contains(&sim.provider)))
        .filter(|sim| statuses.contains(&sim.status.to_string()))
        .filter(|sim| sim_type.is_none_or(|t| sim.type_.as_str() == t))
        .filter(|sim| user.is_none_or(|user| belongs_to(project, sim, user)))
        .collect();
    page.page(&sims)
}

/// The SIMs with this ICCID and one of the types (both by default), in one page.
pub(super) fn search(store: &mut Store, request: &Request<'_>) -> Result<Value, ApiError> {
    let body = parse::<SearchSimsRequest>(request.body)?;
    let mut details = Vec::new();
    let iccid = &body.typed.iccid;
    if !(18..=22).contains(&iccid.len()) || !iccid.bytes().all(|b| b.is_ascii_digit()) {
        details.push(Detail::new(
            "iccid",
            "invalidICCID",
            "must be 18 to 22 digits",
        ));
    }
    let types: Vec<String> = match body.typed.type_.value().map(Vec::as_slice) {
        Some(types) if !types.is_empty() => types.iter().map(ToString::to_string).collect(),
        _ => TYPES.iter().map(|t| (*t).to_owned()).collect(),
    };
    for (index, sim_type) in types.iter().enumerate() {
        if !TYPES.contains(&sim_type.as_str()) {
            details.push(Detail::new(
                format!("type[{index}]"),
                "invalidValue",
                format!("`{sim_type}` is not one of eSIM, pSIM"),
            ));
        }
    }
    check_body(details)?;
    let project = store.project(request.project());
    let sims: Vec<&Sim> = project
        .sims
        .newest_first()
        .into_iter()
        .filter(|sim| sim.iccid == *iccid && types.contains(&sim.type_.to_string()))
        .collect();
    Ok(unpaged(&sims))
}

fn find<'a>(project: &'a Project, id: &str) -> Result<&'a Sim, ApiError> {
    project
        .sims
        .get(id)
        .ok_or_else(|| ApiError::not_found("SIM", id))
}

pub(super) fn retrieve(store: &mut Store, request: &Request<'_>) -> Result<Value, ApiError> {
    to_json(find(store.project(request.project()), request.id())?)
}

pub(super) fn update(store: &mut Store, request: &Request<'_>) -> Result<Value, ApiError> {
    let project = store.project(request.project());
    let current = find(project, request.id())?.clone();
    let body = parse::<UpdateSimRequest>(request.body)?;
    let mut details = Vec::new();
    let metadata = update_metadata(&current.metadata, &body.raw, &mut details);
    check_body(details)?;
    let sim = project.sims.get_mut(&current.id).expect("found above");
    sim.metadata = metadata;
    to_json(sim)
}

/// An eSIM's activation code and QR code URL, made from its ICCID; a pSIM has none: 404.
pub(super) fn credentials(store: &mut Store, request: &Request<'_>) -> Result<Value, ApiError> {
    let sim = find(store.project(request.project()), request.id())?;
    if sim.type_ != SimType::ESim {
        return Err(ApiError::not_found(
            "eSIM credentials for SIM",
            request.id(),
        ));
    }
    to_json(&SimCredentials {
        activation_code: Some(format!("LPA:1$smdp.gigs-fake.invalid${}", sim.iccid)),
        object: "simCredentials".into(),
        qr_code_url: Some(format!("https://gigs-fake.invalid/qrcode/{}.png", sim.id)),
        sim: sim.id.clone(),
    })
}

/// An eSIM's profile: `unknown` except for providers p3, p14 and p15 (as documented), where it
/// follows the SIM (`enabled` when active, `deleted` when retired, `disabled` otherwise).
/// A pSIM has no profile: 404, as documented.
pub(super) fn esim_profile(store: &mut Store, request: &Request<'_>) -> Result<Value, ApiError> {
    let sim = find(store.project(request.project()), request.id())?;
    if sim.type_ != SimType::ESim {
        return Err(ApiError::not_found("eSIM profile for SIM", request.id()));
    }
    let status = if PROFILE_PROVIDERS.contains(&sim.provider.as_str()) {
        match sim.status.as_str() {
            "active" => "enabled",
            "retired" => "deleted",
            _ => "disabled",
        }
    } else {
        "unknown"
    };
    to_json(&ESimProfile {
        object: "eSimProfile".into(),
        sim: sim.clone(),
        status: status.into(),
        updated_at: sim.created_at,
    })
}
