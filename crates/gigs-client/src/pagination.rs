//! What a paginated list operation looks like, so that one generic pager (in the `gigs` crate)
//! can walk every list operation. `cargo xtask generate` implements these traits for each
//! operation that takes `after`/`before`/`limit` and answers with a `moreItemsAfter` envelope.

use crate::operation::Operation;

/// One page of a list response: `{"items": [...], "moreItemsAfter": id|null, "moreItemsBefore": id|null}`.
pub trait ListPage {
    /// The type of the listed items.
    type Item;

    /// The items of this page, in API order.
    fn items(&self) -> &[Self::Item];

    /// The items of this page, in API order.
    fn into_items(self) -> Vec<Self::Item>;

    /// The cursor for the page after this one, if there is one.
    fn more_items_after(&self) -> Option<&str>;

    /// The cursor for the page before this one, if there is one.
    fn more_items_before(&self) -> Option<&str>;
}

/// A list request (a generated builder) that can be sent again with other cursors.
///
/// The setters only ever add a value: a pager keeps a copy of the request as the caller built it
/// and sets one cursor on each page request.
pub trait ListRequest: Operation<Response: ListPage> + Clone {
    /// Sets the `after` cursor.
    fn set_after(self, cursor: &str) -> Self;

    /// Sets the `before` cursor.
    fn set_before(self, cursor: &str) -> Self;

    /// Sets the `limit` (page size).
    fn set_limit(self, limit: u32) -> Self;
}
