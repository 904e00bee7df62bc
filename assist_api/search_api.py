"""Search, autocomplete, articles, products and health under ``/api/v1``."""

from flask import Blueprint, jsonify, request

from assist_api import get_engine, get_services, get_settings
from assist_api.db import repo
from assist_api.errors import APIError
from assist_api.params import bool_param, int_param, str_param
from kb.article import find_answer
from kb.assist.rules import LOW_CONFIDENCE
from kb.render import to_html, to_text

bp = Blueprint("search_api", __name__, url_prefix="/api/v1")


@bp.get("/search")
def search():
    """Ranked hits for ``q`` with optional filters."""
    args = request.args
    settings = get_settings()
    query = str_param(args, "q", required=True, max_length=settings.max_query_length)
    filters = {name: str_param(args, name, max_length=100) for name in ("product", "category", "type", "lang", "audience")}
    result = get_engine().search(query, mode=args.get("mode", "hybrid"), limit=int_param(args, "limit", settings.search_limit, 1, 100),
                                 explain=bool_param(args, "explain"), **filters)
    services = get_services()
    data = result.to_dict()
    # the confidence model is fitted on hybrid scores; other modes' scores are on other scales
    confidences = services.assistant.calibrator.confidences([h.score for h in result.hits]) if result.mode == "hybrid" else []
    for hit, confidence in zip(data["hits"], confidences):
        hit["confidence"] = confidence
    top = confidences[0] if confidences else (1.0 if result.hits and result.mode != "hybrid" else 0.0)
    data["no_good_answer"] = top < LOW_CONFIDENCE
    if data["no_good_answer"]:
        path = get_engine().version.escalation.get("tech-support-engineer")
        data["escalation"] = path.to_dict() if path else None
    services.events.log("search", query, repo.utcnow(), {k: v for k, v in filters.items() if v},
                        [h.article_id for h in result.hits], top if result.hits else None)
    return jsonify(data)


@bp.get("/autocomplete")
def autocomplete():
    """Titles and products starting with ``q``."""
    query = str_param(request.args, "q", required=True, max_length=100)
    limit = int_param(request.args, "limit", 8, 1, 20)
    return jsonify({"query": query, "suggestions": get_engine().autocomplete(query, limit)})


def article_payload(record, engine):
    """An article for clients: front matter, sanitized HTML and plain text per section, the answer first."""
    sections = [{"anchor": s["anchor"], "heading": s["heading"], "html": to_html(s["markdown"]),
                 "text": to_text(s["markdown"])} for s in record["sections"]]
    answer = find_answer(sections, text=lambda s: s["text"])
    escalation = engine.version.escalation.get(record.get("escalation") or "")
    keys = ("id", "title", "type", "products", "categories", "lang", "audience", "channels", "tags", "status",
            "owner", "reviewed", "review_by", "families")
    return {**{k: record.get(k) for k in keys}, "answer": answer, "sections": sections,
            "escalation": escalation.to_dict() if escalation else None, "url": f"/articles/{record['id']}"}


@bp.get("/articles/<article_id>")
def article(article_id):
    """One published article."""
    engine = get_engine()
    record = engine.article(article_id)
    if record is None:
        raise APIError("unknown_article", f"no published article with id {article_id!r}", 404)
    return jsonify(article_payload(record, engine))


def product_payload(product, engine, with_articles=False):
    """A catalog product with its family and category (and the articles that apply to it)."""
    catalog = engine.catalog
    family, category = catalog.families.get(product.family), catalog.categories.get(product.category)
    data = {"code": product.code, "name": product.name, "category": product.category,
            "category_name": category.name if category else product.category, "family": product.family,
            "series": family.series if family else product.family, "aliases": list(product.aliases),
            "launch_year": product.launch_year, "status": product.status, "skus": list(product.skus)}
    if with_articles:
        data["articles"] = [
            {"id": a["id"], "title": a["title"], "type": a["type"], "lang": a["lang"],
             "scope": "model" if product.code in a["product_codes"] else "category"}
            for a in sorted(engine.version.articles.values(), key=lambda a: (a["type"], a["title"]))
            if a["status"] == "published" and (product.code in a["product_codes"]
                                               or (not a["products"] and product.category in a["categories"]))]
    return data


@bp.get("/products")
def products():
    """Products matching ``q`` (a code in any spelling, part of a code, or words of the name)."""
    engine = get_engine()
    query = str_param(request.args, "q", required=True, max_length=100)
    limit = int_param(request.args, "limit", 20, 1, 100)
    found = [s["code"] for s in engine.autocomplete(query, 100) if s["kind"] == "product"]
    for det in engine.catalog.detect(query):
        codes = [det.product.code] if det.product else list(det.candidates)
        found = codes + [c for c in found if c not in codes]
    return jsonify({"query": query, "products": [product_payload(engine.catalog.products[c], engine) for c in found[:limit]]})


@bp.get("/products/<code>")
def product(code):
    """One product by code or SKU (any case, spaces or dashes)."""
    engine = get_engine()
    found = engine.catalog.product(code)
    if found is None:
        raise APIError("unknown_product", f"no product with code {code!r}", 404)
    return jsonify(product_payload(found, engine, with_articles=True))


@bp.get("/health")
def health():
    """Index version, counts and model."""
    return jsonify(get_engine().health())


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3 document of this API."""
    from assist_api.openapi import document

    return jsonify(document())
