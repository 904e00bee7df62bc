"""The writers' workflow: versions, optimistic concurrency, draft -> review -> published -> archived, and
"save means searchable" (the Markdown file is written and the index updated incrementally in the same request).

A published article's edit is kept as a pending version; the file and the search index keep the published text
until a reviewer publishes the new one. Every save is a new version row; nothing is overwritten.
"""

import datetime as dt
import difflib
import os
import re
import tempfile
import threading
from pathlib import Path

import yaml
from sqlalchemy import func, insert, select

from assist_api.db import repo, training_repo
from assist_api.db.schema import article_versions
from kb.article import parse_article
from kb.lint import check_article

FRONT = re.compile(r"\A---\n(.*?)\n---\n?", re.S)
_INDEX_LOCK = threading.Lock()


class Conflict(Exception):
    """Someone saved a newer version since ``base_version``: both texts travel with the error."""

    def __init__(self, latest, yours):
        super().__init__(f"version {latest['version']} was saved by {latest['author']} since you opened the article")
        self.latest, self.yours = latest, yours


class Invalid(Exception):
    """The text has lint errors; ``problems`` name the line and the fix."""

    def __init__(self, problems):
        super().__init__("; ".join(str(p) for p in problems[:3]))
        self.problems = problems


class _Record:
    """An indexed article as lint's cross-reference checks see it."""

    def __init__(self, record):
        self.anchors = {s["anchor"] for s in record["sections"]}

    def section(self, anchor):
        return anchor if anchor in self.anchors else None


class _IndexedContent:
    """The live knowledge base as seen by ``kb.lint.check_article`` (catalog, matrix, other articles)."""

    def __init__(self, version, extra_id=None):
        self.catalog, self.escalation = version.catalog, version.escalation
        self.articles = {k: _Record(v) for k, v in version.articles.items()}
        if extra_id:
            self.articles.setdefault(extra_id, _Record({"sections": []}))


def set_status(text, status):
    """The article text with its front matter ``status`` changed."""
    match = FRONT.match(text)
    meta = yaml.safe_load(match.group(1)) or {}
    meta["status"] = status
    body = text[match.end():]
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, default_flow_style=None) + "---\n" + body


def validate(text, engine, expected_id=None, today=None):
    """Parse and lint a text against the live knowledge base; return the Article or raise Invalid."""
    article, problems = parse_article(text.encode("utf-8"), f"{expected_id or 'new'}.md")
    if article is not None:
        if expected_id and article.id != expected_id:
            from kb.problems import Problem

            problems.append(Problem(article.path, article.meta_lines.get("id", 2), "error",
                                    f"id {article.id!r} differs from the article being edited ({expected_id!r})",
                                    "keep the id; create a new article for a new id"))
        problems.extend(check_article(_IndexedContent(engine.version, article.id), article, today or dt.date.today()))
    errors = [p for p in problems if p.severity == "error"]
    if article is None or errors:
        raise Invalid(errors or problems)
    return article, [p for p in problems if p.severity != "error"]


class Authoring:
    """Versions in the database, files in the content folder, the index kept current."""

    def __init__(self, database, engine, builder, settings):
        self.database, self.engine, self.builder, self.settings = database, engine, builder, settings
        self.content = Path(settings.content_dir)

    # -- reading ---------------------------------------------------------------------------------------------------

    def path_of(self, article_id):
        """The file of an article: where the index found it, else ``<category or drafts>/<id>.md``."""
        record = self.engine.version.articles.get(article_id)
        if record:
            return self.content / record["path"]
        found = next(self.content.rglob(f"{article_id}.md"), None)
        return found or self.content / "drafts" / f"{article_id}.md"

    def versions(self, conn, article_id):
        """All versions, newest first (without their texts)."""
        rows = conn.execute(select(article_versions.c.version, article_versions.c.status, article_versions.c.author,
                                   article_versions.c.comment, article_versions.c.important, article_versions.c.created_at)
                            .where(article_versions.c.article_id == article_id)
                            .order_by(article_versions.c.version.desc())).mappings()
        return [dict(r) for r in rows]

    def version(self, conn, article_id, number=None):
        """One version (the latest when ``number`` is None), importing the file as version 1 if needed."""
        self._import_file(conn, article_id)
        query = select(article_versions).where(article_versions.c.article_id == article_id)
        query = query.where(article_versions.c.version == number) if number else query.order_by(
            article_versions.c.version.desc()).limit(1)
        row = conn.execute(query).mappings().first()
        return dict(row) if row else None

    def _import_file(self, conn, article_id):
        exists = conn.execute(select(func.count()).select_from(article_versions)
                              .where(article_versions.c.article_id == article_id)).scalar()
        path = self.path_of(article_id)
        if not exists and path.exists():
            text = path.read_text("utf-8")
            article, _ = parse_article(text.encode(), path.name)
            self._insert(conn, article_id, 1, text, article.status if article else "draft", "import",
                         "the file as it was before the first edit in the editor")

    def _insert(self, conn, article_id, number, text, status, author, comment="", important=False):
        conn.execute(insert(article_versions).values(article_id=article_id, version=number, text=text, status=status,
                                                     author=author, comment=comment, important=important,
                                                     created_at=repo.utcnow()))
        return {"article_id": article_id, "version": number, "status": status, "author": author, "text": text}

    def live_status(self, article_id):
        """Status of the version consultants see (from the index), or None for a new article."""
        record = self.engine.version.articles.get(article_id)
        return record["status"] if record else None

    # -- writing ---------------------------------------------------------------------------------------------------

    def save(self, conn, text, author, base_version=None, expected_id=None, comment="", important=False, status=None):
        """Store a new version; write the file and update the index unless a published article is being edited."""
        if status:
            text = set_status(text, status)
        article, warnings = validate(text, self.engine, expected_id)
        latest = self.version(conn, article.id)  # an existing file counts as version 1
        if latest and base_version != latest["version"]:
            raise Conflict(latest, text)
        number = latest["version"] + 1 if latest else 1
        stored = self._insert(conn, article.id, number, text, article.status, author, comment, important)
        stored["pending"] = self.live_status(article.id) == "published" and article.status in ("draft", "review")
        if not stored["pending"]:
            self._write_and_index(article.id, text)
        if article.status == "published" and important:
            categories = self.engine.version.articles.get(article.id, {}).get("categories") or article.categories
            stored["assigned"] = training_repo.assign_reading(conn, article.id, number, categories, author)
        return stored, warnings

    def transition(self, conn, article_id, status, author, base_version=None, important=False):
        """Move the latest version to ``status`` (review, published, archived) as a new version."""
        latest = self.version(conn, article_id)
        if latest is None:
            raise KeyError(article_id)
        base = latest["version"] if base_version is None else base_version
        return self.save(conn, latest["text"], author, base, article_id, f"status -> {status}",
                         important or bool(latest.get("important")), status)

    def restore(self, conn, article_id, number, author, base_version):
        """Make an old version's text the newest version (as a draft when the article is live)."""
        old = self.version(conn, article_id, number)
        if old is None:
            raise KeyError(f"{article_id} v{number}")
        status = "draft" if self.live_status(article_id) == "published" else None
        return self.save(conn, old["text"], author, base_version, article_id, f"restored version {number}",
                         status=status)

    def diff(self, conn, article_id, a, b):
        """Unified diff between two versions."""
        va, vb = self.version(conn, article_id, a), self.version(conn, article_id, b)
        if va is None or vb is None:
            raise KeyError(f"{article_id} v{a}/v{b}")
        return list(difflib.unified_diff(va["text"].splitlines(), vb["text"].splitlines(), f"version {a}",
                                         f"version {b}", lineterm=""))

    def _write_and_index(self, article_id, text):
        path = self.path_of(article_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
        with _INDEX_LOCK:  # one writer of the index store per process; the store's file lock covers processes
            self.builder.update(self.content, self.settings.index_dir)
        self.engine.refresh()

    # -- lists -----------------------------------------------------------------------------------------------------

    def review_queue(self, conn):
        """Articles whose latest version waits for review."""
        latest = (select(article_versions.c.article_id, func.max(article_versions.c.version).label("v"))
                  .group_by(article_versions.c.article_id).subquery())
        rows = conn.execute(select(article_versions).join(latest, (article_versions.c.article_id == latest.c.article_id)
                                                          & (article_versions.c.version == latest.c.v))
                            .where(article_versions.c.status == "review").order_by(article_versions.c.created_at))
        return [dict(r) for r in rows.mappings()]

    def needs_attention(self, conn, owner=None, today=None):
        """Published articles past their review date, and articles flagged as wrong, for an owner (or everyone)."""
        today = (today or dt.date.today()).isoformat()
        overdue = [{"article_id": a["id"], "title": a["title"], "owner": a.get("owner"), "reason": f"review by {a['review_by']}"}
                   for a in self.engine.version.articles.values()
                   if a["status"] == "published" and a.get("review_by") and a["review_by"] < today
                   and (owner is None or a.get("owner") == owner)]
        flagged = [{"article_id": t["article_id"], "title": self.engine.version.articles.get(t["article_id"], {}).get("title", ""),
                    "owner": t["owner"], "reason": t["reason"]}
                   for t in repo.open_review_tasks(conn) if owner is None or t["owner"] == owner]
        return overdue + flagged
