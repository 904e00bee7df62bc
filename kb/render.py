"""Markdown to sanitized HTML and to plain text (what a consultant reads out or pastes).

>>> to_html('<script>alert(1)</script>**ok** [x](javascript:alert(1))')
'<p><strong>ok</strong> <a rel="noopener noreferrer">x</a></p>'
>>> to_text("## Steps\\n1. Open the tap\\n2. Restart")
'Steps\\n\\n1. Open the tap\\n2. Restart'
"""

import functools
import html
import re
from html.parser import HTMLParser

import markdown
import nh3

from kb.lint import LINK_RE

TAGS = {"p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h1", "h2",
        "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "span", "mark", "kbd", "sup", "sub", "del"}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "span": {"class"}, "code": {"class"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def _markdown(md):
    return markdown.markdown(md, extensions=["tables", "fenced_code", "sane_lists"], output_format="html")


def rewrite_links(md, link_base="/articles/"):
    """Turn ``kb:id#anchor`` links into links to the article view."""
    def repl(match):
        target, anchor = match.group(1), match.group(2)
        return f"]({link_base}{target}{'#' + anchor if anchor else ''})"
    return LINK_RE.sub(repl, md)


def sanitize(raw_html, images=False):
    """Keep formatting tags only: no script or style, no event attributes, no ``javascript:`` or data URLs.

    ``images`` also keeps ``<img>`` with its ``src`` (http, https or a relative path) and ``alt``: the importer
    copies local images next to the article and the customer site shows them; nothing here ever fetches one.
    """
    tags, attributes = (TAGS | {"img"}, {**ATTRIBUTES, "img": {"src", "alt", "title"}}) if images else (TAGS, ATTRIBUTES)
    return nh3.clean(raw_html, tags=tags, attributes=attributes, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer", strip_comments=True)


@functools.lru_cache(maxsize=8192)
def to_html(md, link_base="/articles/", images=False):
    """Render writer Markdown to HTML that is safe on a consultant's screen (cached: sections repeat); ``images``
    keeps images (the customer site, which copies them beside its pages)."""
    return sanitize(_markdown(rewrite_links(md, link_base)), images=images).strip()


class _TextExtractor(HTMLParser):
    BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "table", "tr", "ul", "ol"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.lists = [], []

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self.lists.append([tag, 0])
        elif tag == "li":
            self.parts.append("\n")
            if self.lists and self.lists[-1][0] == "ol":
                self.lists[-1][1] += 1
                self.parts.append(f"{self.lists[-1][1]}. ")
            else:
                self.parts.append("- ")
        elif tag == "br":
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" | ")
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if data.strip() or "\n" not in data:  # drop the newlines Markdown puts between tags
            self.parts.append(data)


@functools.lru_cache(maxsize=8192)
def to_text(md):
    """Plain text of Markdown, with list numbers kept, ready to read out or paste into an e-mail."""
    extractor = _TextExtractor()
    extractor.feed(to_html(md))
    text = html.unescape("".join(extractor.parts))
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()
