//! The service of ../with-gigs written by hand: the same calls with reqwest and serde, the
//! types it reads declared here, errors with their status and body.

use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct List<T> {
    items: Vec<T>,
    more_items_after: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Subscription {
    id: String,
    status: String,
    phone_number: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Device {
    id: String,
    imei: Option<String>,
    name: Option<String>,
}

#[derive(Serialize)]
struct CreateDevice<'a> {
    imei: &'a str,
}

#[derive(Debug)]
enum Error {
    Env(&'static str),
    Http(reqwest::Error),
    Api(reqwest::StatusCode, String),
}

impl From<reqwest::Error> for Error {
    fn from(error: reqwest::Error) -> Self {
        Error::Http(error)
    }
}

struct Api {
    http: reqwest::Client,
    base: String,
    token: String,
    project: String,
}

impl Api {
    fn from_env() -> Result<Self, Error> {
        let token = std::env::var("GIGS_TOKEN").map_err(|_| Error::Env("GIGS_TOKEN"))?;
        let project = std::env::var("GIGS_PROJECT").map_err(|_| Error::Env("GIGS_PROJECT"))?;
        let base =
            std::env::var("GIGS_BASE_URL").unwrap_or_else(|_| "https://api.gigs.com".to_owned());
        Ok(Self {
            http: reqwest::Client::new(),
            base,
            token,
            project,
        })
    }

    async fn send<T: for<'de> Deserialize<'de>>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<T, Error> {
        let response = request.bearer_auth(&self.token).send().await?;
        let status = response.status();
        if !status.is_success() {
            return Err(Error::Api(status, response.text().await?));
        }
        Ok(response.json().await?)
    }

    fn url(&self, path: &str) -> String {
        format!("{}/projects/{}{path}", self.base, self.project)
    }
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let api = Api::from_env()?;
    let mut after: Option<String> = None;
    let mut count = 0;
    loop {
        let mut query = vec![("status", "active".to_owned())];
        if let Some(after) = &after {
            query.push(("after", after.clone()));
        }
        let page: List<Subscription> = api
            .send(api.http.get(api.url("/subscriptions")).query(&query))
            .await?;
        for subscription in &page.items {
            println!(
                "{} {} {:?}",
                subscription.id, subscription.status, subscription.phone_number
            );
            count += 1;
        }
        match page.more_items_after {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    let device: Device = api
        .send(api.http.get(api.url("/devices/dev_123")))
        .await?;
    println!("{} {:?} {:?} ({count} active)", device.id, device.imei, device.name);
    let created: Device = api
        .send(
            api.http
                .post(api.url("/devices"))
                .json(&CreateDevice {
                    imei: "356938035643809",
                }),
        )
        .await?;
    println!("created {}", created.id);
    Ok(())
}
