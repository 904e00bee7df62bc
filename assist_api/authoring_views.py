"""The authoring API under ``/api/v1``: the same rules as the editor (roles, lint, versions, conflicts)."""

import yaml
from flask import Blueprint, jsonify, request

from assist_api import get_engine, get_services
from assist_api.assist_views import database, json_body
from assist_api.auth import create_token, current_user, require, revoke_token
from assist_api.authoring import FRONT, Conflict, Invalid
from assist_api.errors import APIError, error_response
from kb.render import to_html

bp = Blueprint("authoring_api", __name__, url_prefix="/api/v1")


def authoring():
    """The workflow object (needs the database)."""
    database()
    return get_services().authoring()


def _handle(fn):
    try:
        return fn()
    except Invalid as exc:
        response = jsonify({"error": "invalid_article", "message": str(exc),
                            "problems": [p.to_dict() for p in exc.problems]})
        response.status_code = 422
        return response
    except Conflict as exc:
        response = jsonify({"error": "conflict", "message": str(exc), "latest_version": exc.latest["version"],
                            "latest_author": exc.latest["author"], "latest_text": exc.latest["text"],
                            "your_text": exc.yours})
        response.status_code = 409
        return response
    except KeyError as exc:
        return error_response("unknown_article", f"no such article or version: {exc.args[0]}", 404)


def _saved(stored, warnings, status=200):
    response = jsonify({"id": stored["article_id"], "version": stored["version"], "status": stored["status"],
                        "pending": stored["pending"], "warnings": [w.to_dict() for w in warnings]})
    response.status_code = status
    response.headers["ETag"] = f'"{stored["version"]}"'
    return response


def _base_version(body):
    if body.get("base_version") is not None:
        return body["base_version"]
    match = request.headers.get("If-Match", "").strip('"')
    return int(match) if match.isdigit() else None


@bp.post("/articles")
@require("writer")
def create_article():
    """Create an article (a draft unless its front matter says review)."""
    body = json_body({"text": (str, True), "comment": (str, False)})
    user = current_user()

    def run():
        with database().engine.begin() as conn:
            stored, warnings = authoring().save(conn, body["text"], user["username"], None, comment=body["comment"] or "",
                                                status=_writer_status(body["text"]))
        return _saved(stored, warnings, 201)
    return _handle(run)


def _writer_status(text):
    """The status a save may set: writers create drafts or send to review; reviewers also publish and archive."""
    match = FRONT.match(text)
    try:
        status = (yaml.safe_load(match.group(1)) or {}).get("status", "draft") if match else "draft"
    except yaml.YAMLError:
        return None  # validation reports the broken front matter with its line
    if status in ("published", "archived") and current_user()["role"] == "writer":
        return "draft"
    return status if status in ("draft", "review", "published", "archived") else None


@bp.get("/articles/<article_id>/source")
@require("writer")
def source(article_id):
    """The latest version's Markdown with its version number (also as ETag)."""
    with database().engine.begin() as conn:
        latest = authoring().version(conn, article_id)
    if latest is None:
        raise APIError("unknown_article", f"no article {article_id!r}", 404)
    from kb.article import parse_article

    parsed, _ = parse_article(latest["text"].encode("utf-8"), f"{article_id}.md")
    response = jsonify({"id": article_id, "version": latest["version"], "status": latest["status"],
                        "live_status": authoring().live_status(article_id), "text": latest["text"],
                        "author": latest["author"], "fields": parsed.front_matter() if parsed else None,
                        "body": parsed.body.lstrip("\n") if parsed else None})
    response.headers["ETag"] = f'"{latest["version"]}"'
    return response


@bp.put("/articles/<article_id>")
@require("writer")
def update_article(article_id):
    """Save a new version; 409 with both texts when someone saved since ``base_version`` (or If-Match)."""
    body = json_body({"text": (str, True), "base_version": (int, False), "comment": (str, False),
                      "important": (bool, False)})
    user = current_user()
    base = _base_version(body)
    if base is None:
        raise APIError("missing_base_version", "send base_version (or If-Match) so no edit can be lost", 428)

    def run():
        with database().engine.begin() as conn:
            stored, warnings = authoring().save(conn, body["text"], user["username"], base, article_id,
                                                body["comment"] or "", bool(body["important"]),
                                                _writer_status(body["text"]))
        return _saved(stored, warnings)
    return _handle(run)


def _transition(article_id, status):
    body = json_body({"base_version": (int, False), "important": (bool, False)})
    user = current_user()

    def run():
        with database().engine.begin() as conn:
            stored, warnings = authoring().transition(conn, article_id, status, user["username"], body["base_version"],
                                                      bool(body["important"]))
        return _saved(stored, warnings)
    return _handle(run)


@bp.post("/articles/<article_id>/submit")
@require("writer")
def submit(article_id):
    """Send the latest version to review."""
    return _transition(article_id, "review")


@bp.post("/articles/<article_id>/publish")
@require("reviewer")
def publish(article_id):
    """Publish the latest version: the file is written and the index updated."""
    return _transition(article_id, "published")


@bp.delete("/articles/<article_id>")
@require("reviewer")
def archive(article_id):
    """Archive an article (kept with its history; consultants no longer see it)."""
    return _transition(article_id, "archived")


@bp.get("/articles/<article_id>/versions")
@require("writer")
def versions(article_id):
    """Every saved version with author and time."""
    with database().engine.begin() as conn:
        authoring().version(conn, article_id)
        rows = authoring().versions(conn, article_id)
    if not rows:
        raise APIError("unknown_article", f"no article {article_id!r}", 404)
    return jsonify({"id": article_id, "versions": [{**r, "created_at": r["created_at"].isoformat()} for r in rows]})


@bp.get("/articles/<article_id>/diff")
@require("writer")
def diff(article_id):
    """Unified diff between versions ``from`` and ``to``."""
    try:
        a, b = int(request.args["from"]), int(request.args["to"])
    except (KeyError, ValueError):
        raise APIError("bad_versions", "give from and to as version numbers") from None
    with database().engine.begin() as conn:
        return _handle(lambda: jsonify({"id": article_id, "from": a, "to": b,
                                        "diff": authoring().diff(conn, article_id, a, b)}))


@bp.post("/articles/<article_id>/restore")
@require("writer")
def restore(article_id):
    """Make an old version the newest (history is kept)."""
    body = json_body({"version": (int, True), "base_version": (int, True)})
    user = current_user()

    def run():
        with database().engine.begin() as conn:
            stored, warnings = authoring().restore(conn, article_id, body["version"], user["username"], body["base_version"])
        return _saved(stored, warnings)
    return _handle(run)


@bp.post("/preview")
@require("writer")
def preview():
    """Sanitized HTML of a draft, its lint problems, and similar published articles (duplicate warning)."""
    from assist_api.authoring import validate, Invalid as _Invalid
    from kb.article import parse_article

    body = json_body({"text": (str, True), "id": (str, False)})
    article, problems = parse_article(body["text"].encode("utf-8"), "draft.md")
    try:
        _, warnings = validate(body["text"], get_engine(), body["id"])
        problems = warnings
    except _Invalid as exc:
        problems = exc.problems
    sections = [{"anchor": s.anchor, "heading": s.heading, "html": to_html(s.markdown)} for s in article.sections] if article else []
    similar = get_services().similar(article, exclude=body["id"]) if article else []
    return jsonify({"sections": sections, "problems": [p.to_dict() for p in problems], "similar": similar})


@bp.get("/review-queue")
@require("reviewer")
def review_queue():
    """Versions waiting for a reviewer."""
    with database().engine.connect() as conn:
        rows = authoring().review_queue(conn)
    return jsonify({"queue": [{"id": r["article_id"], "version": r["version"], "author": r["author"],
                               "created_at": r["created_at"].isoformat()} for r in rows]})


@bp.get("/attention")
@require("writer")
def attention():
    """Articles past their review date or flagged as wrong (``?mine=1`` for the signed-in owner's only)."""
    owner = current_user()["username"] if request.args.get("mine") == "1" else None
    with database().engine.connect() as conn:
        return jsonify({"articles": authoring().needs_attention(conn, owner)})


@bp.post("/tokens")
@require("admin")
def new_token():
    """Create an API token for a user (shown once)."""
    from sqlalchemy import select

    from assist_api.db.schema import users

    body = json_body({"username": (str, True), "name": (str, True)})
    with database().engine.begin() as conn:
        user_id = conn.execute(select(users.c.id).where(users.c.username == body["username"])).scalar()
        if user_id is None:
            raise APIError("unknown_user", f"no user {body['username']!r}", 404)
        token_id, token = create_token(conn, user_id, body["name"])
    return jsonify({"id": token_id, "token": token}), 201


@bp.delete("/tokens/<int:token_id>")
@require("admin")
def delete_token(token_id):
    """Revoke an API token."""
    with database().engine.begin() as conn:
        if not revoke_token(conn, token_id):
            raise APIError("unknown_token", f"no active token {token_id}", 404)
    return jsonify({"id": token_id, "revoked": True})
