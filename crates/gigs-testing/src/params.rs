//! The query string, and list pages: the `after` / `before` cursors and `moreItemsAfter` /
//! `moreItemsBefore`.

use std::collections::HashMap;

use crate::error::{ApiError, Detail};
use crate::store::Record;

/// The query string of one request, each parameter given at most once.
#[derive(Debug, Default)]
pub(crate) struct Query {
    values: HashMap<String, String>,
}

impl Query {
    /// Parses `a=1&b=x,y`. A parameter given twice is refused: Gigs reads lists from one
    /// comma-separated value.
    pub fn parse(raw: Option<&str>) -> Result<Self, ApiError> {
        let mut values = HashMap::new();
        let mut details = Vec::new();
        for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            if values.insert(key.to_string(), value.to_string()).is_some() {
                details.push(Detail::new(
                    key.to_string(),
                    "duplicateParameter",
                    "is given more than once; send a list as one comma-separated value",
                ));
            }
        }
        if details.is_empty() {
            Ok(Self { values })
        } else {
            Err(ApiError::invalid_parameters(details))
        }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }
}

/// Where a list page starts and how long it is.
#[derive(Debug, Clone)]
pub(crate) struct PageRequest {
    pub limit: usize,
    pub after: Option<String>,
    pub before: Option<String>,
}

impl PageRequest {
    /// The page asked for by the (decoded) `limit`, `after` and `before` of a list request:
    /// both cursors, or an empty one, are a 400. The range of `limit` is the spec's, checked
    /// when it was decoded.
    pub fn new(
        limit: i64,
        after: Option<String>,
        before: Option<String>,
    ) -> Result<Self, ApiError> {
        let mut details = Vec::new();
        if after.is_some() && before.is_some() {
            details.push(Detail::new(
                "before",
                "conflictingParameters",
                "cannot be given together with `after`",
            ));
        }
        for (name, value) in [("after", &after), ("before", &before)] {
            if value.as_deref() == Some("") {
                details.push(Detail::new(name, "invalidValue", "must be an object id"));
            }
        }
        if !details.is_empty() {
            return Err(ApiError::invalid_parameters(details));
        }
        Ok(Self {
            limit: usize::try_from(limit).unwrap_or_default(),
            after,
            before,
        })
    }

    /// One page of `items` (already filtered and newest first). A cursor that names no item of
    /// the list is a 400.
    pub fn page<T: Record + Clone>(&self, items: &[&T]) -> Result<Page<T>, ApiError> {
        let position = |name: &str, id: &str| {
            items
                .iter()
                .position(|item| item.id() == id)
                .ok_or_else(|| {
                    ApiError::invalid_parameters(vec![Detail::new(
                        name,
                        "invalidCursor",
                        format!("`{id}` is no item of this list (with these filters)"),
                    )])
                })
        };
        let (start, end) = match (&self.after, &self.before) {
            (Some(after), _) => {
                let start = position("after", after)? + 1;
                (start, (start + self.limit).min(items.len()))
            }
            (None, Some(before)) => {
                let end = position("before", before)?;
                (end.saturating_sub(self.limit), end)
            }
            (None, None) => (0, self.limit.min(items.len())),
        };
        let page = &items[start..end];
        let more_after = match page.last() {
            Some(last) if end < items.len() => Some(last.id().to_owned()),
            _ => None,
        };
        let more_before = match page.first() {
            Some(first) if start > 0 => Some(first.id().to_owned()),
            _ => None,
        };
        Ok(Page {
            items: page.iter().map(|item| (*item).clone()).collect(),
            more_items_after: more_after,
            more_items_before: more_before,
        })
    }
}

/// One page of a list: its items and both cursors, put into the operation's list type by the
/// handler.
pub(crate) struct Page<T> {
    pub items: Vec<T>,
    pub more_items_after: Option<String>,
    pub more_items_before: Option<String>,
}

impl<T> Page<T> {
    /// Every item in one page (the search operations).
    pub fn all(items: Vec<T>) -> Self {
        Self {
            items,
            more_items_after: None,
            more_items_before: None,
        }
    }
}
