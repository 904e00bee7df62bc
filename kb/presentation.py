"""Articles and products as clients see them (the API and the pages): plain dicts, sanitized HTML, answer first.

>>> article_payload(engine.article("tv-no-sound"), engine)["answer"]["heading"]   # doctest: +SKIP
'Answer'
"""

from kb.article import find_answer
from kb.render import to_html, to_text

ARTICLE_KEYS = ("id", "title", "type", "products", "categories", "lang", "audience", "channels", "tags", "status",
                "owner", "reviewed", "review_by", "families", "translation_of")


def article_payload(record, engine):
    """An article: front matter, sanitized HTML and plain text per section, the answer first, its escalation path."""
    sections = [{"anchor": s["anchor"], "heading": s["heading"], "html": to_html(s["markdown"]),
                 "text": to_text(s["markdown"])} for s in record["sections"]]
    answer = find_answer(sections, text=lambda s: s["text"])
    escalation = engine.version.escalation.get(record.get("escalation") or "")
    return {**{k: record.get(k) for k in ARTICLE_KEYS}, "answer": answer, "sections": sections,
            "escalation": escalation.to_dict() if escalation else None, "url": f"/articles/{record['id']}"}


def product_payload(product, engine, with_articles=False):
    """A catalog product with its family and category (and the published articles that apply to it)."""
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


def find_products(engine, query, limit=20):
    """Catalog products for a query: detected codes first, then autocomplete matches."""
    found = [s["code"] for s in engine.autocomplete(query, 100) if s["kind"] == "product"]
    for det in engine.catalog.detect(query):
        codes = [det.product.code] if det.product else list(det.candidates)
        found = codes + [c for c in found if c not in codes]
    return [engine.catalog.products[c] for c in found[:limit]]
