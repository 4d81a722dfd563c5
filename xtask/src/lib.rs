//! Workspace tasks for gigs-rs, as a library: the `xtask` binary (`src/main.rs`) is its
//! command line, and the tests of what the commands decide call these functions directly.
//!
//! A thin layer over the library crates beside it: `spec-model` (the spec read once), `codegen`
//! (every generated file), `contract-review` (the review engine). This crate keeps what is about
//! the command line, git, release and where files live ([`files`]).

pub mod diff;
pub mod files;
mod git;
pub mod output;
pub mod release;
