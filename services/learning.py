"""Ranking that learns from what fixed the problem before, and the outcome signals it learns from: the follow-up
call's answer per contact, repeat contacts, and the rewrite-first list of articles whose use is most often
followed by a repeat contact or a "not fixed" follow-up.

The feature's numbers are recomputed from the database every few minutes in a background thread (a search never
waits for it and never fails because of it); ``KB_USAGE_RANKING=off`` turns it off.

>>> learning = Learning(database, engine, settings)                  # doctest: +SKIP
>>> learning.boosts("washer 5c")                                      # doctest: +SKIP
{'ww90t-not-draining': 0.031, ...}
"""

import datetime as dt
import logging
import os
import threading
import time

from sqlalchemy import insert

from kb.outcomes import outcome_of, repeats, rewrite_first
from kb.search.usage_prior import Impression, Signal, UsageConfig, aggregate, family_of, query_key
from services.db import outcomes as reads
from services.db import repo
from services.db.schema import followups
from services.errors import NotFound, ServiceError, Unavailable
from services.escalations import OUTCOMES

log = logging.getLogger(__name__)
EPOCH = dt.datetime(1970, 1, 1)
ANSWERS = OUTCOMES  # the follow-up call's answer, as the follow-ups page records it


def seconds(when):
    """Epoch seconds of a naive UTC datetime (what the database stores)."""
    return (when - EPOCH).total_seconds()


class Learning:
    """Outcome signals in, bounded per-article boosts out (``boosts``, ``explain``), and the rewrite-first list."""

    def __init__(self, database, engine, settings, config=UsageConfig(), refresh_seconds=300):
        self.database, self.engine, self.config = database, engine, config
        self.enabled = settings.usage_ranking == "on"
        self.refresh_seconds = refresh_seconds
        self.stats, self.loaded_at = None, 0.0
        self._generation, self._shown_generation = 0, 0  # a slow refresh never replaces a newer one
        self._lock = threading.Lock()
        self._refreshing, self._pid = False, os.getpid()

    # -- outcome signals ------------------------------------------------------------------------------------------

    def followup_answer(self, contact_ref, answer, note=None):
        """Record the answer of a follow-up call ("is everything working?") for a contact; return its row id."""
        if answer not in ANSWERS:
            raise ServiceError("bad_answer", f"answer must be one of {', '.join(ANSWERS)}")
        now = repo.utcnow()
        with self.database.begin() as conn:
            contact_id = repo.contact_id_of(conn, contact_ref)
            if contact_id is None:
                raise NotFound("unknown_contact", f"no contact {contact_ref!r}")
            return conn.execute(insert(followups).values(
                contact_id=contact_id, kind="answer-callback", due_date=now.date(), status="done", done_at=now,
                note=note, created_at=now, outcome=answer)).inserted_primary_key[0]

    def contact_outcomes(self, conn, since):
        """``[(contact id, article id, outcome)]``: one outcome per article used for a contact."""
        used = reads.used_by_contact(conn, since)
        answers = reads.followup_answers(conn, since)
        repeated = repeats(reads.contact_facts(conn, since, self.engine.catalog))
        out = []
        for contact_id, rows in used.items():
            outcome = outcome_of(answers.get(contact_id, (None,))[0], contact_id in repeated)
            for article in dict.fromkeys(article for article, _, _ in rows):
                out.append((contact_id, article, outcome))
        return out

    def rewrite_first(self, start, end, min_outcomes=3, limit=15):
        """Articles to rewrite first: most often followed by a repeat contact or a "not fixed" follow-up."""
        since = dt.datetime.combine(start, dt.time.min)
        with self.database.connect() as conn:
            rows = self.contact_outcomes(conn, since)
        return rewrite_first([(article, outcome) for _, article, outcome in rows], min_outcomes, limit)

    # -- the ranking feature --------------------------------------------------------------------------------------

    def ranker(self):
        """This object when the feature is on (the assistant asks it for boosts), else None."""
        return self if self.enabled else None

    def boosts(self, query, product=None):
        """``{article id: boost}`` for a query (None while nothing is learned or the feature is off)."""
        stats = self._current()
        if stats is None:
            return None
        return stats.boosts(query_key(query), family_of(self.engine.catalog, query, product)) or None

    def explain(self, query, product, article_id):
        """Why an article's score moved: the numbers behind its boost, and one line for "why this result"."""
        stats = self._current()
        if stats is None:
            return None
        _, detail = stats.boost(article_id, query_key(query), family_of(self.engine.catalog, query, product))
        if detail["positive"] or detail["expected"] or detail["negative"]:
            line = (f"learned from use ({detail['level']}): {detail['positive']:g} helpful uses where "
                    f"{detail['expected']:g} were expected at the positions it was shown, {detail['negative']:g} "
                    "against (not helpful, flagged, not fixed, repeat contact)")
            if detail["explore"]:
                line += f"; little use yet, +{detail['explore']:g} to keep showing it"
        else:
            line = f"new to use: +{detail['explore']:g} so that it keeps being shown"
        detail["line"] = f"{line}; {detail['boost']:+.3f} (at most ±{self.config.cap:g})"
        return detail

    def _current(self):
        if not self.enabled:
            return None
        stale = time.monotonic() - self.loaded_at > self.refresh_seconds
        if (self.stats is None or stale) and not self._refreshing:
            self._start_refresh()
        return self.stats

    def _start_refresh(self):
        with self._lock:
            if self._refreshing and self._pid == os.getpid():
                return
            self._refreshing, self._pid = True, os.getpid()
        threading.Thread(target=self._refresh_quietly, name="kb-usage-ranking", daemon=True).start()

    def _refresh_quietly(self):
        try:
            self.refresh()
        except Unavailable as exc:  # a database that is down keeps the last numbers
            log.warning("usage ranking not refreshed: %s", exc)
        except Exception:  # noqa: BLE001 - a bug here must never reach a search
            log.exception("usage ranking not refreshed")
        finally:
            self._refreshing = False
            self.loaded_at = time.monotonic()

    def refresh(self, now=None):
        """Recompute the feature from the database now; return the new numbers."""
        with self._lock:
            self._generation += 1
            generation = self._generation
        now = now or repo.utcnow()
        since = now - dt.timedelta(days=5 * self.config.half_life_days)  # older events weigh under 3 %
        with self.database.connect() as conn:
            impressions, signals = self.events(conn, since)
        articles = [a for a, r in self.engine.version.articles.items() if r["status"] == "published"]
        stats = aggregate(impressions, signals, seconds(now), self.config, articles).warm()
        with self._lock:
            if generation > self._shown_generation:
                self.stats, self._shown_generation = stats, generation
                self.loaded_at = time.monotonic()
        return stats

    def events(self, conn, since):
        """The result lists shown and the signals since a time, each in its context (query key, family)."""
        catalog = self.engine.catalog
        impressions, signals, contexts, latest = [], [], {}, {}

        def context(query, product=None):
            return query_key(query), family_of(catalog, query, product)

        for row in reads.shown(conn, since):
            when = seconds(row["when"])
            key, family = context(row["query"], row["filters"].get("product"))
            if row["kind"] == "use":
                if row["used_article"]:
                    signals.append(Signal(when, key, family, row["used_article"], "used",
                                          _position(latest.get(key, ()), row["used_article"])))
                continue
            shown = tuple(row["results"])
            impressions.append(Impression(when, key, family, shown))
            latest[key] = shown
            if row["contact_id"]:
                contexts[row["contact_id"]] = (key, family, shown)
        signals += self._contact_signals(conn, since, contexts)
        signals += _vote_signals(reads.votes(conn, since), contexts, latest, context)
        return impressions, signals

    def _contact_signals(self, conn, since, contexts):
        out = []
        used = reads.used_by_contact(conn, since)
        for contact_id, rows in used.items():
            key, family, shown = contexts.get(contact_id, ("", None, ()))
            for article, action, when in rows:
                out.append(Signal(seconds(when), key, family, article, action, _position(shown, article)))
        answers = reads.followup_answers(conn, since)
        for contact_id, article, outcome in self.contact_outcomes(conn, since):
            if outcome == "unknown":
                continue
            key, family, shown = contexts.get(contact_id, ("", None, ()))
            when = answers.get(contact_id, (None, None))[1] or since
            out.append(Signal(seconds(when), key, family, article, outcome, _position(shown, article)))
        for run in reads.guided(conn, since):
            key, family, shown = contexts.get(run["contact_id"], ("", None, ()))
            kind = "guide_resolved" if run["outcome"] == "resolved" else "guide_escalated"
            out.append(Signal(seconds(run["updated_at"]), key, family, run["article_id"], kind,
                              _position(shown, run["article_id"])))
        return out


def _position(shown, article):
    return shown.index(article) + 1 if article in shown else None


def _vote_signals(votes, contexts, latest, context):
    out = []
    for vote in votes:
        if vote["contact_id"] in contexts:
            key, family, shown = contexts[vote["contact_id"]]
        elif vote["query"]:
            (key, family), shown = context(vote["query"]), ()
            shown = latest.get(key, ())
        else:
            key, family, shown = "", None, ()
        kind = "flag" if vote["flag"] else "helpful" if vote["helpful"] else "not_helpful"
        out.append(Signal(seconds(vote["created_at"]), key, family, vote["article_id"], kind,
                          _position(shown, vote["article_id"])))
    return out

