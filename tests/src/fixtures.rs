//! Request values the request-shape and contract tests both send.

use std::collections::HashMap;

use gigs_client::types::{
    Metadata, MetadataUpdate, SubscriptionCancellationDetailsInput,
    SubscriptionCancellationUserReason,
};

/// Metadata with one key, for create requests.
pub fn metadata() -> Metadata {
    Metadata(HashMap::from([(
        "internalId".to_owned(),
        "12345".to_owned(),
    )]))
}

/// A metadata update that sets one key and deletes another.
pub fn metadata_update() -> MetadataUpdate {
    MetadataUpdate(HashMap::from([
        ("internalId".to_owned(), Some("12345".to_owned())),
        ("obsoleteKey".to_owned(), None),
    ]))
}

/// Cancellation details with every field set.
pub fn cancellation_details() -> SubscriptionCancellationDetailsInput {
    SubscriptionCancellationDetailsInput {
        user_comment: gigs_client::Patch::Set("Moving abroad".to_owned()),
        user_reason: SubscriptionCancellationUserReason::Other,
    }
}
