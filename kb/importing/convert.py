"""HTML of other systems to article Markdown: sanitized first (``kb.render.sanitize``: no script, style, event
attributes or ``javascript:`` links), then converted by markdownify; links and images go through resolvers given by
the caller, so nothing is ever fetched. Headings are shifted so that sections start at ``##``, and text before the
first heading becomes the answer.

>>> html_to_markdown('<h1>T</h1><p onclick="x()">Hi <script>alert(1)</script><b>there</b></p><h3>Steps</h3><ol><li>Go</li></ol>', "T")
'## Answer\\n\\nHi **there**\\n\\n## Steps\\n\\n1. Go\\n'
"""

import html as htmllib
import re

from bs4 import BeautifulSoup
from markdownify import MarkdownConverter

from kb.article import ANSWER_HEADINGS, slugify
from kb.render import sanitize

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
ANSWER = {"en": "Answer", "pl": "Odpowiedź"}


class _Converter(MarkdownConverter):
    """markdownify with the caller's link and image resolvers."""

    def __init__(self, link, image, **options):
        super().__init__(heading_style="ATX", bullets="-", **options)
        self.link, self.image = link, image

    def convert_a(self, el, text, parent_tags):
        href = self.link(el.get("href") or "")
        if not href:
            return text
        el["href"] = href
        el.attrs.pop("title", None)
        return super().convert_a(el, text, parent_tags)

    def convert_img(self, el, text, parent_tags):
        alt = " ".join((el.get("alt") or "").split())
        src = self.image(el.get("src") or "", alt)
        if not src:
            return f"*{alt}*" if alt else ""
        return f"![{alt.replace('[', '').replace(']', '')}]({src})"


def heading_anchors(raw_html):
    """``{html id: section anchor}`` of a page's headings (and named anchors just before them), read before the
    sanitizer drops the ids, so that ``page.html#id`` links can point at the right section."""
    soup = BeautifulSoup(raw_html, "html.parser")
    anchors = {}
    for heading in soup.find_all(re.compile(r"^h[1-6]$")):
        anchor = slugify(heading.get_text(" ", strip=True))
        for node in (heading, *heading.find_all(["a", "span"])):
            for attr in ("id", "name"):
                if node.get(attr):
                    anchors[node[attr]] = anchor
        previous = heading.find_previous_sibling()
        if previous is not None and previous.name == "a" and previous.get("name"):
            anchors[previous["name"]] = anchor
    return anchors


def text_to_html(text):
    """Plain text of a spreadsheet cell as HTML paragraphs (HTML in the cell is kept as HTML)."""
    if TAG.search(text):
        return text
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    return "".join("<p>" + "<br>".join(htmllib.escape(line) for line in p.split("\n")) + "</p>" for p in paragraphs)


def html_to_markdown(raw_html, title="", lang="en", link=lambda href: href, image=lambda src, alt: None):
    """Article Markdown of an HTML body; ``link(href)`` and ``image(src, alt)`` return the new target or None."""
    clean = sanitize(raw_html, images=True)
    markdown = _Converter(link, image).convert(clean)
    return normalize_sections(markdown, title, lang)


def normalize_sections(markdown, title="", lang="en"):
    """Sections at ``##``: drop a first heading that repeats the title, shift the rest up, put the lead under the
    answer heading; tidy blank lines."""
    lines, fenced = markdown.replace("\r\n", "\n").split("\n"), False
    headings = []
    for i, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        match = None if fenced else HEADING.match(line)
        if match:
            headings.append((i, len(match.group(1)), match.group(2)))
    if headings and headings[0][1] == 1 and _same(headings[0][2], title):
        lines[headings[0][0]] = ""
        headings = headings[1:]
    if headings:
        shift = 2 - min(level for _, level, _ in headings)
        for i, level, text in headings:
            lines[i] = "#" * max(2, min(6, level + shift)) + " " + text.strip()
    body = "\n".join(line.rstrip() for line in lines)
    body = re.sub(r"\n{3,}", "\n\n", body).strip("\n")
    first = re.search(r"^## ", body, flags=re.M)
    lead = body[: first.start()] if first else body
    has_answer = any(text.strip().lower() in ANSWER_HEADINGS for _, _, text in headings)
    if lead.strip() and not has_answer:
        body = f"## {ANSWER.get(lang, 'Answer')}\n\n" + body
    return body + "\n" if body.strip() else ""


def _same(a, b):
    return slugify(a) == slugify(b)
