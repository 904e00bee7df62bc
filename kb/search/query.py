"""Query analysis: normalization, products and categories, language, spelling correction, condensing.

>>> v = Vocabulary({"washing": 5, "machine": 4, "drain": 3})
>>> v.correct("wasing")
'washing'
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from kb.index.analysis import EN_STOP, PL_STOP, plain_words

PL_CHARS = set("ąćęłńóśźż")
MAX_QUERY_WORDS = 12


@dataclass
class AnalyzedQuery:
    """What the engine understood of a query."""

    text: str
    words: list = field(default_factory=list)
    corrected: dict = field(default_factory=dict)
    products: list = field(default_factory=list)
    families: list = field(default_factory=list)
    categories: list = field(default_factory=list)
    lang: str = "en"
    code_spans: list = field(default_factory=list)

    @property
    def search_text(self):
        """The query text with spelling corrections applied (what the embedding sees)."""
        return " ".join(self.corrected.get(w, w) for w in self.words) if self.words else self.text

    def to_dict(self):
        """Plain dict for the API."""
        return {"text": self.text, "corrected": self.corrected, "products": self.products,
                "families": self.families, "categories": self.categories, "lang": self.lang}


def normalize_query(text):
    """Unicode NFC, collapsed white space, no control characters."""
    text = unicodedata.normalize("NFC", str(text))
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return re.sub(r"\s+", " ", text).strip()


class Vocabulary:
    """Word frequencies of the indexed text, with deletion-neighbourhood spelling correction (distance <= 2)."""

    def __init__(self, counts, max_distance=2):
        self.counts = Counter(counts)
        self.max_distance = max_distance
        self._deletes = {}
        for word in self.counts:
            if len(word) >= 4 and not any(ch.isdigit() for ch in word):
                for variant in self._variants(word):
                    self._deletes.setdefault(variant, []).append(word)

    def _variants(self, word):
        out, frontier = {word}, {word}
        for _ in range(self.max_distance if len(word) > 5 else 1):
            frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
            out |= frontier
        return out

    def __contains__(self, word):
        return word in self.counts

    def correct(self, word):
        """The most frequent known word within the edit distance, or None."""
        if word in self.counts or len(word) < 4 or any(ch.isdigit() for ch in word):
            return None
        best, best_key = None, None
        for variant in self._variants(word):
            for candidate in self._deletes.get(variant, ()):
                dist = _distance(word, candidate)
                limit = 1 if len(word) <= 5 else self.max_distance
                if dist <= limit:
                    key = (dist, -self.counts[candidate], candidate)
                    if best_key is None or key < best_key:
                        best, best_key = candidate, key
        return best


def _distance(a, b):
    """Damerau-Levenshtein (optimal string alignment) distance."""
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def detect_lang(words, pl_vocab=None, en_vocab=None):
    """``pl`` when the words look Polish (diacritics, Polish stop words or Polish-only vocabulary), else ``en``."""
    if any(ch in PL_CHARS for w in words for ch in w):
        return "pl"
    pl_hits = sum(1 for w in words if w in PL_STOP or (pl_vocab and w in pl_vocab and not (en_vocab and w in en_vocab)))
    en_hits = sum(1 for w in words if w in EN_STOP or (en_vocab and w in en_vocab and not (pl_vocab and w in pl_vocab)))
    return "pl" if pl_hits > en_hits else "en"


class QueryAnalyzer:
    """Turns raw text into an AnalyzedQuery using the catalog and the index vocabulary."""

    def __init__(self, catalog, en_vocab, pl_vocab, category_words=None):
        self.catalog = catalog
        self.en_vocab, self.pl_vocab = en_vocab, pl_vocab
        self.category_words = category_words or {}
        self._aliases = {}
        for product in catalog.products.values():
            for alias in product.aliases:
                self._aliases.setdefault(alias.lower(), set()).add(product.family)

    def analyze(self, text, correct=True):
        """Analyze a query: products, language, spelling; at most MAX_QUERY_WORDS words are kept."""
        text = normalize_query(text)
        q = AnalyzedQuery(text=text)
        for det in self.catalog.detect(text):
            q.code_spans.append(det.text)
            if det.product:
                q.products.append(det.product.code)
            if det.family.code not in q.families:
                q.families.append(det.family.code)
        low = " " + text.lower() + " "
        for alias, families in self._aliases.items():
            if f" {alias} " in low:
                q.families.extend(f for f in sorted(families) if f not in q.families)
        code_words = {w for span in q.code_spans for w in plain_words(span)}
        words = [w for w in plain_words(text) if w not in code_words]
        q.words = words[:MAX_QUERY_WORDS]
        q.lang = detect_lang(q.words, self.pl_vocab, self.en_vocab)
        for cat, cat_words in self.category_words.items():
            if any(f" {w} " in low for w in cat_words):
                q.categories.append(cat)
        if correct:
            vocab = self.pl_vocab if q.lang == "pl" else self.en_vocab
            stop = PL_STOP if q.lang == "pl" else EN_STOP
            for word in q.words:
                if word not in stop and word not in vocab and word not in (self.en_vocab if q.lang == "pl" else self.pl_vocab):
                    fix = vocab.correct(word)
                    if fix:
                        q.corrected[word] = fix
        return q
