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
