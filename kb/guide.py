"""Guided troubleshooting: an article's numbered Steps as a path a consultant walks with the caller, one step at a
time, with optional branches written as sub-items of a step.

A branch is a sub-item that starts with "If" (Polish "Jeśli", "Jeżeli", "Gdy") and ends with where to go::

    3. Look at the display while the machine tries to drain.
        - If it shows 5C: go to step 4.
        - If it shows nd: go to step 6.
        - If not fixed: escalate.

"If not fixed" (Polish "Jeśli nie pomogło") is what happens when the caller answers "no, that did not fix it"; the
other conditions are choices the consultant picks. Without branches a step leads to the next one, and "not fixed"
after the last step escalates. Steps are counted in order (1, 2, 3 ...), as a reader counts them.

>>> guide = parse_steps("1. Open the tap.\\n    - If the hose is kinked: go to step 3.\\n"
...                     "2. Rinse the filter.\\n3. Restart.")
>>> [s.not_fixed for s in guide.steps], [b.target for b in guide.steps[0].choices]
([2, 3, 'escalate'], [3])
>>> guide.problems
[]
"""

import re
from dataclasses import dataclass, field

STEP_HEADINGS = ("steps", "kroki")
ESCALATE = "escalate"  # also where "not fixed" after the last step leads
ITEM = re.compile(r"^(\d{1,3})[.)]\s+(.*)$")
SUB_ITEM = re.compile(r"^\s+[-*+]\s+(.*)$")
BRANCH = re.compile(
    r"^(?:if|when|jeśli|jeżeli|jesli|jezeli|gdy)\s+(?P<cond>.+?)\s*[:,–—-]\s*"
    r"(?P<action>(?:then\s+)?(?:go|skip|return|move|jump)\s+(?:back\s+)?to\s+step|"
    r"(?:przejdź|przejdz|wróć|wroc|idź|idz)\s+do\s+kroku|escalate|eskaluj|zgłoś eskalację)"
    r"\s*(?P<number>\S*?)\s*[.!]?$", re.I)
NOT_FIXED = re.compile(
    r"^(?:(?:it|that|this|the problem)\s+(?:is|was)\s+)?(?:still\s+)?not\s+(?:fixed|solved|resolved)"
    r"|^(?:it|that|this)\s+(?:did\s+not|didn't)\s+help|^the problem (?:remains|persists)"
    r"|^(?:to\s+)?(?:nadal\s+)?nie\s+pomogło|^problem\s+(?:nadal\s+)?(?:występuje|nie ustąpił)|^nadal nie działa",
    re.I)


@dataclass(frozen=True)
class Branch:
    """One branch of a step: a condition the consultant picks (or "not fixed") and where it leads."""

    condition: str
    target: object  # a step number, or "escalate"
    not_fixed: bool
    line: int
    text: str

    def to_dict(self):
        """Plain dict for JSON."""
        return {"condition": self.condition, "goto": self.target, "not_fixed": self.not_fixed}


@dataclass(frozen=True)
class Step:
    """A numbered step: its Markdown without the branch lines, its branches, and where "not fixed" leads."""

    number: int
    written: int
    markdown: str
    branches: tuple
    not_fixed: object  # a step number, or "escalate"
    line: int

    @property
    def choices(self):
        """The branches the consultant picks from (every branch but "not fixed")."""
        return [b for b in self.branches if not b.not_fixed]

    def targets(self):
        """Every place this step can lead to."""
        return [self.not_fixed] + [b.target for b in self.choices]


@dataclass
class StepProblem:
    """A problem of a Steps section (the caller turns it into a lint Problem with the file's path)."""

    line: int
    severity: str
    message: str
    fix: str


@dataclass
class Guide:
    """The steps of one article, with the problems found while reading them."""

    steps: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    anchor: str = "steps"
    heading: str = "Steps"

    @property
    def branching(self):
        """Whether any step has a branch."""
        return any(s.branches for s in self.steps)

    def step(self, number):
        """The step with this number, or None."""
        return self.steps[number - 1] if isinstance(number, int) and 1 <= number <= len(self.steps) else None


def steps_section(sections, heading=lambda s: s["heading"]):
    """The section headed Steps (Kroki), or None; works on Section objects and index section dicts."""
    return next((s for s in sections if heading(s).strip().lower() in STEP_HEADINGS), None)


def _items(markdown, first_line):
    """Top-level numbered items: ``[(written number, line, [lines])]``; text outside the list is not a step."""
    items, current, blank = [], None, False
    for offset, line in enumerate(markdown.split("\n")):
        match = ITEM.match(line)
        if match:
            current = (int(match.group(1)), first_line + offset, [match.group(2)])
            items.append(current)
            blank = False
        elif current is not None and (line.startswith((" ", "\t")) or (not line.strip() and not blank)):
            blank = not line.strip()
            current[2].append(line)
        elif line.strip():
            current = None  # a paragraph after the list ends it
    return items


def _read_item(number, written, line, lines, problems):
    body, branches = [], []
    for offset, text in enumerate(lines):
        sub = SUB_ITEM.match(text)
        branch = BRANCH.match(sub.group(1).strip()) if sub else None
        if branch is None:
            if sub and re.search(r"\b(go to step|przejdź do kroku|przejdz do kroku)\b", text, re.I):
                problems.append(StepProblem(line + offset, "error", f"step {number}: a branch must start with "
                                            "'If' (or 'Jeśli') and end with 'go to step N' or 'escalate'",
                                            "write it as '- If <what the caller sees>: go to step N.'"))
            body.append(text)
            continue
        action, raw = branch.group("action").lower(), branch.group("number").rstrip(".")
        condition = branch.group("cond").strip()
        if action.startswith(("escalate", "eskaluj", "zgłoś")):
            target = ESCALATE
        elif raw.isdigit():
            target = int(raw)
        else:
            problems.append(StepProblem(line + offset, "error", f"step {number}: the branch '{sub.group(1).strip()}' "
                                        "names no step number", "end it with 'go to step N' (a number) or 'escalate'"))
            continue
        if not text.startswith(("    ", "\t")):  # Markdown shows a sub-item only four spaces in
            problems.append(StepProblem(line + offset, "warning", f"step {number}: the branch is indented by fewer "
                                        "than four spaces, so the article shows it run into the step's text",
                                        "indent it by four spaces: '    - If ...: go to step N.'"))
        branches.append(Branch(condition, target, bool(NOT_FIXED.match(condition)), line + offset,
                               sub.group(1).strip()))
    return body, branches


def parse_steps(markdown, first_line=1, anchor="steps", heading="Steps"):
    """Read a Steps section: its numbered steps, their branches, and the problems lint reports."""
    guide = Guide(anchor=anchor, heading=heading)
    items = _items(markdown, first_line)
    for number, (written, line, lines) in enumerate(items, 1):
        body, branches = _read_item(number, written, line, lines, guide.problems)
        not_fixed = [b for b in branches if b.not_fixed]
        if len(not_fixed) > 1:
            guide.problems.append(StepProblem(not_fixed[1].line, "error", f"step {number} says twice where "
                                              "'not fixed' leads", "keep one 'If not fixed: ...' line per step"))
        default = number + 1 if number < len(items) else ESCALATE
        guide.steps.append(Step(number, written, _dedent(body), tuple(branches),
                                not_fixed[0].target if not_fixed else default, line))
    if [s.written for s in guide.steps] != list(range(1, len(guide.steps) + 1)) and guide.steps:
        guide.problems.append(StepProblem(guide.steps[0].line, "warning", "the steps are not numbered 1, 2, 3 ...",
                                          "number them in order: branches count steps as a reader does"))
    guide.problems.extend(check_paths(guide))
    return guide


def _dedent(lines):
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    out = [lines[0]] if lines else []
    out += [re.sub(r"^(?: {1,4}|\t)", "", line) for line in lines[1:]]
    return "\n".join(out)


def check_paths(guide):
    """Dangling steps, loops with no way out and steps no path reaches."""
    problems, count = [], len(guide.steps)
    for step in guide.steps:
        for branch in step.branches:
            if branch.target != ESCALATE and not 1 <= branch.target <= count:
                problems.append(StepProblem(branch.line, "error", f"step {step.number} goes to step {branch.target}, "
                                            f"but there are {count} steps",
                                            f"use a step from 1 to {count}, or 'escalate'"))
    if any(p.severity == "error" for p in problems):
        return problems
    exits = _reaching_an_exit(guide)
    trapped = [s.number for s in guide.steps if s.number not in exits and s.number in _reachable(guide, s.number)]
    if trapped:  # the steps of the loops themselves (steps that only lead into a loop get fixed with it)
        names = ", ".join(map(str, trapped))
        problems.append(StepProblem(guide.step(trapped[0]).line, "error", f"step(s) {names} loop with no way out",
                                    "give one of them a branch that goes forward or 'If not fixed: escalate'"))
    reached = _reachable(guide)
    for step in guide.steps:
        if step.number not in reached:
            problems.append(StepProblem(step.line, "warning", f"step {step.number} is never reached",
                                        "point a branch at it, or remove the branch that skips it"))
    return problems


def _reaching_an_exit(guide):
    good, changed = set(), True
    while changed:
        changed = False
        for step in guide.steps:
            if step.number not in good and any(t == ESCALATE or t in good for t in step.targets()):
                good.add(step.number)
                changed = True
    return good


def _reachable(guide, start=None):
    """Steps a path reaches from the first step, or (with ``start``) in one move or more from ``start``."""
    seen, todo = set(), ([1] if guide.steps else []) if start is None else list(guide.step(start).targets())
    while todo:
        number = todo.pop()
        if number in seen or guide.step(number) is None:
            continue
        seen.add(number)
        todo.extend(t for t in guide.step(number).targets() if t != ESCALATE)
    return seen


def guide_of(sections, heading=lambda s: s["heading"], markdown=lambda s: s["markdown"],
             line=lambda s: s.get("line", 1), anchor=lambda s: s["anchor"]):
    """The guide of an article's sections (index section dicts by default), or None when it has no Steps."""
    section = steps_section(sections, heading)
    if section is None:
        return None
    guide = parse_steps(markdown(section), line(section) + 1, anchor(section), heading(section))
    return guide if guide.steps else None

