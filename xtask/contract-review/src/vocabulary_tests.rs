//! Nothing unread passes as unchanged: every keyword of the OpenAPI 3.0 schema object and of
//! the JSON Schema 2020-12 vocabularies OpenAPI 3.1 uses is either compared (a change of it
//! gives a finding), an annotation (a change gives none, and changes no instance), a container
//! of schemas compared where a `$ref` uses them, or reported as `keyword-not-compared` at the
//! keyword when it changes. The keyword lists are written here from the specifications.

use std::path::Path;

use serde_json::{json, Value};

use crate::containment::{treatment, Treatment};
use crate::findings::Finding;

/// The fixed fields of the OpenAPI 3.0.3 Schema Object (§4.7.24).
const OPENAPI_30: &[&str] = &[
    "title",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "type",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "properties",
    "additionalProperties",
    "description",
    "format",
    "default",
    "nullable",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
    "example",
    "deprecated",
    "$ref",
];

/// The keywords of the JSON Schema 2020-12 vocabularies (core, applicator, unevaluated,
/// validation, meta-data, format-annotation, content) and those the OpenAPI 3.1 base
/// vocabulary adds (`discriminator`, `xml`, `externalDocs`, `example`).
const OPENAPI_31: &[&str] = &[
    // core
    "$schema",
    "$id",
    "$ref",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "$vocabulary",
    "$comment",
    "$defs",
    // applicator
    "prefixItems",
    "items",
    "contains",
    "additionalProperties",
    "properties",
    "patternProperties",
    "dependentSchemas",
    "propertyNames",
    "if",
    "then",
    "else",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    // unevaluated
    "unevaluatedItems",
    "unevaluatedProperties",
    // validation
    "type",
    "const",
    "enum",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxContains",
    "minContains",
    "maxProperties",
    "minProperties",
    "required",
    "dependentRequired",
    // meta-data
    "title",
    "description",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "examples",
    // format-annotation
    "format",
    // content
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
    // OpenAPI 3.1 base vocabulary
    "discriminator",
    "xml",
    "externalDocs",
    "example",
];

/// A schema before and after a change of `keyword`, as a document of `version` writes it.
fn change_of(keyword: &str, openapi_31: bool) -> (Value, Value) {
    let string = json!({"type": "string"});
    let object = |extra: Value| {
        let mut schema = json!({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}});
        for (key, value) in extra.as_object().unwrap() {
            schema[key] = value.clone();
        }
        schema
    };
    let array = |extra: Value| {
        let mut schema = json!({"type": "array", "items": {"type": "string"}});
        for (key, value) in extra.as_object().unwrap() {
            schema[key] = value.clone();
        }
        schema
    };
    match keyword {
        "title" | "description" | "$comment" => (
            json!({"type": "string", keyword: "One."}),
            json!({"type": "string", keyword: "Two."}),
        ),
        "example" => (
            json!({"type": "string", "example": "a"}),
            json!({"type": "string", "example": "b"}),
        ),
        "examples" => (
            json!({"type": "string", "examples": ["a"]}),
            json!({"type": "string", "examples": ["b"]}),
        ),
        "deprecated" => (
            string.clone(),
            json!({"type": "string", "deprecated": true}),
        ),
        "externalDocs" => (
            json!({"type": "string", "externalDocs": {"url": "https://a.example"}}),
            json!({"type": "string", "externalDocs": {"url": "https://b.example"}}),
        ),
        "xml" => (
            json!({"type": "string", "xml": {"name": "a"}}),
            json!({"type": "string", "xml": {"name": "b"}}),
        ),
        "multipleOf" => (
            json!({"type": "number", "multipleOf": 2}),
            json!({"type": "number", "multipleOf": 4}),
        ),
        "maximum" | "minimum" => (
            json!({"type": "number", keyword: 5}),
            json!({"type": "number", keyword: 4}),
        ),
        "exclusiveMaximum" | "exclusiveMinimum" if !openapi_31 => {
            let bound = if keyword == "exclusiveMaximum" {
                "maximum"
            } else {
                "minimum"
            };
            (
                json!({"type": "number", bound: 5}),
                json!({"type": "number", bound: 5, keyword: true}),
            )
        }
        "exclusiveMaximum" | "exclusiveMinimum" => (
            json!({"type": "number", keyword: 5}),
            json!({"type": "number", keyword: 4}),
        ),
        "maxLength" | "minLength" => (
            json!({"type": "string", keyword: 3}),
            json!({"type": "string", keyword: 2}),
        ),
        "pattern" => (string.clone(), json!({"type": "string", "pattern": "^a"})),
        "maxItems" | "minItems" => (array(json!({keyword: 3})), array(json!({keyword: 2}))),
        "uniqueItems" => (array(json!({})), array(json!({"uniqueItems": true}))),
        "maxProperties" | "minProperties" => {
            (object(json!({keyword: 1})), object(json!({keyword: 2})))
        }
        "required" => (object(json!({})), object(json!({"required": ["a"]}))),
        "enum" => (
            json!({"type": "string", "enum": ["a"]}),
            json!({"type": "string", "enum": ["a", "b"]}),
        ),
        "const" => (
            json!({"type": "string", "const": "a"}),
            json!({"type": "string", "const": "b"}),
        ),
        "type" => (string.clone(), json!({"type": "integer"})),
        "allOf" => (
            json!({"allOf": [{"type": "string"}]}),
            json!({"allOf": [{"type": "string"}, {"maxLength": 3}]}),
        ),
        "oneOf" | "anyOf" => (
            json!({keyword: [{"type": "string"}, {"type": "integer"}]}),
            json!({keyword: [{"type": "string"}, {"type": "integer"}, {"type": "boolean"}]}),
        ),
        "not" => (
            json!({"not": {"type": "string"}}),
            json!({"not": {"type": "integer"}}),
        ),
        "items" => (
            array(json!({})),
            array(json!({"items": {"type": "integer"}})),
        ),
        "prefixItems" => (
            array(json!({"prefixItems": [{"type": "string"}]})),
            array(json!({"prefixItems": [{"type": "integer"}]})),
        ),
        "contains" => (array(json!({})), array(json!({"contains": {"const": "a"}}))),
        "maxContains" | "minContains" => (
            array(json!({"contains": {"const": "a"}, keyword: 2})),
            array(json!({"contains": {"const": "a"}, keyword: 1})),
        ),
        "unevaluatedItems" => (
            array(json!({"prefixItems": [{"type": "string"}]})),
            array(json!({"prefixItems": [{"type": "string"}], "unevaluatedItems": false})),
        ),
        "properties" => (
            object(json!({})),
            object(json!({"properties": {"a": {"type": "string"}}})),
        ),
        "additionalProperties" => (
            object(json!({})),
            object(json!({"additionalProperties": false})),
        ),
        "patternProperties" => (
            object(json!({})),
            object(json!({"patternProperties": {"^x-": {"type": "string"}}})),
        ),
        "unevaluatedProperties" => (
            object(json!({})),
            object(json!({"unevaluatedProperties": false})),
        ),
        "dependentSchemas" => (
            object(json!({})),
            object(json!({"dependentSchemas": {"a": {"required": ["b"]}}})),
        ),
        "dependentRequired" => (
            object(json!({})),
            object(json!({"dependentRequired": {"a": ["b"]}})),
        ),
        "propertyNames" => (
            object(json!({})),
            object(json!({"propertyNames": {"maxLength": 3}})),
        ),
        "if" | "then" | "else" => {
            let base = json!({"type": "string", "if": {"maxLength": 2}, "then": {"pattern": "^a"}, "else": {"pattern": "^b"}});
            let mut head = base.clone();
            head[keyword] = json!({"maxLength": 1});
            (base, head)
        }
        "format" => (string.clone(), json!({"type": "string", "format": "date"})),
        "default" => (
            json!({"type": "string", "default": "a"}),
            json!({"type": "string", "default": "b"}),
        ),
        "nullable" => (string.clone(), json!({"type": "string", "nullable": true})),
        "discriminator" => (
            json!({"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}]}),
            json!({"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}], "discriminator": {"propertyName": "kind"}}),
        ),
        "readOnly" | "writeOnly" => (object(json!({})), {
            let mut head = object(json!({}));
            head["properties"]["a"][keyword] = json!(true);
            head
        }),
        "$ref" => (
            json!({"$ref": "#/components/schemas/Cat"}),
            json!({"$ref": "#/components/schemas/Dog"}),
        ),
        "$defs" => (
            json!({"$defs": {"D": {"type": "string"}}, "$ref": "#/components/schemas/S/$defs/D"}),
            json!({"$defs": {"D": {"type": "integer"}}, "$ref": "#/components/schemas/S/$defs/D"}),
        ),
        "$dynamicRef" => (json!({"$dynamicRef": "#a"}), json!({"$dynamicRef": "#b"})),
        "$schema" => (
            string.clone(),
            json!({"type": "string", "$schema": "https://json-schema.org/draft/2020-12/schema"}),
        ),
        "$vocabulary" => (
            string.clone(),
            json!({"type": "string", "$vocabulary": {"https://json-schema.org/draft/2020-12/vocab/core": true}}),
        ),
        "contentSchema" => (
            json!({"type": "string", "contentMediaType": "application/json", "contentSchema": {"type": "object"}}),
            json!({"type": "string", "contentMediaType": "application/json", "contentSchema": {"type": "array"}}),
        ),
        // `$id`, `$anchor`, `$dynamicAnchor`, `contentEncoding`, `contentMediaType`, and
        // keys no vocabulary defines: a text changed.
        _ => (
            json!({"type": "string", keyword: "a"}),
            json!({"type": "string", keyword: "b"}),
        ),
    }
}

struct NoRust;

impl crate::RustSurface for NoRust {
    fn field_form(
        &self,
        _: &Value,
        _: &spec_model::FieldPath,
        facts: spec_model::field_form::PropertyFacts,
    ) -> spec_model::field_form::FieldForm {
        if facts.required {
            spec_model::field_form::FieldForm::Required
        } else {
            spec_model::field_form::FieldForm::Option
        }
    }

    fn checks_constraint(&self, _: &str, _: &Value) -> bool {
        false
    }

    fn comma_separated(&self, _: &Value) -> bool {
        false
    }
}

/// A document whose request body and success response are `S`.
fn document(schema: &Value, openapi_31: bool) -> String {
    json!({
        "openapi": if openapi_31 { "3.1.0" } else { "3.0.3" },
        "info": {"title": "Vocabulary", "version": "1"},
        "paths": {"/things": {"post": {
            "operationId": "createThing",
            "requestBody": {"required": true, "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/S"}}}},
            "responses": {"200": {"description": "OK", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/S"}}}}},
        }}},
        "components": {"schemas": {
            "S": schema,
            "Cat": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string", "enum": ["cat"]}}},
            "Dog": {"type": "object", "required": ["kind", "bark"], "properties": {"kind": {"type": "string", "enum": ["dog"]}, "bark": {"type": "string"}}},
        }},
    })
    .to_string()
}

/// The findings from `base` to `head`, with the documents checked as the review checks them.
pub(crate) fn findings(base: &str, head: &str) -> Vec<Finding> {
    let version = |text: &str| {
        crate::load::Version::from_text(
            Path::new("vocabulary.json"),
            text.to_owned(),
            "v".into(),
            None,
        )
        .unwrap()
    };
    let (base, head) = (version(base), version(head));
    for version in [&base, &head] {
        crate::refuse::check(&version.document).unwrap();
    }
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    crate::compare::compare(&base.document, &head.document, today, &NoRust).unwrap()
}

fn check_vocabulary(keywords: &[&str], openapi_31: bool) {
    let mut failures = Vec::new();
    for &keyword in keywords {
        let (base, head) = change_of(keyword, openapi_31);
        let (base, head) = (document(&base, openapi_31), document(&head, openapi_31));
        for (from, to) in [(&base, &head), (&head, &base)] {
            let found = findings(from, to);
            let rules: Vec<String> = found
                .iter()
                .map(|finding| format!("{} {}", finding.rule.id, finding.pointer))
                .collect();
            // The 3.1 reader turns `const` into the one-value `enum` it means.
            let treatment = match keyword {
                "const" if openapi_31 => Treatment::Compared,
                keyword => treatment(keyword),
            };
            let problem = match treatment {
                Treatment::Annotation if !found.is_empty() => Some("an annotation gives findings"),
                Treatment::Annotation => None,
                Treatment::Compared | Treatment::Container if found.is_empty() => {
                    Some("a change of a compared keyword gives no finding")
                }
                Treatment::Compared
                    if found
                        .iter()
                        .any(|finding| finding.rule.id == "keyword-not-compared") =>
                {
                    Some("a compared keyword is reported as not compared")
                }
                Treatment::Compared | Treatment::Container => None,
                Treatment::NotCompared => {
                    let reported = found.iter().any(|finding| {
                        finding.rule.id == "keyword-not-compared"
                            && finding
                                .pointer
                                .ends_with(&format!("/{}", keyword.replace('/', "~1")))
                    });
                    (!reported).then_some("a keyword not compared is not reported at itself")
                }
            };
            if let Some(problem) = problem {
                failures.push(format!(
                    "{keyword} ({}): {problem}: {rules:?}",
                    if openapi_31 { "3.1" } else { "3.0" }
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The 2020-12 keywords the containment engine models (`const` through the 3.1 reader, as
/// a one-value `enum`), and those it leaves to review: each as [`treatment`] says.
const MODELLED_2020_12: &[&str] = &[
    "prefixItems",
    "contains",
    "minContains",
    "maxContains",
    "dependentRequired",
    "propertyNames",
    "patternProperties",
];
const NOT_COMPARED_2020_12: &[&str] = &[
    "not",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
    "$dynamicRef",
];

#[test]
fn the_modelled_2020_12_keywords_are_compared_and_the_others_reported() {
    for keyword in MODELLED_2020_12 {
        assert_eq!(treatment(keyword), Treatment::Compared, "{keyword}");
    }
    for keyword in NOT_COMPARED_2020_12 {
        assert_eq!(treatment(keyword), Treatment::NotCompared, "{keyword}");
    }
    // Every modelled keyword's change is judged, not reported as unread (checked by
    // `check_vocabulary` for each), and the 3.1 reader makes `const` an `enum`.
    check_vocabulary(MODELLED_2020_12, true);
    check_vocabulary(&["const"], true);
    check_vocabulary(NOT_COMPARED_2020_12, true);
}

#[test]
fn every_openapi_3_0_schema_keyword_is_compared_or_reported() {
    check_vocabulary(OPENAPI_30, false);
}

#[test]
fn every_json_schema_2020_12_keyword_is_compared_or_reported_in_openapi_3_1() {
    check_vocabulary(OPENAPI_31, true);
}

/// Keys no vocabulary defines are not compared either: a change is reported.
#[test]
fn unknown_keys_are_reported_when_they_change() {
    check_vocabulary(&["maxDigits", "const"], false);
}
