"""New-hire pages: learning paths, quizzes, required reading, practice mode. Forms post with the CSRF token."""

import random

from flask import Blueprint, abort, redirect, render_template, request, url_for

from assist_api import get_engine, get_services
from assist_api.auth import csrf_token, current_user, require, safe_next
from assist_api.db import training_repo
from kb.training import grade, learning_path, make_quiz

bp = Blueprint("webui_learn", __name__, template_folder="templates")
QUIZ_SIZE = 5


def _db():
    database = get_services().database
    if database is None:
        abort(503, "The training database is not available.")
    return database


def _category_or_404(category):
    engine = get_engine()
    if category not in engine.catalog.categories:
        abort(404)
    return engine


def _titles():
    return {a: r["title"] for a, r in get_engine().version.articles.items()}


def _product_categories():
    engine = get_engine()
    used = {p.category for p in engine.catalog.products.values()}
    return [c for c in sorted(engine.catalog.categories.values(), key=lambda c: (c.group_name, c.name)) if c.id in used]


@bp.get("/learn")
@require("consultant", page=True)
def overview():
    """Every category's path with this person's progress, and their required reading."""
    user, engine = current_user(), get_engine()
    with _db().engine.connect() as conn:
        read, scores = training_repo.read_ids(conn, user["id"]), training_repo.scores(conn, user["id"])
        reading = training_repo.reading_for(conn, user["id"])
    rows = []
    for category in _product_categories():
        ids = [a["id"] for _, _, arts in learning_path(engine.version.articles, category.id) for a in arts]
        rows.append({"category": category, "total": len(ids), "read": len(read & set(ids)), "score": scores.get(category.id)})
    return render_template("learn.html", rows=rows, reading=reading, user=user, csrf=csrf_token())


@bp.get("/learn/<category>")
@require("consultant", page=True)
def path(category):
    """One category's path: script, procedures, most-used troubleshooting, FAQs."""
    engine = _category_or_404(category)
    user = current_user()
    with _db().engine.connect() as conn:
        read = training_repo.read_ids(conn, user["id"])
        stages = learning_path(engine.version.articles, category, training_repo.usage_counts(conn))
        score = training_repo.scores(conn, user["id"]).get(category)
    return render_template("learn_path.html", category=engine.catalog.categories[category], stages=stages, read=read,
                           score=score, user=user, csrf=csrf_token())


@bp.post("/learn/read")
@require("consultant", page=True)
def mark_read():
    """Tick an article of a path as read."""
    article_id = request.form.get("article_id", "")
    if article_id not in get_engine().version.articles:
        abort(404)
    with _db().engine.begin() as conn:
        training_repo.mark_read(conn, current_user()["id"], article_id)
    return redirect(safe_next(request.form.get("next"), url_for("webui_learn.overview")))


@bp.post("/learn/<category>/quiz")
@require("consultant", page=True)
def new_quiz(category):
    """Generate a quiz for a category and open it."""
    engine = _category_or_404(category)
    questions = make_quiz(engine.version, category, QUIZ_SIZE, seed=random.SystemRandom().random())
    if not questions:
        abort(404, "This category has no troubleshooting or FAQ articles to make a quiz from yet.")
    with _db().engine.begin() as conn:
        quiz_id = training_repo.save_quiz(conn, current_user()["id"], category, questions)
    return redirect(url_for("webui_learn.quiz", quiz_id=quiz_id))


@bp.route("/learn/quiz/<int:quiz_id>", methods=["GET", "POST"])
@require("consultant", page=True)
def quiz(quiz_id):
    """Take a quiz (options in random order, which one is right stays on the server), then see the score."""
    user = current_user()
    with _db().engine.begin() as conn:
        data = training_repo.get_quiz(conn, quiz_id, user["id"])
        if data is None:
            abort(404)
        result = None
        if request.method == "POST" and data["submitted_at"] is None:
            answers = {}
            for i in range(len(data["questions"])):
                raw = request.form.get(f"q{i}")
                answers[i] = int(raw) if raw is not None and raw.isdigit() else None
            result = grade(data["questions"], answers)
            training_repo.submit_quiz(conn, quiz_id, result, answers)
    titles = _titles()
    return render_template("quiz.html", quiz=data, result=result, titles=titles, user=user, csrf=csrf_token())


@bp.get("/reading")
@require("consultant", page=True)
def reading():
    """Required reading not yet acknowledged."""
    with _db().engine.connect() as conn:
        items = training_repo.reading_for(conn, current_user()["id"])
    return render_template("reading.html", items=items, titles=_titles(), user=current_user(), csrf=csrf_token())


@bp.post("/reading/<int:reading_id>/ack")
@require("consultant", page=True)
def acknowledge(reading_id):
    """Acknowledge having read a changed article."""
    with _db().engine.begin() as conn:
        if not training_repo.acknowledge(conn, reading_id, current_user()["id"]):
            abort(404)
    return redirect(url_for("webui_learn.reading"))


@bp.get("/reading/article/<article_id>")
@require("writer", page=True)
def reading_status(article_id):
    """For the writer: who has and has not acknowledged an important change."""
    with _db().engine.connect() as conn:
        status = training_repo.reading_status(conn, article_id)
    return render_template("reading_status.html", article_id=article_id, status=status, user=current_user())


@bp.get("/practice")
@bp.get("/practice/<int:contact_id>")
@require("consultant", page=True)
def practice(contact_id=None):
    """Replay past tickets (personal data removed): what assist suggested and what the consultant used."""
    with _db().engine.connect() as conn:
        ticket = training_repo.practice_ticket(conn, contact_id) if contact_id else None
        tickets = [] if contact_id else training_repo.practice_tickets(conn)
    if contact_id and ticket is None:
        abort(404)
    return render_template("practice.html", ticket=ticket, tickets=tickets, titles=_titles(),
                           reveal=request.args.get("reveal") == "1", user=current_user())
