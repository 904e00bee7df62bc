"""From records to article files: ids, categories and products checked against the catalog, links rewritten to
``kb:`` links, translations linked with ``translation_of``, images copied next to the article; then what to
create, update, leave unchanged or skip. An article keeps the ``source`` it came from, so importing the same source
again finds it: unchanged texts are left alone, changed ones are only overwritten with ``update``.

>>> result = import_source("faq.csv", "articles", dry_run=True)     # doctest: +SKIP
>>> [p.action for p in result.planned]                               # doctest: +SKIP
['create', 'create']
"""

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from kb.article import parse_article, slugify, split_sections
from kb.catalog import Catalog, normalize_code
from kb.content import article_files
from kb.front_matter import dump
from kb.importing import csvfaq, htmlpages, zendesk
from kb.importing.convert import html_to_markdown

IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}  # no SVG: it can carry scripts
MAX_ID = 80


@dataclass
class Planned:
    """One article of an import: where it goes, its text, and what the import does with it."""

    key: str
    id: str
    path: Path
    text: str
    action: str  # create, update, unchanged, skip
    images: list = field(default_factory=list)  # (from, to)


@dataclass
class ImportResult:
    """The plan (done unless it was a dry run) and every problem found."""

    planned: list
    problems: list
    written: bool

    def count(self, action):
        """How many articles the import creates, updates, leaves unchanged or skips."""
        return sum(1 for p in self.planned if p.action == action)


def read_source(path, default_lang="en"):
    """Read a source by its shape: a ``.csv`` file, a Zendesk ``.json`` file or folder, or a folder of pages."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist")
    if path.is_file() and path.suffix.lower() == ".csv":
        return csvfaq.read(path, default_lang)
    if path.is_file() and path.suffix.lower() == ".json" or path.is_dir() and any(path.glob("*.json")):
        return zendesk.read(path, default_lang)
    if path.is_dir():
        return htmlpages.read(path, default_lang)
    raise ValueError(f"{path}: give a .csv file, a Zendesk .json export (file or folder) or a folder of HTML pages")


def import_source(path, into, dry_run=False, update=False, default_lang="en"):
    """Import a source into a content folder (nothing is written on a dry run); return an ``ImportResult``."""
    into = Path(into)
    if not into.is_dir():
        raise FileNotFoundError(f"content folder {into} does not exist")
    source = read_source(path, default_lang)
    if not source.records and not source.problems:
        raise ValueError(f"{path}: nothing to import (no articles, rows or pages found)")
    planner = _Planner(source, into, Catalog.load(into))
    planned = planner.plan(update)
    if not dry_run:
        for item in planned:
            _write(item)
    return ImportResult(planned, source.problems, not dry_run)


class _Planner:
    def __init__(self, source, into, catalog):
        self.source, self.into, self.catalog = source, into, catalog
        self.existing, self.taken = _existing(into)
        self.ids, self.sections = {}, {}
        self.by_key = {r.key: r for r in source.records}

    def plan(self, update):
        records = self._convertible()
        for record in records:
            self.ids[record.key] = self._new_id(record)
        sources = [r for r in records if not r.translation_of]
        translations = [r for r in records if r.translation_of]
        planned = {r.key: self._planned(r, update) for r in sources}
        for record in translations:  # imported together with its source: the translation is current
            planned[record.key] = self._planned(record, update, self._hash_of(planned[record.translation_of]))
        return [planned[r.key] for r in records]

    def _hash_of(self, item):
        article, _ = parse_article(item.text.encode("utf-8"), str(item.path))
        return article.content_hash if article else None

    def _convertible(self):
        """Records whose body keeps some text once sanitized (the others are reported and dropped), with the
        sections each will have (for links to a section)."""
        kept = []
        for record in self.source.records:
            markdown = html_to_markdown(record.html, record.title, record.lang, lambda h: None, lambda s, a: None)
            if not markdown.strip():
                self.source.problem(record.where, record.line, f"{record.key}: no text left once scripts, styles and "
                                    "markup are removed: skipped", "give the article some text", "error")
                continue
            self.sections[record.key] = {s.anchor for s in split_sections(markdown)}
            kept.append(record)
        keys = {r.key for r in kept}
        for record in kept:
            if record.translation_of and record.translation_of not in keys:
                self.source.problem(record.where, record.line, f"{record.key}: the article it translates was not "
                                    "imported: imported unlinked", "fix that article's problem and import again")
                record.translation_of = None
        return kept

    def _new_id(self, record):
        if record.key in self.existing:
            return self.existing[record.key][0]
        base = slugify(record.title)[:MAX_ID].strip("-") or "article"
        candidate, n = base, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{base}-{n}"
        if n > 1:
            self.source.problem(record.where, record.line, f"{record.key}: the title {record.title!r} is taken by "
                                f"another article: imported as {candidate}",
                                "merge the two if they say the same, or give one a clearer title")
        self.taken.add(candidate)
        return candidate

    def _planned(self, record, update, source_hash=None):
        article_id = self.ids[record.key]
        categories, tags = self._categories(record)
        products, more_tags = self._products(record)
        meta = {"id": article_id, "title": record.title}
        meta.update({k: v for k, v in (("type", record.type if record.type != "faq" else None), ("products", products),
                                       ("categories", categories)) if v})
        meta["lang"] = record.lang
        tags = list(dict.fromkeys(t.lower() for t in [*record.tags, *tags, *more_tags] if t.strip()))
        if tags:
            meta["tags"] = tags
        meta["status"] = record.status
        if record.translation_of:
            meta["translation_of"] = self.ids[record.translation_of]
            if source_hash:
                meta["source_hash"] = source_hash
        meta["source"] = record.key
        existing = self.existing.get(record.key)
        path = existing[1] if existing else self.into / (categories[0] if categories else "imported") / f"{article_id}.md"
        images = []
        body = html_to_markdown(record.html, record.title, record.lang, lambda href: self._link(record, href),
                                lambda src, alt: self._image(record, article_id, path, src, images))
        text = dump(meta, "\n" + body)
        article, problems = parse_article(text.encode("utf-8"), str(path))
        for problem in problems:  # the importer's own output must parse: report, never hide
            self.source.problem(record.where, record.line, f"{record.key}: {problem.message}", problem.fix,
                                problem.severity)
        return Planned(record.key, article_id, path, text, self._action(record, path, text, update), images)

    def _action(self, record, path, text, update):
        if record.key not in self.existing:
            return "create"
        if path.read_text("utf-8") == text:
            return "unchanged"
        if update:
            return "update"
        self.source.problem(record.where, record.line, f"{record.key}: {path.name} was changed since it was imported "
                            "(or the source changed): left as it is", "pass --update to overwrite it with the source")
        return "skip"

    def _categories(self, record):
        ids, tags = [], []
        for name in record.categories:
            found = _category(self.catalog, name)
            if found:
                ids.append(found)
            elif name.strip():
                tags.append(name.strip())
        if ids:
            return list(dict.fromkeys(ids)), []  # broad names such as "Products" beside a match say nothing more
        if record.categories and self.catalog.categories:
            self.source.problem(record.where, record.line, f"{record.key}: no category matches "
                                f"{', '.join(record.categories)}: kept as tags", "add the category to "
                                "categories.yaml (or its words), or set categories after the import")
        return [], tags

    def _products(self, record):
        codes, tags = [], []
        for label in list(record.tags):  # a label that is a model code or family says which products
            found = _product(self.catalog, label)
            if found and not label.strip().isdigit():
                codes.append(found)
                record.tags.remove(label)
        for code in record.products:
            found = _product(self.catalog, code)
            if found:
                codes.append(found)
            else:
                tags.append(code)
                self.source.problem(record.where, record.line, f"{record.key}: unknown product {code!r}: kept as a "
                                    "tag", "use a model code or family from catalog.yaml")
        return list(dict.fromkeys(codes)), tags

    def _link(self, record, href):
        found = self.source.link_key(href, record)
        if found is None:
            scheme = urlsplit(href).scheme.lower()
            return href if scheme in ("http", "https", "mailto", "tel") else None
        key, fragment = found
        if not key:
            self.source.problem(record.where, record.line, f"{record.key}: link to {href} points to nothing "
                                "imported: kept as text", "import the page it points to, or fix the link")
            return None
        target = self.by_key.get(key)
        anchor = (target.anchors.get(fragment) or slugify(fragment)) if fragment and target else None
        if anchor and anchor not in self.sections.get(key, ()):
            anchor = None  # the section is gone (renamed or merged): the link still opens the article
        return f"kb:{self.ids[key]}" + (f"#{anchor}" if anchor else "")

    def _image(self, record, article_id, path, src, images):
        if not src:
            return None  # the sanitizer dropped it (an inline data: image): its alt text stays
        parts = urlsplit(src)
        name = Path(unquote(parts.path)).name
        found = None
        if record.assets is not None and name:  # an export's images, downloaded beside it, by file name
            candidate = Path(record.assets) / name
            found = candidate if candidate.is_file() else None
        elif not parts.scheme and not parts.netloc and record.base and parts.path:
            root = Path(record.base).resolve()
            candidate = (root / unquote(parts.path)).resolve()
            found = candidate if candidate.is_file() and _within(candidate, _source_root(record)) else None
        if found is None or found.suffix.lower() not in IMAGE_TYPES:
            self.source.problem(record.where, record.line, f"{record.key}: image {src[:120]} not imported (the "
                                "importer never downloads)", "put the file in attachments/ beside the export, or "
                                "next to the page, and import again")
            return None
        dest = f"{article_id}-{re.sub(r'[^a-z0-9._-]+', '-', found.name.lower())}"
        images.append((found, path.parent / dest))
        return dest


def _source_root(record):
    """The folder of pages a page's images must stay in (its own folder up to the source root)."""
    base = Path(record.base).resolve()
    depth = record.key.count("/") if record.key.startswith("html:") else 0
    return base.parents[depth - 1] if depth else base


def _within(path, root):
    return path == root or root in path.parents


def _existing(into):
    """``({source: (id, path)}, ids taken)`` of the articles already in a content folder."""
    sources, taken = {}, set()
    for path in article_files(into):
        taken.add(path.stem)
        article, _ = parse_article(path.read_bytes(), str(path))
        if article is not None:
            taken.add(article.id)
            if article.source:
                sources[article.source] = (article.id, path)
    return sources, taken


def _category(catalog, name):
    wanted = slugify(name)
    for category in catalog.categories.values():
        names = {category.id, slugify(category.name), slugify(category.pl), *(slugify(w) for w in category.words)}
        if wanted in names or wanted.rstrip("s") in names:
            return category.id
    return None


def _product(catalog, code):
    code = code.strip()
    if code.endswith("*"):
        return code.upper() if catalog.expand(code) else None
    product = catalog.product(code)
    if product:
        return product.code
    family = next((f for f in catalog.families.values() if normalize_code(f.code) == normalize_code(code)), None)
    return f"{family.code}*" if family else None


def _write(item):
    """Write one planned article and its images (only what changes)."""
    if item.action in ("create", "update"):
        item.path.parent.mkdir(parents=True, exist_ok=True)
        item.path.write_text(item.text, "utf-8")
    if item.action in ("create", "update", "unchanged"):
        for origin, dest in item.images:
            if not dest.exists() or dest.read_bytes() != origin.read_bytes():
                shutil.copyfile(origin, dest)


def problems_of(result):
    """Every problem of an import, in file and line order."""
    return sorted(result.problems, key=lambda p: (p.path, p.line, p.message))

