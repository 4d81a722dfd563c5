//! A service's use of the API: walk the active subscriptions of a project, read a device, and
//! create one, with the token and project from the environment.

use futures::TryStreamExt;
use gigs::types::{CreateDeviceRequest, SubscriptionStatus};
use gigs::{Call, Gigs, Paginate};

#[tokio::main]
async fn main() -> Result<(), gigs::Error> {
    let gigs = Gigs::from_env()?;
    let mut active = gigs
        .subscriptions()
        .list()
        .status(vec![SubscriptionStatus::Active])
        .items();
    let mut count = 0;
    while let Some(subscription) = active.try_next().await? {
        println!("{} {}", subscription.id, subscription.status);
        count += 1;
    }
    let device = gigs.devices().retrieve("dev_123").call().await?;
    println!("{} {:?} ({count} active)", device.id, device.imei);
    let created = gigs
        .devices()
        .create()
        .body(CreateDeviceRequest::builder().imei("356938035643809".to_owned()))
        .call()
        .await?;
    println!("created {}", created.id);
    Ok(())
}
