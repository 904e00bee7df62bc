"""Fusion of lexical and semantic scores: pure functions, tested on their own.

>>> rrf({"a": 1, "b": 2}, {"b": 1}, k=60)["b"] > rrf({"a": 1, "b": 2}, {"b": 1}, k=60)["a"]
True
>>> w = FusionWeights()
>>> round(weighted({"a": 10.0}, {"a": 0.8}, w, lang="en")["a"], 3)
1.0
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class FusionWeights:
    """Weights of the fused score, chosen with ``python -m kb eval`` on the labelled queries (see README).

    The semantic model is English-only, so Polish queries lean on the lexical side. Cosine similarities are
    mapped linearly from [sem_floor, sem_ceiling] onto [0, 1]; lexical BM25F scores are divided by the best one.
    """

    lexical_en: float = 0.45
    semantic_en: float = 0.55
    lexical_pl: float = 0.85
    semantic_pl: float = 0.15
    sem_floor: float = 0.15
    sem_ceiling: float = 0.75
    product_exact: float = 0.30
    product_family: float = 0.22
    product_other: float = -0.25
    category_match: float = 0.05


def rank_positions(scores):
    """Map id -> 1-based rank by descending score (ties broken by id for determinism)."""
    ordered = sorted(scores, key=lambda k: (-scores[k], k))
    return {key: i for i, key in enumerate(ordered, 1)}


def rrf(lexical_ranks, semantic_ranks, k=60):
    """Reciprocal rank fusion of two rank maps (id -> 1-based rank)."""
    out = {}
    for ranks in (lexical_ranks, semantic_ranks):
        for key, rank in ranks.items():
            out[key] = out.get(key, 0.0) + 1.0 / (k + rank)
    return out


def normalize_lexical(scores):
    """BM25F scores divided by the best one (the best lexical hit gets 1)."""
    top = max(scores.values(), default=0.0)
    return {k: v / top for k, v in scores.items()} if top > 0 else {k: 0.0 for k in scores}


def calibrate_cosine(cos, floor, ceiling):
    """Cosine similarity mapped linearly onto [0, 1] between floor and ceiling."""
    return min(1.0, max(0.0, (cos - floor) / (ceiling - floor)))


def weighted(lexical, semantic, weights, lang="en", lexical_confidence=1.0):
    """Weighted sum of normalized lexical scores and calibrated cosines, per query language.

    ``lexical_confidence`` (0..1, the share of query words the lexical side matched) moves weight from a lexical
    side that matched little of the query to the semantic side.
    """
    wl = weights.lexical_pl if lang == "pl" else weights.lexical_en
    ws = weights.semantic_pl if lang == "pl" else weights.semantic_en
    wl, ws = wl * lexical_confidence, ws + wl * (1 - lexical_confidence)
    lex = normalize_lexical(lexical)
    out = {}
    for key in set(lex) | set(semantic):
        sem = calibrate_cosine(semantic[key], weights.sem_floor, weights.sem_ceiling) if key in semantic else 0.0
        out[key] = (wl * lex.get(key, 0.0) + ws * sem) / (wl + ws)
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
