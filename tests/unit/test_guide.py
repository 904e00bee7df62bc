"""Steps as a guided path: plain numbered steps, branches in English and Polish, and what lint reports."""

from kb.content import Content
from kb.guide import ESCALATE, parse_steps
from kb.lint import lint

PLAIN = "1. Switch off.\n2. Clean the filter,\n   then rinse it.\n3. Restart."


def test_plain_steps_lead_to_the_next_and_the_last_escalates():
    guide = parse_steps(PLAIN)
    assert [(s.number, s.not_fixed, s.choices) for s in guide.steps] == [(1, 2, []), (2, 3, []), (3, ESCALATE, [])]
    assert guide.steps[1].markdown == "Clean the filter,\nthen rinse it."
    assert not guide.branching and guide.problems == []


def test_branches_in_english_and_polish():
    guide = parse_steps("1. Look at the display.\n    - If it shows 5C: go to step 3.\n    - If not fixed: escalate.\n"
                        "2. Clean the filter.\n3. Check the hose.\n"
                        "    - Jeśli pompa buczy, ale woda nie schodzi: eskaluj.\n"
                        "    - Jeśli nie pomogło: przejdź do kroku 2.")
    first, _, third = guide.steps
    assert first.markdown == "Look at the display."  # branch lines are not part of the step's text
    assert [(b.condition, b.target) for b in first.choices] == [("it shows 5C", 3)]
    assert first.not_fixed == ESCALATE
    assert [(b.condition, b.target) for b in third.choices] == [("pompa buczy, ale woda nie schodzi", ESCALATE)]
    assert third.not_fixed == 2 and guide.problems == []


def test_a_sub_item_that_only_mentions_a_condition_is_text():
    guide = parse_steps("1. Drain the water.\n    - If the wash was hot, wait 30 minutes.\n2. Restart.")
    assert guide.steps[0].branches == () and "wait 30 minutes" in guide.steps[0].markdown


def problems(markdown):
    return [(p.line, p.severity, p.message) for p in parse_steps(markdown).problems]


def test_dangling_steps_and_branches_without_a_number_are_errors():
    assert problems("1. A.\n    - If red: go to step 9.\n2. B.") == [
        (2, "error", "step 1 goes to step 9, but there are 2 steps")]
    assert problems("1. A.\n    - If red: go to step six.\n2. B.") == [
        (2, "error", "step 1: the branch 'If red: go to step six.' names no step number")]
    assert problems("1. A.\n    - when red go to step 2\n2. B.")[0][1:] == (
        "error", "step 1: a branch must start with 'If' (or 'Jeśli') and end with 'go to step N' or 'escalate'")


def test_a_loop_needs_a_way_out():
    looping = "1. A.\n2. B.\n    - If not fixed: go to step 3.\n3. C.\n    - If not fixed: go to step 2."
    assert problems(looping) == [(2, "error", "step(s) 2, 3 loop with no way out")]
    # the same loop with a way out (a choice that escalates) is a retry, not a trap
    assert problems(looping + "\n    - If it smells of burning: escalate.") == []


def test_a_branch_markdown_would_run_into_the_step_is_a_warning():
    assert problems("1. A.\n   - If red: go to step 2.\n2. B.") == [(2, "warning", (
        "step 1: the branch is indented by fewer than four spaces, so the article shows it run into the step's text"))]


def test_a_step_no_path_reaches_is_a_warning_and_numbers_should_run_in_order():
    assert problems("1. A.\n    - If not fixed: go to step 3.\n2. B.\n3. C.") == [(3, "warning", "step 2 is never reached")]
    assert problems("1. A.\n3. B.") == [(1, "warning", "the steps are not numbered 1, 2, 3 ...")]


def test_lint_names_the_file_and_line_of_a_bad_branch(tmp_path):
    (tmp_path / "a.md").write_text("---\nid: a\ntitle: A\ntype: troubleshooting\n---\n## Answer\n\nYes.\n\n## Steps\n\n"
                                   "1. Open the tap.\n    - If no water: go to step 4.\n2. Restart.\n")
    found = [(p.path, p.line, p.message) for p in lint(Content.load(tmp_path))]
    assert found == [("a.md", 13, "step 1 goes to step 4, but there are 2 steps")]


def test_the_fixture_and_the_sample_branching_articles_are_valid():
    from tests.support import FIXTURE_KB, SAMPLE_KB

    for folder, article_id in ((FIXTURE_KB, "ww90t-not-draining"), (SAMPLE_KB, "washer-error-5c-not-draining")):
        content = Content.load(folder)
        assert not [p for p in lint(content) if p.path == content.articles[article_id].path]


def test_the_writers_guide_example_is_valid():
    from tests.support import SAMPLE_KB

    readme = (SAMPLE_KB / "README.md").read_text("utf-8")
    example = readme.split("Guide me", 1)[1].split("## Steps\n\n", 1)[1].split("```", 1)[0]
    guide = parse_steps(example)
    assert guide.problems == [] and [s.not_fixed for s in guide.steps] == [2, 3, 5, 5, ESCALATE]
    assert [(b.target, b.not_fixed) for s in guide.steps for b in s.branches] == [(4, False), (5, True), (ESCALATE, False)]
