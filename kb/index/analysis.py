"""Whoosh analysis pipelines: English (stemming + synonyms), Polish (lemmas + synonyms), words for spelling.

Analyzers are pickled into the Whoosh index, so filters keep only plain data; the Polish lemmatizer's
dictionary loads on first use, not at import.

>>> [t.text for t in english_analyzer()("Washing machines leaking")]
['wash', 'machin', 'leak']
"""

import functools
import re

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.lang.porter import stem as porter_stem

# Letters (any script) and digits, so model codes (ww90t554daw), error codes (4c) and Polish words stay whole.
WORD_PATTERN = r"[^\W_]+(?:['’][^\W_]+)?"
EN_STOP = frozenset("""a an and are as at be but by for from has have i if in into is it its me my of on or our so
that the their then there these they this to was we were what when where which who will with you your can could do
does did please hi hello thanks thank am been get got just im ive dont""".split())
PL_STOP = frozenset("""a aby ale bo by być czy dla do i ich im ja jak jest jestem jego jej już lub ma mam mi mnie
mój moja moje na nad nie niż o od po pod przez przy się są ta tak także te ten to tu tym u w we z za ze że
proszę dzień dobry witam pozdrawiam""".split())
WORD_RE = re.compile(WORD_PATTERN)


@functools.lru_cache(maxsize=200_000)
def polish_lemma(word):
    """Lemma of a Polish word (simplemma); the word itself when it is unknown or a code."""
    if any(ch.isdigit() for ch in word):
        return word
    import simplemma  # the Polish dictionary is large: load it when the first Polish word is seen

    return simplemma.lemmatize(word, lang="pl").lower()


@functools.lru_cache(maxsize=200_000)
def english_stem(word):
    """Porter stem of an English word; codes with digits are kept whole."""
    return word if any(ch.isdigit() for ch in word) else porter_stem(word)


class SynonymFilter(Filter):
    """Adds the synonyms of single words and two-word phrases at the same position (index time)."""

    def __init__(self, synonyms=None):
        self.synonyms = {k: list(v) for k, v in (synonyms or {}).items()}

    def __eq__(self, other):
        return isinstance(other, SynonymFilter) and self.synonyms == other.synonyms

    def __call__(self, tokens):
        prev = None
        for token in tokens:
            text = token.text
            options = list(self.synonyms.get(text, ()))
            if prev is not None:
                options += self.synonyms.get(prev + " " + text, ())
            yield token
            prev = text
            if options and not token.stopped:
                pos, original, seen = token.pos, token.text, {text}
                for option in options:
                    for word in option.split():
                        if word not in seen:
                            seen.add(word)
                            token.text = word
                            yield token
                token.text, token.pos = original, pos


class LemmaFilter(Filter):
    """Replaces each token by its stem or lemma, using a named function (``english_stem``/``polish_lemma``)."""

    def __init__(self, lang="en"):
        self.lang = lang

    def __eq__(self, other):
        return isinstance(other, LemmaFilter) and self.lang == other.lang

    def __call__(self, tokens):
        reduce = polish_lemma if self.lang == "pl" else english_stem
        for token in tokens:
            token.text = reduce(token.text)
            yield token


def english_analyzer(synonyms=None):
    """Tokenize, lowercase, drop stop words, add synonyms, stem (Porter)."""
    chain = RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | StopFilter(stoplist=EN_STOP, minsize=1)
    if synonyms:
        chain = chain | SynonymFilter(synonyms)
    return chain | LemmaFilter("en")


def polish_analyzer(synonyms=None):
    """Tokenize, lowercase, drop Polish stop words, add synonyms, lemmatize (simplemma)."""
    chain = RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | StopFilter(stoplist=PL_STOP, minsize=1)
    if synonyms:
        chain = chain | SynonymFilter(synonyms)
    return chain | LemmaFilter("pl")


def plain_words(text):
    """Lowercase words of a text, unstemmed (for spelling correction and query condensing)."""
    return [w.lower() for w in WORD_RE.findall(text)]
