//! The `gigs` command line, run as a process against local servers; one module per concern.

mod commands;
mod contract;
mod errors;
mod flow;
mod formats;
mod help;
mod idempotency;
mod pagination;
mod progress;
mod support;
mod updates;
