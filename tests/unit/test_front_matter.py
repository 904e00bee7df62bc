"""Reading and changing single front matter fields without touching the rest of an article's text."""

import pytest
import yaml

from kb.article import parse_article
from kb.front_matter import dump, load_yaml, read_field, set_status, split

TEXT = "---\nid: a\ntitle: A\n# a comment the editor must keep\ntags: [x, y]\nstatus: draft\n---\n## Answer\nYes.\n"


def test_read_field_and_split():
    assert read_field(TEXT, "status") == "draft" and read_field(TEXT, "owner") is None
    meta, body = split(TEXT)
    assert meta["tags"] == ["x", "y"] and body == "## Answer\nYes.\n"
    assert split("no front matter") == (None, "no front matter")
    assert split("---\n- a list\n---\nbody")[0] is None


def test_set_status_changes_one_line_and_keeps_the_rest_byte_for_byte():
    changed = set_status(TEXT, "review")
    assert changed == TEXT.replace("status: draft", "status: review")
    added = set_status("---\nid: a\ntitle: A\n---\n## Answer\nYes.\n", "published")
    assert read_field(added, "status") == "published" and added.endswith("---\n## Answer\nYes.\n")
    assert set_status("no front matter", "review") == "no front matter"
    assert set_status(TEXT.replace("\n", "\r\n"), "review") == changed  # Windows line ends are normalised


def test_dump_makes_a_text_the_parser_reads_back():
    text = dump({"id": "esc-1-answer", "title": "Pralka: błąd 5C", "type": "faq", "status": "draft",
                 "tags": ["escalation", "escalation-1"]}, "\n## Answer\n\nClean the filter.\n")
    article, problems = parse_article(text, "esc-1-answer.md")
    assert problems == [] and article.title == "Pralka: błąd 5C" and article.status == "draft"
    assert article.tags == ["escalation", "escalation-1"]


@pytest.mark.parametrize("source", ["a: &x [1, 2]\nb: *x\n", "base: &b {k: v}\nother:\n  <<: *b\n"])
def test_yaml_anchors_and_aliases_are_refused(source):
    with pytest.raises(yaml.YAMLError, match="anchors and aliases"):
        load_yaml(source)
    _, problems = parse_article(f"---\nid: a\ntitle: t\n{source}---\n## Answer\nx\n", "a.md")
    assert problems and problems[0].severity == "error"
