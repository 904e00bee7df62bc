"""Snippets: the window of a chunk's text with the most query words, those words wrapped in ``<mark>``.

>>> html, text = make_snippet("Open the tap fully. Then restart the washer.", {"restart"}, "en", width=5)
>>> html
'… tap fully. Then <mark>restart</mark> the …'
"""

import bisect
import html as htmlmod

from kb.index.analysis import WORD_RE, english_stem, polish_lemma


def _reduce(word, lang):
    word = word.lower()
    return polish_lemma(word) if lang == "pl" else english_stem(word)


def query_keys(words, lang):
    """The reduced forms of the query words that mark a match."""
    return {_reduce(w, lang) for w in words} | {w.lower() for w in words}


def make_snippet(text, keys, lang="en", width=32):
    """Return ``(html, plain)`` of the best window of ``width`` words around the query words."""
    tokens = list(WORD_RE.finditer(text))
    if not tokens:
        return htmlmod.escape(text[:200]), text[:200]
    hits = [i for i, m in enumerate(tokens) if m.group().lower() in keys or _reduce(m.group(), lang) in keys]
    start = 0
    if hits:
        best = max(hits, key=lambda i: bisect.bisect_left(hits, i + width) - bisect.bisect_left(hits, i))
        start = max(0, min(best - 3, len(tokens) - width))
    end = min(len(tokens), start + width)
    lo = tokens[start].start()
    # begin at a sentence start when one is close before the window
    sentence = max(text.rfind(". ", 0, lo), text.rfind("\n", 0, lo))
    if sentence != -1 and lo - sentence < 40:
        lo = sentence + 1
    hi = tokens[end - 1].end() if end < len(tokens) else len(text)
    parts, pos = [], lo
    for i in hits:  # only the marked words are cut out; the text between them is escaped in one piece
        m = tokens[i]
        if i < start or i >= end or m.start() < lo:
            continue
        parts.append(htmlmod.escape(text[pos:m.start()]))
        parts.append(f"<mark>{htmlmod.escape(m.group())}</mark>")
        pos = m.end()
    parts.append(htmlmod.escape(text[pos:hi]))
    prefix = "… " if lo > 0 else ""
    suffix = " …" if hi < len(text) else ""
    body = "".join(parts).strip().replace("\n", " ")
    plain = text[lo:hi].strip().replace("\n", " ")
    return prefix + body + suffix, prefix + plain + suffix
