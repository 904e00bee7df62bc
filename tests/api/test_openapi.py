"""The OpenAPI document describes exactly the routes of ``/api/v1``, and who may call each (its security and
answers come from the permission each route declares; the README's role-by-route table too)."""

import re

import pytest

from assist_api.access import route_permissions
from assist_api.openapi import document, operation_permissions
from services.accounts import PERMISSIONS, ROLES, allowed
from tests.support import ROOT, bearer


def test_openapi_matches_the_routes(app):
    response = app.test_client().get("/api/v1/openapi.json")  # public: integrators read it before they sign in
    doc = response.json
    assert response.status_code == 200 and doc["openapi"].startswith("3.")
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                routes.add((path, method.lower()))
    documented = {(path, method) for path, item in doc["paths"].items() for method in item}
    assert routes == documented


def test_every_operation_has_a_summary_and_error_schema(app):
    doc = app.test_client().get("/api/v1/openapi.json").json
    for path, item in doc["paths"].items():
        for method, op in item.items():
            assert op["summary"] and op["tags"], (path, method)
            assert op["responses"]["400"]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/Error"
            declared = {p["name"] for p in op["parameters"] if p["in"] == "path"}
            assert declared == set(re.findall(r"{(\w+)}", path)), (path, method)


# -- who may call what: generated from the permission every route declares ------------------------------------------

# A value for every path parameter of the document (an unknown one fails the test).
PATH_VALUES = {"article_id": "tv-wifi-drops", "code": "QN90D55", "esc_id": "9999", "followup_id": "9999",
               "token_id": "9999", "run_id": "9999", "draft_id": "9999", "contact_id": "9999"}


def operations(doc):
    return [(path, method, op) for path, item in doc["paths"].items() for method, op in item.items()]


def test_every_operation_carries_the_security_of_its_routes_permission(app):
    doc = app.test_client().get("/api/v1/openapi.json").json
    permissions = operation_permissions(route_permissions(app))
    for path, method, op in operations(doc):
        permission = permissions[(path, method)]
        assert op["x-permission"] == permission, (path, method)
        if permission == "public":
            assert op["security"] == [] and "401" not in op["responses"], (path, method)
            continue
        assert op["security"] == [{"bearer": []}, {"session": []}], (path, method)
        assert op["x-roles"] == list(PERMISSIONS[permission][1]), (path, method)
        assert {"401", "403", "503"} <= set(op["responses"]), (path, method)
        assert "Retry-After" in op["responses"]["503"]["headers"], (path, method)
    assert set(doc["components"]["securitySchemes"]) == {"bearer", "session"}


def test_the_document_cannot_describe_a_route_the_app_lacks_or_miss_one(app):
    routes = route_permissions(app)
    with pytest.raises(ValueError, match="missing from the OpenAPI document"):
        document(routes + [("/api/v1/undocumented", ["GET"], "x.undocumented", "search")])
    with pytest.raises(ValueError, match="not a route of the app"):
        document([r for r in routes if r[0] != "/api/v1/search"])


def url_of(path):
    names = re.findall(r"{(\w+)}", path)
    assert set(names) <= set(PATH_VALUES), path
    return re.sub(r"{(\w+)}", lambda m: PATH_VALUES[m.group(1)], path)


@pytest.mark.parametrize("role", [None, *ROLES], ids=lambda r: r or "anonymous")
def test_walking_the_document_each_role_gets_what_its_security_says(app_factory, role):
    """Every operation of the document, called with each role's token (and with none): the roles the document
    lists are let in (no 401 or 403), the others get 403, and without a token 401; nothing answers 5xx or a
    status the operation does not document."""
    app = app_factory()
    doc = app.test_client().get("/api/v1/openapi.json").json
    headers = bearer(app, role) if role else {}
    wrong = []
    for path, method, op in operations(doc):
        response = app.test_client().open(url_of(path), method=method.upper(), headers=headers,
                                          json={} if "requestBody" in op else None)
        status, roles = response.status_code, op.get("x-roles")
        if str(status) not in op["responses"] or status >= 500:
            wrong.append(f"{method} {path}: undocumented {status}")
        elif roles is None or (role is not None and role in roles):
            if status in (401, 403):
                wrong.append(f"{method} {path}: {role} is listed but got {status}")
        elif role is None and status != 401:
            wrong.append(f"{method} {path}: anonymous got {status}, wanted 401")
        elif role is not None and status != 403:
            wrong.append(f"{method} {path}: {role} is not listed but got {status}")
        assert allowed(role, op["x-permission"]) == (roles is None or role in roles)
    assert wrong == []


def test_the_readme_role_by_route_table_is_the_apps(app):
    from assist_api.access import permission_table
    from server import route_table

    assert route_table() == permission_table(route_permissions(app))  # the bare table is the served app's
    readme = (ROOT / "README.md").read_text("utf-8")
    table = readme.split("<!-- routes-table -->\n")[1].split("\n<!-- /routes-table -->")[0]
    assert table.splitlines() == route_table(), "regenerate it with: python -m server routes"
