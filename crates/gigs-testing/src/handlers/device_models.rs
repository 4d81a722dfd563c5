//! Device models and brands: the catalog (the spec's examples, plus a seed's `deviceModels`).

use std::collections::BTreeSet;

use gigs_client::types::{DeviceModel, SearchDeviceModelsRequest};
use serde_json::{json, Value};

use super::{check_body, check_imei, check_parameters, to_json, Request};
use crate::body::parse;
use crate::error::ApiError;
use crate::params::{unpaged, PageRequest};
use crate::store::Store;

const MODEL_TYPES: &[&str] = &[
    "car",
    "iot",
    "laptop",
    "router",
    "smartphone",
    "feature-phone",
    "smartwatch",
    "tablet",
    "wearable",
    "other",
];
const SIM_TYPES: &[&str] = &["eSIM", "pSIM"];

/// Brands sorted alphabetically, each once.
pub(super) fn brands(store: &mut Store) -> Result<Value, ApiError> {
    let brands: BTreeSet<&str> = store
        .device_models
        .newest_first()
        .into_iter()
        .map(|model| model.brand.as_str())
        .collect();
    Ok(json!({ "object": "deviceModelBrands", "items": brands }))
}

pub(super) fn list(store: &mut Store, request: &Request<'_>) -> Result<Value, ApiError> {
    let mut details = Vec::new();
    let types = request.query.list("type", Some(MODEL_TYPES), &mut details);
    let brands = request.query.list("brand", None, &mut details);
    let sim_types = request.query.list("simType", Some(SIM_TYPES), &mut details);
    let page = PageRequest::parse(request.query, &mut details);
    check_parameters(details)?;
    let models: Vec<&DeviceModel> = store
        .device_models
        .newest_first()
        .into_iter()
        .filter(|model| {
            types
                .as_ref()
                .is_none_or(|t| t.contains(&model.type_.to_string()))
        })
        .filter(|model| brands.as_ref().is_none_or(|b| b.contains(&model.brand)))
        .filter(|model| {
            sim_types.as_ref().is_none_or(|wanted| {
                model
                    .sim_types
                    .iter()
                    .any(|sim_type| wanted.contains(&sim_type.to_string()))
            })
        })
        .collect();
    page.page(&models)
}

pub(super) fn retrieve(store: &mut Store, request: &Request<'_>) -> Result<Value, ApiError> {
    let model = store
        .device_models
        .get(request.id())
        .ok_or_else(|| ApiError::not_found("device model", request.id()))?;
    to_json(model)
}

/// The models of every device, in any project, whose IMEI has the same type allocation code
/// (its first 8 digits) as the one searched for.
pub(super) fn search(store: &mut Store, request: &Request<'_>) -> Result<Value, ApiError> {
    let body = parse::<SearchDeviceModelsRequest>(request.body)?;
    let mut details = Vec::new();
    check_imei(&body.typed.imei, &mut details);
    check_body(details)?;
    let tac = &body.typed.imei[..8];
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
    Ok(unpaged(&found))
}
