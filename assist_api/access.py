"""Who may use which route: every endpoint declares one permission (``services.accounts.PERMISSIONS``), per
blueprint or per view, and one hook enforces it for the JSON API and the pages alike.

Sign-in is a session cookie (HttpOnly, SameSite=Lax, Secure over HTTPS) or an API token sent as
``Authorization: Bearer ...``. Requests authenticated by the cookie must carry the session's CSRF token
(form field ``csrf_token`` or header ``X-CSRF-Token``) to change anything; token requests carry no cookie and need
none. An endpoint with no declared permission makes the app refuse to start.

>>> bp = Blueprint("x", __name__)      # doctest: +SKIP
>>> declare(bp, "search")              # doctest: +SKIP
"""

import hmac
import secrets
from urllib.parse import urlsplit

from flask import g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface

from assist_api.context import get_services
from assist_api.errors import APIError
from services import accounts, embed

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
PUBLIC_ENDPOINTS = {"static"}


class SessionInterface(SecureCookieSessionInterface):
    """The session cookie is HttpOnly and SameSite=Lax always, and Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app):
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


def declare(blueprint, permission):
    """Set the permission of every route of a blueprint that does not declare its own."""
    if permission not in accounts.PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")
    blueprint.kb_permission = permission
    return blueprint


def requires(permission):
    """Decorator: this view needs ``permission`` (instead of its blueprint's)."""
    if permission not in accounts.PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")

    def decorator(view):
        view.kb_permission = permission
        return view

    return decorator


def permission_of(app, endpoint):
    """The permission declared for an endpoint, or None when it declares none."""
    if endpoint in PUBLIC_ENDPOINTS or (endpoint or "").endswith(".static"):
        return "public"
    view = app.view_functions.get(endpoint)
    if view is None:
        return None
    if getattr(view, "kb_permission", None):
        return view.kb_permission
    blueprint = app.blueprints.get(endpoint.rsplit(".", 1)[0]) if "." in endpoint else None
    return getattr(blueprint, "kb_permission", None)


def route_permissions(app):
    """``[(rule, methods, endpoint, permission)]`` for every route, for the README table and the tests."""
    out = []
    for rule in app.url_map.iter_rules():
        methods = sorted(m for m in rule.methods if m not in ("HEAD", "OPTIONS"))
        out.append((rule.rule, methods, rule.endpoint, permission_of(app, rule.endpoint)))
    return sorted(out)


def init_app(app, login_endpoint):
    """Install the session interface and the hook that enforces every route's permission; refuse undeclared ones."""
    missing = [r for r in route_permissions(app) if r[3] is None]
    if missing:
        raise RuntimeError("routes without a declared permission: " + ", ".join(f"{r[0]} ({r[2]})" for r in missing))
    app.session_interface = SessionInterface()
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")

    @app.before_request
    def enforce_permission():
        permission = permission_of(app, request.endpoint) if request.endpoint else None
        if permission is None or permission == "public":
            return None
        user = current_user()
        if g.get("kb_auth") == "bad-token":
            raise APIError("bad_token", "the API token is unknown or revoked", 401)
        if g.get("kb_auth") == "embed" and permission not in embed.PERMISSIONS:
            raise APIError("forbidden", "an assist-panel token only opens the assist panel; use an API token", 403)
        if accounts.allowed(user["role"] if user else None, permission):
            check_csrf()
            return None
        if user is None:
            if not is_api():
                return redirect(url_for(login_endpoint, next=request.full_path.rstrip("?")))
            raise APIError("unauthorized", "sign in, or send an API token as 'Authorization: Bearer ...'", 401)
        raise APIError("forbidden", f"this needs the {permission} permission, which a {user['role']} does not have; "
                       f"ask an administrator", 403)


def is_api():
    """Whether the current request is for the JSON API (errors as JSON) rather than a page."""
    return request.path.startswith("/api/")


def current_user():
    """The signed-in user (dict) of this request, or None; Unavailable when the database cannot tell."""
    if "kb_user" not in g:
        g.kb_user, g.kb_auth = None, None
        header = request.headers.get("Authorization", "")
        identities = get_services().identities
        if header.startswith("Bearer "):
            g.kb_user, g.kb_auth = identities.for_token(header[7:].strip())
        elif session.get("user_id"):
            g.kb_user, g.kb_auth = identities.for_session(session["user_id"])
    return g.kb_user


def safe_next(target, default):
    """A redirect target from the request only when it is a path on this site (no open redirect)."""
    if not isinstance(target, str) or not target.startswith("/") or any(c in target for c in "\\\t\r\n") \
            or any(ord(c) < 32 for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return default
    return target


def csrf_token():
    """This session's CSRF token (created on first use)."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf():
    """Refuse a state-changing, cookie-authenticated request without the session's CSRF token."""
    if request.method in SAFE_METHODS or g.get("kb_auth") in ("token", "embed"):  # a header, never a cookie
        return
    sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token") or ""
    if not session.get("csrf") or not hmac.compare_digest(sent, session["csrf"]):
        raise APIError("csrf_failed", "the form or request is missing its CSRF token; reload the page and try again",
                       403)


def sign_in(user):
    """Start a fresh session for a user (a new CSRF token with it)."""
    session.clear()
    session["user_id"] = user["id"]
    csrf_token()


def sign_out():
    """End the session."""
    session.clear()




def permission_table(routes):
    """The role-by-route table of the README (Markdown lines) from ``route_permissions(app)``."""
    lines = ["| route | methods | permission | roles |", "| --- | --- | --- | --- |"]
    for rule, methods, _endpoint, permission in routes:
        if not methods or permission is None:
            continue
        roles = accounts.PERMISSIONS[permission][1]
        who = "anyone, signed in or not" if roles is None else ("every role" if set(roles) == set(accounts.ROLES)
                                                                 else ", ".join(roles))
        lines.append(f"| `{rule}` | {', '.join(methods)} | {permission} | {who} |")
    return lines
