//! Device models and brands: the catalog (the spec's examples, plus a seed's `deviceModels`).

use std::collections::BTreeSet;

use gigs_client::types::{DeviceModel, DeviceModelBrands, DeviceModelList};

use super::{check_body, check_imei};
use crate::error::ApiError;
use crate::generated::server_trait::requests;
use crate::params::{Page, PageRequest};
use crate::store::Store;

/// Brands sorted alphabetically, each once.
pub(super) fn brands(store: &mut Store) -> Result<DeviceModelBrands, ApiError> {
    let brands: BTreeSet<&str> = store
        .device_models
        .newest_first()
        .into_iter()
        .map(|model| model.brand.as_str())
        .collect();
    Ok(DeviceModelBrands::builder()
        .items(brands.into_iter().map(str::to_owned).collect::<Vec<_>>())
        .object("deviceModelBrands")
        .try_into()
        .expect("the fake sets every field of a `DeviceModelBrands`"))
}

pub(super) fn list(
    store: &mut Store,
    request: requests::ListDeviceModels,
) -> Result<DeviceModelList, ApiError> {
    let page = PageRequest::new(request.limit, request.after, request.before)?;
    let types = request.type_.as_ref().map(|types| types.as_slice());
    let brands = request.brand.as_ref().map(|brands| brands.as_slice());
    let sim_types = request.sim_type.as_ref().map(|types| types.as_slice());
    let models: Vec<&DeviceModel> = store
        .device_models
        .newest_first()
        .into_iter()
        .filter(|model| types.is_none_or(|t| t.contains(&model.type_)))
        .filter(|model| brands.is_none_or(|b| b.contains(&model.brand)))
        .filter(|model| {
            sim_types.is_none_or(|wanted| {
                model
                    .sim_types
                    .iter()
                    .any(|sim_type| wanted.contains(sim_type))
            })
        })
        .collect();
    page.page(&models).map(Into::into)
}

pub(super) fn retrieve(
    store: &mut Store,
    request: requests::RetrieveDeviceModel,
) -> Result<DeviceModel, ApiError> {
    store
        .device_models
        .get(&request.device_model)
        .cloned()
        .ok_or_else(|| ApiError::not_found("device model", &request.device_model))
}

/// The models of every device, in any project, whose IMEI has the same type allocation code
/// (its first 8 digits) as the one searched for.
pub(super) fn search(
    store: &mut Store,
    request: requests::SearchDeviceModels,
) -> Result<DeviceModelList, ApiError> {
    let mut details = Vec::new();
    check_imei(&request.body.imei, &mut details);
    check_body(details)?;
    let tac = &request.body.imei[..8];
    let mut found: Vec<DeviceModel> = Vec::new();
    for project in store.projects() {
        for device in project.devices.newest_first() {
            let same_tac = device
                .imei
                .as_deref()
                .is_some_and(|imei| imei.starts_with(tac));
            if let (true, Some(model)) = (same_tac, &device.model) {
                if !found.iter().any(|known| known.id == model.id) {
                    found.push(model.clone());
                }
            }
        }
    }
    Ok(Page::all(found).into())
}
