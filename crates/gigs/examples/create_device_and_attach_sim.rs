//! Creates a device and attaches an existing SIM to it, found by its ICCID.
//!
//! Against the Prism mock of `openapi.yaml` (`npm run --prefix tools mock` in another terminal):
//!
//! ```sh
//! GIGS_TOKEN=test GIGS_PROJECT=gigs GIGS_BASE_URL=http://127.0.0.1:4010 \
//!     cargo run -p gigs --example create_device_and_attach_sim -- 492388841798923 89883070000007537119
//! ```
//!
//! Against a real account, leave out `GIGS_BASE_URL`, set your API key and project, and pass the
//! device's IMEI and the SIM's ICCID: this creates a device in the project.

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
    let mut args = std::env::args().skip(1);
    let (Some(imei), Some(iccid)) = (args.next(), args.next()) else {
        return Err("usage: create_device_and_attach_sim <IMEI> <ICCID>".into());
    };
    let gigs = Gigs::from_env()?; // GIGS_TOKEN and GIGS_PROJECT are required

    let found = gigs
        .sims()
        .search()
        .body_map(|search| search.iccid(iccid.clone()))
        .call()
        .await?;
    let sim = found
        .items
        .into_iter()
        .next()
        .ok_or_else(|| format!("no SIM with ICCID {iccid} in the project"))?;
    println!("found SIM {} ({}, {})", sim.id, sim.type_, sim.status);

    let device = gigs
        .devices()
        .create()
        .body_map(|device| {
            device
                .imei(imei)
                .name("Created by the gigs-rs example".to_owned())
        })
        .call()
        .await?;
    println!("created device {}", device.id);

    // `sims` replaces the device's whole list: keep the SIMs it has and add the new one.
    let mut sims: Vec<String> = device
        .sims
        .iter()
        .map(|attached| attached.id.clone())
        .collect();
    if !sims.contains(&sim.id) {
        sims.push(sim.id.clone());
    }
    let device = gigs
        .devices()
        .update(&device.id)
        .body_map(|update| update.sims(sims))
        .call()
        .await?;
    let attached: Vec<&str> = device.sims.iter().map(|sim| sim.id.as_str()).collect();
    println!(
        "device {} now has SIM(s) {}",
        device.id,
        attached.join(", ")
    );
    Ok(())
}
