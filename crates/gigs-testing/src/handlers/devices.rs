//! Devices: list (filters `sim`, `user`), create, retrieve, update, delete, search by IMEI.
//! A device's `sims` and `user` are answered as they are now, not as they were when attached.

use gigs_client::types::{Device, DeviceList};
use serde_json::Value;

use super::{check_body, check_imei};
use crate::body::{new_metadata, update_metadata};
use crate::error::{ApiError, Detail};
use crate::generated::server_trait::requests;
use crate::params::{Page, PageRequest};
use crate::store::{Project, Store};

/// The device as the API answers it: its SIMs and user as currently stored.
pub(crate) fn render(project: &Project, device: &Device) -> Device {
    let mut device = device.clone();
    for sim in &mut device.sims {
        if let Some(current) = project.sims.get(&sim.id) {
            *sim = current.clone();
        }
    }
    if let Some(user) = &mut device.user {
        if let Some(current) = project.users.get(&user.id) {
            *user = current.clone();
        }
    }
    device
}

pub(super) fn list(
    store: &mut Store,
    request: requests::ListDevices,
) -> Result<DeviceList, ApiError> {
    let page = PageRequest::new(request.limit, request.after, request.before)?;
    let (sim, user) = (request.sim.as_deref(), request.user.as_deref());
    let project = store.project(&request.project);
    let devices: Vec<Device> = project
        .devices
        .newest_first()
        .into_iter()
        .filter(|device| sim.is_none_or(|sim| device.sims.iter().any(|s| s.id == sim)))
        .filter(|device| user.is_none_or(|user| device.user.as_ref().is_some_and(|u| u.id == user)))
        .map(|device| render(project, device))
        .collect();
    page.page(&devices.iter().collect::<Vec<_>>())
        .map(Into::into)
}

/// Resolves SIM ids for `device`: each must exist, and a pSIM can be in one device only.
fn resolve_sims(
    project: &Project,
    device: Option<&str>,
    ids: &[String],
    details: &mut Vec<Detail>,
) -> Result<Vec<gigs_client::types::Sim>, ApiError> {
    let mut sims = Vec::new();
    for (index, id) in ids.iter().enumerate() {
        let Some(sim) = project.sims.get(id) else {
            details.push(Detail::new(
                format!("sims[{index}]"),
                "notFound",
                format!("no SIM with id `{id}` exists"),
            ));
            continue;
        };
        let elsewhere = project.devices.newest_first().into_iter().find(|other| {
            Some(other.id.as_str()) != device && other.sims.iter().any(|s| s.id == *id)
        });
        if let (Some(other), gigs_client::types::SimType::PSim) = (elsewhere, &sim.type_) {
            return Err(ApiError::conflict(
                "simAlreadyAttached",
                format!("The pSIM `{id}` is already in device `{}`.", other.id),
            ));
        }
        sims.push(sim.clone());
    }
    Ok(sims)
}

fn resolve_user(
    project: &Project,
    id: &str,
    details: &mut Vec<Detail>,
) -> Option<gigs_client::types::User> {
    let user = project.users.get(id).cloned();
    if user.is_none() {
        details.push(Detail::new(
            "user",
            "notFound",
            format!("no user with id `{id}` exists"),
        ));
    }
    user
}

pub(super) fn create(
    store: &mut Store,
    request: requests::CreateDevice,
) -> Result<Device, ApiError> {
    let input = request.body.typed;
    let mut details = Vec::new();
    check_imei(&input.imei, &mut details);
    let metadata = new_metadata(input.metadata.as_ref(), &mut details);
    let model = store.model_for_imei(&input.imei);
    let id = store.new_id("dev");
    let seq = store.next_seq();
    let project = store.project(&request.project);
    let user = input
        .user
        .value()
        .and_then(|user| resolve_user(project, user, &mut details));
    let sims = resolve_sims(
        project,
        None,
        input.sims.value().map_or(&[], Vec::as_slice),
        &mut details,
    )?;
    check_body(details)?;
    let device: Device = Device::builder()
        .created_at(Store::now())
        .id(id)
        .imei(Some(input.imei))
        .metadata(metadata)
        .model(model)
        .name(input.name.into_value())
        .object("device")
        .sims(sims)
        .user(user)
        .try_into()
        .expect("the fake sets every field of a `Device`");
    project.devices.upsert(seq, device.clone());
    Ok(render(project, &device))
}

pub(super) fn retrieve(
    store: &mut Store,
    request: requests::RetrieveDevice,
) -> Result<Device, ApiError> {
    let project = store.project(&request.project);
    let device = project
        .devices
        .get(&request.device)
        .ok_or_else(|| ApiError::not_found("device", &request.device))?;
    Ok(render(project, device))
}

/// PATCH: `name` and `user` may be `null` (cleared); `sims` replaces the list (`[]` detaches
/// every SIM, which can then go into another device); `metadata` changes keys (`null` deletes
/// one). Keys left out are not changed; a `null` where the spec allows none is a 422.
pub(super) fn update(
    store: &mut Store,
    request: requests::UpdateDevice,
) -> Result<Device, ApiError> {
    let project = store.project(&request.project);
    let current = project
        .devices
        .get(&request.device)
        .ok_or_else(|| ApiError::not_found("device", &request.device))?
        .clone();
    let body = request.body;
    let mut details = Vec::new();
    let mut device = current.clone();
    device.metadata = update_metadata(&current.metadata, body.metadata.as_ref(), &mut details);
    // `into_option`: `None` leaves the field, `Some(None)` clears it, `Some(Some(_))` sets it.
    if let Some(name) = body.name.clone().into_option() {
        device.name = name;
    }
    if let Some(user) = body.user.as_ref().into_option() {
        device.user = user.and_then(|user| resolve_user(project, user, &mut details));
    }
    if body.raw.get("sims").is_some_and(Value::is_null) {
        details.push(Detail::new(
            "sims",
            "invalidType",
            "must be a list of SIM ids (`[]` detaches every SIM), not null",
        ));
    }
    if let Some(sims) = &body.sims {
        device.sims = resolve_sims(project, Some(&current.id), sims, &mut details)?;
    }
    check_body(details)?;
    let rendered = render(project, &device);
    if let Some(stored) = project.devices.get_mut(&current.id) {
        *stored = device;
    }
    Ok(rendered)
}

/// Answers the device as it was, then forgets it: a second delete or retrieve is a 404.
pub(super) fn delete(
    store: &mut Store,
    request: requests::DeleteDevice,
) -> Result<Device, ApiError> {
    let project = store.project(&request.project);
    let device = project
        .devices
        .get(&request.device)
        .ok_or_else(|| ApiError::not_found("device", &request.device))?;
    let rendered = render(project, device);
    project.devices.remove(&request.device);
    Ok(rendered)
}

/// Every device of the project with exactly this IMEI, newest first, in one page.
pub(super) fn search(
    store: &mut Store,
    request: requests::SearchDevices,
) -> Result<DeviceList, ApiError> {
    let imei = &request.body.imei;
    let mut details = Vec::new();
    check_imei(imei, &mut details);
    check_body(details)?;
    let project = store.project(&request.project);
    let devices: Vec<Device> = project
        .devices
        .newest_first()
        .into_iter()
        .filter(|device| device.imei.as_deref() == Some(imei.as_str()))
        .map(|device| render(project, device))
        .collect();
    Ok(Page::all(devices).into())
}
