"""Sign-in, roles, API tokens and CSRF protection.

Roles are ordered: consultant < writer < reviewer < admin (each can do what the ones before it can). Passwords
are stored as salted scrypt hashes; API tokens only as SHA-256 hashes, shown once when created, revocable.
Requests authenticated by the session cookie must carry the CSRF token (form field ``csrf_token`` or header
``X-CSRF-Token``) to change anything; requests with a bearer token carry no cookie and need none.
"""

import functools
import hashlib
import hmac
import secrets

from flask import abort, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import insert, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from assist_api.db import repo
from assist_api.db.schema import api_tokens, users
from assist_api.errors import APIError

ROLES = ("consultant", "writer", "reviewer", "admin")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class SessionInterface(SecureCookieSessionInterface):
    """The session cookie is HttpOnly and SameSite=Lax always, and Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app):
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


def rank(role):
    """Position of a role in the order consultant < writer < reviewer < admin."""
    return ROLES.index(role)


def create_user(conn, username, password, role, name=""):
    """Add a user; return its id."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < 10:
        raise ValueError("the password must have at least 10 characters")
    return conn.execute(insert(users).values(
        username=username, name=name or username, role=role, active=True, created_at=repo.utcnow(),
        password_hash=generate_password_hash(password))).inserted_primary_key[0]


def check_credentials(conn, username, password):
    """The user row for a correct username and password, else None (same work either way)."""
    row = conn.execute(select(users).where(users.c.username == username, users.c.active.is_(True))).mappings().first()
    stored = row["password_hash"] if row else generate_password_hash("timing-equalizer")
    return dict(row) if check_password_hash(stored, password) and row else None


def token_hash(token):
    """SHA-256 of a token (what the database keeps)."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(conn, user_id, name):
    """A new API token: the plain text is returned once and never stored."""
    token = "kb_" + secrets.token_urlsafe(32)
    token_id = conn.execute(insert(api_tokens).values(user_id=user_id, name=name, token_hash=token_hash(token),
                                                      created_at=repo.utcnow())).inserted_primary_key[0]
    return token_id, token


def revoke_token(conn, token_id):
    """Revoke a token; return whether it existed and was active."""
    result = conn.execute(update(api_tokens).where(api_tokens.c.id == token_id, api_tokens.c.revoked_at.is_(None))
                          .values(revoked_at=repo.utcnow()))
    return result.rowcount == 1


def _load_user(database):
    header = request.headers.get("Authorization", "")
    with database.engine.begin() as conn:
        if header.startswith("Bearer "):
            found = conn.execute(select(users, api_tokens.c.id.label("token_id"))
                                 .select_from(api_tokens.join(users, users.c.id == api_tokens.c.user_id))
                                 .where(api_tokens.c.token_hash == token_hash(header[7:].strip()),
                                        api_tokens.c.revoked_at.is_(None), users.c.active.is_(True))).mappings().first()
            if found:
                conn.execute(update(api_tokens).where(api_tokens.c.id == found["token_id"])
                             .values(last_used_at=repo.utcnow()))
                return dict(found), "token"
            return None, "bad-token"
        if session.get("user_id"):
            row = conn.execute(select(users).where(users.c.id == session["user_id"], users.c.active.is_(True))
                               ).mappings().first()
            return (dict(row), "session") if row else (None, None)
    return None, None


def current_user():
    """The signed-in user (dict) of this request, or None."""
    if "kb_user" not in g:
        from assist_api import get_services

        database = get_services().database
        g.kb_user, g.kb_auth = _load_user(database) if database is not None else (None, None)
    return g.kb_user


def safe_next(target, default):
    """A redirect target from the request only when it is a path on this site (no open redirect)."""
    ok = target and target.startswith("/") and not target.startswith("//") and "\\" not in target
    return target if ok else default


def csrf_token():
    """This session's CSRF token (created on first use)."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf():
    """Refuse a state-changing, cookie-authenticated request without the session's CSRF token."""
    if request.method in SAFE_METHODS or g.get("kb_auth") == "token":
        return
    sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token") or ""
    if not session.get("csrf") or not hmac.compare_digest(sent, session["csrf"]):
        raise APIError("csrf_failed", "the form or request is missing its CSRF token; reload the page and try again", 403)


def require(role, page=False):
    """Decorator: the view needs a signed-in user of at least ``role`` (401 or sign-in page without, 403 below)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            user = current_user()
            if g.get("kb_auth") == "bad-token":
                raise APIError("bad_token", "the API token is unknown or revoked", 401)
            if user is None:
                if page:
                    return redirect(url_for("webui_auth.login", next=request.full_path))
                raise APIError("unauthorized", "sign in, or send an API token as 'Authorization: Bearer ...'", 401)
            if rank(user["role"]) < rank(role):
                if page:
                    abort(403, f"This page needs the {role} role; you are signed in as a {user['role']}.")
                raise APIError("forbidden", f"this action needs the {role} role; you are a {user['role']}", 403)
            check_csrf()
            return view(*args, **kwargs)

        return wrapped

    return decorator
