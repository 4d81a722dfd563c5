//! Every public generated type, listed by `cargo xtask generate` beside the client, so that the
//! schema and example tests cover types added to the spec without anyone editing a list.

pub use crate::generated::{debug_formatted, json_schemas, round_trip, TYPE_NAMES};
