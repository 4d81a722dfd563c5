//! Lists every active subscription of a project, across all pages.
//!
//! Against the Prism mock of `openapi.yaml` (`npm run --prefix tools mock` in another terminal):
//!
//! ```sh
//! GIGS_TOKEN=test GIGS_PROJECT=gigs GIGS_BASE_URL=http://127.0.0.1:4010 \
//!     cargo run -p gigs --example list_active_subscriptions
//! ```
//!
//! Against a real account, leave out `GIGS_BASE_URL` and set your API key and project:
//! `GIGS_TOKEN=... GIGS_PROJECT=... cargo run -p gigs --example list_active_subscriptions`.

use futures::TryStreamExt;
use gigs::{types::SubscriptionStatus, Gigs, Paginate};

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
    let gigs = Gigs::from_env()?; // GIGS_TOKEN and GIGS_PROJECT are required

    let mut active = gigs
        .subscriptions()
        .list()
        .status(vec![SubscriptionStatus::Active])
        .items();
    let mut count = 0;
    while let Some(subscription) = active.try_next().await? {
        count += 1;
        println!(
            "{}  {}  plan {}  {}",
            subscription.id,
            subscription.status,
            subscription.plan.id,
            subscription
                .phone_number
                .as_deref()
                .unwrap_or("no phone number yet"),
        );
    }
    println!("{count} active subscription(s)");
    Ok(())
}
