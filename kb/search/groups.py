"""Translation groups in a result list: one result per group, in the consultant's language when that translation
exists and is not out of date, otherwise the best-scoring version with a mark saying why.

An article and its translations answer the same question; showing both wastes a place in the list and shows the
consultant a language they did not ask for. The group's score is its best member's score.

>>> pick({"a": 0.9, "a-pl": 0.5}, {"a": {"id": "a", "group": "a", "lang": "en"},
...                                "a-pl": {"id": "a-pl", "group": "a", "lang": "pl"}},
...      {"a": {"en": "a", "pl": "a-pl"}}, "pl", lambda record: True)
({'a-pl': 0.9}, {'a-pl': None}, {'a-pl': 'a'})
"""


def pick(scores, articles, groups, prefer_lang, usable):
    """``(scores, marks, origins)`` keyed by the article shown for each group; ``origins`` names the member that
    matched (whose section and explanation the shown article inherits).

    ``marks[article]`` is None when the article is in ``prefer_lang`` (or nothing was preferred), ``"missing"``
    when the group has no version in that language, ``"outdated"`` when that version is out of date.
    ``usable(record)`` says whether a member may be shown (published, passes the filters).
    """
    best = {}
    for art, score in scores.items():
        group = articles[art].get("group", art)
        if group not in best or score > best[group][1] or (score == best[group][1] and art < best[group][0]):
            best[group] = (art, score)
    out, marks, origins = {}, {}, {}
    for group, (art, score) in best.items():
        chosen, mark = _choose(art, groups.get(group, {}), articles, prefer_lang, usable)
        out[chosen], marks[chosen], origins[chosen] = score, mark, art
    return out, marks, origins


def version_in(article_id, articles, groups, lang, usable):
    """``(article id, mark)``: the version of ``article_id`` to give a customer who reads ``lang`` (its translation
    when that exists and is up to date), with the mark of ``pick``.

    >>> arts = {"a": {"id": "a", "group": "a", "lang": "en"},
    ...         "a-pl": {"id": "a-pl", "group": "a", "lang": "pl", "outdated": True}}
    >>> version_in("a", arts, members(arts), "pl", lambda record: True)
    ('a', 'outdated')
    """
    return _choose(article_id, groups.get(articles[article_id].get("group", article_id), {}), articles, lang, usable)


def _choose(art, members, articles, prefer_lang, usable):
    if articles[art].get("outdated"):  # an outdated translation matched: show its source, marked
        source = articles.get(articles[art].get("group"))
        if source is not None and source is not articles[art] and usable(source):
            return source["id"], "outdated"
    if not prefer_lang or articles[art]["lang"] == prefer_lang:
        return art, None
    preferred = members.get(prefer_lang)
    if preferred is None or not usable(articles[preferred]):
        return art, "missing"
    if articles[preferred].get("outdated"):
        return art, "outdated"
    return preferred, None


def members(articles):
    """Group id -> {language: article id} over an index version's article records (of two members in one
    language, the later record)."""
    out = {}
    for art, record in articles.items():
        out.setdefault(record.get("group", art), {})[record["lang"]] = art
    return out


def member_lists(articles):
    """Group id -> every member's id, in the records' order."""
    out = {}
    for art, record in articles.items():
        out.setdefault(record.get("group", art), []).append(art)
    return out


def layered_members(full_groups, full_lists, full_articles, replaced, delta_articles):
    """``members`` of a delta version's records (the full version's less ``replaced``, then the delta's, in that
    order) from the full version's ``members`` and ``member_lists``, at the cost of the groups the delta touches.

    >>> full = {"a": {"lang": "en"}, "a-pl": {"group": "a", "lang": "pl"}, "b": {"lang": "en"}}
    >>> layered_members(members(full), member_lists(full), full, ["a-pl", "c"], {"c": {"group": "a", "lang": "pl"}})
    {'a': {'en': 'a', 'pl': 'c'}, 'b': {'en': 'b'}}
    """
    gone = set(replaced)
    added = {}
    for art, record in delta_articles.items():
        added.setdefault(record.get("group", art), []).append(art)
    touched = {full_articles[a].get("group", a) for a in gone if a in full_articles} | added.keys()
    out = dict(full_groups)
    for group in touched:
        langs = {}
        for art in [a for a in full_lists.get(group, ()) if a not in gone]:
            langs[full_articles[art]["lang"]] = art
        for art in added.get(group, ()):
            langs[delta_articles[art]["lang"]] = art
        if langs:
            out[group] = langs
        else:
            out.pop(group, None)
    return out


def counterpart(chunks_by_article, matched_chunk, article_id):
    """The chunk of ``article_id`` at the same section position as ``matched_chunk`` (translations keep the source's
    sections in order), else its first chunk; None when it has no chunks."""
    rows = chunks_by_article.get(article_id)
    if not rows:
        return None
    if matched_chunk is None:
        return rows[0][0]
    source_rows = chunks_by_article.get(matched_chunk["article_id"], [])
    anchors = list(dict.fromkeys(c["anchor"] for _, c in source_rows))
    position = anchors.index(matched_chunk["anchor"]) if matched_chunk["anchor"] in anchors else 0
    mine = list(dict.fromkeys(c["anchor"] for _, c in rows))
    anchor = mine[min(position, len(mine) - 1)]
    return next(row for row, c in rows if c["anchor"] == anchor)
