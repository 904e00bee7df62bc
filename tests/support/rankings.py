"""What an engine answers to a set of queries in every mode, with and without filters: two engines that must
rank alike (a chain of index updates and a full rebuild of the same content) are compared through it."""

QUERIES = ["washing machine not draining", "pralka nie odpompowuje wody", "tv no sound", "brak dźwięku",
           "battery drain", "warranty", "door locked", "quokka remote", "zanzibar cache", "wifi drops", "4C",
           "wasing machine", "batery drian", "zanzibr", "telewizr"]  # typos: the layered spelling vocabulary


def results(engine):
    """Hits (article, section, score, translation) per query, mode and filter, and autocomplete."""
    out = {}
    for query in QUERIES:
        for mode in ("hybrid", "lexical", "semantic"):
            for filters in ({}, {"lang": "pl"}, {"category": "tv"}):
                hits = engine.search(query, mode=mode, **filters).hits
                # the section of a hit with next to no evidence is one of several chunks tied at cosine 0 (the
                # hash embedder), which FAISS returns in no set order in a full version either
                out[(query, mode, tuple(filters))] = [(h.article_id, h.section if h.score >= 0.1 else None,
                                                       round(h.score, 6), h.translation) for h in hits]
        out[("autocomplete", query[:3])] = engine.autocomplete(query[:3])
    return out
