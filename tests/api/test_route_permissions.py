"""Every route of the app, API and pages alike, admits the roles of its permission and refuses the others:
anonymous -> 401 JSON (API) or a redirect to the sign-in page (pages); a role without the permission -> 403; a
role with it -> neither. The routes come from ``route_permissions(app)``, the roles from ``services.accounts``."""

import re

import pytest

from assist_api.access import route_permissions
from services.accounts import PERMISSIONS, ROLES, allowed
from tests.support import PASSWORD, signed_in

# The permissions these tests know, with the roles that have them. A new permission, or a change of who has one,
# must be looked at here first.
KNOWN = {
    "public": None,
    "search": set(ROLES),
    "contact": set(ROLES),
    "learn": set(ROLES),
    "answer": {"engineer", "admin"},
    "write": {"writer", "reviewer", "admin"},
    "publish": {"reviewer", "admin"},
    "insights": {"team-lead", "reviewer", "admin"},
    "admin": {"admin"},
}
# A value for every URL argument of the app (an argument not listed here fails the test).
ARGUMENTS = {"article_id": "no-such-article", "esc_id": 9999, "followup_id": 9999, "token_id": 9999,
             "code": "QN90D55", "category": "tv", "quiz_id": 9999, "reading_id": 9999, "contact_id": 9999,
             "name": "content_gaps", "filename": "app.css", "run_id": 9999, "draft_id": 9999}
# Form bodies for routes that need one to do their job (the sign-in form signs in).
FORMS = {("webui_auth.login", "POST"): {"username": "consultant1", "password": PASSWORD}}


@pytest.fixture(scope="module")
def routes_app(app_factory):
    return app_factory()


def url_of(rule):
    names = re.findall(r"<(?:[\w]+:)?(\w+)>", rule)
    unknown = [n for n in names if n not in ARGUMENTS]
    assert not unknown, f"{rule}: the test knows no value for {unknown}"
    return re.sub(r"<(?:[\w]+:)?(\w+)>", lambda m: str(ARGUMENTS[m.group(1)]), rule)


def requests(app):
    """``(url, method, endpoint, permission)`` for every route and method of the app."""
    return [(url_of(rule), method, endpoint, permission)
            for rule, methods, endpoint, permission in route_permissions(app) for method in methods]


def test_the_permission_table_is_the_one_these_tests_know():
    assert {name: (set(roles) if roles else None) for name, (_, roles) in PERMISSIONS.items()} == KNOWN


def test_every_route_declares_a_permission_these_tests_know(routes_app):
    found = requests(routes_app)
    assert len(found) > 50
    unknown = [(url, method, permission) for url, method, _, permission in found if permission not in KNOWN]
    assert unknown == []


@pytest.mark.parametrize("role", [None, *ROLES], ids=lambda r: r or "anonymous")
def test_every_route_admits_its_roles_and_refuses_the_others(routes_app, role):
    wrong = []
    for url, method, endpoint, permission in requests(routes_app):
        client = signed_in(routes_app, role)
        response = client.open(url, method=method, data=FORMS.get((endpoint, method)))
        response.close()  # static files are streamed
        status, api = response.status_code, url.startswith("/api/")
        to_login = status == 302 and response.headers["Location"].startswith("/login")
        if permission not in KNOWN:
            wrong.append(f"{method} {url}: unknown permission {permission!r}")
        elif permission == "public":  # signing out ends on the sign-in page, as it should
            if status in (401, 403) or status >= 500:
                wrong.append(f"{method} {url} (public) refuses {role}: got {status}")
        elif allowed(role, permission):
            if status in (401, 403) or to_login or status >= 500:
                wrong.append(f"{method} {url} ({permission}) admits {role}: got {status}")
        elif role is None:
            if api and not (status == 401 and response.is_json and response.json["error"] == "unauthorized"):
                wrong.append(f"{method} {url} ({permission}) anonymous: got {status}, wanted 401 JSON")
            if not api and not (to_login and f"next={url}" in response.headers["Location"]):
                wrong.append(f"{method} {url} ({permission}) anonymous: got {status}, wanted a redirect to /login")
        elif status != 403:
            wrong.append(f"{method} {url} ({permission}) refuses {role}: got {status}, wanted 403")
        elif api and response.json["error"] != "forbidden":
            wrong.append(f"{method} {url} ({permission}) refuses {role}: not a JSON 403")
        elif not api and (response.mimetype != "text/html" or f"the {permission} permission" not in response.text):
            wrong.append(f"{method} {url} ({permission}) refuses {role}: no error page naming the permission")
    assert wrong == []


def test_a_route_without_a_permission_stops_the_app_from_starting():
    from flask import Blueprint, Flask

    from assist_api import access

    app = Flask("undeclared")
    bp = Blueprint("forgotten", __name__)
    bp.add_url_rule("/forgotten", "forgotten", lambda: "open to all?")
    app.register_blueprint(bp)
    with pytest.raises(RuntimeError, match="routes without a declared permission: /forgotten"):
        access.init_app(app, login_endpoint="login")
    declared = Flask("declared")
    fine = access.declare(Blueprint("fine", __name__), "search")
    fine.add_url_rule("/fine", "fine", lambda: "signed-in only")
    declared.register_blueprint(fine)
    access.init_app(declared, login_endpoint="login")  # starts
    assert access.permission_of(declared, "fine.fine") == "search"
