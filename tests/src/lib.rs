//! Shared helpers for the workspace's cross-crate tests: the spec, its examples, and the
//! generated type registry.

pub mod examples;
pub mod registry;
pub mod spec;
