//! SIMs: list (filters `provider`, `status` default `inactive,active`, `type`, `user`), search
//! by ICCID, retrieve, update (metadata), credentials and eSIM profile (eSIMs only).

use gigs_client::types::{
    ESimProfile, ESimProfileStatus, Sim, SimCredentials, SimList, SimStatus, SimType,
};

use super::check_body;
use crate::body::update_metadata;
use crate::error::{ApiError, Detail};
use crate::generated::server_trait::requests;
use crate::params::{Page, PageRequest};
use crate::store::{Project, Store};
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

pub(super) fn list(store: &mut Store, request: requests::ListSims) -> Result<SimList, ApiError> {
    let page = PageRequest::new(request.limit, request.after, request.before)?;
    let providers = request.provider.as_ref().map(|p| p.as_slice());
    let statuses = request.status.as_slice();
    let (sim_type, user) = (request.type_.as_ref(), request.user.as_deref());
    let project = store.project(&request.project);
    let sims: Vec<&Sim> = project
        .sims
        .newest_first()
        .into_iter()
        .filter(|sim| providers.is_none_or(|p| p.contains(&sim.provider)))
        .filter(|sim| statuses.contains(&sim.status))
        .filter(|sim| sim_type.is_none_or(|t| sim.type_ == *t))
        .filter(|sim| user.is_none_or(|user| belongs_to(project, sim, user)))
        .collect();
    page.page(&sims).map(Into::into)
}

/// The SIMs with this ICCID and one of the types (every documented type by default), in one
/// page.
pub(super) fn search(
    store: &mut Store,
    request: requests::SearchSims,
) -> Result<SimList, ApiError> {
    let body = &request.body;
    let mut details = Vec::new();
    let iccid = &body.iccid;
    if !(18..=22).contains(&iccid.len()) || !iccid.bytes().all(|b| b.is_ascii_digit()) {
        details.push(Detail::new(
            "iccid",
            "invalidICCID",
            "must be 18 to 22 digits",
        ));
    }
    let types: Vec<SimType> = match body.type_.value().map(Vec::as_slice) {
        Some(types) if !types.is_empty() => types.to_vec(),
        _ => SimType::KNOWN.to_vec(),
    };
    for (index, sim_type) in types.iter().enumerate() {
        if sim_type.is_unknown() {
            details.push(Detail::new(
                format!("type[{index}]"),
                "invalidValue",
                format!("`{sim_type}` is not one of {}", known(SimType::KNOWN)),
            ));
        }
    }
    check_body(details)?;
    let project = store.project(&request.project);
    let sims: Vec<Sim> = project
        .sims
        .newest_first()
        .into_iter()
        .filter(|sim| sim.iccid == *iccid && types.contains(&sim.type_))
        .cloned()
        .collect();
    Ok(Page::all(sims).into())
}

/// The documented values of an open enum, for messages.
fn known(values: &[SimType]) -> String {
    values
        .iter()
        .map(SimType::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

fn find<'a>(project: &'a Project, id: &str) -> Result<&'a Sim, ApiError> {
    project
        .sims
        .get(id)
        .ok_or_else(|| ApiError::not_found("SIM", id))
}

pub(super) fn retrieve(store: &mut Store, request: requests::RetrieveSim) -> Result<Sim, ApiError> {
    find(store.project(&request.project), &request.sim).cloned()
}

pub(super) fn update(store: &mut Store, request: requests::UpdateSim) -> Result<Sim, ApiError> {
    let project = store.project(&request.project);
    let current = find(project, &request.sim)?.clone();
    let mut details = Vec::new();
    let metadata = update_metadata(
        &current.metadata,
        request.body.metadata.as_ref(),
        &mut details,
    );
    check_body(details)?;
    let sim = project.sims.get_mut(&current.id).expect("found above");
    sim.metadata = metadata;
    Ok(sim.clone())
}

/// An eSIM's activation code and QR code URL, made from its ICCID; a pSIM has none: 404.
pub(super) fn credentials(
    store: &mut Store,
    request: requests::RetrieveSimCredentials,
) -> Result<SimCredentials, ApiError> {
    let sim = find(store.project(&request.project), &request.sim)?;
    if sim.type_ != SimType::ESim {
        return Err(ApiError::not_found(
            "eSIM credentials for SIM",
            &request.sim,
        ));
    }
    Ok(SimCredentials::builder()
        .activation_code(Some(format!("LPA:1$smdp.gigs-fake.invalid${}", sim.iccid)))
        .object("simCredentials")
        .qr_code_url(Some(format!(
            "https://gigs-fake.invalid/qrcode/{}.png",
            sim.id
        )))
        .sim(sim.id.clone())
        .try_into()
        .expect("the fake sets every field of a `SimCredentials`"))
}

/// An eSIM's profile: `unknown` except for providers p3, p14 and p15 (as documented), where it
/// follows the SIM (`enabled` when active, `deleted` when retired, `disabled` otherwise).
/// A pSIM has no profile: 404, as documented.
pub(super) fn esim_profile(
    store: &mut Store,
    request: requests::RetrieveESimProfile,
) -> Result<ESimProfile, ApiError> {
    let sim = find(store.project(&request.project), &request.sim)?;
    if sim.type_ != SimType::ESim {
        return Err(ApiError::not_found("eSIM profile for SIM", &request.sim));
    }
    let status = if PROFILE_PROVIDERS.contains(&sim.provider.as_str()) {
        match sim.status {
            SimStatus::Active => ESimProfileStatus::Enabled,
            SimStatus::Retired => ESimProfileStatus::Deleted,
            _ => ESimProfileStatus::Disabled,
        }
    } else {
        ESimProfileStatus::UnknownValue
    };
    Ok(ESimProfile::builder()
        .object("eSimProfile")
        .sim(sim.clone())
        .status(status)
        .updated_at(sim.created_at)
        .try_into()
        .expect("the fake sets every field of a `ESimProfile`"))
}
