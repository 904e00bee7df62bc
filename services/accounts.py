"""People, roles and API tokens, with no web framework: what a role may do is declared once, here.

Passwords are stored as salted scrypt hashes; API tokens only as SHA-256 hashes, shown once when created,
revocable. The web layer asks ``allowed(role, permission)`` for every route; pages and API share the answer.

>>> allowed("writer", "write"), allowed("writer", "publish"), allowed(None, "public")
(True, False, True)
"""

import hashlib
import secrets
import threading
import time

from sqlalchemy import insert, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from services.db import repo
from services.db.schema import api_tokens, users

TOKEN_USE_RESOLUTION = 60  # seconds: how precisely a token's "last used" time is kept

ROLES = ("consultant", "engineer", "writer", "reviewer", "team-lead", "admin")

# permission -> (what it covers, roles that have it); "public" needs no sign-in.
PERMISSIONS = {
    "public": ("sign-in, health, the API description and static files", None),
    "search": ("search and read published articles, products and autocomplete", ROLES),
    "contact": ("assist a contact, record usage and feedback, open escalations, see follow-ups", ROLES),
    "learn": ("learning paths, quizzes, required reading, practice", ROLES),
    "answer": ("answer escalations as the support engineer", ("engineer", "admin")),
    "write": ("edit articles, save drafts, send to review, preview", ("writer", "reviewer", "admin")),
    "publish": ("publish and archive articles, see the review queue", ("reviewer", "admin")),
    "insights": ("read insights and analytics, export them", ("team-lead", "reviewer", "admin")),
    "admin": ("manage users and API tokens", ("admin",)),
}
MIN_PASSWORD = 10


def allowed(role, permission):
    """Whether a role (None when not signed in) has a permission."""
    roles = PERMISSIONS[permission][1]
    return roles is None or (role is not None and role in roles)


def create_user(conn, username, password, role, name=""):
    """Add a user; return its id."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"the password must have at least {MIN_PASSWORD} characters")
    return conn.execute(insert(users).values(
        username=username, name=name or username, role=role, active=True, created_at=repo.utcnow(),
        password_hash=generate_password_hash(password))).inserted_primary_key[0]


def check_credentials(conn, username, password):
    """The user row for a correct username and password, else None (same work either way)."""
    row = conn.execute(select(users).where(users.c.username == username, users.c.active.is_(True))).mappings().first()
    stored = row["password_hash"] if row else generate_password_hash("timing-equalizer")
    return dict(row) if check_password_hash(stored, password) and row else None


def user_by_id(conn, user_id):
    """An active user's row, or None."""
    row = conn.execute(select(users).where(users.c.id == user_id, users.c.active.is_(True))).mappings().first()
    return dict(row) if row else None


def user_id_by_name(conn, username):
    """The id of a username, or None."""
    return conn.execute(select(users.c.id).where(users.c.username == username)).scalar()


def set_locale(conn, user_id, locale):
    """Remember the language of the pages for a person (None: follow the browser)."""
    conn.execute(update(users).where(users.c.id == user_id).values(locale=locale))


def has_users(conn):
    """Whether anyone can sign in yet (the first-run setup page is offered until someone can)."""
    return conn.execute(select(users.c.id).limit(1)).first() is not None


def list_users(conn):
    """Every user: username, role, active."""
    return [dict(r) for r in conn.execute(select(users.c.username, users.c.role, users.c.active)).mappings()]


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


def user_for_token(conn, token):
    """The active user a live token belongs to (and mark the token used), or None."""
    found = conn.execute(select(users, api_tokens.c.id.label("token_id"), api_tokens.c.last_used_at)
                         .select_from(api_tokens.join(users, users.c.id == api_tokens.c.user_id))
                         .where(api_tokens.c.token_hash == token_hash(token), api_tokens.c.revoked_at.is_(None),
                                users.c.active.is_(True))).mappings().first()
    if found is None:
        return None
    found = dict(found)
    last_used, now = found.pop("last_used_at"), repo.utcnow()
    if last_used is None or abs((now - last_used).total_seconds()) >= TOKEN_USE_RESOLUTION:
        # a write per request would serialise every worker on the database; a minute's resolution is enough
        conn.execute(update(api_tokens).where(api_tokens.c.id == found["token_id"]).values(last_used_at=now))
    return found



class Identities:
    """Who a session or token belongs to, remembered for a while, so that people already signed in keep searching
    through a short database outage. While the database answers, every request is checked against it."""

    def __init__(self, database, keep_seconds=900, embed=None):
        self.database, self.keep_seconds = database, keep_seconds
        self.embed = embed  # services.embed.EmbedTokens: short-lived assist-panel tokens ("kbe_...")
        self._seen = {}
        self._lock = threading.Lock()

    def for_token(self, token):
        """``(user or None, "token" | "embed" | "bad-token")``."""
        if token.startswith("kbe_") and self.embed is not None:
            user = self._lookup(("embed", token_hash(token)), lambda conn: self.embed.user_for(token, conn))
            return (user, "embed") if user else (None, "bad-token")
        user = self._lookup(("token", token_hash(token)), lambda conn: user_for_token(conn, token))
        return (user, "token") if user else (None, "bad-token")

    def for_session(self, user_id):
        """``(user or None, "session" | None)``."""
        user = self._lookup(("session", user_id), lambda conn: user_by_id(conn, user_id))
        return (user, "session") if user else (None, None)

    def _lookup(self, key, query):
        from services.errors import Unavailable

        try:
            with self.database.begin() as conn:
                user = query(conn)
        except Unavailable:
            with self._lock:
                seen = self._seen.get(key)
            if seen and time.monotonic() - seen[0] < self.keep_seconds:
                return seen[1]
            raise
        with self._lock:
            if user is None:
                self._seen.pop(key, None)
            else:
                if len(self._seen) > 10_000:
                    self._seen.clear()
                self._seen[key] = (time.monotonic(), user)
        return user
