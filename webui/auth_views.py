"""Sign-in and sign-out pages; failed sign-ins are throttled (Flask-Limiter) per client address and per username.

>>> throttle(app, "10 per minute")     # doctest: +SKIP
"""

import ipaddress

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from assist_api import audit
from assist_api.access import check_csrf, current_user, declare, safe_next, sign_in, sign_out
from assist_api.context import get_services
from services import accounts
from services.errors import NotFound, ServiceError

bp = declare(Blueprint("webui_auth", __name__, template_folder="templates"), "public")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The sign-in form; a wrong password gets the same message as an unknown user."""
    error = None
    if request.method == "POST":
        check_csrf()
        with get_services().database.begin() as conn:
            user = accounts.check_credentials(conn, request.form.get("username", ""), request.form.get("password", ""))
        if user:
            chosen = session.get("lang")
            sign_in(user)
            audit.record("sign-in", user["username"], user["username"], 302, role=user["role"], via="session")
            if chosen and not user.get("locale"):  # the language picked on the sign-in page stays with the person
                with get_services().database.begin() as conn:
                    accounts.set_locale(conn, user["id"], chosen)
            return redirect(safe_next(request.args.get("next"), url_for("webui.console")))
        audit.record("sign-in-failed", target=request.form.get("username", "")[:80], status=401)
        error = gettext("Wrong username or password.")
    try:
        setup = _setup_open()
    except ServiceError:  # the database is down: the form still shows, signing in will say so
        setup = False
    return render_template("login.html", error=error, setup=setup), (401 if error else 200)


def _setup_open():
    """First run: nobody can sign in yet, and the request comes from this machine."""
    try:
        local = ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        local = False
    if not local:
        return False
    with get_services().database.begin() as conn:
        return not accounts.has_users(conn)


@bp.route("/setup", methods=["GET", "POST"])
def setup():
    """Create the first administrator: only while nobody can sign in, and only from this machine."""
    if not _setup_open():
        raise NotFound("not_found", "Setup is done: sign in, or ask an administrator for an account.")
    error = None
    if request.method == "POST":
        check_csrf()
        username, password = request.form.get("username", "").strip(), request.form.get("password", "")
        if password != request.form.get("password2", ""):
            error = gettext("The two passwords differ.")
        else:
            try:
                with get_services().database.begin() as conn:
                    user_id = accounts.create_user(conn, username, password, "admin")
                    user = accounts.user_by_id(conn, user_id)
            except ValueError as exc:
                error = str(exc)
            else:
                sign_in(user)
                audit.record("user-create", username, username, 302, {"role": "admin", "first_run": True}, "admin",
                             "session")
                return redirect(url_for("webui.console"))
    return render_template("setup.html", error=error), (400 if error else 200)


@bp.post("/language")
def language():
    """Choose the language of the pages: kept with the account when signed in, for this session otherwise."""
    from webui.i18n import LANGUAGES

    check_csrf()
    lang = request.form.get("lang")
    if lang not in LANGUAGES:
        raise ServiceError("bad_lang", f"lang must be one of {', '.join(LANGUAGES)}")
    session["lang"] = lang
    user = current_user()
    if user:
        with get_services().database.begin() as conn:
            accounts.set_locale(conn, user["id"], lang)
        user["locale"] = lang  # this request's copy (the identity cache is refreshed on the next request)
    return redirect(safe_next(request.form.get("next"), url_for("webui.console")))


@bp.post("/logout")
def logout():
    """Sign out (a form with the CSRF token)."""
    check_csrf()
    user = current_user()
    if user is not None:
        audit.record("sign-out", target=user["username"], status=302)
    sign_out()
    return redirect(url_for("webui_auth.login"))


def throttle(app, limit):
    """Limit failed sign-ins (``limit`` in Flask-Limiter syntax) per client address and per username; a client
    over the limit gets 429 with Retry-After, even with the right password. One limiter (in memory) per app."""
    limiter = Limiter(key_func=get_remote_address, app=app, storage_uri="memory://", headers_enabled=True,
                      retry_after="delta-seconds")
    failed = dict(methods=["POST"], deduct_when=lambda response: response.status_code == 401,
                  error_message="Too many failed sign-ins; wait a minute and try again.")
    view = app.view_functions["webui_auth.login"]
    view = limiter.limit(limit, key_func=get_remote_address, **failed)(view)
    view = limiter.limit(limit, key_func=_username_key, scope="username", **failed)(view)
    app.view_functions["webui_auth.login"] = view
    return limiter


def _username_key():
    return "user:" + request.form.get("username", "").strip().lower()[:100]
