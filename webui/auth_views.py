"""Sign-in and sign-out pages."""

from flask import Blueprint, redirect, render_template, request, session, url_for

from assist_api import get_services
from assist_api.auth import check_credentials, check_csrf, csrf_token, current_user, safe_next
from assist_api.errors import APIError

bp = Blueprint("webui_auth", __name__, template_folder="templates")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The sign-in form; a wrong password gets the same message as an unknown user."""
    error = None
    if request.method == "POST":
        try:
            check_csrf()
        except APIError as exc:
            return render_template("login.html", error=exc.message, csrf=csrf_token()), 403
        database = get_services().database
        user = None
        if database is not None:
            with database.engine.connect() as conn:
                user = check_credentials(conn, request.form.get("username", ""), request.form.get("password", ""))
        if user:
            session.clear()
            session["user_id"] = user["id"]
            csrf_token()  # a fresh CSRF token for the new session
            return redirect(safe_next(request.args.get("next"), url_for("webui.console")))
        error = "Wrong username or password."
    return render_template("login.html", error=error, csrf=csrf_token(), user=current_user()), (401 if error else 200)


@bp.post("/logout")
def logout():
    """Sign out (a form with the CSRF token)."""
    check_csrf()
    session.clear()
    return redirect(url_for("webui_auth.login"))
