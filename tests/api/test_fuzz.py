"""Schemathesis over the OpenAPI document, bounded (the full run is ``scripts/api_fuzz.py``): generated requests,
valid and invalid, for every operation with an admin's token and with none, plus every method an operation does not
have. Nothing answers 5xx, every status is one the operation documents, and every 405 names what is allowed."""

import pytest

from tests.support import bearer
from tests.support.fuzz import fuzz

EXAMPLES = 5  # per operation and generation mode: ~400 requests a role, about a minute in all


@pytest.mark.slow
@pytest.mark.parametrize("role", ["admin", None], ids=["admin-token", "no-token"])
def test_generated_requests_get_documented_answers_and_never_a_5xx(app_factory, role):
    app = app_factory(testing=False)  # as served: an unexpected error would be a 500 response, not an exception
    report = fuzz(app, bearer(app, role) if role else {}, max_examples=EXAMPLES)
    assert report.requests > 300, report.summary()
    assert report.problems == [], report.summary() + "\n" + "\n".join(sorted(set(report.problems)))
