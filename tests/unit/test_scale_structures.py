"""The structures that keep a query's cost independent of the knowledge base's size: the spelling neighbourhood
built on demand and shared between versions, and autocomplete lists kept in display order."""

import random
from types import SimpleNamespace

from kb.catalog import Catalog
from kb.index.analysis import plain_words
from kb.search.autocomplete import Autocomplete
from kb.search.query import Vocabulary


def test_neighbourhood_is_built_on_the_first_correction_not_at_open():
    vocab = Vocabulary({"washing": 50, "drain": 3})
    assert vocab._shared is None
    assert vocab.correct("wasing") == "washing"
    assert "washing" in vocab._shared["words"]


def test_a_following_vocabulary_shares_the_neighbourhood_and_sees_only_its_own_words():
    first = Vocabulary({"washing": 50, "filter": 9})
    first.warm()
    second = first.follow({"washing": 50, "detergent": 4})  # "filter" left, "detergent" came
    assert second._shared is first._shared
    assert second.correct("detergnet") == "detergent"
    assert second.correct("filtr") is None
    assert first.correct("filtr") == "filter"
    assert first.correct("detergnet") is None  # the older version does not see the newer one's words


def _titles_version(titles):
    articles = {f"a{i}": {"title": t, "status": "published", "type": "howto"} for i, t in enumerate(titles)}
    version = SimpleNamespace(articles=articles, catalog=Catalog(), manifest={}, name="v1")
    version.full = version
    return version


def test_autocomplete_gives_the_shortest_matching_titles_in_order():
    rng = random.Random(7)
    words = ["washing", "machine", "drain", "water", "wash", "filter", "door", "dryer", "pralka", "woda"]
    titles = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 5))) for _ in range(400)]
    complete = Autocomplete(_titles_version(titles))
    for text in ("wa", "wash dr", "d", "filter wa", "woda pral", "zzz", "machine door water"):
        typed = plain_words(text)
        expected = sorted((a for a, r in complete.articles.items()
                           if all(any(w.startswith(t[:12]) for w in plain_words(r["title"])) for t in typed)),
                          key=lambda a: (len(complete.articles[a]["title"]), a))[:8]
        assert [s["id"] for s in complete.suggest(text)] == expected, text


def test_postings_read_a_block_at_a_time_equal_whooshs_own_reading(tmp_path):
    import numpy as np
    from whoosh import fields, index

    from kb.search.lexical import read_postings

    ix = index.create_in(str(tmp_path), fields.Schema(body=fields.TEXT))
    for segment in range(3):  # several segments, several 128-posting blocks, repeated words (weights above 1)
        writer = ix.writer()
        for n in range(300):
            writer.add_document(body=" ".join(["common"] * (1 + n % 3) + [f"w{n % 7}", f"seg{segment}"]))
        writer.commit(merge=False)
    reader = ix.reader()
    assert len(list(reader.leaf_readers())) == 3
    for term in ["common", "w3", "seg1", "absent"]:
        ids, weights = [], []
        if ("body", term) in reader:
            matcher = reader.postings("body", term)
            while matcher.is_active():
                ids.append(matcher.id())
                weights.append(matcher.weight())
                matcher.next()
        docs, freqs = read_postings(reader, "body", term)
        assert docs.tolist() == ids and np.allclose(freqs, weights)
