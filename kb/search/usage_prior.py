"""Ranking that learns from use: a bounded, explainable per-article boost from what consultants used, what callers
said on the follow-up call and who called again, corrected for position bias.

For an article in a context (a normalized query, a product family, or everything), with every event weighted by
``0.5 ** (age / half_life)``:

- ``positive``: signals that it helped (used in a reply, helpful, fixed on the follow-up call, guide resolved);
- ``expected``: the positive weight an average article earns at the positions where this one was shown (an
  article shown first is used more because it is first: that is expected, not earned);
- ``negative``: signals that it did not (not helpful, flagged, not fixed on the follow-up call, a repeat contact).

``ratio = (positive + prior * parent) / (expected + negative + prior)``, where ``parent`` is the same ratio one
level up (query within its family -> family -> everything -> 1) over the events the narrower level does not hold,
so a few clicks do not dominate and an unseen query borrows from its family. The boost is ``weight * ln(ratio)``,
at most ``cap`` either way; an article with almost no exposure (once others have some) gets a small exploration
bonus instead of nothing, so new articles still get shown.

>>> stats = aggregate([Impression(0.0, "5c", None, ("a", "b"))] * 20,
...                   [Signal(0.0, "5c", None, "b", "used", 2)] * 15, now=0.0)
>>> round(stats.boost("b", "5c", None)[0], 3) > 0 > round(stats.boost("a", "5c", None)[0], 3)
True
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field

from kb.index.analysis import EN_STOP, PL_STOP, english_stem, plain_words

# What each signal is worth (positive) or costs (negative). A follow-up call's answer and a repeat contact are the
# strongest: they say whether the problem was solved, not only whether the article looked right.
SIGNALS = {"used": 1.0, "copied": 0.5, "helpful": 1.0, "draft_used": 1.0, "guide_resolved": 1.5, "fixed": 2.0,
           "not_helpful": -1.0, "flag": -3.0, "not_fixed": -2.0, "repeat": -2.0, "guide_escalated": -0.5}
POSITIONS = 10
DAY = 86400.0


@dataclass(frozen=True)
class UsageConfig:
    """Constants of the feature, chosen with ``python -m kb usage-eval`` on a generated history (see README)."""

    weight: float = 0.05
    cap: float = 0.08
    prior: float = 4.0
    half_life_days: float = 30.0
    explore: float = 0.01
    explore_below: float = 1.0  # expected positive weight under which an article counts as new
    explore_after: float = 100.0  # result lists shown before anything counts as new (at first, all are)
    eta: float = 1.0  # examination falls as 1 / position ** eta (the simulated consultant of usage-eval reads 0.8)
    position_correction: bool = True


@dataclass(frozen=True)
class Impression:
    """A result list shown: when (epoch seconds), the context, and the article ids in rank order."""

    when: float
    query: str
    family: object
    results: tuple


@dataclass(frozen=True)
class Signal:
    """Something that said an article helped or not; ``position`` is where it was shown (None: unknown)."""

    when: float
    query: str
    family: object
    article: str
    kind: str
    position: int = None


@dataclass
class Cell:
    """Decayed weights of one article in one context."""

    expected: float = 0.0
    positive: float = 0.0
    negative: float = 0.0
    shown: float = 0.0


def query_key(text):
    """A normalized query: stemmed words without stop words, sorted, so word order and endings do not matter.

    >>> query_key("Washer not draining, shows 5C"), query_key("5c drains washer")
    ('5c drain not show washer', '5c drain washer')
    """
    words = {english_stem(w) for w in plain_words(text or "") if w not in EN_STOP and w not in PL_STOP}
    return " ".join(sorted(words)[:16])


def family_of(catalog, text, product=None):
    """The product family of a query: the given product's, else the first one detected in the text, else None."""
    if product:
        found = catalog.product(product)
        if found is not None:
            return found.family
    for detection in catalog.detect(text or ""):
        return detection.family.code
    return None


def decay(age_seconds, half_life_days):
    """Weight of an event ``age_seconds`` old."""
    return 0.5 ** (max(0.0, age_seconds) / (half_life_days * DAY))


def position_rates(impressions, signals, now, config=UsageConfig()):
    """Positive weight an average article earns per showing at each position (index 0 is the first): the overall
    rate of these logs spread over positions as examination falls, ``1 / position ** eta``.

    The shape is fixed rather than fitted per position: one query's logs cannot tell the position's effect from
    its articles' (an article only ever shown second would make "second" look good), so the logs only set the scale.
    """
    exam = [1.0 / (p + 1) ** config.eta if config.position_correction else 1.0 for p in range(POSITIONS)]
    examined = earned = 0.0
    for imp in impressions:
        w = decay(now - imp.when, config.half_life_days)
        examined += w * sum(exam[:min(len(imp.results), POSITIONS)])
    for sig in signals:
        if SIGNALS.get(sig.kind, 0) > 0:
            earned += SIGNALS[sig.kind] * decay(now - sig.when, config.half_life_days)
    scale = earned / examined if examined else 0.0
    return [scale * e for e in exam]


@dataclass
class UsageStats:
    """Cells by context: ``("q", key, family)``, ``("f", family)``, ``("*",)``; answers boosts and explains them.

    ``articles`` are the ids that may be boosted (those never shown get the exploration bonus); boosts per family
    are computed once and kept, so a query only adds the few articles its own key has cells for.
    """

    config: UsageConfig = field(default_factory=UsageConfig)
    cells: dict = field(default_factory=lambda: defaultdict(dict))
    rates: list = field(default_factory=list)
    articles: frozenset = frozenset()
    shown: float = 0.0
    _by_family: dict = field(default_factory=dict, repr=False)

    def cell(self, level, article):
        """The cell of an article in a context (empty when never seen)."""
        return self.cells.get(level, {}).get(article) or Cell()

    def boost(self, article, query, family):
        """``(boost, explanation)`` of one article for a query key and family.

        Each level counts only the events its narrower level does not hold (every event is in all the levels of
        its context), so the same uses are never counted twice on the way down.
        """
        levels = _levels(query, family)
        cells = [self.cell(level, article) for level in levels]
        ratio, used, prior = 1.0, levels[0], self.config.prior
        for i, cell in enumerate(cells):
            inner = cells[i + 1] if i + 1 < len(cells) else Cell()
            positive = max(0.0, cell.positive - inner.positive)
            against = max(0.0, cell.expected - inner.expected) + max(0.0, cell.negative - inner.negative)
            ratio = (positive + prior * ratio) / (against + prior)
            if cell.shown or cell.positive or cell.negative:
                used = levels[i]
        c = self.config
        value = max(-c.cap, min(c.cap, c.weight * math.log(ratio)))
        base = self.cell(("*",), article)
        explore = 0.0
        if c.explore and self.shown >= c.explore_after:
            explore = c.explore * max(0.0, 1.0 - base.expected / c.explore_below)
        total = max(-c.cap, min(c.cap, value + explore))
        cell = self.cell(used, article)
        return total, {"boost": round(total, 4), "ratio": round(ratio, 3), "level": _level_name(used),
                       "positive": round(cell.positive, 2), "expected": round(cell.expected, 2),
                       "negative": round(cell.negative, 2), "explore": round(explore, 4)}

    def warm(self):
        """Compute the boosts of every family seen (and of none) now, so that no query pays for it later."""
        for family in [None] + sorted(level[1] for level in self.cells if level[0] == "f"):
            self.boosts(None, family)
        return self

    def boosts(self, query, family):
        """``{article: boost}`` for a query key and family (zero boosts left out); the articles no event names
        share one boost (the exploration bonus, or none), the mapping's ``default``, instead of an entry each (at
        100x, a boost for each of 46,500 articles took half a second per new family)."""
        if family not in self._by_family:
            if len(self._by_family) > 1000:
                self._by_family.clear()
            unseen = self.boost(None, None, family)[0]  # no cell names it at any level
            known = set(self.cells.get(("*",), {})) | set(self.cells.get(("f", family), {}))
            self._by_family[family] = ({a: v for a in known if (v := self.boost(a, None, family)[0]) != unseen},
                                       unseen)
        family_boosts, unseen = self._by_family[family]
        out = Boosts(family_boosts, default=unseen, articles=self.articles)
        for article in self.cells.get(("q", query, family), {}) if query else ():
            value = self.boost(article, query, family)[0]
            if value or out.default:  # a seen article's zero is kept when unseen ones get a bonus
                out[article] = value
            else:
                out.pop(article, None)
        return out


class Boosts(dict):
    """Boosts by article id; an article without an entry that may be boosted (in ``articles``) gets ``default``."""

    def __init__(self, entries=(), default=0.0, articles=frozenset()):
        super().__init__(entries)
        self.default, self.articles = default, articles

    def __missing__(self, article):
        if self.default and article in self.articles:
            return self.default
        raise KeyError(article)

    def get(self, article, fallback=None):
        """The article's boost (``default`` for one without an entry), else ``fallback``."""
        try:
            return self[article]
        except KeyError:
            return fallback

    def __bool__(self):
        return bool(len(self)) or bool(self.default and self.articles)


def _level_name(level):
    if level[0] == "*":
        return "all queries"
    return f"family {level[1]}" if level[0] == "f" else f"query '{level[1]}'"


def aggregate(impressions, signals, now, config=UsageConfig(), articles=()):
    """Sum impressions and signals into decayed cells per context (query key, family, everything); ``articles``
    are the ids that may be boosted even if never shown (exploration)."""
    stats = UsageStats(config=config, articles=frozenset(articles))
    rates = position_rates(impressions, signals, now, config)
    stats.rates = rates
    for imp in impressions:
        w = decay(now - imp.when, config.half_life_days)
        stats.shown += w
        for p, article in enumerate(imp.results[:POSITIONS]):
            expected = w * rates[p]
            for level in _levels(imp.query, imp.family):
                cell = stats.cells[level].setdefault(article, Cell())
                cell.expected += expected
                cell.shown += w
    for sig in signals:
        value = SIGNALS.get(sig.kind, 0.0) * decay(now - sig.when, config.half_life_days)
        for level in _levels(sig.query, sig.family):
            cell = stats.cells[level].setdefault(sig.article, Cell())
            if value > 0:
                cell.positive += value
            else:
                cell.negative -= value
    return stats


def _levels(query, family):
    """Everything, the family, the query within the family: each event counts in all the levels of its context."""
    return [("*",)] + ([("f", family)] if family else []) + ([("q", query, family)] if query else [])
