"""New-hire pages: learning paths, quizzes, required reading, practice mode. Forms post with the CSRF token."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import get_locale

from assist_api.access import current_user, declare, requires, safe_next
from assist_api.context import get_services
from webui.messages import STAGE_NAMES

bp = declare(Blueprint("webui_learn", __name__, template_folder="templates"), "learn")


def _training():
    return get_services().training


def _lang():
    return str(get_locale() or "en")  # paths and quizzes in the language the learner reads the pages in


@bp.get("/learn")
def overview():
    """Every category's path with this person's progress, and their required reading."""
    data = _training().overview(current_user(), _lang())
    return render_template("learn.html", rows=data["rows"], reading=data["reading"])


@bp.get("/learn/<category>")
def path(category):
    """One category's path: script, procedures, most-used troubleshooting, FAQs."""
    data = _training().path(current_user(), category, _lang())
    return render_template("learn_path.html", stage_names=STAGE_NAMES, **data)


@bp.post("/learn/read")
def mark_read():
    """Tick an article of a path as read."""
    _training().mark_read(current_user(), request.form.get("article_id", ""))
    return redirect(safe_next(request.form.get("next"), url_for("webui_learn.overview")))


@bp.post("/learn/<category>/quiz")
def new_quiz(category):
    """Generate a quiz for a category and open it."""
    return redirect(url_for("webui_learn.quiz", quiz_id=_training().new_quiz(current_user(), category, _lang())))


@bp.route("/learn/quiz/<int:quiz_id>", methods=["GET", "POST"])
def quiz(quiz_id):
    """Take a quiz (options in random order, which one is right stays on the server), then see the score."""
    answers = None
    if request.method == "POST":
        answers = {}
        for i in range(50):
            raw = request.form.get(f"q{i}")
            answers[i] = int(raw) if raw is not None and raw.isdigit() else None
    data, result = _training().quiz(current_user(), quiz_id, answers)
    return render_template("quiz.html", quiz=data, result=result, titles=_training().titles())


@bp.get("/reading")
def reading():
    """Required reading not yet acknowledged."""
    return render_template("reading.html", items=_training().reading(current_user()), titles=_training().titles())


@bp.post("/reading/<int:reading_id>/ack")
def acknowledge(reading_id):
    """Acknowledge having read a changed article."""
    _training().acknowledge(current_user(), reading_id)
    return redirect(url_for("webui_learn.reading"))


@bp.get("/reading/article/<article_id>")
@requires("write")
def reading_status(article_id):
    """For the writer: who has and has not acknowledged an important change."""
    return render_template("reading_status.html", article_id=article_id, status=_training().reading_status(article_id))


@bp.get("/practice")
@bp.get("/practice/<int:contact_id>")
def practice(contact_id=None):
    """Replay past tickets (personal data removed): what assist suggested and what the consultant used."""
    found = _training().practice(contact_id)
    ticket, tickets = (found, []) if contact_id else (None, found)
    return render_template("practice.html", ticket=ticket, tickets=tickets, titles=_training().titles(),
                           reveal=request.args.get("reveal") == "1")
