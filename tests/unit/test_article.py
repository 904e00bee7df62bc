"""Parsing articles: front matter, sections, defaults, and hostile input that must never crash the loader."""

import pytest

from kb.article import parse_article, slugify, split_sections
from kb.content import Content
from tests.support import FIXTURE_KB

GOOD = """---
id: tv-no-sound
title: "TV: no sound"
type: troubleshooting
products: [QN90D*, ww90t554daw]
audience: consumer
---
Lead paragraph.

## Answer
Check the output.

## Steps
1. One

```
## not a heading inside code
```

## Steps
Again.
"""


def test_parses_front_matter_and_defaults():
    art, problems = parse_article(GOOD, "tv.md")
    assert problems == []
    assert (art.id, art.title, art.type, art.lang, art.status) == ("tv-no-sound", "TV: no sound", "troubleshooting", "en", "published")
    assert art.products == ["QN90D*", "WW90T554DAW"]
    assert art.audience == ["consumer"]
    assert art.channels == ["phone", "email", "chat", "visit"]


def test_sections_split_at_level_two_headings_outside_code():
    art, _ = parse_article(GOOD, "tv.md")
    assert [s.anchor for s in art.sections] == ["", "answer", "steps", "steps-2"]
    assert "## not a heading" in art.sections[2].markdown
    assert art.answer_section.anchor == "answer"
    assert art.sections[1].line == 10  # the line of the "## Answer" heading in the file


def test_polish_answer_heading_and_slug():
    art, _ = parse_article("---\nid: a-pl\ntitle: Pralka\nlang: pl\n---\n## Kroki\nx\n## Odpowiedź\nTak.\n", "a.md")
    assert art.answer_section.heading == "Odpowiedź"
    assert slugify("Kiedy eskalować, gdy łożysko?") == "kiedy-eskalowac-gdy-lozysko"


@pytest.mark.parametrize("text, line, fragment", [
    ("no front matter here", 1, "no front matter"),
    ("---\nid: a\ntitle: x\n", 1, "not closed"),
    ("---\nid: a\ntitle: bad: colon\n---\n## A\nx", 3, "not valid YAML"),
    ("---\n- a list\n---\n## A\nx", 2, "not a mapping"),
    ("---\ntitle: No id\n---\n## A\nx", 2, "missing id"),
    ("---\nid: Bad Id\ntitle: t\n---\n## A\nx", 2, "not a slug"),
    ("---\nid: a\ntitle: t\ntype: howto\n---\n## A\nx", 4, "type 'howto'"),
    ("---\nid: a\ntitle: t\nreview_by: soon\n---\n## A\nx", 4, "not a date"),
    ("---\nid: a\ntitle: t\n---\n", 5, "no text"),
])
def test_problems_name_the_line_and_the_fix(text, line, fragment):
    art, problems = parse_article(text, "x.md")
    assert problems, "expected a problem"
    assert fragment in problems[0].message
    assert problems[0].line == line
    assert problems[0].fix and problems[0].path == "x.md"


def test_hostile_bytes_are_rejected_with_a_reason():
    _, binary = parse_article(b"\x89PNG\r\n\x1a\n\x00\x00junk", "img.md")
    assert "binary" in binary[0].message
    _, latin = parse_article("---\nid: a\ntitle: caf\xe9\n---\n".encode("latin-1"), "l.md")
    assert "UTF-8" in latin[0].message
    _, huge = parse_article(b"---\nid: a\ntitle: t\n---\n" + b"x" * 5_000_000, "big.md")
    assert "limit" in huge[0].message


def test_yaml_bombs_and_tags_do_not_execute():
    art, problems = parse_article("---\nid: a\ntitle: !!python/object/apply:os.system ['echo hi']\n---\n## A\nx", "t.md")
    assert art is None and "YAML" in problems[0].message


def test_split_sections_without_headings_keeps_the_lead():
    assert [s.anchor for s in split_sections("just text")] == [""]


def test_one_broken_file_does_not_stop_the_others():
    content = Content.load(FIXTURE_KB)
    assert "ww90t-not-draining" in content.articles
    assert "broken-front-matter" not in content.articles
    broken = [p for p in content.problems if p.path.endswith("broken-front-matter.md")]
    assert broken and broken[0].line == 3
