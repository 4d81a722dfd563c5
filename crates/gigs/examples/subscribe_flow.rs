//! The whole flow around a subscription: create a user, list the available plans and pick one,
//! create a device for the user, subscribe the user to the plan on that device, list the user's
//! subscriptions, cancel the new one.
//!
//! Against the Prism mock of `openapi.yaml` (`npm run --prefix tools mock` in another terminal),
//! or gigs-testing's fake (`cargo run -p gigs-testing --bin gigs-fake -- --port 4010 --seed
//! crates/gigs-testing/seed.json`), which keeps what the flow creates:
//!
//! ```sh
//! GIGS_TOKEN=test GIGS_PROJECT=gigs GIGS_BASE_URL=http://127.0.0.1:4010 \
//!     cargo run -p gigs --example subscribe_flow -- elaine@example.com 492388841798924
//! ```
//!
//! Against a real account, leave out `GIGS_BASE_URL`, set your API key and project, and pass a
//! new user's email and the IMEI of their phone: this creates a user, a device and a
//! subscription for real, then cancels the subscription.
//!
//! The tests run [`subscribe`] itself against the fake and through Prism's contract check
//! (`tests/tests/it/flow.rs`), so this file is the flow they test.

use futures::TryStreamExt;
use gigs::types::{
    CancelSubscriptionRequest, CreateDeviceRequest, CreateSubscriptionRequest, CreateUserRequest,
    Device, Plan, PlanStatus, SimType, Subscription, SubscriptionCancellationDetailsInput,
    SubscriptionCancellationUserReason, User,
};
use gigs::{Call, Gigs, Paginate, Patch};

/// Errors print as the one line `gigs::Error`'s `Display` gives (operation, status, code,
/// message, request id), not as a `Debug` dump.
#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(email), Some(imei)) = (args.next(), args.next()) else {
        return Err("usage: subscribe_flow <EMAIL> <IMEI>".into());
    };
    let gigs = Gigs::from_env()?; // GIGS_TOKEN and GIGS_PROJECT are required

    let flow = subscribe(&gigs, &email, &imei).await?;
    println!("created user {} ({email})", flow.user.id);
    println!(
        "picked plan {} ({})",
        flow.plan.id,
        flow.plan.name.as_deref().unwrap_or("no name")
    );
    println!("created device {} (IMEI {imei})", flow.device.id);
    println!(
        "subscribed: {} ({})",
        flow.subscription.id, flow.subscription.status
    );
    let listed: Vec<&str> = flow.listed.iter().map(|s| s.id.as_str()).collect();
    println!("the user's subscriptions: {}", listed.join(", "));
    println!(
        "canceled {} at {}",
        flow.canceled.id,
        flow.canceled
            .canceled_at
            .map_or_else(|| "(not yet)".to_owned(), |at| at.to_rfc3339())
    );
    Ok(())
}

/// What [`subscribe`] created and read, in order.
#[derive(Debug)]
pub struct Flow {
    /// The new user.
    pub user: User,
    /// The plan picked: the first available plan that takes eSIMs.
    pub plan: Plan,
    /// The user's new device.
    pub device: Device,
    /// The new subscription.
    pub subscription: Subscription,
    /// The user's subscriptions, listed after subscribing.
    pub listed: Vec<Subscription>,
    /// The new subscription after it was canceled.
    pub canceled: Subscription,
}

/// Runs the flow for a new user with `email` and a phone with `imei`, in the default project
/// of `gigs`.
///
/// # Errors
/// The first request that fails, or no available plan that takes eSIMs.
pub async fn subscribe(
    gigs: &Gigs,
    email: &str,
    imei: &str,
) -> Result<Flow, Box<dyn std::error::Error>> {
    let user = gigs
        .users()
        .create()
        .body(
            CreateUserRequest::builder()
                .email(email)
                .full_name("Created by the gigs-rs example".to_owned()),
        )
        .call()
        .await?;

    // Available plans are the default; asked for explicitly here, with eSIM support, so that
    // `sim` can be left to its default (`auto`: a new eSIM).
    let plan = gigs
        .plans()
        .list()
        .status(vec![PlanStatus::Available])
        .sim_type(vec![SimType::ESim])
        .items()
        .try_next()
        .await?
        .ok_or("no available plan takes eSIMs")?;

    let device = gigs
        .devices()
        .create()
        .body(
            CreateDeviceRequest::builder()
                .imei(imei)
                .user(user.id.clone()),
        )
        .call()
        .await?;

    let subscription = gigs
        .subscriptions()
        .create()
        .body(
            CreateSubscriptionRequest::builder()
                .plan(&plan.id)
                .user(&user.id)
                .device(device.id.clone()),
        )
        .call()
        .await?;

    let listed: Vec<Subscription> = gigs
        .subscriptions()
        .list()
        .user(&user.id)
        .items()
        .try_collect()
        .await?;

    let canceled = gigs
        .subscriptions()
        .cancel(&subscription.id)
        .body(CancelSubscriptionRequest::builder().cancellation_details(
            SubscriptionCancellationDetailsInput {
                user_comment: Patch::Keep,
                user_reason: SubscriptionCancellationUserReason::TooExpensive,
            },
        ))
        .call()
        .await?;

    Ok(Flow {
        user,
        plan,
        device,
        subscription,
        listed,
        canceled,
    })
}
