"""Reply drafts for e-mail and chat, grounded in published articles (see ``kb.drafts``), and what the consultant
did with them (copied, edited, used, sent to the ticket).

The draft answers from the chosen article, in the customer's language when the article's translation group has
that language; when the answer's confidence is low or the contact needs an escalation, it says what happens next
instead, from the escalation matrix.

>>> drafts = Drafts(database, engine)                                           # doctest: +SKIP
>>> drafts.create("ww90t-not-draining", channel="email", lang="pl")["lang"]      # doctest: +SKIP
'pl'
"""

import json
import logging

from sqlalchemy import insert, select

from kb.article import CHANNELS, LANGS
from kb.assist.rules import LOW_CONFIDENCE
from kb.drafts import answer_draft, error_codes, next_steps_draft
from kb.index.store import META_DIR
from kb.replies import ReplyTemplates
from kb.search.groups import version_in
from services.db import repo
from services.db.schema import draft_events, drafts
from services.errors import NotFound, ServiceError, Unavailable

log = logging.getLogger(__name__)
ACTIONS = ("copied", "edited", "used", "sent")
DEFAULT_PATH = "tech-support-engineer"
# A notice's code is the API's stable contract (the pages show their own words for it); the English text is for
# other clients and the logs.
NOTICES = {"missing": "There is no {lang} version of this article: the draft is in {used}.",
           "outdated": "The {lang} version of this article is out of date: the draft is in {used}.",
           "no_templates": "There are no {lang} reply templates: the draft is in {used}."}


def notice_fields(notice, used):
    """A draft's notice for the API: ``notice_code`` (missing, outdated, no_templates or None), ``notice_lang`` (the
    language asked for) and the English ``notice``.

    >>> notice_fields(("missing", "pl"), "en")["notice"]
    'There is no pl version of this article: the draft is in en.'
    """
    if notice is None:
        return {"notice": None, "notice_code": None, "notice_lang": None}
    code, wanted = notice
    return {"notice": NOTICES[code].format(lang=wanted, used=used), "notice_code": code, "notice_lang": wanted}


class Drafts:
    """Drafts from the live index and the reply templates of the same index version; events in the database."""

    def __init__(self, database, engine):
        self.database, self.engine = database, engine
        self._templates = (None, None)

    def templates(self):
        """The reply templates of the open index version (read once per version)."""
        version = self.engine.version
        if self._templates[0] != version.name:
            self._templates = (version.name, ReplyTemplates.load(version.path / META_DIR))
        return self._templates[1]

    def create(self, article_id=None, channel="email", lang=None, product=None, error_code=None, confidence=None,
               escalation=None, contact_ref=None, ticket=None, username=None, link_root="/"):
        """A draft (stored when the database is up): an answer from ``article_id``, or what happens next when
        there is no article, ``confidence`` is under the assist threshold, or ``escalation`` names a path."""
        if channel not in CHANNELS:
            raise ServiceError("bad_channel", f"channel must be one of {', '.join(CHANNELS)}")
        if lang is not None and lang not in LANGS:
            raise ServiceError("bad_lang", f"lang must be one of {', '.join(LANGS)}")
        templates, articles = self.templates(), self.engine.version.articles
        record = self.engine.article(article_id) if article_id else None
        if article_id and record is None:
            raise NotFound("unknown_article", f"no published article {article_id!r}")
        values, notice = {"product": product, "error_code": error_code}, None
        weak = record is None or (confidence is not None and confidence < LOW_CONFIDENCE)
        if escalation or weak:
            draft, notice = self._next_steps(templates, escalation, record, lang, channel, values)
        else:
            wanted = lang or record["lang"]
            chosen_id, mark = version_in(record["id"], articles, self.engine.version.groups, wanted,
                                         lambda r: r["status"] == "published")
            chosen = articles[chosen_id]
            if not values["error_code"] and ticket:
                values["error_code"] = next(iter(error_codes(ticket, chosen["tags"])), None)
            base = templates.link_base or f"{link_root.rstrip('/')}/articles/"
            draft = answer_draft(chosen, templates, channel, values, link=base + chosen["id"])
            if mark:  # no translation, or one that is out of date: the source's words, and the consultant is told
                notice = mark, wanted
        payload = {**draft.to_dict(), **notice_fields(notice, draft.lang)}
        payload.update(id=self._store(draft, contact_ref, username), confidence=confidence)
        return payload

    def _next_steps(self, templates, escalation, record, lang, channel, values):
        matrix = self.engine.version.escalation
        path_id = escalation or (record.get("escalation") if record else None) or DEFAULT_PATH
        path = matrix.get(path_id)
        if path is None:
            raise ServiceError("unknown_path", f"no escalation path {path_id!r}")
        wanted = lang or (record["lang"] if record else "en")
        used = wanted if templates.has(wanted) else "en"
        draft = next_steps_draft(path, templates, used, channel, values)
        return draft, (("no_templates", wanted) if used != wanted else None)

    def _store(self, draft, contact_ref, username):
        try:
            with self.database.begin() as conn:
                return conn.execute(insert(drafts).values(
                    contact_id=repo.contact_id_of(conn, contact_ref), article_id=draft.article_id, mode=draft.mode,
                    lang=draft.lang, channel=draft.channel, text=draft.text, sources=json.dumps(draft.sources()),
                    username=username, created_at=repo.utcnow())).inserted_primary_key[0]
        except Unavailable as exc:  # the consultant still gets the draft
            log.warning("draft not stored: %s", exc)
            return None

    def event(self, draft_id, action, text=None):
        """Record what the consultant did with a draft; "used" and "sent" also count as using its article."""
        if action not in ACTIONS:
            raise ServiceError("bad_action", f"action must be one of {', '.join(ACTIONS)}")
        now = repo.utcnow()
        with self.database.begin() as conn:
            draft = conn.execute(select(drafts).where(drafts.c.id == draft_id)).mappings().first()
            if draft is None:
                raise NotFound("unknown_draft", f"no draft {draft_id}")
            event_id = conn.execute(insert(draft_events).values(
                draft_id=draft_id, action=action, text=text if action == "edited" else None,
                created_at=now)).inserted_primary_key[0]
            if action in ("used", "sent") and draft["article_id"]:
                repo.add_usage(conn, draft["article_id"], "used", draft["contact_id"], now)
        return {"id": event_id, "draft_id": draft_id, "action": action}
