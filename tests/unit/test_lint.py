"""Validation of content folders, and the rules the sample knowledge base must keep."""

import datetime as dt
import json
import subprocess
import sys
from collections import Counter

import pytest

from kb.content import Content
from kb.lint import coverage, lint
from tests.support import FIXTURE_KB, ROOT, SAMPLE_KB


@pytest.fixture(scope="module")
def sample():
    return Content.load(SAMPLE_KB)


def test_fixture_problems_name_file_line_and_fix():
    problems = {(p.path, p.line, p.message) for p in lint(Content.load(FIXTURE_KB))}
    assert ("broken/bad-enum.md", 4, "type 'howto' is not one of faq, script, troubleshooting, procedure, policy") in problems
    assert ("broken/bad-enum.md", 5, "unknown product 'XX99Z*'") in problems
    assert ("broken/bad-enum.md", 6, "unknown escalation path 'nowhere'") in problems
    assert ("broken/bad-enum.md", 11, "link to unknown article 'no-such-article'") in problems
    assert any(path == "broken/broken-front-matter.md" and line == 3 for path, line, _ in problems)


def test_duplicate_ids_and_past_review_dates(tmp_path):
    (tmp_path / "a.md").write_text("---\nid: same\ntitle: A\nreview_by: 2020-01-01\n---\n## Answer\nx\n")
    (tmp_path / "b.md").write_text("---\nid: same\ntitle: B\n---\n## Answer\n[x](kb:same#nope)\n")
    problems = lint(Content.load(tmp_path), today=dt.date(2026, 11, 23))
    messages = [(p.path, p.severity, p.message) for p in problems]
    assert ("b.md", "error", "duplicate id 'same', also used by a.md") in messages
    assert ("a.md", "warning", "review_by 2020-01-01 is in the past") in messages


def test_lint_cli_exit_codes_and_json():
    bad = subprocess.run([sys.executable, "-m", "kb", "lint", str(FIXTURE_KB), "--json"], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 1
    assert len([p for p in json.loads(bad.stdout)["problems"] if p["severity"] == "error"]) == 5
    good = subprocess.run([sys.executable, "-m", "kb", "lint", str(SAMPLE_KB)], capture_output=True, text=True, cwd=ROOT)
    assert good.returncode == 0, good.stdout[-2000:]
    assert " 0 errors" in good.stdout


def test_sample_has_no_errors(sample):
    assert [str(p) for p in lint(sample) if p.severity == "error"] == []


def test_every_product_is_covered_by_three_published_articles(sample):
    thin = {code: n for code, n in coverage(sample).items() if n < 3}
    assert thin == {}


def test_sample_size_types_and_languages(sample):
    published = sample.published()
    assert len(published) >= 200
    types = Counter(a.type for a in published)
    assert set(types) == {"faq", "script", "troubleshooting", "procedure", "policy"}
    assert sum(1 for a in published if a.lang == "pl") >= 20
    product_categories = {p.category for p in sample.catalog.products.values()}
    scripts = {c for a in published if a.type == "script" for c in a.categories}
    assert product_categories <= scripts, "every product category needs a call script"


def test_shared_procedures_exist(sample):
    for art_id in ("identity-verification", "repair-registration", "courier-pickup", "warranty-policy",
                   "complaints-procedure", "returns-policy", "escalation-to-engineer", "repair-callback",
                   "out-of-hours", "product-safety-incident"):
        assert art_id in sample.articles


def test_a_list_split_at_a_comma_inside_brackets_is_an_error(tmp_path):
    (tmp_path / "escalation.yaml").write_text(
        "paths:\n  - id: complaints\n    team: Complaints\n    sla_hours: 24\n"
        "    collect: [order number, what the customer expects (repair, refund), contact channel]\n"
        "    triggers: [\"quoted (a, b) is fine\", complaint]\n")
    (tmp_path / "a.md").write_text("---\nid: a\ntitle: A\ntags: [noise (hum, buzz), drum]\n---\n## Answer\nx\n")
    problems = [(p.path, p.line, p.severity, p.message) for p in lint(Content.load(tmp_path))]
    assert ("escalation.yaml", 5, "error", "collect item 'what the customer expects (repair' has an unmatched '(': "
            "the list was split at a comma inside brackets") in problems
    assert ("escalation.yaml", 5, "error", "collect item 'refund)' has an unmatched ')': the list was split at a "
            "comma inside brackets") in problems
    assert ("a.md", 4, "error", "tags item 'noise (hum' has an unmatched '(': the list was split at a comma inside "
            "brackets") in problems
    assert not [p for p in problems if p[0] == "escalation.yaml" and p[1] == 6]  # quoted items keep their commas


def test_the_sample_checklists_keep_items_with_commas_whole(sample):
    complaints, orders = sample.escalation["complaints"].collect, sample.escalation["orders-returns"].collect
    assert "what the customer expects (repair, replacement, price reduction, refund)" in complaints
    assert "what should change (address, delivery date, item, cancellation)" in orders
    assert [(path.id, item) for path in sample.escalation.values() for item in path.collect + path.triggers
            if item.count("(") != item.count(")")] == []


def test_raw_html_that_the_pages_strip_is_a_warning(tmp_path):
    (tmp_path / "a.md").write_text("---\nid: a\ntitle: A\n---\n## Answer\n<div>boxed</div> and <strong>kept</strong>\n\n"
                                   "```\n<div>in code</div>\n```\n`<span>` too\n")
    problems = [(p.line, p.severity, p.message) for p in lint(Content.load(tmp_path))]
    assert problems == [(6, "warning", "raw HTML <div> will be removed when the article is shown")]
