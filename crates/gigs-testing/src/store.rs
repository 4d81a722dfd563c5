//! The fake's state: per project, the users, plans, SIMs, devices and subscriptions, and the
//! device model catalog shared by all projects. Objects are kept in the API's own types
//! (`gigs_client::types`), so what the fake answers is what the client decodes.

use std::collections::HashMap;

use chrono::{DateTime, SubsecRound, Utc};
use gigs_client::types::{Device, DeviceModel, Plan, Sim, Subscription, User};

/// Objects of one kind, each with the sequence number of its insertion (ties of `createdAt`
/// are ordered by it).
#[derive(Debug, Clone)]
pub(crate) struct Table<T> {
    rows: Vec<(u64, T)>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Self { rows: Vec::new() }
    }
}

/// What every stored object has: an id and a creation time.
pub(crate) trait Record {
    fn id(&self) -> &str;
    fn created_at(&self) -> Option<DateTime<Utc>>;
}

macro_rules! record {
    ($($type:ty => $created:expr),* $(,)?) => {$(
        impl Record for $type {
            fn id(&self) -> &str {
                &self.id
            }
            fn created_at(&self) -> Option<DateTime<Utc>> {
                let created: fn(&$type) -> Option<DateTime<Utc>> = $created;
                created(self)
            }
        }
    )*};
}

record! {
    User => |user| user.created_at,
    Plan => |plan| plan.created_at,
    Sim => |sim| Some(sim.created_at),
    Device => |device| Some(device.created_at),
    Subscription => |subscription| Some(subscription.created_at),
    DeviceModel => |_| None,
}

impl<T: Record + Clone> Table<T> {
    /// Inserts `value`, replacing an object with the same id (which keeps its place).
    pub fn upsert(&mut self, seq: u64, value: T) {
        match self.rows.iter_mut().find(|(_, row)| row.id() == value.id()) {
            Some(row) => row.1 = value,
            None => self.rows.push((seq, value)),
        }
    }

    pub fn get(&self, id: &str) -> Option<&T> {
        self.rows
            .iter()
            .map(|(_, row)| row)
            .find(|row| row.id() == id)
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut T> {
        self.rows
            .iter_mut()
            .map(|(_, row)| row)
            .find(|row| row.id() == id)
    }

    pub fn remove(&mut self, id: &str) -> Option<T> {
        let index = self.rows.iter().position(|(_, row)| row.id() == id)?;
        Some(self.rows.remove(index).1)
    }

    /// Every object, newest first (by `createdAt`, then by insertion), as the lists answer.
    pub fn newest_first(&self) -> Vec<&T> {
        let mut rows: Vec<&(u64, T)> = self.rows.iter().collect();
        rows.sort_by(|(seq_a, a), (seq_b, b)| {
            (b.created_at(), seq_b).cmp(&(a.created_at(), seq_a))
        });
        rows.into_iter().map(|(_, row)| row).collect()
    }
}

/// The objects of one project.
#[derive(Debug, Clone, Default)]
pub(crate) struct Project {
    pub users: Table<User>,
    pub plans: Table<Plan>,
    pub sims: Table<Sim>,
    pub devices: Table<Device>,
    pub subscriptions: Table<Subscription>,
}

/// The whole state of one fake.
#[derive(Debug, Clone, Default)]
pub(crate) struct Store {
    projects: HashMap<String, Project>,
    pub device_models: Table<DeviceModel>,
    seq: u64,
}

impl Store {
    /// The project, created empty on first use: every project exists.
    pub fn project(&mut self, name: &str) -> &mut Project {
        self.projects.entry(name.to_owned()).or_default()
    }

    /// The project if anything was ever stored in it (reads need no entry).
    pub fn existing(&self, name: &str) -> Option<&Project> {
        self.projects.get(name)
    }

    /// The next insertion number, also used to make ids.
    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// A new id with the API's prefix (`dev`, `sub`, `sim`, ...): the prefix, `_`, then 28
    /// characters, like the ids of the reference.
    pub fn new_id(&mut self, prefix: &str) -> String {
        let seq = self.next_seq();
        format!("{prefix}_0FAKE{seq:023}")
    }

    /// The current time, to the second, as the API writes timestamps.
    pub fn now() -> DateTime<Utc> {
        Utc::now().trunc_subsecs(0)
    }
}

impl Store {
    /// Every project that holds something.
    pub fn projects(&self) -> impl Iterator<Item = &Project> {
        self.projects.values()
    }

    /// The model of a new device: the model of a known device with the same type allocation
    /// code (the IMEI's first 8 digits), if any.
    pub fn model_for_imei(&self, imei: &str) -> Option<DeviceModel> {
        let tac = imei.get(..8)?;
        self.projects()
            .flat_map(|project| project.devices.newest_first())
            .find(|device| {
                device
                    .imei
                    .as_deref()
                    .is_some_and(|known| known.starts_with(tac))
            })
            .and_then(|device| device.model.clone())
    }
}

impl Store {
    /// Loads the device models of the spec's examples (generated into `generated/catalog.rs`).
    pub fn load_catalog(&mut self) {
        let models: Vec<DeviceModel> = serde_json::from_str(
            crate::generated::catalog::DEVICE_MODELS,
        )
        .expect(
            "generated/catalog.rs is generated from the spec's examples, which are device models",
        );
        for model in models {
            let seq = self.next_seq();
            self.device_models.upsert(seq, model);
        }
    }
}
