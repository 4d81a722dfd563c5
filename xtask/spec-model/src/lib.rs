//! `openapi.yaml` read once, for every tool of the workspace: codegen, the contract review and
//! `xtask`.
//!
//! ```text
//! text ─ yaml::parse ─▶ SpecDocument (value + where each field sits)
//!                          │ validate: every problem at once, with file:line and field
//!                          ▼
//!                       spec::read_operations ─▶ [Operation] (parameters, bodies, statuses,
//!                                                  list shape, Rust names from `naming`)
//! ```
//!
//! - [`spec`]: loading and parsing ([`SpecDocument`]), the operation model, the `$ref`
//!   resolver (re-exported from `spec-ref`, which the tests crate shares).
//! - [`validate`]: what the tools refuse before reading a spec as one.
//! - [`naming`]: the Rust names the generated client gives to what the spec declares; codegen
//!   names with it and the review explains with it.
//! - [`field_form`]: the words for how a generated field stands for its property (codegen
//!   decides, the review explains).
//! - [`nullable`]: the nullable-reference forms read as one.
//! - [`diagnostic`]: a problem with its file, line, column and field.
//!
//! ```
//! use spec_model::SpecDocument;
//!
//! let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
//! let spec = SpecDocument::parse(std::path::Path::new("openapi.yaml"), text).unwrap();
//! assert!(spec_model::validate::validate(&spec).is_empty());
//! ```

pub mod diagnostic;
pub mod field_form;
pub mod naming;
pub mod nullable;
pub mod spec;
pub mod validate;
pub mod yaml;

pub use diagnostic::{Diagnostic, Diagnostics, FieldPath, Location};
pub use spec::SpecDocument;
