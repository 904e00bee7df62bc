"""A folder of HTML pages (a wiki or Word export, a saved help site): one article per page, its ``<h1>`` (else
``<title>``) the title, its headings the sections, ``<html lang>`` the language, ``<meta name="keywords">`` the
tags, the sub-folder the category, and ``<link rel="alternate" hreflang>`` the translations. Page chrome (``nav``,
``header``, ``footer``) is dropped; ``<main>`` or ``<article>`` is the body when the page has one.

>>> relative_target("guides/tv/no-sound.html", "../wifi.html#router")
('guides/wifi.html', 'router')
"""

import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from kb.importing.convert import heading_anchors
from kb.importing.records import Record, Source, lang_of, split_list

PAGES = ("*.html", "*.htm")


def relative_target(page, href):
    """``(page path, fragment)`` that a relative link of ``page`` points to, or None for links out of the folder."""
    parts = urlsplit(href or "")
    if parts.scheme or parts.netloc or not (parts.path or parts.fragment):
        return None
    if not parts.path:
        return page, parts.fragment or None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
    return (None if target.startswith("..") else target), parts.fragment or None


def read(path, default_lang="en"):
    """Read every page under a folder into a ``Source``."""
    root = Path(path)
    source = Source("html")
    pages = sorted({p for pattern in PAGES for p in root.rglob(pattern)
                    if not any(part.startswith(".") for part in p.relative_to(root).parts)})
    alternates = {}
    for page in pages:
        record, links = _page(root, page, source, default_lang)
        if record is not None:
            source.records.append(record)
            alternates[record.key] = links
    _link_translations(source, alternates, default_lang)
    keys = {r.key for r in source.records}

    def resolve(href, record):
        found = relative_target(record.key[len("html:"):], href)
        if found is None or found[0] is None:
            return None if found is None else ("", None)
        key = f"html:{found[0]}"
        return (key, found[1]) if key in keys else ("", None)

    source.link_key = resolve
    return source


def _page(root, page, source, default_lang):
    rel = page.relative_to(root).as_posix()
    try:
        raw = page.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        source.problem(rel, 1, f"page is not UTF-8 ({exc.reason}): skipped", "save the page as UTF-8", "error")
        return None, {}
    soup = BeautifulSoup(raw, "html.parser")
    for chrome in soup.find_all(["nav", "header", "footer", "script", "style", "noscript", "template"]):
        chrome.decompose()
    h1 = soup.find("h1")
    title = " ".join((h1.get_text(" ", strip=True) if h1 else (soup.title.get_text(" ", strip=True) if soup.title else "")).split())
    if not title:
        source.problem(rel, 1, "page has no <h1> and no <title>: skipped", "give the page a title", "error")
        return None, {}
    html_tag = soup.find("html")
    locale = html_tag.get("lang") if html_tag else None
    lang = lang_of(locale)
    if locale and lang is None:
        source.problem(rel, _line(raw, "<html"), f"language {locale!r} is not supported (en, pl): skipped",
                       "import only English and Polish pages")
        return None, {}
    if lang is None:
        lang = default_lang
        source.problem(rel, 1, f"page has no <html lang>: imported as {default_lang}",
                       'add lang="en" or lang="pl" to the <html> tag, or pass --lang')
    body = soup.find("main") or soup.find("article") or soup.body or soup
    keywords = soup.find("meta", attrs={"name": "keywords"})
    folder = posixpath.dirname(rel)
    links = {lang_of(l.get("hreflang")): l.get("href") for l in soup.find_all("link", rel="alternate")
             if l.get("hreflang") and l.get("href")}
    record = Record(key=f"html:{rel}", title=title, html=body.decode_contents(), where=rel, line=1, lang=lang,
                    tags=split_list(keywords.get("content") if keywords else None),
                    categories=[folder.split("/")[-1]] if folder else [], anchors=heading_anchors(str(body)),
                    base=page.parent)
    return record, {k: v for k, v in links.items() if k}


def _line(raw, needle):
    at = raw.find(needle)
    return raw[:at].count("\n") + 1 if at >= 0 else 1


def _link_translations(source, alternates, default_lang):
    """Pages that name each other as alternates form a group; its page in the default language (else the first)
    is the source, the others translate it."""
    by_key = {r.key: r for r in source.records}
    done = set()
    for record in source.records:
        if record.key in done:
            continue
        group = {record.key}
        for href in alternates.get(record.key, {}).values():
            found = relative_target(record.key[len("html:"):], href)
            if found and found[0] and f"html:{found[0]}" in by_key:
                group.add(f"html:{found[0]}")
        if len(group) < 2:
            continue
        members = sorted((by_key[k] for k in group), key=lambda r: (r.lang != default_lang, r.key))
        head = members[0]
        langs = {head.lang}
        for member in members[1:]:
            if member.lang in langs:
                source.problem(member.where, 1, f"{member.where} and {head.where} are both in {member.lang}: "
                               "imported unlinked", "one page per language in a group of alternates")
                continue
            langs.add(member.lang)
            member.translation_of = head.key
        done |= group
