"""A spreadsheet FAQ saved as CSV: one row per question, with its answer and, optionally, category, product, lang,
tags, type, id and translation_of (the id or the question of the row it translates). Headers may be in English or
Polish (``pytanie``, ``odpowiedź``, ``kategoria``, ``produkt``, ``język``).

>>> column("Odpowiedź "), column("Model"), column("colour")
('answer', 'product', None)
"""

import csv
import io
from pathlib import Path

from kb.article import slugify
from kb.importing.convert import text_to_html
from kb.importing.records import Record, Source, lang_of, split_list, type_of

ALIASES = {
    "question": ("question", "title", "pytanie", "tytuł", "tytul"),
    "answer": ("answer", "body", "odpowiedź", "odpowiedz"),
    "category": ("category", "categories", "kategoria"),
    "product": ("product", "products", "model", "produkt"),
    "lang": ("lang", "language", "locale", "język", "jezyk"),
    "tags": ("tags", "labels", "tagi"),
    "type": ("type", "typ"),
    "id": ("id",),
    "translation_of": ("translation_of", "translation of", "tłumaczenie"),
}


def column(header):
    """Our name of a spreadsheet column, or None when we do not use it."""
    name = (header or "").strip().lower()
    return next((ours for ours, names in ALIASES.items() if name in names), None)


def read(path, default_lang="en"):
    """Read a CSV FAQ into a ``Source``; a broken row is reported with its line and skipped."""
    path = Path(path)
    source = Source("csv")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        source.problem(path.name, 1, f"file is not UTF-8 ({exc.reason})", "save the spreadsheet as CSV UTF-8", "error")
        return source
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    names = [column(h) for h in header or []]
    if "question" not in names or "answer" not in names:
        source.problem(path.name, 1, "no question and answer columns", "name the columns question and answer "
                       "(optionally category, product, lang, tags, type, id, translation_of)", "error")
        return source
    rows, seen = [], {}
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        row = {n: (cells[i].strip() if i < len(cells) else "") for i, n in enumerate(names) if n}
        record = _record(row, path.name, line, source, default_lang, seen)
        if record is not None:
            rows.append((row, record))
    _link_translations(rows, source)
    source.records = [r for _, r in rows]
    source.link_key = lambda href, record: None  # a spreadsheet links only to the outside
    return source


def _delimiter(text):
    """The delimiter whose header row names a question and an answer (spreadsheets in Poland save with ';')."""
    first = text.split("\n", 1)[0]
    for delimiter in (",", ";", "\t"):
        names = {column(h) for h in next(csv.reader([first], delimiter=delimiter), [])}
        if {"question", "answer"} <= names:
            return delimiter
    return ","


def _record(row, where, line, source, default_lang, seen):
    question, answer = " ".join(row.get("question", "").split()), row.get("answer", "")
    if not question or not answer.strip():
        source.problem(where, line, f"row has no {'question' if not question else 'answer'}: skipped",
                       "fill in both the question and the answer", "error")
        return None
    lang = lang_of(row.get("lang")) if row.get("lang") else default_lang
    if lang is None:
        source.problem(where, line, f"lang {row['lang']!r} is not supported (en, pl): row skipped", "use en or pl")
        return None
    base = "csv:" + (row.get("id") or slugify(question) or "row")
    seen[base] = seen.get(base, 0) + 1
    key = base if seen[base] == 1 else f"{base}#{seen[base]}"
    if seen[base] > 1:
        source.problem(where, line, f"the question {question!r} appears {seen[base]} times; each is imported as "
                       "its own article", "merge the rows if they say the same, or give them different questions")
    kind = type_of(row.get("type"))
    if row.get("type") and kind is None:
        source.problem(where, line, f"type {row['type']!r} is unknown: imported as faq",
                       "use faq, script, troubleshooting, procedure or policy")
    return Record(key=key, title=question, html=text_to_html(answer), where=where, line=line, lang=lang,
                  type=kind or "faq", tags=split_list(row.get("tags")), categories=split_list(row.get("category")),
                  products=split_list(row.get("product")))


def _link_translations(rows, source):
    by_ref = {}
    for row, record in rows:
        for ref in (row.get("id"), record.title.lower()):
            if ref:
                by_ref.setdefault(ref, record)
    for row, record in rows:
        ref = row.get("translation_of")
        if not ref:
            continue
        target = by_ref.get(ref) or by_ref.get(ref.lower())
        if target is None or target is record:
            source.problem(record.where, record.line, f"translation_of {ref!r} names no other row: imported unlinked",
                           "give the id or the exact question of the row this one translates")
        else:
            record.translation_of = target.key
