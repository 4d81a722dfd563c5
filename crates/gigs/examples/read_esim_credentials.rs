//! Reads the credentials an eSIM is installed with, and the state of its eSIM profile.
//!
//! Against the Prism mock of `openapi.yaml` (`npm run --prefix tools mock` in another terminal):
//!
//! ```sh
//! GIGS_TOKEN=test GIGS_PROJECT=gigs GIGS_BASE_URL=http://127.0.0.1:4010 \
//!     cargo run -p gigs --example read_esim_credentials -- sim_0SNlurA049MEWV1BAAmWZULA4lf6
//! ```
//!
//! Against a real account, leave out `GIGS_BASE_URL`, set your API key and project, and pass the
//! id of an eSIM. The activation code installs the eSIM: treat it as a secret.

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
    let Some(sim) = std::env::args().nth(1) else {
        return Err("usage: read_esim_credentials <SIM_ID>".into());
    };
    let gigs = Gigs::from_env()?; // GIGS_TOKEN and GIGS_PROJECT are required

    let credentials = gigs.sims().retrieve_credentials(&sim).call().await?;
    println!("SIM {}", credentials.sim);
    println!(
        "  activation code: {}",
        credentials.activation_code.as_deref().unwrap_or("none")
    );
    println!(
        "  QR code: {}",
        credentials.qr_code_url.as_deref().unwrap_or("none")
    );

    let profile = gigs.sims().retrieve_e_sim_profile(&sim).call().await?;
    println!(
        "  eSIM profile: {} (updated {})",
        profile.status,
        profile.updated_at.to_rfc3339()
    );
    Ok(())
}
