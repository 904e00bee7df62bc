"""Reply templates: what lint reports (file, line, fix), the slots, and Polish durations."""

from kb.content import Content
from kb.lint import lint
from kb.replies import ReplyTemplates, days_later, duration
from tests.support import FIXTURE_KB, SAMPLE_KB

GOOD = "en:\n  default:\n    greeting: Hello,\n    sign_off: Bye\n"


def problems(tmp_path, text):
    (tmp_path / "replies.yaml").write_text(text, "utf-8")
    return [(p.path, p.line, p.message) for p in lint(Content.load(tmp_path)) if p.path == "replies.yaml"]


def test_templates_lint_with_the_line_of_each_problem(tmp_path):
    assert problems(tmp_path, GOOD) == []
    assert problems(tmp_path, GOOD + "    intro: Thanks for the {prodcut}.\n") == [
        ("replies.yaml", 5, "en.default.intro uses unknown slot(s) prodcut")]
    assert problems(tmp_path, "en:\n  default:\n    greeting: Hi\n  fax:\n    greeting: Hi\n") == [
        ("replies.yaml", 2, "en.default has no sign_off"), ("replies.yaml", 4, "unknown channel en.fax")]
    assert problems(tmp_path, GOOD + "    next:\n      nowhere: We will see.\n") == [
        ("replies.yaml", 1, "en.default.next names an unknown escalation path 'nowhere'")]
    assert problems(tmp_path, "en: [\n")[0][2] == "replies.yaml is not valid YAML"


def test_the_first_alternative_with_every_slot_known_is_used():
    templates = ReplyTemplates.load(SAMPLE_KB)
    assert templates.problems == ()
    intro = lambda **values: templates.fill("en", "email", "intro", values)  # noqa: E731
    assert intro(product="WW90T554DAW", error_code="5C") == "Thank you for your message about your WW90T554DAW showing 5C."
    assert intro(error_code="5C") == "Thank you for your message about the 5C code."
    assert intro() == "Thank you for your message."
    assert templates.fill("pl", "chat", "greeting", {}) == "Dzień dobry,"  # chat has none of its own: default's


def test_durations_read_as_the_templates_need_them():
    assert [duration(h, "pl") for h in (1, 24, 48, 72, 336)] == ["1 godziny", "24 godzin", "48 godzin", "3 dni", "14 dni"]
    assert [duration(h) for h in (1, 24, 72)] == ["1 hour", "24 hours", "3 days"]
    assert (days_later(1, "pl"), days_later(3)) == ("1 dniu", "3 days")


def test_the_fixture_and_sample_templates_are_clean():
    for folder in (FIXTURE_KB, SAMPLE_KB):
        assert [p for p in lint(Content.load(folder)) if p.path == "replies.yaml"] == []
