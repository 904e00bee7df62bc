"""Fusion of lexical and semantic scores: pure functions, tested on their own.

Each side is normalized per query by min-max over its own top candidates, so the fusion does not depend on the
scale of BM25F (which grows with the knowledge base) or of the embedding model's cosines (all-MiniLM-L6-v2 spreads
them over 0.1-0.8, multilingual-e5 packs them into 0.7-0.9): a fixed cosine mapping, as this module had before,
silently turned into "lexical only" when the model changed. The weight of the lexical side then follows signals
of the query itself: short keyword queries lean lexical, long questions and tickets lean semantic, and the lexical
side of a ticket (a bag of condensed words) counts as much as its top list agrees with the semantic one.

>>> round(minmax({"a": 10.0, "b": 5.0, "c": 0.0})["b"], 2)
0.5
>>> lexical_weight(2, FusionWeights()), lexical_weight(30, FusionWeights())
(0.6, 0.5)
>>> round(convex({"a": 10.0, "b": 5.0}, {"b": 0.9, "a": 0.8}, 0.5)["a"], 2)
0.5
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class FusionWeights:
    """The fusion's few constants.

    ``short``, ``long`` and ``long_words`` set the lexical weight by query length (linear between 3 and
    ``long_words`` words); they were chosen on the labelled queries and on pseudo-queries generated from the
    knowledge base (titles, tag keywords, sentences of the body without the title's words), never on the blind
    set, which only tests them (see README: How search works). ``ticket_agreement`` scales a ticket's lexical
    weight by how far its lexical and semantic top lists agree (a ticket's lexical query is a bag of its rarest
    words, so disagreement means noise). ``top`` is how many candidates of each side are normalized.
    """

    short: float = 0.6
    long: float = 0.5
    long_words: int = 14
    ticket_agreement: float = 1.0
    agreement_depth: int = 10
    top: int = 50
    product_exact: float = 0.30
    product_family: float = 0.22
    product_other: float = -0.25
    category_match: float = 0.05


def top_items(scores, n):
    """The ``n`` best items of a score map (ties by id, for determinism)."""
    return dict(sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:n])


def minmax(scores):
    """Scores mapped onto [0, 1] by the best and the worst of them (all 1.0 when they are equal)."""
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    span = high - low
    return {k: (v - low) / span if span > 0 else 1.0 for k, v in scores.items()}


def lexical_weight(words, weights):
    """Weight of the lexical side for a query of ``words`` words: ``short`` up to 3 words, then linear to ``long``."""
    if words <= 3:
        return weights.short
    if words >= weights.long_words:
        return weights.long
    share = (words - 3) / (weights.long_words - 3)
    return weights.short + (weights.long - weights.short) * share


def agreement(lexical, semantic, depth=10):
    """Share of the lexical top ``depth`` that is also in the semantic top ``depth`` (0..1)."""
    lex = set(top_items(lexical, depth))
    sem = set(top_items(semantic, depth))
    return len(lex & sem) / depth if lex and sem else 0.0


def convex(lexical, semantic, lexical_share, top=50):
    """``share * minmax(lexical) + (1 - share) * minmax(semantic)`` over each side's top candidates."""
    lex, sem = minmax(top_items(lexical, top)), minmax(top_items(semantic, top))
    return {k: lexical_share * lex.get(k, 0.0) + (1 - lexical_share) * sem.get(k, 0.0) for k in set(lex) | set(sem)}


def hybrid(lexical, semantic, words, weights, ticket=False):
    """Fused scores and the lexical weight used, for a query of ``words`` words (or a ticket)."""
    share = lexical_weight(words, weights)
    if ticket:
        agreed = agreement(lexical, semantic, weights.agreement_depth)
        share *= 1 - weights.ticket_agreement + weights.ticket_agreement * agreed
    if not lexical:
        share = 0.0
    elif not semantic:
        share = 1.0
    return convex(lexical, semantic, share, weights.top), share


def query_signals(lexical, cosines, lex_result, weights):
    """Per-article signals for the confidence model: normalized lexical score, cosine, whether the article is in
    both top lists, and the share of the query's words it matched. Returns a function of the article id."""
    lex = minmax(top_items(lexical, weights.top))
    both = set(top_items(lexical, weights.agreement_depth)) & set(top_items(cosines, weights.agreement_depth))
    words = lex_result.words if lex_result and lex_result.words else 0
    matched = lex_result.matched if lex_result else {}

    def signals(article):
        return {"lex": round(lex.get(article, 0.0), 4), "cos": round(cosines.get(article, 0.0), 4),
                "both": article in both, "coverage": round(len(matched.get(article, ())) / words, 3) if words else 0.0}

    return signals


def rank_positions(scores):
    """Map id -> 1-based rank by descending score (ties broken by id for determinism)."""
    ordered = sorted(scores, key=lambda k: (-scores[k], k))
    return {key: i for i, key in enumerate(ordered, 1)}


def rrf(lexical_ranks, semantic_ranks, k=60):
    """Reciprocal rank fusion of two rank maps (id -> 1-based rank), kept for comparison in evaluations."""
    out = {}
    for ranks in (lexical_ranks, semantic_ranks):
        for key, rank in ranks.items():
            out[key] = out.get(key, 0.0) + 1.0 / (k + rank)
    return out


def product_adjustment(article_products, article_families, query_products, query_families, weights):
    """Boost for an article about the detected model or family, penalty for one about another family only."""
    if not query_products and not query_families:
        return 0.0, "none"
    if query_products and set(query_products) & set(article_products):
        return weights.product_exact, "exact"
    if set(query_families) & set(article_families):
        return weights.product_family, "family"
    if article_families:
        return weights.product_other, "other"
    return 0.0, "generic"
