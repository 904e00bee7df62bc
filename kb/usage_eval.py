"""Offline evaluation of the usage feature on a generated contact history, split by time.

The history is generated with a fixed seed over a content folder's index: each contact has a need (an article,
drawn with a long-tailed popularity), a short query a caller would type (tags, title words, the product family),
the ranking the engine showed without the feature, a consultant who reads from the top (and less and less further
down: position bias) and uses the needed article or, sometimes, a look-alike; then the follow-up call's answer, a
repeat contact when it was not fixed, and some helpful / not helpful votes. The feature learns from the first
weeks; mrr@10 is measured on the contacts of the last weeks, and on the labelled and blind query sets (where the
history knows no query: it must not hurt them), with and without the feature.

>>> rows = evaluate_usage(engine, {"labelled": queries})          # doctest: +SKIP
"""

import random
from collections import defaultdict
from dataclasses import dataclass, replace

from kb.assist.assistant import Assistant, AssistRequest
from kb.evaluation import mrr_at
from kb.index.analysis import EN_STOP, PL_STOP, plain_words
from kb.search.usage_prior import DAY, Impression, Signal, UsageConfig, aggregate, family_of, query_key

WEEK = 7 * DAY
TYPES = ("troubleshooting", "faq")


@dataclass(frozen=True)
class Behaviour:
    """How the simulated help desk behaves (the assumptions of the history, stated once)."""

    weeks: int = 8
    test_weeks: int = 2
    per_week: int = 450
    zipf: float = 1.0  # popularity of needs: the n-th most common need is 1/n as frequent as the first
    examine: float = 0.8  # a consultant reads position p with probability 1 / p ** examine
    use_needed: float = 0.9  # ... and uses the needed article when reading it
    use_lookalike: float = 0.15  # ... or a look-alike (same family or category) by mistake
    followup_share: float = 0.6  # contacts that get a follow-up call
    repeat_if_unfixed: float = 0.5  # customers who contact again within 7 days when it was not fixed
    vote_share: float = 0.25  # uses followed by a helpful / not helpful vote


def _variants(record, rng, count=5):
    """Short queries a caller might type for an article: title words, tags, the product family."""
    stop = EN_STOP | PL_STOP
    words = [w for w in plain_words(record["title"]) if w not in stop and len(w) > 2]
    tags = [t for t in record["tags"] if t]
    families = [f.lower() for f in record["families"]]
    makers = [lambda: rng.sample(words, min(len(words), rng.choice((2, 3))))]
    if tags:
        makers += [lambda: [rng.choice(tags)], lambda: [rng.choice(tags), rng.choice(words or tags)]]
        if len(tags) > 1:
            makers.append(lambda: rng.sample(tags, 2))
        if families:
            makers.append(lambda: [rng.choice(families), rng.choice(tags)])
    out = []
    for _ in range(40):
        query = " ".join(rng.choice(makers)()).strip()
        if query and query not in out:
            out.append(query)
        if len(out) == count:
            break
    return out


class History:
    """A generated contact history over ``weeks``: the same contacts (time, need, query) for every run of it, and
    for each run the result lists shown and the signals they drew.

    The world changes: some needs swap popularity every week, and a few articles are only published in week 3
    (with the need they answer), so old evidence goes stale and new articles start with no history. A run with a ``config`` learns online, as a server does: each
    week is shown with the boosts learned from everything known when the week began (the feedback loop where an
    article shown first is used more because it is first).
    """

    def __init__(self, engine, behaviour=Behaviour(), seed=17):
        self.engine, self.behaviour, self.seed = engine, behaviour, seed
        rng = random.Random(seed)
        articles = engine.version.articles
        needs = sorted(a for a, r in articles.items() if r["status"] == "published" and r["type"] in TYPES)
        rng.shuffle(needs)
        self.queries = {a: q for a in needs if (q := _variants(articles[a], rng))}
        self.needs = [a for a in needs if a in self.queries]
        self.quality = {a: rng.uniform(0.55, 0.95) for a in self.needs}  # share of uses followed by "fixed"
        self.split = behaviour.weeks - behaviour.test_weeks
        self.late = set(rng.sample(self.needs[:60], 6))  # popular needs whose article is published in week 3
        self.stream = self._stream(rng)
        self._rankings = {}

    def _stream(self, rng):
        b = self.behaviour
        weights = [1.0 / (i + 1) ** b.zipf for i in range(len(self.needs))]
        stream = []
        for week in range(b.weeks):
            for _ in range(len(weights) // 10):  # drift: a tenth of the needs swap popularity each week
                i, j = rng.randrange(len(weights)), rng.randrange(len(weights))
                weights[i], weights[j] = weights[j], weights[i]
            live = [0.0 if (week < 3 and a in self.late) else w for a, w in zip(self.needs, weights)]
            for when in sorted(week * WEEK + rng.random() * WEEK for _ in range(b.per_week)):
                need = rng.choices(self.needs, live)[0]
                stream.append((when, need, rng.choice(self.queries[need])))
        return stream

    @property
    def test(self):
        """The contacts of the last weeks, as labelled queries."""
        return [{"query": q, "relevant": [need]} for when, need, q in self.stream if when >= self.split * WEEK]

    def ranking(self, query, stats=None, week=None):
        """The engine's top ten for a query, with the boosts of ``stats`` (cached per week), without the articles
        not published yet in that week."""
        key = (query, week if stats is not None else None, week is not None and week < 3)
        if key not in self._rankings:
            boosts = Learned(stats, self.engine.catalog).boosts(query) if stats is not None else None
            hits = self.engine.search(query, limit=10 + len(self.late), boosts=boosts).hits
            hidden = self.late if week is not None and week < 3 else ()
            self._rankings[key] = tuple(h.article_id for h in hits if h.article_id not in hidden)[:10]
        return self._rankings[key]

    def run(self, config=None):
        """Simulate the training weeks; return ``(impressions, signals)`` (online learning when ``config``)."""
        rng = random.Random(self.seed + 1)
        impressions, signals, pending, stats = [], [], [], None
        contacts = [(w, n, q) for w, n, q in self.stream if w < self.split * WEEK]
        for week in range(self.split):
            if config is not None and week:
                stats = learn(self.engine, impressions, signals, week * WEEK, config)
            mine = [c for c in contacts if week * WEEK <= c[0] < (week + 1) * WEEK]
            mine += [(w, n, rng.choice(self.queries[n])) for w, n in pending if w < (week + 1) * WEEK]
            pending = [(w, n) for w, n in pending if w >= (week + 1) * WEEK]
            for when, need, query in sorted(mine):
                pending += self._contact(rng, when, need, query, self.ranking(query, stats, week), impressions, signals)
        return impressions, signals

    def _contact(self, rng, when, need, query, shown, impressions, signals):
        b = self.behaviour
        key, family = query_key(query), family_of(self.engine.catalog, query)
        impressions.append(Impression(when, key, family, shown))
        used, position = self._consultant(rng, need, shown)
        if used is None:
            return []
        signals.append(Signal(when, key, family, used, "used", position))
        right = used == need
        if rng.random() < b.vote_share:
            signals.append(Signal(when, key, family, used, "helpful" if right else "not_helpful", position))
        fixed = rng.random() < (self.quality[need] if right else 0.2)
        if rng.random() < b.followup_share:
            later = when + rng.uniform(2, 3) * DAY
            signals.append(Signal(later, key, family, used, "fixed" if fixed else "not_fixed", position))
        if not fixed and rng.random() < b.repeat_if_unfixed:
            again = when + rng.uniform(1, 7) * DAY
            signals.append(Signal(again, key, family, used, "repeat", position))
            return [(again, need)]
        return []

    def _consultant(self, rng, need, shown):
        articles = self.engine.version.articles
        wanted = articles[need]
        for position, article in enumerate(shown, 1):
            if rng.random() >= 1.0 / position ** self.behaviour.examine:
                continue
            if article == need:
                if rng.random() < self.behaviour.use_needed:
                    return article, position
                continue
            other = articles[article]
            lookalike = set(other["families"]) & set(wanted["families"]) or set(other["categories"]) & set(
                wanted["categories"])
            if lookalike and rng.random() < self.behaviour.use_lookalike:
                return article, position
        return None, None


def learn(engine, impressions, signals, now, config):
    """The feature as of ``now``: only what was known by then (a follow-up call answered later is not)."""
    known = [s for s in signals if s.when < now]
    return aggregate([i for i in impressions if i.when < now], known, now, config, engine.version.articles)


class Learned:
    """The learned numbers as the assistant asks for them (what ``services.learning`` does when serving)."""

    def __init__(self, stats, catalog):
        self.stats, self.catalog = stats, catalog

    def boosts(self, query, product=None):
        """Boosts for a query, as served."""
        return self.stats.boosts(query_key(query), family_of(self.catalog, query, product)) or None


def ranking(engine, item, stats=None):
    """Article ids for a labelled query: a search, or for an e-mail the assist panel's answers (as served)."""
    learned = Learned(stats, engine.catalog) if stats is not None else None
    if item.get("kind") == "email" or len(item["query"]) > engine.settings.max_query_length:
        assistant = Assistant(engine, answers=10, usage=learned)
        return [a["article_id"] for a in assistant.assist(AssistRequest(body=item["query"], channel="email")).answers]
    boosts = learned.boosts(item["query"]) if learned else None
    return [h.article_id for h in engine.search(item["query"], limit=10, boosts=boosts).hits]


def mrr(engine, queries, stats=None):
    """Mean mrr@10 of labelled queries, with the feature's boosts when ``stats`` is given."""
    total = sum(mrr_at(ranking(engine, item, stats), set(item["relevant"])) for item in queries)
    return total / len(queries) if queries else 0.0


VARIANTS = {
    "feature": {},
    "no position correction": {"position_correction": False},
    "no prior": {"prior": 0.05},
    "no decay": {"half_life_days": 1e6},
    "no exploration": {"explore": 0.0},
}


def evaluate_usage(engine, sets, config=UsageConfig(), behaviour=Behaviour(), seed=17, variants=("feature",)):
    """mrr@10 without and with the feature (and its variants), on the history's last weeks and each named set.

    Each variant learns online over the same contacts; "without" is the engine alone.
    """
    history = History(engine, behaviour, seed)
    learned, counts, impressions = {}, defaultdict(int), 0
    for name in variants:
        variant = replace(config, **VARIANTS[name])
        shown, signals = history.run(variant)
        learned[name] = learn(engine, shown, signals, history.split * WEEK, variant)
        if name == variants[0]:
            impressions = len(shown)
            for signal in signals:
                counts[signal.kind] += 1
    rows = []
    for name, queries in {"history (last weeks)": history.test, **sets}.items():
        row = {"set": name, "n": len(queries), "without": round(mrr(engine, queries), 4)}
        for variant, stats in learned.items():
            row[variant] = round(mrr(engine, queries, stats), 4)
        rows.append(row)
    return {"rows": rows, "impressions": impressions, "signals": dict(counts), "train_weeks": history.split,
            "test_weeks": behaviour.test_weeks}


def format_table(report):
    """The evaluation as a Markdown table."""
    variants = [k for k in report["rows"][0] if k not in ("set", "n", "without")]
    lines = ["| set | n | mrr@10 without | " + " | ".join(f"with {v}" for v in variants) + " |",
             "| --- | ---: | ---: | " + " | ".join("---:" for _ in variants) + " |"]
    for row in report["rows"]:
        cells = [f"{row[v]:.4f} ({row[v] - row['without']:+.4f})" for v in variants]
        lines.append(f"| {row['set']} | {row['n']} | {row['without']:.4f} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
