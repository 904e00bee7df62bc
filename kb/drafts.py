"""Reply drafts grounded by construction: every sentence is copied from a section of a published article (or, for
greeting, thanks, link, what happens next and sign-off, from the writers' ``replies.yaml``) and carries its source.

Nothing is paraphrased or generated. The customer's product and error code appear only where a template has a slot
for them; what happens next comes from the escalation matrix (answer time, follow-up call) through a template.

>>> from kb.replies import ReplyTemplates
>>> t = ReplyTemplates.from_dict({"en": {"default": {"greeting": "Hello,", "sign_off": "Bye"}}})
>>> record = {"id": "a", "title": "A", "lang": "en", "sections": [
...     {"anchor": "answer", "heading": "Answer", "markdown": "Open the tap. Then wait."}]}
>>> draft = answer_draft(record, t, "email", {})
>>> [(s.text, s.source.get("section") or s.source["key"]) for s in draft.segments]
[('Hello,', 'greeting'), ('Open the tap.', 'answer'), ('Then wait.', 'answer'), ('Bye', 'sign_off')]
"""

import re
from dataclasses import dataclass, field

from kb.article import find_answer
from kb.guide import ESCALATE, guide_of
from kb.render import to_text
from kb.replies import days_later, duration

MODES = ("answer", "next_steps")
# a sentence ends at . ! ? or … before a capital, a digit or an opening quote; not after these abbreviations
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZĄĆĘŁŃÓŚŹŻ0-9\"„(])")
ABBREVIATIONS = ("e.g.", "i.e.", "approx.", "ca.", "np.", "ok.", "tzw.", "m.in.", "godz.", "nr.", "ul.", "min.", "tj.")
CODE = re.compile(r"[A-Za-z]{0,3}\d{1,3}[A-Za-z]{0,2}|[A-Z]{2,3}")


@dataclass
class Segment:
    """One sentence (or step) of a draft, what comes before it, and where it comes from."""

    text: str
    kind: str
    source: dict
    before: str = ""

    def to_dict(self):
        """Plain dict for JSON."""
        return {"text": self.text, "kind": self.kind, "source": self.source, "before": self.before}


@dataclass
class Draft:
    """A reply draft: its mode, language and channel, the article it copies from, and its segments."""

    mode: str
    lang: str
    channel: str
    article_id: str = None
    segments: list = field(default_factory=list)
    notice: str = None

    @property
    def text(self):
        """The draft as the consultant pastes it."""
        return "".join(s.before + s.text for s in self.segments).strip()

    def sources(self):
        """Each sentence with its source, in order."""
        return [{"text": s.text, **s.source} for s in self.segments]

    def to_dict(self):
        """Plain dict for JSON."""
        return {"mode": self.mode, "lang": self.lang, "channel": self.channel, "article_id": self.article_id,
                "text": self.text, "segments": [s.to_dict() for s in self.segments], "notice": self.notice}


def _lines(text):
    """Paragraphs and list items of plain text, each on one line (a line break inside a paragraph is a space)."""
    out = []
    for block in re.split(r"\n\s*\n", text):
        for line in block.split("\n"):
            if out and out[-1] is not None and line.strip() and not re.match(r"\s*(\d+[.)]|[-*|])\s", line):
                out[-1] = out[-1] + " " + line.strip()
            else:
                out.append(line.strip())
        out.append(None)  # paragraph break
    return [line for line in out if line]


def sentences(text):
    """Sentences of plain text: split at sentence ends, paragraphs and list items, never inside an abbreviation."""
    out = []
    for line in _lines(text):
        pieces = [p for p in SENTENCE_END.split(line) if p.strip()]
        for piece in pieces:
            previous = out[-1][0] if out and out[-1][1] is line else None
            if previous and (previous.lower().endswith(ABBREVIATIONS) or re.fullmatch(r"\d+[.)]", previous)):
                out[-1] = (out[-1][0] + " " + piece, line)
            else:
                out.append((piece, line))
    return [s for s, _ in out]


def error_codes(text, tags):
    """Error codes of the article (from its tags) that the customer's text mentions, as the customer wrote them
    (upper case); a tag without a digit counts only when written in capitals ("LE", not "le")."""
    found = []
    for match in re.finditer(r"(?<![\w-])(" + CODE.pattern + r")(?![\w-])", text or ""):
        word = match.group(1)
        if word.lower() in tags and (any(c.isdigit() for c in word) or word.isupper()):
            code = word.upper()
            if code not in found:
                found.append(code)
    return found


def _template(templates, lang, channel, key, values, kind=None, path=None, before=""):
    text = templates.fill(lang, channel, key, values, path.id if path else None)
    if text is None:
        return []
    source = {"type": "template", "file": "replies.yaml", "key": key if not path else f"next.{path.id}",
              "lang": lang, "channel": channel}
    if path is not None:
        source.update(escalation=path.id, sla_hours=path.sla_hours, follow_up_days=path.follow_up_days)
    return [Segment(text, kind or key, source, before)]


def _source(record, section, step=None):
    out = {"type": "article", "article_id": record["id"], "section": section["anchor"], "heading": section["heading"]}
    return {**out, "step": step} if step is not None else out


def _answer_segments(record, section):
    segments = []
    for i, sentence in enumerate(sentences(to_text(section["markdown"]))):
        segments.append(Segment(sentence, "answer", _source(record, section), "\n\n" if i == 0 else " "))
    return segments


def _step_segments(record, templates, lang, channel, values):
    guide = guide_of(record["sections"])
    if guide is None:
        return []
    section = next(s for s in record["sections"] if s["anchor"] == guide.anchor)
    segments = _template(templates, lang, channel, "steps_intro", values, before="\n\n")
    for step in guide.steps:
        text = " ".join(to_text(step.markdown).split())
        segments.append(Segment(f"{step.number}. {text}", "step", _source(record, section, step.number),
                                "\n" if segments else "\n\n"))
        for branch in step.choices:  # "go to step N" helps the customer too; escalations are the consultant's
            if branch.target != ESCALATE:
                segments.append(Segment(branch.text, "step", _source(record, section, step.number), "\n   - "))
    return segments


def answer_draft(record, templates, channel, values, link=None):
    """A reply that answers: greeting, thanks, the article's answer sentence by sentence, its steps, the link,
    sign-off. ``values`` may name ``product`` and ``error_code``."""
    lang = record["lang"]
    values = {**values, "title": record["title"], "link": link}
    draft = Draft("answer", lang, channel, record["id"])
    draft.segments += _template(templates, lang, channel, "greeting", values)
    draft.segments += _template(templates, lang, channel, "intro", values, before="\n\n")
    answer = find_answer(record["sections"])
    if answer is not None:
        draft.segments += _answer_segments(record, answer)
    draft.segments += _step_segments(record, templates, lang, channel, values)
    if link:
        draft.segments += _template(templates, lang, channel, "link", values, before="\n\n")
    draft.segments += _template(templates, lang, channel, "sign_off", values, before="\n\n")
    return draft


def next_steps_draft(path, templates, lang, channel, values):
    """A reply that does not answer but says what happens next: greeting, thanks, who answers and within what time
    (the escalation matrix), the follow-up call when the path has one, sign-off."""
    values = {**values, "sla": duration(path.sla_hours, lang), "team": path.team,
              "follow_up": days_later(path.follow_up_days, lang) if path.follow_up_days else None}
    draft = Draft("next_steps", lang, channel)
    draft.segments += _template(templates, lang, channel, "greeting", values)
    draft.segments += _template(templates, lang, channel, "intro", values, before="\n\n")
    draft.segments += _template(templates, lang, channel, "next", values, "next", path, before="\n\n")
    if path.follow_up_days:
        draft.segments += _template(templates, lang, channel, "follow_up", values, "next", path, before=" ")
        draft.segments[-1].source["key"] = "follow_up"
    draft.segments += _template(templates, lang, channel, "sign_off", values, before="\n\n")
    return draft

