"""The authoring API under ``/api/v1``: the same rules as the editor (permissions, lint, versions, conflicts)."""

from flask import Blueprint, jsonify, request

from assist_api.access import current_user, declare, requires
from assist_api.context import get_engine, get_services
from assist_api.errors import APIError
from assist_api.params import json_body
from kb.article import parse_article
from kb.render import to_html
from services.authoring import validate
from services.errors import Invalid

bp = declare(Blueprint("authoring_api", __name__, url_prefix="/api/v1"), "write")


def _user():
    user = current_user()
    return user["username"], user["role"]


def saved_json(saved, status=200):
    """A saved version for clients, with its number as ETag."""
    response = jsonify({"id": saved.article_id, "version": saved.version, "status": saved.status,
                        "pending": saved.pending, "searchable": saved.searchable, "assigned": saved.assigned,
                        "warnings": [w.to_dict() for w in saved.warnings]})
    response.status_code = status
    response.headers["ETag"] = f'"{saved.version}"'
    return response


def _base_version(body):
    if body.get("base_version") is not None:
        return body["base_version"]
    match = request.headers.get("If-Match", "").strip('"')
    return int(match) if match.isdigit() else None


@bp.post("/articles")
def create_article():
    """Create an article (a draft unless its front matter says review; reviewers may publish)."""
    body = json_body({"text": (str, True), "comment": (str, False), "important": (bool, False)})
    author, role = _user()
    return saved_json(get_services().authoring.save(body["text"], author, role, comment=body["comment"] or "",
                                                    important=bool(body["important"])), 201)


@bp.get("/articles/<article_id>/source")
def source(article_id):
    """The latest version's Markdown with its version number (also as ETag)."""
    authoring = get_services().authoring
    latest = authoring.latest(article_id)
    parsed, _ = parse_article(latest["text"].encode("utf-8"), f"{article_id}.md")
    response = jsonify({"id": article_id, "version": latest["version"], "status": latest["status"],
                        "live_status": authoring.live_status(article_id), "text": latest["text"],
                        "important": authoring.pending_important(article_id),
                        "author": latest["author"], "fields": parsed.front_matter() if parsed else None,
                        "body": parsed.body.lstrip("\n") if parsed else None})
    response.headers["ETag"] = f'"{latest["version"]}"'
    return response


@bp.put("/articles/<article_id>")
def update_article(article_id):
    """Save a new version; 409 with both texts when someone saved since ``base_version`` (or If-Match)."""
    body = json_body({"text": (str, True), "base_version": (int, False), "comment": (str, False),
                      "important": (bool, False)})
    base = _base_version(body)
    if base is None:
        raise APIError("missing_base_version", "send base_version (or If-Match) so no edit can be lost", 428)
    author, role = _user()
    return saved_json(get_services().authoring.save(body["text"], author, role, base, article_id,
                                                    body["comment"] or "", bool(body["important"])))


def _transition(article_id, status):
    body = json_body({"base_version": (int, False), "important": (bool, False)}, optional_body=True)
    author, role = _user()
    return saved_json(get_services().authoring.transition(article_id, status, author, role, body["base_version"],
                                                          bool(body["important"])))


@bp.post("/articles/<article_id>/submit")
def submit(article_id):
    """Send the latest version to review."""
    return _transition(article_id, "review")


@bp.post("/articles/<article_id>/publish")
@requires("publish")
def publish(article_id):
    """Publish the latest version: the file is written and the index updated."""
    return _transition(article_id, "published")


@bp.delete("/articles/<article_id>")
@requires("publish")
def archive(article_id):
    """Archive an article (kept with its history; consultants no longer see it)."""
    return _transition(article_id, "archived")


@bp.get("/articles/<article_id>/versions")
def versions(article_id):
    """Every saved version with author and time."""
    rows = get_services().authoring.versions(article_id)
    return jsonify({"id": article_id, "versions": [{**r, "created_at": r["created_at"].isoformat()} for r in rows]})


@bp.get("/articles/<article_id>/diff")
def diff(article_id):
    """Unified diff between versions ``from`` and ``to``."""
    try:
        a, b = int(request.args["from"]), int(request.args["to"])
    except (KeyError, ValueError):
        raise APIError("bad_versions", "give from and to as version numbers") from None
    if not (0 < a < 2**31 and 0 < b < 2**31):
        raise APIError("bad_versions", "from and to must be version numbers (1, 2, ...)")
    return jsonify({"id": article_id, "from": a, "to": b, "diff": get_services().authoring.diff(article_id, a, b)})


@bp.post("/articles/<article_id>/restore")
def restore(article_id):
    """Make an old version the newest (history is kept)."""
    body = json_body({"version": (int, True), "base_version": (int, True)})
    author, role = _user()
    return saved_json(get_services().authoring.restore(article_id, body["version"], author, role,
                                                       body["base_version"]))


@bp.post("/preview")
def preview():
    """Sanitized HTML of a draft, its lint problems, and similar published articles (duplicate warning)."""
    body = json_body({"text": (str, True), "id": (str, False)})
    engine = get_engine()
    article, problems = parse_article(body["text"].encode("utf-8"), "draft.md")
    try:
        problems = validate(body["text"], engine, body["id"])[1]
    except Invalid as exc:
        problems = exc.problems
    sections = [{"anchor": s.anchor, "heading": s.heading, "html": to_html(s.markdown)}
                for s in article.sections] if article else []
    similar = engine.similar(_meaning_text(article), exclude={body["id"], article.id}) if article else []
    return jsonify({"sections": sections, "problems": [p.to_dict() for p in problems], "similar": similar})


def _meaning_text(article):
    from kb.render import to_text

    answer = article.answer_section
    return article.title + "\n" + (to_text(answer.markdown) if answer else "")


@bp.get("/review-queue")
@requires("publish")
def review_queue():
    """Versions waiting for a reviewer."""
    rows = get_services().authoring.review_queue()
    return jsonify({"queue": [{"id": r["article_id"], "version": r["version"], "author": r["author"],
                               "created_at": r["created_at"].isoformat()} for r in rows]})


@bp.get("/attention")
def attention():
    """Articles past their review date or flagged as wrong (``?mine=1`` for the signed-in owner's only)."""
    owner = current_user()["username"] if request.args.get("mine") == "1" else None
    return jsonify({"articles": get_services().authoring.needs_attention(owner)})


@bp.get("/articles/<article_id>/translation")
def translation(article_id):
    """A translation's source, whether it is out of date, and the source's diff since the translation was made."""
    return jsonify(get_services().translations.status(article_id))


@bp.post("/articles/<article_id>/translate")
def translate(article_id):
    """Start a linked draft in the other language (409 when the group has that language already)."""
    body = json_body({"lang": (str, False)}, optional_body=True)
    author, role = _user()
    return saved_json(get_services().translations.translate(article_id, author, role, body["lang"]), 201)
