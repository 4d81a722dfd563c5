//! Query parameters and list pages: `limit` (0 to 200, default 10), the `after` / `before`
//! cursors, `moreItemsAfter` / `moreItemsBefore`, and comma-separated filters.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{json, Value};

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

    /// A comma-separated filter; `None` when absent. Every value must be one of `allowed`
    /// (when given) and none may be empty.
    pub fn list(
        &self,
        name: &str,
        allowed: Option<&[&str]>,
        details: &mut Vec<Detail>,
    ) -> Option<Vec<String>> {
        let raw = self.get(name)?;
        let values: Vec<String> = raw.split(',').map(str::to_owned).collect();
        for value in &values {
            if value.is_empty() {
                details.push(Detail::new(name, "invalidValue", "holds an empty value"));
            } else if let Some(allowed) = allowed {
                if !allowed.contains(&value.as_str()) {
                    details.push(Detail::new(
                        name,
                        "invalidValue",
                        format!("`{value}` is not one of {}", allowed.join(", ")),
                    ));
                }
            }
        }
        Some(values)
    }
}

/// Where a list page starts and how long it is.
#[derive(Debug, Clone)]
pub(crate) struct PageRequest {
    pub limit: usize,
    pub after: Option<String>,
    pub before: Option<String>,
}

/// The largest page the API serves.
pub(crate) const MAX_LIMIT: usize = 200;
/// The page size when `limit` is not given.
pub(crate) const DEFAULT_LIMIT: usize = 10;

impl PageRequest {
    /// Reads `limit`, `after` and `before`, adding a detail for each that is wrong.
    pub fn parse(query: &Query, details: &mut Vec<Detail>) -> Self {
        let limit = match query.get("limit") {
            None => DEFAULT_LIMIT,
            Some(raw) => match raw.parse::<i64>() {
                Ok(limit) if (0..=MAX_LIMIT as i64).contains(&limit) => limit as usize,
                Ok(_) => {
                    details.push(Detail::new(
                        "limit",
                        "outOfRange",
                        format!("must be between 0 and {MAX_LIMIT}, got {raw}"),
                    ));
                    DEFAULT_LIMIT
                }
                Err(_) => {
                    details.push(Detail::new(
                        "limit",
                        "invalidInteger",
                        format!("must be an integer between 0 and {MAX_LIMIT}, got `{raw}`"),
                    ));
                    DEFAULT_LIMIT
                }
            },
        };
        let after = query.get("after").map(str::to_owned);
        let before = query.get("before").map(str::to_owned);
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
        Self {
            limit,
            after,
            before,
        }
    }

    /// One page of `items` (already filtered and newest first), as the API's list object.
    /// A cursor that names no item of the list is a 400.
    pub fn page<T: Record + Serialize>(&self, items: &[&T]) -> Result<Value, ApiError> {
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
        Ok(json!({
            "object": "list",
            "items": page,
            "moreItemsAfter": more_after,
            "moreItemsBefore": more_before,
        }))
    }
}

/// A list answer without pagination (the search operations).
pub(crate) fn unpaged<T: Serialize>(items: &[T]) -> Value {
    json!({
        "object": "list",
        "items": items,
        "moreItemsAfter": null,
        "moreItemsBefore": null,
    })
}
