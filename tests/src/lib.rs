//! Shared helpers for the workspace's cross-crate tests: the spec, its examples, and the
//! generated type registry.

pub mod examples;
pub mod fixtures;
pub mod prism;
pub mod registry;
pub mod spec;

/// The README's Rust examples, compiled as doc tests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeExamples;
