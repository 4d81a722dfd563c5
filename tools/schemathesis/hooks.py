"""Schemathesis hooks for the run against gigs-fake (see schemathesis.toml)."""

import schemathesis


@schemathesis.hook
def filter_case(context, case):
    """Rule: `after` and `before` are never sent together.

    The API answers 400 when a list request has both cursors (documented on both parameters in
    openapi.yaml); OpenAPI 3.0 cannot say that two optional parameters exclude each other, so
    requests with both are not generated, in any phase.
    """
    query = case.query or {}
    return not ("after" in query and "before" in query)


@schemathesis.hook("filter_body")
def metadata_keys_the_api_takes(context, body):
    """Rule: metadata keys have 1 to 40 characters.

    Documented on the `Metadata` and `MetadataUpdate` schemas in openapi.yaml; OpenAPI 3.0 cannot
    constrain the keys of a map (`propertyNames` is 3.1), so bodies whose metadata has other
    keys are not generated. The fake answers them with 422 `invalidMetadataKey`, as the API does.
    """
    if not isinstance(body, dict):
        return True
    metadata = body.get("metadata")
    if not isinstance(metadata, dict):
        return True
    return all(1 <= len(key) <= 40 for key in metadata)
