//! Shared helpers for the workspace's cross-crate tests (`tests/tests/it`, one test binary): the
//! spec, its examples, the tables generated from it, and the local servers the tests talk to.

pub mod examples;
pub mod fixtures;
pub mod operations;
pub mod prism;
pub mod registry;
pub mod server;
pub mod spec;

/// The tables `cargo xtask generate` writes for the tests beside the client (never edited by
/// hand): the generated types, and the operations with their example requests. Read through
/// [`registry`] and [`operations`].
#[rustfmt::skip]
mod generated;

/// The README's Rust examples, compiled as doc tests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeExamples;
