"""Search, autocomplete, articles, products, health and the API description under ``/api/v1``."""

from flask import Blueprint, current_app, jsonify, request

from assist_api.access import declare, requires
from assist_api.context import get_engine, get_services, get_settings
from assist_api.errors import APIError
from assist_api.params import bool_param, int_param, json_body, str_param
from kb.presentation import article_payload, find_products, product_payload

bp = declare(Blueprint("search_api", __name__, url_prefix="/api/v1"), "search")
FILTER_NAMES = ("product", "category", "type", "lang", "audience")


def _search(args):
    """The one search of the API (``args``: the query string, or a logged session's body)."""
    settings, services = get_settings(), get_services()
    query = str_param(args, "q", required=True, max_length=settings.max_query_length)
    filters = {name: str_param(args, name, max_length=100) for name in FILTER_NAMES}
    result, data = services.assistant.search(query, mode=args.get("mode", "hybrid"), explain=bool_param(args, "explain"),
                                             limit=int_param(args, "limit", settings.search_limit, 1, 100),
                                             correct=bool_param(args, "spell", True), **filters)
    return result, data, filters


@bp.get("/search")
def search():
    """Ranked hits for ``q`` with optional filters, calibrated confidence and ``no_good_answer``; logged unless
    ``log=0`` (the console searches while the consultant types and logs the session once, at its end)."""
    result, data, filters = _search(request.args)
    if bool_param(request.args, "log", True):
        get_services().contacts.search_event(result, data["top_confidence"], filters)
    return jsonify(data)


@bp.post("/search/log")
def log_search():
    """The end of a search session (the consultant stopped typing, opened a result or left the page): the search
    is run once more through the same path and logged once, with the content gap it may show."""
    fields = {"q": (str, True), **{name: (str, False) for name in FILTER_NAMES}}
    body = {k: v for k, v in json_body(fields).items() if v is not None}
    result, data, filters = _search(body)
    get_services().contacts.search_event(result, data["top_confidence"], filters)
    return jsonify({"logged": True, "query": data["query"], "no_good_answer": data["no_good_answer"]}), 202


@bp.get("/autocomplete")
def autocomplete():
    """Titles and products starting with ``q``."""
    query = str_param(request.args, "q", required=True, max_length=100)
    limit = int_param(request.args, "limit", 8, 1, 20)
    return jsonify({"query": query, "suggestions": get_engine().autocomplete(query, limit)})


@bp.get("/articles/<article_id>")
def article(article_id):
    """One published article."""
    engine = get_engine()
    record = engine.article(article_id)
    if record is None:
        raise APIError("unknown_article", f"no published article with id {article_id!r}", 404)
    return jsonify(article_payload(record, engine))


@bp.get("/products")
def products():
    """Products matching ``q`` (a code in any spelling, part of a code, or words of the name)."""
    engine = get_engine()
    query = str_param(request.args, "q", required=True, max_length=100)
    found = find_products(engine, query, int_param(request.args, "limit", 20, 1, 100))
    return jsonify({"query": query, "products": [product_payload(p, engine) for p in found]})


@bp.get("/products/<code>")
def product(code):
    """One product by code or SKU (any case, spaces or dashes)."""
    engine = get_engine()
    found = engine.catalog.product(code)
    if found is None:
        raise APIError("unknown_product", f"no product with code {code!r}", 404)
    return jsonify(product_payload(found, engine, with_articles=True))


@bp.get("/health")
@requires("public")
def health():
    """Index version, counts, model, and whether content changes are applied."""
    services = get_services()
    return jsonify({**get_engine().health(), "content": services.publisher.status(),
                    "database": "up" if services.database.available else "down"})


@bp.get("/ready")
@requires("public")
def ready():
    """Readiness for a load balancer: 200 when this replica shows every committed content change and the database
    answers, 503 while it is behind or the database is down (liveness is ``/health``)."""
    services = get_services()
    state = {**services.publisher.readiness(), "index_version": get_engine().version.name,
             "listening": bool(services.replication and services.replication.listening)}
    return jsonify(state), 200 if state["ready"] else 503


@bp.get("/openapi.json")
@requires("public")
def openapi():
    """The OpenAPI 3 document of this API."""
    from assist_api.access import route_permissions
    from assist_api.openapi import document

    return jsonify(document(route_permissions(current_app)))
