"""Who may do what, declared once in ``services.accounts``; the redirect check of sign-in; typed parameters and
date ranges: pure functions shared by the API and the pages."""

import datetime as dt

import pytest
from flask import Blueprint

from assist_api.access import declare, requires, safe_next
from assist_api.errors import APIError
from assist_api.params import bool_param, int_param, str_param
from services.accounts import PERMISSIONS, ROLES, allowed
from services.analytics import date_range
from services.errors import ServiceError


def test_every_permission_names_known_roles_and_public_needs_none():
    for name, (help_text, roles) in PERMISSIONS.items():
        assert help_text, name
        assert roles is None or (roles and set(roles) <= set(ROLES)), name
    assert [p for p, (_, roles) in PERMISSIONS.items() if roles is None] == ["public"]
    assert all(allowed(role, "public") for role in (None, *ROLES))
    assert not any(allowed(None, p) for p in PERMISSIONS if p != "public")


@pytest.mark.parametrize("role, yes, no", [
    ("consultant", {"search", "contact", "learn"}, {"answer", "write", "publish", "insights", "admin"}),
    ("engineer", {"search", "contact", "learn", "answer"}, {"write", "publish", "insights", "admin"}),
    ("writer", {"search", "write"}, {"answer", "publish", "insights", "admin"}),
    ("reviewer", {"write", "publish", "insights"}, {"answer", "admin"}),
    ("team-lead", {"search", "insights"}, {"answer", "write", "publish", "admin"}),
    ("admin", set(PERMISSIONS), set()),
])
def test_what_each_role_may_do(role, yes, no):
    assert all(allowed(role, p) for p in yes) and not any(allowed(role, p) for p in no)


def test_unknown_permissions_cannot_be_declared():
    with pytest.raises(ValueError, match="unknown permission"):
        declare(Blueprint("x", __name__), "superuser")
    with pytest.raises(ValueError, match="unknown permission"):
        requires("everything")
    with pytest.raises(KeyError):
        allowed("admin", "everything")


def test_redirect_targets_stay_on_this_site():
    assert safe_next("/learn/tv", "/") == "/learn/tv"
    assert safe_next("/search?q=a%20b", "/") == "/search?q=a%20b"
    for target in ("https://evil.example", "//evil.example", "/\\evil.example", "", None, "/\tx", "/x\r\nSet-Cookie: a",
                   "javascript:alert(1)", 5):
        assert safe_next(target, "/home") == "/home", target


def test_query_parameters_are_typed_with_named_errors():
    assert int_param({"limit": "5"}, "limit", 10, 1, 100) == 5 and int_param({}, "limit", 10, 1, 100) == 10
    for raw in ("0", "101", "ten", "1.5"):
        with pytest.raises(APIError) as info:
            int_param({"limit": raw}, "limit", 10, 1, 100)
        assert info.value.code == "bad_limit" and info.value.status == 400
    assert bool_param({"explain": "yes"}, "explain") is True and bool_param({"explain": "0"}, "explain") is False
    with pytest.raises(APIError, match="true or false"):
        bool_param({"explain": "maybe"}, "explain")
    assert str_param({"q": "  a  "}, "q") == "a" and str_param({"q": " "}, "q") is None
    with pytest.raises(APIError) as info:
        str_param({}, "q", required=True)
    assert info.value.code == "missing_q"


def test_date_ranges_are_checked_once_for_api_and_pages():
    today = dt.date(2026, 11, 23)
    assert date_range(today=today) == (today - dt.timedelta(weeks=8), today)
    assert date_range("2026-01-01", "2026-02-01") == (dt.date(2026, 1, 1), dt.date(2026, 2, 1))
    for start, end in (("2026-13-01", None), ("2026-02-01", "2026-01-01"), ("2020-01-01", "2026-01-01"), (5, None)):
        with pytest.raises(ServiceError) as info:
            date_range(start, end, today=today)
        assert info.value.code == "bad_date" and info.value.status == 400
