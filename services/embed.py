"""The embed contract's rules, with no web framework: which origins may talk to the assist panel (the sources of
``KB_FRAME_ANCESTORS``), and short-lived panel tokens that a ticket system's server makes with its API token, so
that no long-lived secret reaches a browser and no secret ever travels in a URL.

A panel token is signed with the secret key, names the user and the API token it was made with, and lasts
``EMBED_MINUTES``; it stops working when that API token is revoked or the user disabled, and it only opens the
assist panel's routes (search and contact), never writing articles or managing anything.

>>> allowed_origins("'self' https://desk.example.com https://*.zammad.example", "https://kb.example")
['https://kb.example', 'https://desk.example.com', 'https://*.zammad.example']
>>> origin_allowed("https://acme.zammad.example", ["https://*.zammad.example"]), origin_allowed("https://evil.example", [])
(True, False)
"""

import re

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from services.accounts import user_by_id
from services.db.schema import api_tokens

PREFIX = "kbe_"
EMBED_MINUTES = 60
PERMISSIONS = ("search", "contact")  # what a panel token may do: the assist panel, nothing else
SOURCE = re.compile(r"^(?:(?P<scheme>[a-z][a-z0-9+.-]*)://)?(?P<host>\*|(?:\*\.)?[a-z0-9.-]+)(?::(?P<port>\d+|\*))?/?$")


def allowed_origins(frame_ancestors, own_origin):
    """The origins a framing page may have, from a CSP ``frame-ancestors`` source list (``'self'`` is this site;
    a source without a scheme means https; ``'none'`` and paths are ignored)."""
    found = []
    for token in (frame_ancestors or "").split():
        lowered = token.lower()
        if lowered == "'self'":
            found.append(own_origin.rstrip("/"))
            continue
        match = SOURCE.match(lowered)
        if lowered.startswith("'") or not match:
            continue
        scheme, host, port = match.group("scheme") or "https", match.group("host"), match.group("port")
        found.append(f"{scheme}://{host}" + (f":{port}" if port else ""))
    return list(dict.fromkeys(found))


def origin_allowed(origin, allowed):
    """Whether a message's origin is one of ``allowed`` (exactly, or under a ``*.`` wildcard, same scheme and port;
    a ``:*`` port matches any port). The panel's script applies the same rule."""
    match = re.match(r"^([a-z][a-z0-9+.-]*)://([^:/]+)(?::(\d+))?$", (origin or "").lower())
    if not match:
        return False
    scheme, host, port = match.groups()
    for pattern in allowed:
        p = re.match(r"^([a-z][a-z0-9+.-]*)://([^:/]+)(?::(\d+|\*))?$", pattern)
        if not p or p.group(1) != scheme or (p.group(3) != "*" and (p.group(3) or None) != port):
            continue
        if p.group(2) == host or (p.group(2).startswith("*.") and host.endswith(p.group(2)[1:])):
            return True
    return False


class EmbedTokens:
    """Makes and checks panel tokens (``kbe_...``)."""

    def __init__(self, database, secret_key, minutes=EMBED_MINUTES):
        self.database, self.minutes = database, minutes
        self._serializer = URLSafeTimedSerializer(secret_key, salt="kb-embed-token")

    def create(self, user, api_token_id, agent=None):
        """A panel token for the user of an API token (``agent``: who in the ticket system, for the audit log)."""
        data = {"u": user["id"], "t": api_token_id, "a": (agent or "")[:80]}
        return {"token": PREFIX + self._serializer.dumps(data), "expires_in": self.minutes * 60}

    def user_for(self, token, conn):
        """The active user of a live panel token (with ``embed_agent``), else None."""
        try:
            data = self._serializer.loads(token[len(PREFIX):], max_age=self.minutes * 60)
        except (SignatureExpired, BadSignature):
            return None
        if not isinstance(data, dict) or not isinstance(data.get("u"), int):
            return None
        revoked = conn.execute(select(api_tokens.c.revoked_at).where(api_tokens.c.id == data.get("t"))).first()
        if revoked is None or revoked[0] is not None:
            return None
        user = user_by_id(conn, data["u"])
        return {**user, "embed_agent": data.get("a") or None} if user else None
