//! The operations' behaviour, one module per resource: the fake's implementation of the
//! generated [`GigsServer`] trait on its [`Store`]. Each method gets the operation's typed
//! request (parameters decoded, documented defaults filled in, body read into the client's
//! request type) and returns the client's response type or a Gigs error; an operation left out
//! of this impl is answered from the spec's example (see `generated/server_trait.rs`).

mod device_models;
mod devices;
mod plans;
mod sims;
mod subscriptions;
mod users;

use gigs_client::types::{
    Device, DeviceList, DeviceModel, DeviceModelBrands, DeviceModelList, ESimProfile, Plan,
    PlanList, Sim, SimCredentials, SimList, Subscription, SubscriptionList, User, UserList,
};

use crate::error::{ApiError, Detail};
use crate::generated::server_trait::{requests, GigsServer};
use crate::store::Store;

impl GigsServer for Store {
    fn list_device_model_brands(
        &mut self,
        _: requests::ListDeviceModelBrands,
    ) -> Result<DeviceModelBrands, ApiError> {
        device_models::brands(self)
    }
    fn list_device_models(
        &mut self,
        request: requests::ListDeviceModels,
    ) -> Result<DeviceModelList, ApiError> {
        device_models::list(self, request)
    }
    fn search_device_models(
        &mut self,
        request: requests::SearchDeviceModels,
    ) -> Result<DeviceModelList, ApiError> {
        device_models::search(self, request)
    }
    fn retrieve_device_model(
        &mut self,
        request: requests::RetrieveDeviceModel,
    ) -> Result<DeviceModel, ApiError> {
        device_models::retrieve(self, request)
    }
    fn list_devices(&mut self, request: requests::ListDevices) -> Result<DeviceList, ApiError> {
        devices::list(self, request)
    }
    fn create_device(&mut self, request: requests::CreateDevice) -> Result<Device, ApiError> {
        devices::create(self, request)
    }
    fn search_devices(&mut self, request: requests::SearchDevices) -> Result<DeviceList, ApiError> {
        devices::search(self, request)
    }
    fn retrieve_device(&mut self, request: requests::RetrieveDevice) -> Result<Device, ApiError> {
        devices::retrieve(self, request)
    }
    fn update_device(&mut self, request: requests::UpdateDevice) -> Result<Device, ApiError> {
        devices::update(self, request)
    }
    fn delete_device(&mut self, request: requests::DeleteDevice) -> Result<Device, ApiError> {
        devices::delete(self, request)
    }
    fn list_sims(&mut self, request: requests::ListSims) -> Result<SimList, ApiError> {
        sims::list(self, request)
    }
    fn search_sims(&mut self, request: requests::SearchSims) -> Result<SimList, ApiError> {
        sims::search(self, request)
    }
    fn retrieve_sim(&mut self, request: requests::RetrieveSim) -> Result<Sim, ApiError> {
        sims::retrieve(self, request)
    }
    fn update_sim(&mut self, request: requests::UpdateSim) -> Result<Sim, ApiError> {
        sims::update(self, request)
    }
    fn retrieve_sim_credentials(
        &mut self,
        request: requests::RetrieveSimCredentials,
    ) -> Result<SimCredentials, ApiError> {
        sims::credentials(self, request)
    }
    fn retrieve_e_sim_profile(
        &mut self,
        request: requests::RetrieveESimProfile,
    ) -> Result<ESimProfile, ApiError> {
        sims::esim_profile(self, request)
    }
    fn list_subscriptions(
        &mut self,
        request: requests::ListSubscriptions,
    ) -> Result<SubscriptionList, ApiError> {
        subscriptions::list(self, request)
    }
    fn create_subscription(
        &mut self,
        request: requests::CreateSubscription,
    ) -> Result<Subscription, ApiError> {
        subscriptions::create(self, request)
    }
    fn search_subscriptions(
        &mut self,
        request: requests::SearchSubscriptions,
    ) -> Result<SubscriptionList, ApiError> {
        subscriptions::search(self, request)
    }
    fn retrieve_subscription(
        &mut self,
        request: requests::RetrieveSubscription,
    ) -> Result<Subscription, ApiError> {
        subscriptions::retrieve(self, request)
    }
    fn update_subscription(
        &mut self,
        request: requests::UpdateSubscription,
    ) -> Result<Subscription, ApiError> {
        subscriptions::update(self, request)
    }
    fn cancel_subscription(
        &mut self,
        request: requests::CancelSubscription,
    ) -> Result<Subscription, ApiError> {
        subscriptions::cancel(self, request)
    }
    fn end_subscription(
        &mut self,
        request: requests::EndSubscription,
    ) -> Result<Subscription, ApiError> {
        subscriptions::end(self, request)
    }
    fn resume_subscription(
        &mut self,
        request: requests::ResumeSubscription,
    ) -> Result<Subscription, ApiError> {
        subscriptions::resume(self, request)
    }
    fn list_users(&mut self, request: requests::ListUsers) -> Result<UserList, ApiError> {
        users::list(self, request)
    }
    fn create_user(&mut self, request: requests::CreateUser) -> Result<User, ApiError> {
        users::create(self, request)
    }
    fn search_users(&mut self, request: requests::SearchUsers) -> Result<UserList, ApiError> {
        users::search(self, request)
    }
    fn retrieve_user(&mut self, request: requests::RetrieveUser) -> Result<User, ApiError> {
        users::retrieve(self, request)
    }
    fn update_user(&mut self, request: requests::UpdateUser) -> Result<User, ApiError> {
        users::update(self, request)
    }
    fn delete_user(&mut self, request: requests::DeleteUser) -> Result<User, ApiError> {
        users::delete(self, request)
    }
    fn list_plans(&mut self, request: requests::ListPlans) -> Result<PlanList, ApiError> {
        plans::list(self, request)
    }
    fn retrieve_plan(&mut self, request: requests::RetrievePlan) -> Result<Plan, ApiError> {
        plans::retrieve(self, request)
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
