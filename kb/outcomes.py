"""What happened after a contact: the follow-up call's answer and repeat contacts, per contact and per article used.

A repeat contact is the same customer contacting again about the same product (the same family, or the same topic
when neither contact named a product) within ``REPEAT_DAYS``: the help desks count it as a failure of the first.

>>> import datetime as dt
>>> day = dt.datetime(2026, 11, 2)
>>> contacts = [ContactFacts(1, day, "c1", ("WW90T",), "wm/troubleshooting"),
...             ContactFacts(2, day + dt.timedelta(days=3), "c1", ("WW90T",), "wm/troubleshooting"),
...             ContactFacts(3, day + dt.timedelta(days=4), "c2", (), "tv/troubleshooting")]
>>> sorted(repeats(contacts))
[1]
"""

import datetime as dt
from dataclasses import dataclass

REPEAT_DAYS = 7
OUTCOMES = ("fixed", "not_fixed", "repeat", "unknown")


@dataclass(frozen=True)
class ContactFacts:
    """What repeat detection needs of a contact."""

    id: int
    created_at: dt.datetime
    customer: str
    families: tuple
    topic: str


def repeats(contacts, days=REPEAT_DAYS):
    """Ids of contacts followed by another contact of the same customer about the same product within ``days``."""
    by_customer = {}
    for contact in contacts:
        if contact.customer:
            by_customer.setdefault(contact.customer, []).append(contact)
    found = set()
    window = dt.timedelta(days=days)
    for mine in by_customer.values():
        mine.sort(key=lambda c: (c.created_at, c.id))
        for i, first in enumerate(mine):
            for later in mine[i + 1:]:
                if later.created_at - first.created_at > window:
                    break
                if _same_product(first, later):
                    found.add(first.id)
                    break
    return found


def _same_product(a, b):
    if a.families and b.families:
        return bool(set(a.families) & set(b.families))
    return not a.families and not b.families and a.topic == b.topic


def outcome_of(followup, repeated):
    """One outcome per contact: the follow-up call's "not fixed" first, then a repeat contact, then "fixed"."""
    if followup == "not_fixed":
        return "not_fixed"
    if repeated:
        return "repeat"
    return "fixed" if followup == "fixed" else "unknown"


def rewrite_first(used, min_outcomes=3, limit=15):
    """Articles whose use is most often followed by a repeat contact or a "not fixed" follow-up.

    ``used`` is ``[(article_id, outcome)]``, one per contact that used the article; articles with fewer than
    ``min_outcomes`` known outcomes are left out (two calls say little).
    """
    table = {}
    for article, outcome in used:
        row = table.setdefault(article, {"article_id": article, "contacts": 0, **{o: 0 for o in OUTCOMES}})
        row["contacts"] += 1
        row[outcome] += 1
    rows = []
    for row in table.values():
        known = row["fixed"] + row["not_fixed"] + row["repeat"]
        if known >= min_outcomes:
            row["failure_share"] = round((row["not_fixed"] + row["repeat"]) / known, 3)
            rows.append(row)
    rows.sort(key=lambda r: (-r["failure_share"], -(r["not_fixed"] + r["repeat"]), r["article_id"]))
    return [r for r in rows if r["failure_share"] > 0][:limit]
