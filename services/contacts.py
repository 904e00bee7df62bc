"""Contacts and what consultants do with them: assisted contacts, usage and feedback (flags open review tasks).

>>> contacts = Contacts(database, engine, assistant, events)                 # doctest: +SKIP
>>> contacts.assist(AssistRequest(body="my WW90T shows 4C"))["stored"]       # doctest: +SKIP
True
"""

import hashlib
import hmac
import logging

from sqlalchemy.exc import IntegrityError

from services.db import repo
from services.errors import NotFound, ServiceError, Unavailable

log = logging.getLogger(__name__)
FLAGS = ("wrong", "outdated", "unclear", "missing-step")
ACTIONS = ("used", "copied", "opened")


def customer_key(customer, secret):
    """A keyed hash of a customer id (never the id itself: ids are short enough to guess from a plain hash), or
    None; the same customer gives the same key while the secret stays the same."""
    customer = (customer or "").strip().lower()
    return hmac.new(secret.encode(), customer.encode(), hashlib.sha256).hexdigest() if customer and secret else None


class Contacts:
    """The assistant's answers stored with their contact; usage and feedback per article."""

    def __init__(self, database, engine, assistant, events, secret=None):
        self.database, self.engine, self.assistant, self.events = database, engine, assistant, events
        self.secret = secret  # keys the customer hash; without one no customer is kept

    def assist(self, request, customer=None):
        """Suggested answers, escalation path and checklist; the contact is stored when the database is up.
        ``customer`` (the ticket system's customer id) is kept only as a hash, to see repeat contacts."""
        result = self.assistant.assist(request)
        payload = result.to_dict()
        payload["contact_id"], payload["stored"] = request.contact_id, False
        now = repo.utcnow()
        stored_id = None
        try:
            key = customer_key(customer, self.secret)
            try:
                with self.database.begin() as conn:
                    stored_id = repo.record_contact(conn, request, result, now, key)
            except IntegrityError:  # the same new contact assisted twice at once: the second updates the first
                with self.database.begin() as conn:
                    stored_id = repo.record_contact(conn, request, result, now, key)
            payload["contact_id"] = (request.contact_id or "").strip() or str(stored_id)
            payload["stored"] = True
        except Unavailable as exc:  # answer anyway: the consultant is on the phone
            log.warning("contact not stored: %s", exc)
        top = result.answers[0]["confidence"] if result.answers else None
        self.events.log("assist", result.query["lexical"], now, {"channel": request.channel},
                        [a["article_id"] for a in result.answers], top, stored_id)
        return payload

    def known_article(self, article_id):
        """The index record of a published article, or NotFound: a draft answers as an id that does not exist, so
        no one learns that an unpublished article is there."""
        record = self.engine.article(article_id) if isinstance(article_id, str) else None
        if record is None:
            raise NotFound("unknown_article", f"no article with id {article_id!r}")
        return record

    def feedback(self, article_id, helpful, contact_ref=None, query=None, flag=None, comment=None, user=None):
        """Helpful / not helpful; a flag (wrong, outdated, unclear, missing step) opens a review task for the
        article's owner and names who flagged it (a flag without a person is refused)."""
        record = self.known_article(article_id)
        if flag and flag not in FLAGS:
            raise ServiceError("bad_flag", f"flag must be one of {', '.join(FLAGS)}")
        if flag and not user:
            raise ServiceError("anonymous_flag", "a flag needs the person who raised it; sign in first", 401)
        with self.database.begin() as conn:
            contact = repo.contact_id_of(conn, contact_ref)
            return repo.add_feedback(conn, article_id, helpful, repo.utcnow(), contact, query, flag, comment,
                                     record.get("owner"), user)

    def usage(self, article_id, action="used", contact_ref=None, query=None):
        """Record that a consultant used (copied, opened) an article; return the usage id."""
        self.known_article(article_id)
        if action not in ACTIONS:
            raise ServiceError("bad_action", f"action must be one of {', '.join(ACTIONS)}")
        now = repo.utcnow()
        with self.database.begin() as conn:
            usage_id = repo.add_usage(conn, article_id, action, repo.contact_id_of(conn, contact_ref), now)
        if query:
            self.events.log("use", query, now, used_article=article_id)
        return usage_id

    def search_event(self, result, top_confidence, filters):
        """Log a search session (in the background; a database that is down loses the event, never the search)."""
        self.events.log("search", result.query, repo.utcnow(), {k: v for k, v in filters.items() if v},
                        [h.article_id for h in result.hits], top_confidence if result.hits else None)
