"""Is this a word of English or Polish? The general word lists of ``wordfreq`` answer, so that spelling correction
only touches words that are not words at all ("wasing"), never real words the knowledge base happens not to use
("crossed", "producing", "fond").

>>> is_dictionary_word("crossed"), is_dictionary_word("pralka"), is_dictionary_word("wasing")
(True, True, False)
"""

from functools import lru_cache

LANGUAGES = ("en", "pl")
MIN_ZIPF = 1.0  # below one occurrence per hundred million words: noise in the lists, not a word to protect


@lru_cache(maxsize=65536)
def is_dictionary_word(word):
    """True when ``word`` (lower case) is a word of English or Polish."""
    from wordfreq import zipf_frequency  # large lists: loaded on first use, never at import

    return any(zipf_frequency(word, lang, wordlist="best") >= MIN_ZIPF for lang in LANGUAGES)


def warm_up():
    """Load the word lists now (the first lookup of a process otherwise pays for it)."""
    is_dictionary_word("warm")
    is_dictionary_word("ciepło")
