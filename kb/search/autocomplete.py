"""Autocomplete for the search box: article titles and products (codes and names) by prefix.

Word prefixes are precomputed into lists of titles already in display order (shortest title first), so a
suggestion reads the first few entries of one list, or walks the shortest list checking the others by bisection;
it never sorts every match (at 10x a two-letter prefix matched thousands of titles, sorted on every keystroke).
"""

import bisect

from kb.catalog import normalize_code
from kb.index.analysis import plain_words

MAX_PREFIX = 12


def _prefix_index(items):
    index = {}
    for key, text in items:
        for word in plain_words(text):
            for end in range(1, min(len(word), MAX_PREFIX) + 1):
                index.setdefault(word[:end], set()).add(key)
    return index


def _ranked_index(items):
    """Prefix -> tuple of ranks (positions in ``items``), ascending."""
    index = {}
    for rank, (_key, text) in enumerate(items):
        for word in set(plain_words(text)):
            for end in range(1, min(len(word), MAX_PREFIX) + 1):
                index.setdefault(word[:end], []).append(rank)
    return {prefix: tuple(sorted(set(ranks))) for prefix, ranks in index.items()}


def _first_common(lists, limit, skip=None):
    """The smallest ``limit`` values present in every sorted tuple (and not in ``skip``)."""
    lists = sorted(lists, key=len)
    out = []
    for value in lists[0]:
        if (skip is None or value not in skip) and all(_holds(other, value) for other in lists[1:]):
            out.append(value)
            if len(out) >= limit:
                break
    return out


def _holds(ranks, value):
    i = bisect.bisect_left(ranks, value)
    return i < len(ranks) and ranks[i] == value


class _Titles:
    """Published titles in display order with their prefix lists; ``skip`` holds ranks of replaced articles."""

    def __init__(self, records):
        self.order = sorted(records, key=lambda a: (len(records[a]["title"]), a))
        self.index = _ranked_index([(a, records[a]["title"]) for a in self.order])
        self.skip, self._ranks = None, None

    def without(self, ids):
        """The same lists with the given articles left out (they are answered by a delta's titles)."""
        if self._ranks is None:  # once per full version, shared by every delta over it
            self._ranks = {a: r for r, a in enumerate(self.order)}
        other = _Titles.__new__(_Titles)
        other.order, other.index, other._ranks = self.order, self.index, self._ranks
        other.skip = {self._ranks[a] for a in ids if a in self._ranks} or None
        return other

    def first(self, words, limit):
        """The first ``limit`` article ids whose title has a word starting with each typed word."""
        lists = [self.index.get(w[:MAX_PREFIX], ()) for w in words]
        return [self.order[r] for r in _first_common(lists, limit, self.skip)]


def _published(articles):
    return {a: r for a, r in articles.items() if r["status"] == "published"}


class Autocomplete:
    """Suggestions from one index version (published articles only). Over a delta version the full version's
    title lists are reused (``previous``: the autocomplete of a version over the same full version) and only the
    delta's titles are indexed, so a publish costs what changed."""

    def __init__(self, version, previous=None):
        self.articles = version.articles  # only published ones are ever suggested (the title lists hold no other)
        self.products = version.catalog.products
        self.full_name = version.full.name
        if version.full is version:
            self._base, self._delta = _Titles(_published(self.articles)), None
        else:
            replaced = version.manifest.get("replaced", [])
            if previous is not None and previous.full_name == self.full_name:
                base = previous._base
            else:
                base = _Titles(_published(version.full.articles))
            self._base = base.without(replaced) if replaced else base
            self._delta = _Titles(_published({a: self.articles[a] for a in replaced if a in self.articles}))
        if previous is not None and previous.products is self.products:  # a delta shares its full version's catalog
            self._names, self._codes = previous._names, previous._codes
        else:
            self._names = _prefix_index((p.code, f"{p.name} {' '.join(p.aliases)}") for p in self.products.values())
            self._codes = sorted((normalize_code(p.code), p.code) for p in self.products.values())

    def _titles(self, words, limit):
        found = self._base.first(words, limit)
        if self._delta is not None:
            found = sorted(found + self._delta.first(words, limit),
                           key=lambda a: (len(self.articles[a]["title"]), a))[:limit]
        return found

    def _match(self, index, words):
        sets = [index.get(w[:MAX_PREFIX], set()) for w in words]
        return set.intersection(*sets) if sets else set()

    def suggest(self, text, limit=8):
        """Up to ``limit`` suggestions: products first when the text looks like a code, else titles first."""
        words = plain_words(text)
        if not words:
            return []
        norm = normalize_code(text)
        codes = []
        if len(norm) >= 2 and any(ch.isdigit() for ch in norm) or len(norm) >= 3 and norm[:2].isalpha() and len(words) == 1:
            i = bisect.bisect_left(self._codes, (norm,))
            while i < len(self._codes) and self._codes[i][0].startswith(norm) and len(codes) < limit:
                codes.append(self._codes[i][1])
                i += 1
        titles = self._titles(words, limit)
        names = sorted(self._match(self._names, words) - set(codes), key=lambda c: (self.products[c].name, c))
        products = [self._product(c) for c in codes + names]
        articles = [{"kind": "article", "id": a, "text": self.articles[a]["title"], "type": self.articles[a]["type"]}
                    for a in titles]
        ordered = products + articles if codes else articles + products
        return ordered[:limit]

    def _product(self, code):
        p = self.products[code]
        return {"kind": "product", "code": p.code, "text": f"{p.code} — {p.name}", "category": p.category}
