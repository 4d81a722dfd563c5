//! [`FakeGigs`]: the fake API served in-process on a loopback port, with its state readable
//! and writable from the test.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use gigs::{Gigs, GigsBuilder, WithProject};
use gigs_client::types::{Device, DeviceModel, Plan, Sim, Subscription, User};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::faults::Fault;
use crate::seed::{self, Seed};
use crate::server::{lock, serve, Shared};
use crate::store::Store;

/// The project [`FakeGigs::gigs`] uses by default and the `insert_*` methods write to.
pub const DEFAULT_PROJECT: &str = "gigs";

/// The token [`FakeGigs::gigs`] sends when the fake was given none of its own; a fake without
/// a token ([`FakeGigsBuilder::token`]) accepts any non-empty bearer token.
pub const FAKE_TOKEN: &str = "gigs-fake-token";

/// Why a fake could not start or be configured.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FakeError {
    /// The listener could not be bound.
    Bind(String),
    /// A seed that cannot be read, with the path of the first field that does not fit.
    InvalidSeed(String),
    /// A fault for an operationId that the API does not have.
    UnknownOperation(String),
    /// A fault that makes no sense (a status that is no error, ...).
    InvalidFault(String),
}

impl fmt::Display for FakeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bind(reason) => write!(f, "the fake cannot listen: {reason}"),
            Self::InvalidSeed(reason) => write!(f, "invalid seed {reason}"),
            Self::UnknownOperation(operation) => write!(
                f,
                "`{operation}` is no operationId of the Gigs API (see openapi.yaml), nor `*`"
            ),
            Self::InvalidFault(reason) => write!(f, "invalid fault: {reason}"),
        }
    }
}

impl std::error::Error for FakeError {}

/// Options of a fake: where it listens, its default project, its seed.
#[derive(Clone)]
pub struct FakeGigsBuilder {
    address: SocketAddr,
    project: String,
    seed: Seed,
    token: Option<String>,
}

impl fmt::Debug for FakeGigsBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeGigsBuilder")
            .field("address", &self.address)
            .field("project", &self.project)
            .field("token", &self.token.as_ref().map(|_| "[redacted]"))
            .finish_non_exhaustive()
    }
}

impl Default for FakeGigsBuilder {
    fn default() -> Self {
        Self {
            address: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            project: DEFAULT_PROJECT.to_owned(),
            seed: Seed::default(),
            token: None,
        }
    }
}

impl FakeGigsBuilder {
    /// Listens on this address (default: a free port on 127.0.0.1).
    pub fn address(mut self, address: SocketAddr) -> Self {
        self.address = address;
        self
    }

    /// The default project of [`FakeGigs::gigs`] and of the `insert_*` methods.
    pub fn project(mut self, project: impl Into<String>) -> Self {
        self.project = project.into();
        self
    }

    /// Objects to start with.
    pub fn seed(mut self, seed: Seed) -> Self {
        self.seed = seed;
        self
    }

    /// The one bearer token the fake accepts: any other (or none) gets the Gigs 401, so code
    /// can be tested for its handling of a bad token. Without one, any non-empty token is
    /// accepted. [`FakeGigs::gigs`] sends it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use gigs::Call;
    ///
    /// let fake = gigs_testing::FakeGigs::builder().token("sk_test_fake").start().await?;
    /// assert!(fake.gigs().sims().list().call().await.is_ok());
    /// let wrong = fake.gigs_builder().token("sk_test_other").build()?;
    /// let error = wrong.sims().list().call().await.unwrap_err();
    /// assert_eq!(error.status(), Some(reqwest::StatusCode::UNAUTHORIZED));
    /// # Ok(())
    /// # }
    /// ```
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Binds the listener and starts serving on the current Tokio runtime.
    ///
    /// # Errors
    /// [`FakeError::Bind`] when the address cannot be bound.
    pub async fn start(self) -> Result<FakeGigs, FakeError> {
        let listener = TcpListener::bind(self.address)
            .await
            .map_err(|error| FakeError::Bind(format!("{}: {error}", self.address)))?;
        let address = listener
            .local_addr()
            .map_err(|error| FakeError::Bind(error.to_string()))?;
        let mut store = Store::default();
        store.load_catalog();
        self.seed.apply(&mut store);
        let shared = Arc::new(Shared {
            store: store.into(),
            token: self.token.clone(),
            ..Shared::default()
        });
        let task = tokio::spawn(serve(listener, Arc::clone(&shared)));
        Ok(FakeGigs {
            address,
            project: self.project,
            token: self.token.unwrap_or_else(|| FAKE_TOKEN.to_owned()),
            shared,
            task,
        })
    }
}

/// A stateful fake of the Gigs API, serving every operation of openapi.yaml on a loopback port
/// (see the crate docs for one it has no behaviour for). Dropping it
/// stops the server and closes its connections.
///
/// ```
/// use gigs::Call;
/// use gigs_testing::FakeGigs;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), gigs::Error> {
/// let fake = FakeGigs::start().await;
/// let gigs = fake.gigs();
/// let device = gigs
///     .devices()
///     .create()
///     .body(gigs::types::CreateDeviceRequest::builder().imei("492388841798923"))
///     .call()
///     .await?;
/// assert_eq!(fake.device(&device.id).unwrap().imei.as_deref(), Some("492388841798923"));
/// # Ok(())
/// # }
/// ```
pub struct FakeGigs {
    address: SocketAddr,
    project: String,
    /// The token `gigs()` sends.
    token: String,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl FakeGigs {
    /// Starts an empty fake (the device model catalog aside) on a free loopback port.
    ///
    /// # Panics
    /// When no loopback port can be bound; [`FakeGigs::builder`] returns that as an error.
    pub async fn start() -> Self {
        match Self::builder().start().await {
            Ok(fake) => fake,
            Err(error) => panic!("{error}"),
        }
    }

    /// Options: address, default project, seed, token.
    pub fn builder() -> FakeGigsBuilder {
        FakeGigsBuilder::default()
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The address the fake listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The default project.
    pub fn project(&self) -> &str {
        &self.project
    }

    /// A [`GigsBuilder`] with the fake's base URL, a token and the default project, to add
    /// your own settings (retry policy, timeouts) before `build()`.
    pub fn gigs_builder(&self) -> GigsBuilder<WithProject> {
        Gigs::builder()
            .token(self.token.clone())
            .base_url(self.base_url())
            .project(self.project.clone())
    }

    /// A [`Gigs`] client for the fake, with the default project set.
    ///
    /// # Panics
    /// Never for the fake's own settings (a base URL and token it made itself).
    pub fn gigs(&self) -> Gigs {
        self.gigs_builder()
            .build()
            .expect("the fake's own base URL and token are a valid configuration")
    }

    /// The objects of another project (every project exists and starts empty).
    pub fn in_project(&self, project: &str) -> FakeProject<'_> {
        FakeProject {
            shared: &self.shared,
            project: project.to_owned(),
        }
    }

    fn default_project(&self) -> FakeProject<'_> {
        self.in_project(&self.project)
    }

    /// Adds (or replaces, by id) a user in the default project.
    pub fn insert_user(&self, user: User) {
        self.default_project().insert_user(user);
    }
    /// Adds (or replaces, by id) a plan in the default project.
    pub fn insert_plan(&self, plan: Plan) {
        self.default_project().insert_plan(plan);
    }
    /// Adds (or replaces, by id) a SIM in the default project.
    pub fn insert_sim(&self, sim: Sim) {
        self.default_project().insert_sim(sim);
    }
    /// Adds (or replaces, by id) a device, with its SIMs and user if unknown, in the default project.
    pub fn insert_device(&self, device: Device) {
        self.default_project().insert_device(device);
    }
    /// Adds (or replaces, by id) a subscription, with its SIM, user and plan if unknown, in the
    /// default project.
    pub fn insert_subscription(&self, subscription: Subscription) {
        self.default_project().insert_subscription(subscription);
    }
    /// Adds a device model to the catalog (shared by all projects).
    pub fn insert_device_model(&self, model: DeviceModel) {
        let mut store = lock(&self.shared.store);
        let seq = store.next_seq();
        store.device_models.upsert(seq, model);
    }
    /// Adds a seed's objects.
    pub fn apply_seed(&self, seed: &Seed) {
        seed.apply(&mut lock(&self.shared.store));
    }

    /// A user of the default project.
    pub fn user(&self, id: &str) -> Option<User> {
        self.default_project().user(id)
    }
    /// A plan of the default project.
    pub fn plan(&self, id: &str) -> Option<Plan> {
        self.default_project().plan(id)
    }
    /// A SIM of the default project.
    pub fn sim(&self, id: &str) -> Option<Sim> {
        self.default_project().sim(id)
    }
    /// A device of the default project, as the API would answer it.
    pub fn device(&self, id: &str) -> Option<Device> {
        self.default_project().device(id)
    }
    /// A subscription of the default project, as the API would answer it.
    pub fn subscription(&self, id: &str) -> Option<Subscription> {
        self.default_project().subscription(id)
    }
    /// Every user of the default project, newest first, deleted ones included.
    pub fn users(&self) -> Vec<User> {
        self.default_project().users()
    }
    /// Every plan of the default project, newest first, whatever its status.
    pub fn plans(&self) -> Vec<Plan> {
        self.default_project().plans()
    }
    /// Every SIM of the default project, newest first, whatever its status.
    pub fn sims(&self) -> Vec<Sim> {
        self.default_project().sims()
    }
    /// Every device of the default project, newest first.
    pub fn devices(&self) -> Vec<Device> {
        self.default_project().devices()
    }
    /// Every subscription of the default project, newest first, whatever its status.
    pub fn subscriptions(&self) -> Vec<Subscription> {
        self.default_project().subscriptions()
    }

    /// Makes the next `times` calls of `operation` (an operationId such as
    /// `"retrieveSubscription"`, or `"*"` for any) fail with `fault`. Faults queue up and
    /// apply in the order given; they come before authentication and the operation itself.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use gigs_testing::{FakeGigs, Fault};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), gigs_testing::FakeError> {
    /// let fake = FakeGigs::start().await;
    /// fake.inject("listSubscriptions", 2, Fault::status(503))?;
    /// fake.inject("createDevice", 1, Fault::status(429).retry_after(Duration::from_secs(1)))?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`FakeError::UnknownOperation`] for a name that is no operationId, and
    /// [`FakeError::InvalidFault`] for a status outside 400 to 599.
    pub fn inject(&self, operation: &str, times: usize, fault: Fault) -> Result<(), FakeError> {
        lock(&self.shared.faults).add(operation, times, fault)
    }

    /// Forgets every pending fault.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// How many requests reached `operation` (an operationId), faulted ones included.
    pub fn calls(&self, operation: &str) -> usize {
        lock(&self.shared.calls)
            .get(operation)
            .copied()
            .unwrap_or(0)
    }

    /// Serves until the task is stopped (for the `gigs-fake` binary).
    pub async fn run_until_stopped(mut self) {
        let _ = (&mut self.task).await;
    }
}

impl Drop for FakeGigs {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl fmt::Debug for FakeGigs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeGigs")
            .field("address", &self.address)
            .field("project", &self.project)
            .finish_non_exhaustive()
    }
}

/// The objects of one project of a [`FakeGigs`] ([`FakeGigs::in_project`]).
#[derive(Debug)]
pub struct FakeProject<'a> {
    shared: &'a Shared,
    project: String,
}

impl FakeProject<'_> {
    /// Adds (or replaces, by id) a user.
    pub fn insert_user(&self, user: User) {
        seed::insert_user(&mut lock(&self.shared.store), &self.project, user);
    }
    /// Adds (or replaces, by id) a plan.
    pub fn insert_plan(&self, plan: Plan) {
        seed::insert_plan(&mut lock(&self.shared.store), &self.project, plan);
    }
    /// Adds (or replaces, by id) a SIM.
    pub fn insert_sim(&self, sim: Sim) {
        seed::insert_sim(&mut lock(&self.shared.store), &self.project, sim);
    }
    /// Adds (or replaces, by id) a device, with its SIMs and user if unknown.
    pub fn insert_device(&self, device: Device) {
        seed::insert_device(&mut lock(&self.shared.store), &self.project, device);
    }
    /// Adds (or replaces, by id) a subscription, with its SIM, user and plan if unknown.
    pub fn insert_subscription(&self, subscription: Subscription) {
        seed::insert_subscription(&mut lock(&self.shared.store), &self.project, subscription);
    }

    fn read<T>(&self, read: impl FnOnce(&crate::store::Project) -> T) -> Option<T> {
        lock(&self.shared.store).existing(&self.project).map(read)
    }

    /// A user.
    pub fn user(&self, id: &str) -> Option<User> {
        self.read(|p| p.users.get(id).cloned()).flatten()
    }
    /// A plan.
    pub fn plan(&self, id: &str) -> Option<Plan> {
        self.read(|p| p.plans.get(id).cloned()).flatten()
    }
    /// A SIM.
    pub fn sim(&self, id: &str) -> Option<Sim> {
        self.read(|p| p.sims.get(id).cloned()).flatten()
    }
    /// A device, as the API would answer it.
    pub fn device(&self, id: &str) -> Option<Device> {
        self.read(|p| {
            p.devices
                .get(id)
                .map(|d| crate::handlers::render_device(p, d))
        })
        .flatten()
    }
    /// A subscription, as the API would answer it.
    pub fn subscription(&self, id: &str) -> Option<Subscription> {
        self.read(|p| {
            p.subscriptions
                .get(id)
                .map(|s| crate::handlers::render_subscription(p, s))
        })
        .flatten()
    }
    /// Every user, newest first, deleted ones included.
    pub fn users(&self) -> Vec<User> {
        self.read(|p| p.users.newest_first().into_iter().cloned().collect())
            .unwrap_or_default()
    }
    /// Every plan, newest first.
    pub fn plans(&self) -> Vec<Plan> {
        self.read(|p| p.plans.newest_first().into_iter().cloned().collect())
            .unwrap_or_default()
    }
    /// Every SIM, newest first.
    pub fn sims(&self) -> Vec<Sim> {
        self.read(|p| p.sims.newest_first().into_iter().cloned().collect())
            .unwrap_or_default()
    }
    /// Every device, newest first.
    pub fn devices(&self) -> Vec<Device> {
        self.read(|p| {
            p.devices
                .newest_first()
                .into_iter()
                .map(|d| crate::handlers::render_device(p, d))
                .collect()
        })
        .unwrap_or_default()
    }
    /// Every subscription, newest first.
    pub fn subscriptions(&self) -> Vec<Subscription> {
        self.read(|p| {
            p.subscriptions
                .newest_first()
                .into_iter()
                .map(|s| crate::handlers::render_subscription(p, s))
                .collect()
        })
        .unwrap_or_default()
    }
}
