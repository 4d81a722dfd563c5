//! The catalogue of contract changes: each rule has an id and two severities, one for clients
//! on the wire (any language) and one for Rust code written against gigs-client.

use std::fmt;

use serde::Serialize;

/// How much a change can hurt, ordered from harmless to breaking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Review,
    Breaking,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Review => "review",
            Severity::Breaking => "breaking",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One kind of contract change.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    /// The wire severity: the rule's own, or (when `wire_judged`) the verdict a change it names
    /// usually gets.
    pub wire: Severity,
    /// The wire severity of each finding is the containment engine's verdict on what the base
    /// and head schemas accept (`judged(..)` in the catalogue), not the rule's. Findings check
    /// it: a judged rule pushed without a verdict, or a fixed one with, fails in debug builds.
    pub wire_judged: bool,
    pub rust: Severity,
    pub summary: &'static str,
}

impl Rule {
    /// Where the wire severity of this rule's findings comes from, as `--rules` prints it.
    pub fn wire_source(&self) -> &'static str {
        if self.wire_judged {
            "schemas"
        } else {
            "rule"
        }
    }
}

use Severity::{Breaking as B, Info as I, Review as R};

/// A catalogue row's wire column: `B` (the rule's), or `judged(B)` (the engine's, usually `B`).
macro_rules! wire {
    (severity judged($usual:ident)) => {
        $usual
    };
    (judged judged($usual:ident)) => {
        true
    };
    (severity $fixed:ident) => {
        $fixed
    };
    (judged $fixed:ident) => {
        false
    };
}

macro_rules! rules {
    ($( $name:ident = $id:literal, $wire:ident $(($usual:ident))?, $rust:ident, $summary:literal; )+) => {
        $( pub const $name: Rule = Rule {
            id: $id,
            wire: wire!(severity $wire $(($usual))?),
            wire_judged: wire!(judged $wire $(($usual))?),
            rust: $rust,
            summary: $summary,
        }; )+
        /// Every rule, in catalogue order.
        pub const ALL: &[&Rule] = &[$( &$name ),+];
    };
}

rules! {
    OPERATION_REMOVED = "operation-removed", B, B, "operation removed";
    OPERATION_ADDED = "operation-added", I, I, "operation added";
    OPERATION_ID_CHANGED = "operation-id-changed", I, B, "operationId changed (the Rust method is renamed)";
    OPERATION_DEPRECATED = "operation-deprecated", I, I, "operation deprecated (announced for removal; its `x-sunset` is shown)";
    OPERATION_UNDEPRECATED = "operation-undeprecated", I, I, "operation no longer deprecated";
    SECURITY_REQUIREMENT_ADDED = "security-requirement-added", B, I, "security requirement added";
    SECURITY_REQUIREMENT_RELAXED = "security-requirement-relaxed", I, I, "security requirement relaxed";
    PARAMETER_ADDED_REQUIRED = "parameter-added-required", B, B, "required parameter added";
    PARAMETER_ADDED_OPTIONAL = "parameter-added-optional", I, I, "optional parameter added";
    PARAMETER_REMOVED = "parameter-removed", R, B, "parameter removed";
    PATH_PARAMETER_RENAMED = "path-parameter-renamed", I, B, "path template variable renamed (same URLs; the Rust builder method is renamed)";
    PARAMETER_LOCATION_CHANGED = "parameter-location-changed", B, I, "parameter moved to another location (query, header, cookie)";
    PARAMETER_DEPRECATED = "parameter-deprecated", I, I, "parameter deprecated (announced for removal; its `x-sunset` is shown)";
    PARAMETER_UNDEPRECATED = "parameter-undeprecated", I, I, "parameter no longer deprecated";
    PARAMETER_BECAME_REQUIRED = "parameter-became-required", B, B, "parameter became required";
    PARAMETER_BECAME_OPTIONAL = "parameter-became-optional", I, I, "parameter became optional";
    PARAMETER_TYPE_CHANGED = "parameter-type-changed", judged(B), B, "parameter type or format changed";
    PARAMETER_ENUM_VALUE_REMOVED = "parameter-enum-value-removed", judged(B), B, "parameter enum value removed";
    PARAMETER_ENUM_VALUE_ADDED = "parameter-enum-value-added", judged(I), I, "parameter enum value added";
    PARAMETER_DEFAULT_CHANGED = "parameter-default-changed", R, I, "parameter default changed";
    PARAMETER_STYLE_CHANGED = "parameter-style-changed", judged(B), R, "parameter style or explode changed (breaking when a value the parameter takes is written otherwise on the wire, info when every one is written the same)";
    PARAMETER_ALLOW_RESERVED_CHANGED = "parameter-allow-reserved-changed", judged(R), I, "query parameter `allowReserved` changed (review when refused: text sent with reserved characters may read otherwise)";
    PARAMETER_ALLOW_EMPTY_VALUE_CHANGED = "parameter-allow-empty-value-changed", judged(B), I, "query parameter `allowEmptyValue` changed (breaking when refused: clients may send empty values)";
    PARAMETER_CONTENT_CHANGED = "parameter-content-changed", B, R, "parameter written in another way: `schema` replaced by `content` (a media type) or back, or another media type";
    REQUEST_BODY_ADDED_REQUIRED = "request-body-added-required", B, B, "required request body added";
    REQUEST_BODY_ADDED_OPTIONAL = "request-body-added-optional", I, I, "optional request body added";
    REQUEST_BODY_REMOVED = "request-body-removed", B, B, "request body removed (what callers send is dropped or refused)";
    REQUEST_BODY_BECAME_REQUIRED = "request-body-became-required", B, B, "request body became required";
    REQUEST_BODY_BECAME_OPTIONAL = "request-body-became-optional", I, I, "request body became optional";
    REQUEST_MEDIA_TYPE_REMOVED = "request-media-type-removed", B, B, "request media type removed";
    REQUEST_MEDIA_TYPE_ADDED = "request-media-type-added", I, I, "request media type added";
    REQUEST_PROPERTY_ADDED_REQUIRED = "request-property-added-required", judged(B), B, "required request property added";
    REQUEST_PROPERTY_ADDED_OPTIONAL = "request-property-added-optional", judged(I), R, "optional request property added";
    REQUEST_PROPERTY_REMOVED = "request-property-removed", judged(R), B, "request property removed";
    REQUEST_PROPERTY_BECAME_REQUIRED = "request-property-became-required", judged(B), B, "request property became required";
    REQUEST_PROPERTY_BECAME_OPTIONAL = "request-property-became-optional", judged(I), B, "request property became optional";
    REQUEST_PROPERTY_TYPE_CHANGED = "request-property-type-changed", judged(B), B, "request property type or format changed";
    REQUEST_PROPERTY_BECAME_NON_NULLABLE = "request-property-became-non-nullable", judged(B), B, "request property became non-nullable";
    REQUEST_PROPERTY_BECAME_NULLABLE = "request-property-became-nullable", judged(I), B, "request property became nullable";
    REQUEST_PROPERTY_BECAME_READ_ONLY = "request-property-became-read-only", judged(B), R, "request property became readOnly (clients may no longer send it)";
    REQUEST_PROPERTY_NO_LONGER_READ_ONLY = "request-property-no-longer-read-only", judged(I), I, "request property no longer readOnly (clients may send it)";
    REQUEST_OBJECT_CLOSED = "request-object-closed", judged(B), I, "request object closed (`additionalProperties: false` added)";
    REQUEST_OBJECT_OPENED = "request-object-opened", judged(I), I, "request object opened (`additionalProperties: false` removed)";
    REQUEST_MAP_VALUE_BECAME_NON_NULLABLE = "request-map-value-became-non-nullable", judged(B), B, "request map values became non-nullable";
    REQUEST_MAP_VALUE_BECAME_NULLABLE = "request-map-value-became-nullable", judged(I), B, "request map values became nullable";
    REQUEST_TYPE_WIDENED = "request-type-widened", judged(I), B, "request type became a oneOf/anyOf that keeps the old type as a variant";
    REQUEST_TYPE_NARROWED = "request-type-narrowed", judged(B), B, "request oneOf/anyOf narrowed to one of its variants";
    REQUEST_CONSTRAINT_TIGHTENED = "request-constraint-tightened", judged(B), R, "request constraint tightened";
    REQUEST_CONSTRAINT_LOOSENED = "request-constraint-loosened", judged(I), R, "request constraint loosened";
    REQUEST_CONSTRAINT_CHANGED = "request-constraint-changed", judged(R), R, "request constraint changed, neither tighter nor looser as far as can be told (one pattern for another)";
    REQUEST_SCHEMA_UNSATISFIABLE = "request-schema-unsatisfiable", judged(B), R, "a request schema or parameter accepts nothing any more (its layers contradict each other: types, enums, bounds, no multiple of `multipleOf` within the bounds, no string of its lengths matching its patterns, more unique items than their values, a required property refused): every request with it is refused";
    REQUEST_SCHEMA_CHANGED = "request-schema-changed", judged(R), R, "what a request schema accepts changes in a way no other rule names";
    RESPONSE_SCHEMA_CHANGED = "response-schema-changed", judged(R), R, "what a response schema may hold changes in a way no other rule names";
    SCHEMA_REWRITTEN = "schema-rewritten", judged(I), R, "a schema written another way that accepts the same instances (the 3.0.3 nullable `oneOf` form, say)";
    OPENAPI_30_KEYWORD_IGNORED = "openapi-3-0-keyword-ignored", judged(R), R, "an OpenAPI 3.0 keyword in a 3.1 document (`nullable`, a boolean `exclusiveMinimum`/`exclusiveMaximum`), which means nothing there: judged by what the schema accepts without it";
    KEYWORD_NOT_COMPARED = "keyword-not-compared", judged(R), R, "a schema keyword the review does not compare is written differently (`not`, `if`/`then`/`else`, `dependentSchemas`, `unevaluatedItems`/`unevaluatedProperties`, the content keywords, ...): what the schema accepts may change either way";
    REQUEST_DEFAULT_CHANGED = "request-default-changed", R, R, "request property default added, removed or changed";
    REQUEST_ENUM_VALUE_REMOVED = "request-enum-value-removed", judged(B), B, "request enum value removed";
    REQUEST_ENUM_VALUE_ADDED = "request-enum-value-added", judged(I), I, "request enum value added";
    REQUEST_VARIANT_REMOVED = "request-variant-removed", judged(B), B, "request oneOf/anyOf variant removed";
    REQUEST_VARIANT_ADDED = "request-variant-added", judged(I), R, "request oneOf/anyOf variant added";
    RESPONSE_SUCCESS_STATUS_REMOVED = "response-success-status-removed", B, B, "success response status removed";
    RESPONSE_SUCCESS_STATUS_ADDED = "response-success-status-added", R, R, "success response status added";
    RESPONSE_ERROR_STATUS_REMOVED = "response-error-status-removed", I, R, "error response status removed";
    RESPONSE_ERROR_STATUS_ADDED = "response-error-status-added", I, R, "error response status added";
    RESPONSE_MEDIA_TYPE_REMOVED = "response-media-type-removed", B, B, "response media type removed";
    RESPONSE_MEDIA_TYPE_ADDED = "response-media-type-added", I, I, "response media type added";
    RESPONSE_HEADER_REMOVED = "response-header-removed", B, I, "response header removed";
    RESPONSE_HEADER_ADDED = "response-header-added", I, I, "response header added";
    RESPONSE_PROPERTY_REMOVED = "response-property-removed", judged(B), B, "response property removed";
    RESPONSE_PROPERTY_ADDED = "response-property-added", judged(I), I, "response property added (the generated types the API returns are `#[non_exhaustive]`)";
    RESPONSE_PROPERTY_BECAME_OPTIONAL = "response-property-became-optional", judged(B), B, "response property became optional";
    RESPONSE_PROPERTY_BECAME_NULLABLE = "response-property-became-nullable", judged(B), B, "response property became nullable";
    RESPONSE_PROPERTY_BECAME_REQUIRED = "response-property-became-required", judged(I), B, "response property became required";
    RESPONSE_PROPERTY_BECAME_NON_NULLABLE = "response-property-became-non-nullable", judged(I), B, "response property became non-nullable";
    RESPONSE_PROPERTY_TYPE_CHANGED = "response-property-type-changed", judged(B), B, "response property type or format changed";
    RESPONSE_PROPERTY_BECAME_WRITE_ONLY = "response-property-became-write-only", judged(B), R, "response property became writeOnly (no longer returned)";
    RESPONSE_PROPERTY_NO_LONGER_WRITE_ONLY = "response-property-no-longer-write-only", judged(I), I, "response property no longer writeOnly (returned again)";
    PROPERTY_BECAME_SENSITIVE = "property-became-sensitive", I, R, "property marked sensitive (`x-gigs-sensitive: true`): nothing changes on the wire; the generated `Debug` prints `[redacted]` for it and the SDK keeps its values out of errors";
    PROPERTY_NO_LONGER_SENSITIVE = "property-no-longer-sensitive", I, R, "property no longer marked sensitive: nothing changes on the wire; the generated `Debug` prints its value again";
    RESPONSE_OBJECT_CLOSED = "response-object-closed", judged(I), R, "response object closed (`additionalProperties: false` added)";
    RESPONSE_OBJECT_OPENED = "response-object-opened", judged(I), R, "response object opened (`additionalProperties: false` removed)";
    RESPONSE_MAP_VALUE_BECAME_NULLABLE = "response-map-value-became-nullable", judged(B), B, "response map values became nullable";
    RESPONSE_MAP_VALUE_BECAME_NON_NULLABLE = "response-map-value-became-non-nullable", judged(I), B, "response map values became non-nullable";
    RESPONSE_TYPE_WIDENED = "response-type-widened", judged(B), B, "response type became a oneOf/anyOf that keeps the old type as a variant";
    RESPONSE_TYPE_NARROWED = "response-type-narrowed", judged(I), B, "response oneOf/anyOf narrowed to one of its variants";
    RESPONSE_CONSTRAINT_CHANGED = "response-constraint-changed", judged(I), R, "response constraint changed";
    RESPONSE_ENUM_VALUE_ADDED = "response-enum-value-added", judged(R), I, "response enum value added";
    RESPONSE_ENUM_VALUE_REMOVED = "response-enum-value-removed", judged(I), B, "response enum value removed";
    RESPONSE_VARIANT_ADDED = "response-variant-added", judged(B), B, "response oneOf/anyOf variant added";
    RESPONSE_VARIANT_REMOVED = "response-variant-removed", judged(I), B, "response oneOf/anyOf variant removed";
    COMPOSITION_CHANGED = "composition-changed", judged(B), B, "oneOf/anyOf kind or discriminator changed";
    BASE_URL_CHANGED = "base-url-changed", B, R, "a URL the operation's requests went to is no longer one of its servers (the base URL moved, or a server was removed)";
    SERVERS_CHANGED = "servers-changed", R, I, "the operation's default server is another one that was already listed, or servers were added to or removed from a document that had none";
    SERVER_ADDED = "server-added", I, I, "an alternative server added (the default stays)";
    WEBHOOKS_NOT_COMPARED = "webhooks-not-compared", R, I, "webhooks changed (requests the API sends, which the review does not compare)";
    CALLBACKS_NOT_COMPARED = "callbacks-not-compared", R, I, "an operation's callbacks changed (requests the API sends, which the review does not compare)";
    ENCODING_NOT_COMPARED = "encoding-not-compared", R, I, "a media type's `encoding` changed (how the parts of a multipart or form body are written, which the review does not compare)";
    LINKS_NOT_COMPARED = "links-not-compared", I, I, "a response's `links` changed (design-time descriptions of follow-up calls: nothing on the wire, not compared)";
    SCHEMA_REMOVED = "schema-removed", I, B, "component schema removed";
    SCHEMA_RENAMED = "schema-renamed", I, B, "component schema renamed";
    RUST_NEWTYPE_CHANGED = "rust-newtype-changed", I, B, "a component schema became a wrapper of another (`allOf: [{$ref}]`) or stopped being one (the Rust type becomes or stops being a newtype)";
    RUST_TYPE_RENAMED = "rust-type-renamed", I, B, "the generated Rust type of a schema changes name (moved between inline and a component, or a `$ref` to another component)";
    GENERATED_RUST_API_CHANGED = "generated-rust-api-changed", I, B, "the committed generated client's public Rust API differs in a way no spec rule names (a generator change); compared when both sides are git revisions or the working tree";
    SCHEMA_ADDED = "schema-added", I, I, "component schema added";
}

/// The rule with this id, if there is one.
pub fn by_id(id: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|rule| rule.id == id)
}
