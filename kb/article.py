"""Articles: YAML front matter plus Markdown body, split into sections at ``##`` headings.

>>> art, problems = parse_article("---\\nid: a\\ntitle: A\\n---\\n## Answer\\nYes.\\n", "a.md")
>>> [s.anchor for s in art.sections], problems
(['answer'], [])
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

import yaml

from kb.front_matter import load_yaml
from kb.problems import Problem

TYPES = ("faq", "script", "troubleshooting", "procedure", "policy")
STATUSES = ("draft", "review", "published", "archived")
AUDIENCES = ("consumer", "business", "retailer", "service-partner", "consumer-ombudsman")
CHANNELS = ("phone", "email", "chat", "visit")
CONTACT_CATEGORIES = ("marketing", "technical-service", "customer-service")
LANGS = ("en", "pl")
ANSWER_HEADINGS = ("answer", "quick answer", "short answer", "odpowiedź", "odpowiedz")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MAX_BYTES = 1_000_000

def find_answer(sections, heading=lambda s: s["heading"], text=lambda s: s["markdown"]):
    """The section to read out: the one headed Answer (or Odpowiedź), else the first with text, else None.

    Works on Section objects and on the section dicts of the index (the default accessors).
    """
    return (next((s for s in sections if heading(s).strip().lower() in ANSWER_HEADINGS), None)
            or next((s for s in sections if text(s).strip()), None))


@dataclass(frozen=True)
class Section:
    """One ``##`` section of an article; ``anchor`` is empty for the lead before the first heading."""

    anchor: str
    heading: str
    markdown: str
    line: int


@dataclass
class Article:
    """A parsed article: its front matter fields and its sections."""

    id: str
    title: str
    path: str = ""
    type: str = "faq"
    products: list = field(default_factory=list)
    categories: list = field(default_factory=list)
    lang: str = "en"
    audience: list = field(default_factory=lambda: ["consumer"])
    channels: list = field(default_factory=lambda: list(CHANNELS))
    tags: list = field(default_factory=list)
    escalation: str = None
    status: str = "published"
    owner: str = None
    reviewed: str = None
    review_by: str = None
    learning_order: int = None
    translation_of: str = None
    source_hash: str = None
    source: str = None
    sections: list = field(default_factory=list)
    body: str = ""
    body_line: int = 1
    meta_lines: dict = field(default_factory=dict)

    @property
    def content_hash(self):
        """Hash of the title and body (not the front matter): what a translation records as ``source_hash`` and is
        compared with, so a changed text marks its translations out of date and a new review date does not."""
        import hashlib

        return hashlib.sha256(f"{self.title}\n{self.body.strip()}".encode("utf-8")).hexdigest()[:12]

    @property
    def answer_section(self):
        """The section to read out: the one headed Answer (or Odpowiedź), else the first non-empty one."""
        return find_answer(self.sections, lambda s: s.heading, lambda s: s.markdown)

    def section(self, anchor):
        """Return the section with this anchor, or None."""
        return next((s for s in self.sections if s.anchor == anchor), None)

    def front_matter(self):
        """The front matter as a plain dict (for the API and for writing the file back)."""
        keys = ("id", "title", "type", "products", "categories", "lang", "audience", "channels", "tags",
                "escalation", "status", "owner", "reviewed", "review_by", "learning_order", "translation_of",
                "source_hash", "source")
        return {k: getattr(self, k) for k in keys}


def slugify(text):
    """Turn a heading into a URL anchor: lowercase ASCII words joined by dashes."""
    text = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    text = text.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def split_sections(body, first_line=1):
    """Split a Markdown body into sections at ``##`` headings, skipping fenced code blocks."""
    sections, heading, anchor, start, buf, fenced = [], "", "", first_line, [], False
    seen = {}
    for offset, line in enumerate(body.splitlines()):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        match = None if fenced else re.match(r"^##\s+(.+?)\s*#*\s*$", line)
        if match:
            if buf and "".join(buf).strip() or heading:
                sections.append(Section(anchor, heading, "\n".join(buf).strip("\n"), start))
            heading = match.group(1).strip()
            base = slugify(heading) or "section"
            seen[base] = seen.get(base, 0) + 1
            anchor = base if seen[base] == 1 else f"{base}-{seen[base]}"
            start, buf = first_line + offset, []
        else:
            buf.append(line)
    if "".join(buf).strip() or heading:
        sections.append(Section(anchor, heading, "\n".join(buf).strip("\n"), start))
    return sections


def _split_front_matter(text, path):
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise _Fatal(Problem(path, 1, "error", "no front matter",
                             "start the file with a line '---', the YAML fields (at least id and title), and '---'"))
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2
    raise _Fatal(Problem(path, 1, "error", "front matter is not closed",
                         "add a line '---' after the last front matter field"))


class _Fatal(Exception):
    def __init__(self, problem):
        super().__init__(problem.message)
        self.problem = problem


def _key_lines(meta_text):
    """Map each top-level front matter key to its line number in the file (front matter starts at line 2)."""
    lines = {}
    for i, line in enumerate(meta_text.split("\n")):
        match = re.match(r"^([A-Za-z_][\w-]*)\s*:", line)
        if match:
            lines.setdefault(match.group(1), i + 2)
    return lines


def _as_list(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    return [v.strip() for v in str(value).split(",") if v.strip()]


def _as_date(value):
    if value in (None, ""):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    text = str(value).strip()
    dt.date.fromisoformat(text)
    return text


def parse_article(text, path="<string>"):
    """Parse one article; return ``(Article or None, [Problem, ...])``. Never raises on bad content."""
    try:
        return _parse(text, path)
    except _Fatal as exc:
        return None, [exc.problem]


def _parse(text, path):
    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            raise _Fatal(Problem(path, 1, "error", f"file is {len(text):,} bytes, over the {MAX_BYTES:,} limit",
                                 "split the article into smaller articles"))
        if b"\x00" in text:
            raise _Fatal(Problem(path, 1, "error", "file is binary, not Markdown", "save the article as UTF-8 text"))
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = text[: exc.start].count(b"\n") + 1
            raise _Fatal(Problem(path, line, "error", "file is not valid UTF-8", "save the article as UTF-8")) from None
    text = text.replace("\r\n", "\n")
    meta_text, body, body_line = _split_front_matter(text, path)
    try:
        meta = load_yaml(meta_text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 2
        reason = getattr(exc, "problem", None) or "invalid YAML"
        raise _Fatal(Problem(path, line, "error", f"front matter is not valid YAML: {reason}",
                             "fix the YAML syntax; quote values that contain ':' or start with a special character")) from None
    if not isinstance(meta, dict):
        raise _Fatal(Problem(path, 2, "error", "front matter is not a mapping of fields",
                             "write one 'field: value' per line"))
    return _build(meta, body, body_line, path, _key_lines(meta_text))


def _build(meta, body, body_line, path, key_lines):
    problems = []

    def report(key, message, fix, severity="error"):
        problems.append(Problem(path, key_lines.get(key, 2), severity, message, fix))

    art_id, title = str(meta.get("id") or "").strip(), str(meta.get("title") or "").strip()
    if not art_id:
        report("id", "missing id", "add 'id: a-stable-slug' to the front matter")
    elif not ID_RE.match(art_id):
        report("id", f"id {art_id!r} is not a slug", "use lowercase letters, digits and dashes, e.g. 'tv-no-sound'")
    if not title:
        report("title", "missing title", "add 'title: ...' with the question or problem as a caller puts it")
    if not art_id or not title or not ID_RE.match(art_id):
        return None, problems
    art = Article(id=art_id, title=title, path=path, body=body, body_line=body_line, meta_lines=key_lines)
    for key, allowed in (("type", TYPES), ("status", STATUSES), ("lang", LANGS)):
        if key in meta and meta[key] is not None:
            value = str(meta[key]).strip().lower()
            if value in allowed:
                setattr(art, key, value)
            else:
                report(key, f"{key} {meta[key]!r} is not one of {', '.join(allowed)}", f"set {key} to one of: {', '.join(allowed)}")
    for key, allowed in (("audience", AUDIENCES), ("channels", CHANNELS)):
        if meta.get(key) is not None:
            values = [v.lower() for v in _as_list(meta[key])]
            bad = [v for v in values if v not in allowed]
            if bad:
                report(key, f"{key} has unknown value(s) {', '.join(bad)}", f"use only: {', '.join(allowed)}")
            setattr(art, key, [v for v in values if v in allowed] or getattr(art, key))
    art.products = [p.upper() for p in _as_list(meta.get("products"))]
    art.categories = [c.lower() for c in _as_list(meta.get("categories"))]
    art.tags = [t.lower() for t in _as_list(meta.get("tags"))]
    for key in ("escalation", "owner", "translation_of", "source_hash", "source"):
        if meta.get(key) not in (None, ""):
            setattr(art, key, str(meta[key]).strip())
    for key in ("reviewed", "review_by"):
        try:
            setattr(art, key, _as_date(meta.get(key)))
        except ValueError:
            report(key, f"{key} {meta.get(key)!r} is not a date", f"write {key} as YYYY-MM-DD")
    if meta.get("learning_order") is not None:
        try:
            art.learning_order = int(meta["learning_order"])
        except (TypeError, ValueError):
            report("learning_order", "learning_order is not a number", "write a whole number, e.g. 'learning_order: 10'")
    known = set(Article.__dataclass_fields__) - {"path", "sections", "body", "body_line", "meta_lines"}
    for key in meta:
        if key not in known:
            report(key, f"unknown front matter field {key!r}", f"remove it or use one of: {', '.join(sorted(known))}", "warning")
    art.sections = split_sections(body, body_line)
    if not art.sections:
        problems.append(Problem(path, body_line, "error", "article has no text", "write the answer under '## Answer'"))
    return art, problems
