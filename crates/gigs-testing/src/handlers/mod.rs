//! The operations' behaviour, one module per resource; [`handle`] runs the operation a request
//! was routed to against the store and returns the JSON answer or a Gigs error.

mod device_models;
mod devices;
mod sims;
mod subscriptions;

use serde::Serialize;
use serde_json::Value;

use crate::error::{ApiError, Detail};
use crate::params::Query;
use crate::routes::Route;
use crate::store::Store;

/// What a handler gets: the route, the query and the raw body.
pub(crate) struct Request<'a> {
    pub route: &'a Route,
    pub query: &'a Query,
    pub body: &'a [u8],
}

impl Request<'_> {
    fn project(&self) -> &str {
        &self.route.project
    }

    fn id(&self) -> &str {
        &self.route.id
    }
}

/// Runs the routed operation.
pub(crate) fn handle(store: &mut Store, request: &Request<'_>) -> Result<Value, ApiError> {
    match request.route.operation.id {
        "listDeviceModelBrands" => device_models::brands(store),
        "listDeviceModels" => device_models::list(store, request),
        "searchDeviceModels" => device_models::search(store, request),
        "retrieveDeviceModel" => device_models::retrieve(store, request),
        "listDevices" => devices::list(store, request),
        "createDevice" => devices::create(store, request),
        "searchDevices" => devices::search(store, request),
        "retrieveDevice" => devices::retrieve(store, request),
        "updateDevice" => devices::update(store, request),
        "deleteDevice" => devices::delete(store, request),
        "listSims" => sims::list(store, request),
        "searchSims" => sims::search(store, request),
        "retrieveSim" => sims::retrieve(store, request),
        "updateSim" => sims::update(store, request),
        "retrieveSimCredentials" => sims::credentials(store, request),
        "retrieveESimProfile" => sims::esim_profile(store, request),
        "listSubscriptions" => subscriptions::list(store, request),
        "createSubscription" => subscriptions::create(store, request),
        "searchSubscriptions" => subscriptions::search(store, request),
        "retrieveSubscription" => subscriptions::retrieve(store, request),
        "updateSubscription" => subscriptions::update(store, request),
        "cancelSubscription" => subscriptions::cancel(store, request),
        "endSubscription" => subscriptions::end(store, request),
        "resumeSubscription" => subscriptions::resume(store, request),
        other => unreachable!("routes.rs routes to no operation named {other}"),
    }
}

fn to_json(value: &impl Serialize) -> Result<Value, ApiError> {
    // The API's own types always serialise; a failure would be a bug of the fake, not of the
    // request, and is answered as the API answers its own failures.
    serde_json::to_value(value)
        .map_err(|_| ApiError::injected(http::StatusCode::INTERNAL_SERVER_ERROR))
}

/// Turns collected details into the 400 for parameters.
fn check_parameters(details: Vec<Detail>) -> Result<(), ApiError> {
    if details.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid_parameters(details))
    }
}

/// Turns collected details into the 422 for bodies.
fn check_body(details: Vec<Detail>) -> Result<(), ApiError> {
    if details.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid_body(details))
    }
}

/// An IMEI is 15 digits (the reference's examples; the check digit is not verified).
fn check_imei(imei: &str, details: &mut Vec<Detail>) {
    if imei.len() != 15 || !imei.bytes().all(|byte| byte.is_ascii_digit()) {
        details.push(Detail::new("imei", "invalidIMEI", "must be 15 digits"));
    }
}

pub(crate) use devices::render as render_device;
pub(crate) use subscriptions::render as render_subscription;
