//! Cancels a subscription at the end of its period, then resumes it.
//!
//! Against the Prism mock of `openapi.yaml` (`npm run --prefix tools mock` in another terminal):
//!
//! ```sh
//! GIGS_TOKEN=test GIGS_PROJECT=gigs GIGS_BASE_URL=http://127.0.0.1:4010 \
//!     cargo run -p gigs --example cancel_and_resume_subscription -- sub_0SNlurA049MEWV2gSfSxi00xlPIi
//! ```
//!
//! Against a real account, leave out `GIGS_BASE_URL`, set your API key and project, and pass the
//! id of an active subscription: it is canceled and then resumed for real.

use gigs::types::{SubscriptionCancellationDetailsInput, SubscriptionCancellationUserReason};
use gigs::{Call, Gigs};

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
    let Some(subscription) = std::env::args().nth(1) else {
        return Err("usage: cancel_and_resume_subscription <SUBSCRIPTION_ID>".into());
    };
    let gigs = Gigs::from_env()?; // GIGS_TOKEN and GIGS_PROJECT are required

    let canceled = gigs
        .subscriptions()
        .cancel(&subscription)
        .body_map(|cancel| {
            cancel.cancellation_details(SubscriptionCancellationDetailsInput {
                user_reason: SubscriptionCancellationUserReason::Other,
                user_comment: gigs::Patch::Set("Canceled by the gigs-rs example".to_owned()),
            })
        })
        .call()
        .await?;
    println!(
        "canceled {}: status {}, ends at {}",
        canceled.id,
        canceled.status,
        canceled
            .earliest_end_at
            .map_or_else(|| "no end date".to_owned(), |end| end.to_rfc3339()),
    );

    let resumed = gigs.subscriptions().resume(&subscription).call().await?;
    println!("resumed {}: status {}", resumed.id, resumed.status);
    Ok(())
}
