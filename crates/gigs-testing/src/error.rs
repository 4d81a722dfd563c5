//! The fake's error answers, in the Gigs error shape (`object: error`, `type`, `code`,
//! `message`, `details`), with the statuses the reference documents.

use http::StatusCode;
use serde_json::{json, Value};

/// One error answer of the fake: a status and a Gigs error body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub body: Value,
}

/// One `propertyErrorDetail`: which property of the request is wrong, and how.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Detail {
    pub property: String,
    pub code: &'static str,
    pub message: String,
}

impl Detail {
    pub fn new(
        property: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self {
            property: property.into(),
            code,
            message: message.into(),
        }
    }
}

impl ApiError {
    fn new(
        status: StatusCode,
        type_: &str,
        code: &str,
        message: String,
        details: &[Detail],
    ) -> Self {
        let mut body = json!({
            "object": "error",
            "type": type_,
            "code": code,
            "message": message,
        });
        if !details.is_empty() {
            body["details"] = details
                .iter()
                .map(|detail| {
                    json!({
                        "object": "propertyErrorDetail",
                        "code": detail.code,
                        "message": detail.message,
                        "property": detail.property,
                        "suggestion": null,
                    })
                })
                .collect();
        }
        Self { status, body }
    }

    /// 401: no `Authorization: Bearer <token>` header.
    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "unauthenticated",
            "Invalid authorization token: send `Authorization: Bearer <API key>`.".to_owned(),
            &[],
        )
    }

    /// 404: no `kind` with this id in the project (or no such route).
    pub fn not_found(kind: &str, id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "notFound",
            "notFound",
            format!("No {kind} with id `{id}` exists."),
            &[],
        )
    }

    /// 404 for a path that is no operation of the API.
    pub fn no_route(method: &str, path: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "notFound",
            "notFound",
            format!("{method} {path} is not an operation of the Gigs API."),
            &[],
        )
    }

    /// 400: the body is not JSON (or not a JSON object).
    pub fn invalid_json(reason: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalidRequest",
            "invalidJSON",
            format!("The request body is not valid JSON: {reason}."),
            &[],
        )
    }

    /// 400: no body where the spec requires one.
    pub fn missing_body() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalidRequest",
            "missingBody",
            "The request body is required: send a JSON object.".to_owned(),
            &[],
        )
    }

    /// 400: query or path parameters out of range or of the wrong form.
    pub fn invalid_parameters(details: Vec<Detail>) -> Self {
        let message = summary("Invalid request parameters", &details);
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalidRequest",
            "invalidParameters",
            message,
            &details,
        )
    }

    /// 422: a well-formed body that fails validation.
    pub fn invalid_body(details: Vec<Detail>) -> Self {
        let code = if details.len() == 1 {
            details[0].code
        } else {
            "invalidProperties"
        };
        let message = summary("The request body is not valid", &details);
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unprocessableEntity",
            code,
            message,
            &details,
        )
    }

    /// 409: the resource's state does not allow the request.
    pub fn conflict(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", code, message.into(), &[])
    }

    /// An error status chosen by fault injection, with the body the reference shows for it.
    pub fn injected(status: StatusCode) -> Self {
        let (type_, message) = match status.as_u16() {
            400 => ("invalidRequest", "The request could not be parsed."),
            401 => ("unauthenticated", "Invalid authorization token"),
            403 => ("permissionDenied", "Permission denied."),
            404 => ("notFound", "The requested resource does not exist."),
            409 => (
                "conflict",
                "The resource is in a state that does not allow this request.",
            ),
            422 => ("unprocessableEntity", "The request failed validation."),
            429 => ("rateLimited", "Too many requests."),
            500..=599 => ("internal", "An internal error occurred."),
            _ => ("injected", "An error injected by the fake."),
        };
        Self::new(
            status,
            type_,
            type_,
            format!("{message} (injected by gigs-fake)"),
            &[],
        )
    }
}

/// The code of the 501 for an operation the fake has no behaviour for.
const NOT_IMPLEMENTED: &str = "notImplemented";

impl ApiError {
    /// What a `GigsServer` method the fake does not implement returns: the dispatch answers
    /// the spec's example instead, or this 501 where there is none.
    pub fn no_behaviour(operation_id: &str) -> Self {
        Self::new(
            StatusCode::NOT_IMPLEMENTED,
            "notImplemented",
            NOT_IMPLEMENTED,
            format!("The fake has no behaviour for `{operation_id}`."),
            &[],
        )
    }

    /// Whether this is [`ApiError::no_behaviour`].
    pub fn is_no_behaviour(&self) -> bool {
        self.status == StatusCode::NOT_IMPLEMENTED && self.body["code"] == NOT_IMPLEMENTED
    }

    /// 501: an operation of the spec the fake has no behaviour for, and no example to answer.
    pub fn not_implemented(operation_id: &str, method: &str, path: &str) -> Self {
        Self::new(
            StatusCode::NOT_IMPLEMENTED,
            "notImplemented",
            NOT_IMPLEMENTED,
            format!(
                "The fake has no behaviour for `{}` ({} {}) and openapi.yaml documents no \
                 example of its answer.",
                operation_id, method, path
            ),
            &[],
        )
    }
}

fn summary(prefix: &str, details: &[Detail]) -> String {
    let parts: Vec<String> = details
        .iter()
        .map(|detail| format!("`{}`: {}", detail.property, detail.message))
        .collect();
    format!("{prefix}: {}.", parts.join("; "))
}

impl ApiError {
    /// 405: a path of the API with a method it does not serve.
    pub fn method_not_allowed(method: &str, path: &str) -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "invalidRequest",
            "methodNotAllowed",
            format!("{method} is not an operation on {path}."),
            &[],
        )
    }
}
