//! The workspace's integration tests: one test binary (one link step), with a module per
//! concern. Each module's first line says what belongs in it; the shared helpers (the spec and
//! its examples, the generated operation and type tables, the local servers) are in the
//! `gigs-tests` library (`tests/src`).
//!
//! Run one module with `cargo test -p gigs-tests --test it <module>::`, e.g. `faults::`.

mod calls;
mod contract;
mod example_validity;
mod examples;
mod faults;
mod flow;
mod fuzz_decode;
mod open_enums;
mod pagination;
mod requests;
mod retries;
mod secrets;
mod security;
mod type_schemas;
mod wire_states;
