#![doc = include_str!("../README.md")]
//!
//! ## Seeding and reading the fake
//!
//! ```
//! use futures::TryStreamExt;
//! use gigs::{Call, Paginate};
//! use gigs::types::{CreateSubscriptionRequest, Subscription, SubscriptionStatus};
//! use gigs_testing::{FakeGigs, Seed};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let seed = Seed::from_json(r#"{"projects": {"gigs": {
//!     "users": [{"object": "user", "id": "usr_1"}],
//!     "plans": [{"object": "plan", "id": "pln_1", "simTypes": ["eSIM"]}]
//! }}}"#)?;
//! let fake = FakeGigs::builder().seed(seed).start().await?;
//! let gigs = fake.gigs(); // base URL, token and default project `gigs` set
//!
//! let created = gigs
//!     .subscriptions()
//!     .create()
//!     .body(CreateSubscriptionRequest::builder().plan("pln_1").user("usr_1"))
//!     .call()
//!     .await?;
//! gigs.subscriptions().end(&created.id).call().await?;
//!
//! // The state is there to assert on, through the API or directly.
//! assert_eq!(fake.subscription(&created.id).unwrap().status, SubscriptionStatus::Ended);
//! let active: Vec<Subscription> = gigs.subscriptions().list().items().try_collect().await?;
//! assert!(active.is_empty(), "ended subscriptions are not listed by default");
//! # Ok(())
//! # }
//! ```
//!
//! [`FakeGigs::start`] binds its free loopback port on the current Tokio runtime, so it works in
//! `#[tokio::test]`. State is seeded from Rust (`insert_user`, `insert_plan`,
//! `insert_sim`, `insert_device`, `insert_subscription`, [`FakeGigs::in_project`] for other
//! projects) or from a [`Seed`], and read back with `user`, `plan`, `sim`, `device`,
//! `subscription`, `users`, `plans`, `sims`, `devices`, `subscriptions`.
//!
//! ## Faults
//!
//! [`FakeGigs::inject`] makes the next N calls of one operation (its operationId, or `*`)
//! answer an error status (with `Retry-After` if wanted), wait, or lose the connection, so
//! code can be tested for how it retries and reports errors; [`FakeGigs::calls`] counts the
//! requests each operation received. The binary takes the same faults over HTTP under
//! [`ADMIN_PREFIX`] (no path of the API starts with an underscore):
//!
//! | route | effect |
//! |---|---|
//! | `POST /_fake/faults` `{"operation": "listSims", "times": 2, "status": 429, "retryAfter": 1}` | the next 2 `listSims` calls answer 429 with `Retry-After: 1` |
//! | `POST /_fake/faults` `{"operation": "*", "delayMs": 500}` / `{"operation": "createDevice", "drop": true}` | a delay before the usual answer / a closed connection |
//! | `DELETE /_fake/faults` | forgets pending faults |
//! | `GET /_fake/calls` | requests per operationId |
//! | `POST /_fake/seed` | adds a seed's objects |
//!
//! ## Behaviour
//!
//! What the reference documents:
//! - Lists are newest first (`createdAt`, then insertion order); `limit` is 0 to 200, 10 by
//!   default; `after=<id>` gives the items after that item, `before=<id>` the `limit` items
//!   just before it; `moreItemsAfter` is the last item's id when more follow, and
//!   `moreItemsBefore` the first item's id when more precede. Device model brands are sorted
//!   alphabetically.
//! - Filters and defaults: SIMs `status` (default `inactive,active`), `provider`, `type`,
//!   `user`; subscriptions `status` (default `pending,initiated,active`), `user`, `plan`, `sim`;
//!   devices `user`, `sim`; device models `type`, `brand`, `simType`; plans `status` (default
//!   `available`), `provider`, `simType` (a plan that takes any of the types). Lists are
//!   comma-separated.
//! - Users: create (status `active`), update (`fullName`/`birthday` `null` clear, keys left
//!   out stay), search by email, delete. A user's email is unique among the users that are not
//!   deleted. Plans are read-only: they are what the seed holds.
//! - Devices: create, update (`name`/`user` `null` clear, `sims` replaces the list), delete
//!   (answers the device, which is then a 404). Metadata updates set keys, `null` deletes one,
//!   keys left out stay; at most 10 keys of 1 to 40 characters, values up to 255.
//! - SIM credentials and eSIM profile exist for eSIMs only; a pSIM's are a 404. A profile's
//!   status is `unknown` except for providers p3, p14 and p15.
//! - Subscriptions: cancel sets `canceledAt` and `cancellationDetails` (cause
//!   `cancellationRequested`) and leaves the status; resume clears both; end sets status
//!   `ended` and `endedAt`.
//! - Errors have the Gigs shape (`object: error`, `type`, `code`, `message`, `details` with
//!   the `property` at fault): 401 without a bearer token (or with another one than the
//!   fake's, when it has one: [`FakeGigsBuilder::token`], `--token`), 404 for unknown ids and
//!   paths.
//! - What the spec says of requests holds: a required body left out is a 400
//!   (`invalidRequest`/`missingBody`); `null` for a property that is not `nullable` and more
//!   than 10 metadata changes at once (`maxProperties`) are 422s; IMEIs are 15 digits, ICCIDs 18
//!   to 22 digits and phone numbers E.164 (the spec's `pattern`s); a cursor is not empty
//!   (`minLength`). A known path with another method is a 405 with `Allow` naming the methods
//!   it has. Schemathesis checks all of it (see the README).
//!
//! Where the reference is silent, the fake chooses (and the API may differ):
//! - Without a token of its own, any non-empty bearer token is accepted; every project exists
//!   and starts empty; projects
//!   share nothing but the device model catalog (the spec's examples, plus a seed's
//!   `deviceModels`).
//! - Parameters and body are read (and refused) before the objects they name are looked up:
//!   a malformed update of an unknown device is a 400 or 422, not a 404.
//! - Malformed JSON or a body that is no object: 400 `invalidRequest`/`invalidJSON`. A body
//!   that does not fit the request type, breaks a documented limit or names an object that
//!   does not exist: 422 `unprocessableEntity` with one detail per property. A query
//!   parameter out of range, an unknown enum value in a filter, a parameter given twice, both
//!   cursors, or a cursor that names no item of the (filtered) list: 400
//!   `invalidParameters` with details. Bodies over 1 MiB: 400. No input is answered with a
//!   500.
//! - A new device gets the
//!   model of a known device with the same type allocation code (the IMEI's first 8 digits);
//!   searching device models by IMEI uses the same rule.
//! - A pSIM can be in one device at a time, and a SIM in one subscription that has not ended:
//!   409 otherwise. Cancelling a canceled subscription, resuming one that is not canceled, and
//!   anything but reading an ended one: 409.
//! - A new subscription is `active` at once (no activation process), with a phone number and a
//!   first period as long as the plan's validity (30 days when unset). `sim` defaults to
//!   `auto`, which makes a new eSIM when the plan allows eSIMs; the SIM becomes `active`.
//!   Portings are not modelled: a `porting` id is a 422.
//! - A canceled subscription is never ended by the passing of time: end it.
//! - A deleted user (the reference does not say what one answers): `retrieveUser` answers it
//!   with status `deleted`; it is no longer listed, found by `searchUsers` or matched by
//!   `listSubscriptions?user=` (as Gigs' help pages say of users deleted in the dashboard);
//!   updating or deleting it again is a 409 `userDeleted`; its email is free for a new user.
//!   Deleting a user ends its subscriptions that have not ended (status `ended`, cause
//!   `userDeleted`).
//! - `createSubscription` with an unknown user or plan: 422 with a `notFound` detail on `user`
//!   or `plan`; with a deleted user: 422 `userDeleted`; with a plan that is not `available`:
//!   422 `planNotAvailable` (a plan seeded without a status counts as available). A second
//!   user with the email of one that is not deleted: 409 `emailAlreadyExists`. A new user's
//!   email is not verified, nor is a changed one; `preferredLocale` defaults to `en-US`.
//!   Email searches and the uniqueness check ignore ASCII case.
//! - A device or subscription answers its SIMs, user and plan as they are now (a SIM's
//!   metadata change shows in the device that holds it).
//! - An eSIM's activation code and QR code URL are made from its ICCID and id, on the
//!   `.invalid` domain.

#![warn(missing_docs)]

mod body;
#[cfg(test)]
mod default_answers_tests;
mod dispatch;
mod error;
mod fake;
mod faults;
mod generated;
mod handlers;
mod params;
mod seed;
mod server;
mod store;

pub use dispatch::{Operation, EXAMPLE_HEADER};
pub use fake::{FakeError, FakeGigs, FakeGigsBuilder, FakeProject, DEFAULT_PROJECT, FAKE_TOKEN};
pub use faults::{Fault, ANY_OPERATION};
pub use generated::server_trait::OPERATIONS;
pub use seed::{ProjectSeed, Seed};
pub use server::ADMIN_PREFIX;

#[cfg(feature = "httpmock")]
pub use generated::httpmock;
