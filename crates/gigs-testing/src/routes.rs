//! The 24 operations of the API: method, path template and operationId, and the routing of a
//! request to one of them.

use crate::error::ApiError;

/// One operation of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Operation {
    pub method: &'static str,
    pub path: &'static str,
    pub id: &'static str,
}

macro_rules! operations {
    ($($method:literal $path:literal => $id:literal,)*) => {
        /// Every operation of `openapi.yaml`; a path with a fixed segment (`/search`) comes
        /// before the one with a parameter in its place.
        pub(crate) const OPERATIONS: &[Operation] = &[
            $(Operation { method: $method, path: $path, id: $id },)*
        ];
    };
}

operations! {
    "GET" "/deviceModelBrands" => "listDeviceModelBrands",
    "GET" "/deviceModels" => "listDeviceModels",
    "POST" "/deviceModels/search" => "searchDeviceModels",
    "GET" "/deviceModels/{deviceModel}" => "retrieveDeviceModel",
    "GET" "/projects/{project}/devices" => "listDevices",
    "POST" "/projects/{project}/devices" => "createDevice",
    "POST" "/projects/{project}/devices/search" => "searchDevices",
    "GET" "/projects/{project}/devices/{device}" => "retrieveDevice",
    "PATCH" "/projects/{project}/devices/{device}" => "updateDevice",
    "DELETE" "/projects/{project}/devices/{device}" => "deleteDevice",
    "GET" "/projects/{project}/sims" => "listSims",
    "POST" "/projects/{project}/sims/search" => "searchSims",
    "GET" "/projects/{project}/sims/{sim}" => "retrieveSim",
    "PATCH" "/projects/{project}/sims/{sim}" => "updateSim",
    "GET" "/projects/{project}/sims/{sim}/credentials" => "retrieveSimCredentials",
    "GET" "/projects/{project}/sims/{sim}/eSimProfile" => "retrieveESimProfile",
    "GET" "/projects/{project}/subscriptions" => "listSubscriptions",
    "POST" "/projects/{project}/subscriptions" => "createSubscription",
    "POST" "/projects/{project}/subscriptions/search" => "searchSubscriptions",
    "GET" "/projects/{project}/subscriptions/{subscription}" => "retrieveSubscription",
    "PATCH" "/projects/{project}/subscriptions/{subscription}" => "updateSubscription",
    "POST" "/projects/{project}/subscriptions/{subscription}/cancel" => "cancelSubscription",
    "POST" "/projects/{project}/subscriptions/{subscription}/end" => "endSubscription",
    "POST" "/projects/{project}/subscriptions/{subscription}/resume" => "resumeSubscription",
}

/// A request matched to its operation, with the path parameters (percent-decoded).
#[derive(Debug, Clone)]
pub(crate) struct Route {
    pub operation: Operation,
    pub project: String,
    /// The id of the path's last parameter (`{device}`, `{sim}`, ...), if any besides the project.
    pub id: String,
}

/// Matches `method` and `path` (percent-encoded, without the query) to an operation.
/// A path of the API with another method is a 405, any other path a 404.
pub(crate) fn route(method: &str, path: &str) -> Result<Route, ApiError> {
    let segments: Vec<String> = path
        .strip_prefix('/')
        .unwrap_or(path)
        .split('/')
        .map(|segment| {
            percent_encoding::percent_decode_str(segment)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect();
    let mut path_known = false;
    for operation in OPERATIONS {
        let Some((project, id)) = matches(operation.path, &segments) else {
            continue;
        };
        if operation.method != method {
            path_known = true;
            continue;
        }
        return Ok(Route {
            operation: *operation,
            project,
            id,
        });
    }
    if path_known {
        Err(ApiError::method_not_allowed(method, path))
    } else {
        Err(ApiError::no_route(method, path))
    }
}

fn matches(template: &str, segments: &[String]) -> Option<(String, String)> {
    let parts: Vec<&str> = template.trim_start_matches('/').split('/').collect();
    if parts.len() != segments.len() {
        return None;
    }
    let (mut project, mut id) = (String::new(), String::new());
    for (part, segment) in parts.iter().zip(segments) {
        if part.starts_with('{') {
            if segment.is_empty() {
                return None;
            }
            if *part == "{project}" {
                project = segment.clone();
            } else {
                id = segment.clone();
            }
        } else if part != segment {
            return None;
        }
    }
    Some((project, id))
}

/// Whether `id` is the operationId of an operation of the API.
pub(crate) fn is_operation(id: &str) -> bool {
    OPERATIONS.iter().any(|operation| operation.id == id)
}
