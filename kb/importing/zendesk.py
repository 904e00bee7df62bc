"""A Zendesk Help Center export: the JSON the Help Center API returns for articles, sections, categories and
translations (``GET /api/v2/help_center/articles.json`` and friends), as one file or a folder of files, with an
optional ``attachments/`` folder of images downloaded beside it (the importer never downloads one itself).

>>> article_link("https://help.example.com/hc/pl/articles/360001234567-Jak-zresetowac#krok-2")
('360001234567', 'pl', 'krok-2')
"""

import functools
import json
import re
from pathlib import Path

from kb.importing.convert import heading_anchors
from kb.importing.records import Record, Source, lang_of, split_list

LINK = re.compile(r"/hc/(?:([A-Za-z]{2}(?:-[A-Za-z]{2})?)/)?articles/(\d+)[^#?]*(?:\?[^#]*)?(?:#(.*))?$")


def article_link(href):
    """``(article id, lang or None, fragment or None)`` of a Help Center article URL, else None."""
    match = LINK.search(href or "")
    if not match:
        return None
    return match.group(2), lang_of(match.group(1)), match.group(3) or None


def read(path, default_lang="en"):
    """Read a Zendesk export (a ``.json`` file or a folder of them) into a ``Source``."""
    path = Path(path)
    source = Source("zendesk")
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    assets = (path if path.is_dir() else path.parent) / "attachments"
    data = {"articles": [], "sections": [], "categories": [], "translations": []}
    for file in files:
        for name, items in _load(file, source).items():
            data[name].extend((file, item) for item in items)
    sections = {s.get("id"): s for _, s in data["sections"] if isinstance(s, dict)}
    categories = {c.get("id"): c for _, c in data["categories"] if isinstance(c, dict)}
    articles = {}
    for index, (file, item) in enumerate(data["articles"]):
        record = _article(item, file, index, sections, categories, source, default_lang)
        if record is not None:
            record.assets = assets
            articles[record.key] = record
            source.records.append(record)
    for index, (file, item) in enumerate(data["translations"]):
        record = _translation(item, file, index, articles, source)
        if record is not None:
            record.assets = assets
            source.records.append(record)
    source.link_key = _link_key(articles, source)
    return source


def _load(file, source):
    try:
        text = file.read_text("utf-8-sig")
    except UnicodeDecodeError:
        source.problem(file.name, 1, "file is not UTF-8", "export it again as UTF-8 JSON", "error")
        return {}
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        source.problem(file.name, exc.lineno, f"not valid JSON: {exc.msg} (column {exc.colno})",
                       "fix the JSON or export the file again; the other files are imported", "error")
        return {}
    if not isinstance(doc, dict):
        source.problem(file.name, 1, "not a Help Center API response", "give the JSON object the API returned "
                       "(with 'articles', 'sections', 'categories' or 'translations')", "error")
        return {}
    found = {k: [i for i in doc.get(k) or [] if i is not None] for k in ("articles", "sections", "categories",
                                                                          "translations")}
    if not any(found.values()):
        source.problem(file.name, 1, "no articles, sections, categories or translations in this file",
                       "export with the Help Center API (articles.json, translations.json, ...)")
    return found


@functools.lru_cache(maxsize=4)
def _text_of(file, _mtime):  # the modification time keys the cache: an export saved again is read again
    try:
        return file.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""


def _line(file, item_id):
    """The line of a record's id in its file, so that a problem points at it."""
    try:
        text = _text_of(file, file.stat().st_mtime_ns)
    except OSError:
        return 1
    match = re.search(r'"id"\s*:\s*"?' + re.escape(str(item_id)) + r'\b', text)
    return text[: match.start()].count("\n") + 1 if match else 1


def _article(item, file, index, sections, categories, source, default_lang):
    where = f"{file.name}"
    if not isinstance(item, dict) or item.get("id") is None:
        source.problem(where, 1, f"articles[{index}] has no id: skipped", "export the article again", "error")
        return None
    line, ref = _line(file, item["id"]), f"article {item['id']}"
    title, body = " ".join(str(item.get("title") or "").split()), item.get("body")
    if not title or not body or not str(body).strip():
        missing = "title" if not title else "body"
        source.problem(where, line, f"{ref} has no {missing}: skipped", f"give it a {missing} in Zendesk and export again",
                       "error")
        return None
    locale = item.get("locale") or item.get("source_locale")
    lang = lang_of(locale)
    if locale and lang is None:
        source.problem(where, line, f"{ref}: locale {locale!r} is not supported (en, pl): skipped",
                       "import only English and Polish articles")
        return None
    if lang is None:
        lang = default_lang
        source.problem(where, line, f"{ref} has no locale: imported as {default_lang}",
                       "set the locale in Zendesk, or pass --lang")
    section = sections.get(item.get("section_id")) or {}
    category = categories.get(section.get("category_id")) or {}
    names = [n for n in (section.get("name"), category.get("name")) if n]
    return Record(key=f"zendesk:{item['id']}", title=title, html=str(body), where=where, line=line, lang=lang,
                  status="draft" if item.get("draft") else "published", tags=split_list(item.get("label_names")),
                  categories=names, anchors=heading_anchors(str(body)))


def _translation(item, file, index, articles, source):
    where = file.name
    if not isinstance(item, dict) or item.get("source_id") is None:
        source.problem(where, 1, f"translations[{index}] names no source_id: skipped", "export it again", "error")
        return None
    line = _line(file, item.get("id", item["source_id"]))
    origin = articles.get(f"zendesk:{item['source_id']}")
    ref = f"translation {item.get('id', index)} of article {item['source_id']}"
    lang = lang_of(item.get("locale"))
    if origin is None:
        source.problem(where, line, f"{ref}: its article was not imported: skipped",
                       "fix the article's problem first, then import again")
        return None
    if lang is None:
        source.problem(where, line, f"{ref}: locale {item.get('locale')!r} is missing or not supported (en, pl): "
                       "skipped", "import only English and Polish translations")
        return None
    if lang == origin.lang:
        return None  # the source-locale translation is the article itself
    title, body = " ".join(str(item.get("title") or "").split()), item.get("body")
    if not title or not body or not str(body).strip():
        source.problem(where, line, f"{ref} has no {'title' if not title else 'body'}: skipped",
                       "complete the translation in Zendesk and export again", "error")
        return None
    return Record(key=f"{origin.key}/{lang}", title=title, html=str(body), where=where, line=line, lang=lang,
                  translation_of=origin.key, status="draft" if item.get("draft") else origin.status,
                  tags=list(origin.tags), categories=list(origin.categories), anchors=heading_anchors(str(body)))


def _link_key(articles, source):
    keys = {r.key for r in source.records}

    def resolve(href, record):
        found = article_link(href)
        if found is None:
            return None
        article_id, lang, fragment = found
        base = f"zendesk:{article_id}"
        wanted = f"{base}/{lang or record.lang}"
        if wanted in keys:
            return wanted, fragment
        return (base, fragment) if base in keys else ("", None)

    return resolve
