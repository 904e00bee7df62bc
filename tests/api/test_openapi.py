"""The OpenAPI document describes exactly the routes of ``/api/v1``."""

import re


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
