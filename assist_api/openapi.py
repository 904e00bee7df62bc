"""The OpenAPI 3 document of ``/api/v1`` (a test checks it against the app's routes)."""

from kb.article import AUDIENCES, LANGS, TYPES
from kb.search.engine import MODES


def _q(name, description, schema=None, required=False):
    return {"name": name, "in": "query", "required": required, "description": description,
            "schema": schema or {"type": "string"}}


def _p(name, description):
    return {"name": name, "in": "path", "required": True, "description": description, "schema": {"type": "string"}}


ERROR = {"description": "bad input", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _op(summary, params=(), body=None, responses=None, tag="search"):
    op = {"summary": summary, "tags": [tag], "parameters": list(params),
          "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}},
                        "400": ERROR, **(responses or {})}}
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return op


def paths():
    """Path items of the API, keyed by OpenAPI path."""
    search_params = [
        _q("q", "the query: words, a model code or an error code", required=True),
        _q("product", "model code (any spelling); keeps articles for it and its category"),
        _q("category", "category id"), _q("type", "article type", {"type": "string", "enum": list(TYPES)}),
        _q("lang", "article language", {"type": "string", "enum": list(LANGS)}),
        _q("audience", "audience", {"type": "string", "enum": list(AUDIENCES)}),
        _q("limit", "number of hits, 1-100", {"type": "integer", "minimum": 1, "maximum": 100}),
        _q("mode", "retrieval mode", {"type": "string", "enum": list(MODES)}),
        _q("explain", "include why each hit matched", {"type": "boolean"}),
    ]
    not_found = {"404": ERROR}
    return {
        "/api/v1/search": {"get": _op("Search the knowledge base", search_params)},
        "/api/v1/autocomplete": {"get": _op("Suggest titles and products", [_q("q", "what was typed", required=True),
                                                                         _q("limit", "1-20", {"type": "integer"})])},
        "/api/v1/articles/{article_id}": {"get": _op("One published article", [_p("article_id", "article id")],
                                                     responses=not_found)},
        "/api/v1/products": {"get": _op("Find products", [_q("q", "code, part of a code or name", required=True),
                                                          _q("limit", "1-100", {"type": "integer"})])},
        "/api/v1/products/{code}": {"get": _op("One product with its articles", [_p("code", "model code or SKU")],
                                               responses=not_found)},
        "/api/v1/health": {"get": _op("Index version, counts and model")},
        "/api/v1/openapi.json": {"get": _op("This document")},
    }


def document():
    """The whole OpenAPI document."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "Nordiq knowledge base and agent-assist API", "version": "1.0.0"},
        "paths": paths(),
        "components": {"schemas": {"Error": {"type": "object", "required": ["error", "message"], "properties": {
            "error": {"type": "string"}, "message": {"type": "string"}}}}},
    }
