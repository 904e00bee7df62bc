"""The analysis pipeline of the lexical index, and chunking an article into sections: pure functions."""

from indexer.chunking import chunk_article
from kb.article import parse_article
from kb.index.analysis import english_analyzer, polish_analyzer
from tests.support import FIXTURE_KB


def words(analyzer, text):
    return [t.text for t in analyzer(text)]


def test_english_stemming_and_stop_words():
    assert words(english_analyzer(), "The washing machines are leaking") == ["wash", "machin", "leak"]


def test_polish_lemmas():
    assert words(polish_analyzer(), "Pralki nie odpompowują wody") == ["pralka", "odpompowywać", "woda"]


def test_synonyms_are_added_at_the_same_position():
    tokens = [(t.text, t.pos) for t in english_analyzer({"fridge": ["refrigerator"]})("fridge warm", positions=True)]
    assert tokens == [("fridg", 0), ("refriger", 0), ("warm", 1)]


def test_one_chunk_per_section_with_title_and_heading():
    art, _ = parse_article((FIXTURE_KB / "washing-machine" / "ww90t-not-draining.md").read_bytes(), "x.md")
    chunks = chunk_article(art)
    assert [c.chunk_id for c in chunks] == ["ww90t-not-draining#answer", "ww90t-not-draining#steps",
                                            "ww90t-not-draining#when-to-escalate"]
    assert chunks[1].embed_text.startswith("Washing machine will not drain and shows 5C\nSteps\n1. Switch")
