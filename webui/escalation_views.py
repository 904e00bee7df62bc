"""Escalations from the pages: open one (prefilled with what its path says to collect), answer it as the engineer
(the answer becomes a draft article), and close the follow-up call with its outcome. Forms post with the CSRF
token; the rules are the escalation service's, as for the API."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime, gettext

from assist_api.access import current_user, declare, requires
from assist_api.context import get_engine, get_services

bp = declare(Blueprint("webui_esc", __name__, template_folder="templates"), "contact")


def _paths():
    return sorted(get_engine().version.escalation.values(), key=lambda p: p.name)


def prefilled_question(question, path):
    """The question followed by one line per item the path says to collect, for the consultant to fill in."""
    lines = [(question or "").strip(), ""] if (question or "").strip() else []
    return "\n".join(lines + [f"- {item}: " for item in (path.collect if path else ())])


@bp.get("/escalations/new")
def new_escalation():
    """The form: the suggested path (or the one the consultant picks instead), the question with the checklist."""
    matrix = get_engine().version.escalation
    path = matrix.get(request.args.get("path") or "") or matrix.get("tech-support-engineer")
    return render_template("escalation_new.html", paths=_paths(), path=path,
                           question=prefilled_question(request.args.get("question"), path),
                           contact_id=request.args.get("contact_id", ""), suggested=request.args.get("suggested", ""),
                           rule=request.args.get("rule", ""), why=request.args.get("why", ""))


@bp.post("/escalations")
def open_escalation():
    """Open the escalation; a path other than the suggested one is recorded as the consultant's choice."""
    form, user = request.form, current_user()
    path_id, suggested = form.get("path_id", ""), form.get("suggested", "")
    reason = form.get("why") or None
    if suggested and suggested != path_id:
        reason = f"Chosen by {user['username']} instead of {suggested}" + (f" ({reason})" if reason else "")
    row = get_services().escalations.open(path_id, form.get("question", ""), reason, form.get("contact_id") or None,
                                          user["username"])
    flash(gettext("Escalation %(id)s opened for %(team)s; due %(due)s.", id=row["id"], team=row["team"],
                  due=format_datetime(row["due_at"], "short")), "ok")
    return redirect(url_for("webui.followups", _anchor=f"esc-{row['id']}"))


@bp.post("/followups/escalations/<int:esc_id>/answer")
@requires("answer")
def answer(esc_id):
    """The engineer's answer: stored, offered to the writers as a draft article, the follow-up call scheduled."""
    row = get_services().escalations.answer(esc_id, request.form.get("answer", ""), current_user()["username"])
    flash(gettext("Answer saved. The draft article %(draft)s waits for a writer; the follow-up call is scheduled.",
                  draft=row["draft_article_id"]), "ok")
    return redirect(url_for("webui.followups", _anchor=f"esc-{esc_id}"))


@bp.post("/followups/<int:followup_id>/done")
def followup_done(followup_id):
    """The follow-up call was made: its outcome and a note; the escalation it followed up is closed."""
    outcome = request.form.get("outcome") or None
    get_services().escalations.complete_followup(followup_id, request.form.get("note") or None, outcome)
    flash(gettext("Follow-up call recorded."), "ok")
    return redirect(url_for("webui.followups"))

