//! Seed files: `{"projects": {"<project>": {"users": [..], "plans": [..], "sims": [..],
//! "devices": [..], "subscriptions": [..]}}, "deviceModels": [..]}`, every object in the API's
//! own response shape (the spec's examples are valid seed objects).

use std::collections::BTreeMap;
use std::path::Path;

use gigs_client::types::{Device, DeviceModel, Plan, Sim, Subscription, User};
use serde::Deserialize;

use crate::store::{Project, Store};
use crate::FakeError;

/// The objects to start a fake with. Read one with [`Seed::from_json`] or
/// [`Seed::from_file`], or build one in Rust.
///
/// ```
/// let seed = gigs_testing::Seed::from_json(r#"{"projects": {"gigs": {"users": [
///     {"object": "user", "id": "usr_1", "email": "jerry@example.com"}
/// ]}}}"#)?;
/// assert_eq!(seed.projects["gigs"].users[0].id, "usr_1");
/// # Ok::<(), gigs_testing::FakeError>(())
/// ```
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Seed {
    /// The objects of each project, by project id.
    #[serde(default)]
    pub projects: BTreeMap<String, ProjectSeed>,
    /// Device models added to the catalog (which starts with the spec's examples).
    #[serde(default)]
    pub device_models: Vec<DeviceModel>,
}

/// The objects of one project in a [`Seed`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectSeed {
    /// Users.
    #[serde(default)]
    pub users: Vec<User>,
    /// Plans.
    #[serde(default)]
    pub plans: Vec<Plan>,
    /// SIMs.
    #[serde(default)]
    pub sims: Vec<Sim>,
    /// Devices (their SIMs and user are added too, when not given on their own).
    #[serde(default)]
    pub devices: Vec<Device>,
    /// Subscriptions (their SIM, user and plan are added too, when not given on their own).
    #[serde(default)]
    pub subscriptions: Vec<Subscription>,
}

impl Seed {
    /// Reads a seed from JSON.
    ///
    /// # Errors
    /// [`FakeError::InvalidSeed`] naming the path of the first field that does not fit.
    pub fn from_json(json: &str) -> Result<Self, FakeError> {
        let deserializer = &mut serde_json::Deserializer::from_str(json);
        serde_path_to_error::deserialize(deserializer).map_err(|error| {
            FakeError::InvalidSeed(format!("at `{}`: {}", error.path(), error.inner()))
        })
    }

    /// Reads a seed file.
    ///
    /// # Errors
    /// [`FakeError::InvalidSeed`] with the file name, when it cannot be read or does not fit.
    pub fn from_file(path: &Path) -> Result<Self, FakeError> {
        let json = std::fs::read_to_string(path).map_err(|error| {
            FakeError::InvalidSeed(format!("cannot read {}: {error}", path.display()))
        })?;
        Self::from_json(&json).map_err(|error| match error {
            FakeError::InvalidSeed(reason) => {
                FakeError::InvalidSeed(format!("{}: {reason}", path.display()))
            }
            other => other,
        })
    }

    /// Adds everything to `store`, in order (an object with a known id replaces it).
    pub(crate) fn apply(&self, store: &mut Store) {
        for model in &self.device_models {
            let seq = store.next_seq();
            store.device_models.upsert(seq, model.clone());
        }
        for (name, seed) in &self.projects {
            for user in &seed.users {
                insert_user(store, name, user.clone());
            }
            for plan in &seed.plans {
                insert_plan(store, name, plan.clone());
            }
            for sim in &seed.sims {
                insert_sim(store, name, sim.clone());
            }
            for device in &seed.devices {
                insert_device(store, name, device.clone());
            }
            for subscription in &seed.subscriptions {
                insert_subscription(store, name, subscription.clone());
            }
        }
    }
}

fn with_project(store: &mut Store, name: &str, insert: impl FnOnce(&mut Project, u64)) {
    let seq = store.next_seq();
    insert(store.project(name), seq);
}

pub(crate) fn insert_user(store: &mut Store, project: &str, user: User) {
    with_project(store, project, |p, seq| p.users.upsert(seq, user));
}

pub(crate) fn insert_plan(store: &mut Store, project: &str, plan: Plan) {
    with_project(store, project, |p, seq| p.plans.upsert(seq, plan));
}

pub(crate) fn insert_sim(store: &mut Store, project: &str, sim: Sim) {
    with_project(store, project, |p, seq| p.sims.upsert(seq, sim));
}

/// Adds a device, and its SIMs, user and model when they are not known yet.
pub(crate) fn insert_device(store: &mut Store, project: &str, device: Device) {
    if let Some(model) = &device.model {
        if store.device_models.get(&model.id).is_none() {
            let seq = store.next_seq();
            store.device_models.upsert(seq, model.clone());
        }
    }
    for sim in &device.sims {
        if store.project(project).sims.get(&sim.id).is_none() {
            insert_sim(store, project, sim.clone());
        }
    }
    if let Some(user) = &device.user {
        if store.project(project).users.get(&user.id).is_none() {
            insert_user(store, project, user.clone());
        }
    }
    with_project(store, project, |p, seq| p.devices.upsert(seq, device));
}

/// Adds a subscription, and its SIM, user and plan when they are not known yet.
pub(crate) fn insert_subscription(store: &mut Store, project: &str, subscription: Subscription) {
    if let Some(sim) = &subscription.sim {
        if store.project(project).sims.get(&sim.id).is_none() {
            insert_sim(store, project, sim.clone());
        }
    }
    if store
        .project(project)
        .users
        .get(&subscription.user.id)
        .is_none()
    {
        insert_user(store, project, subscription.user.clone());
    }
    if store
        .project(project)
        .plans
        .get(&subscription.plan.id)
        .is_none()
    {
        insert_plan(store, project, subscription.plan.clone());
    }
    with_project(store, project, |p, seq| {
        p.subscriptions.upsert(seq, subscription)
    });
}
