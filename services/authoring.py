"""The writers' workflow: versions, optimistic concurrency, draft -> review -> published -> archived.

Save, then publish: a save commits its version (and, when the text consultants see changes, a content change)
in one transaction; the publisher then writes the Markdown file and updates the index. Editing a published
article keeps the published text live until a reviewer publishes the new version. Every save is a new version
row; nothing is overwritten. The rules hold for every caller (the JSON API, the editor, escalation drafts).

>>> authoring = Authoring(database, engine, publisher, folder)       # doctest: +SKIP
>>> authoring.save(text, author="jan", role="writer").version        # doctest: +SKIP
1
"""

import datetime as dt
import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from kb.article import STATUSES, parse_article
from kb.front_matter import set_field, set_status
from kb.lint import check_article
from kb.problems import Problem
from services.db import repo, training_repo
from services.db.schema import article_versions
from services.errors import Conflict, Forbidden, Invalid, NotFound
from services.files import safe_id
from services.publisher import record_change
from services.translations import important_since, source_history

WRITER_STATUSES = ("draft", "review")


@dataclass
class Saved:
    """A stored version: ``pending`` when a published article keeps its live text until the new one is published;
    ``searchable`` when the file and the index already show it."""

    article_id: str
    version: int
    status: str
    author: str
    pending: bool = False
    searchable: bool = False
    assigned: int = 0
    warnings: list = field(default_factory=list)


class _LiveContent:
    """The live knowledge base as ``kb.lint.check_article`` sees it (catalog, matrix, other articles)."""

    def __init__(self, version, article):
        self.catalog, self.escalation = version.catalog, version.escalation
        self.articles = _LiveArticles(version.articles, article)


class _LiveArticles(Mapping):
    """The index's article records as lint's articles, wrapped when looked up (a save at 100x wrapped all 46,500
    first); the text being saved replaces its indexed record."""

    def __init__(self, records, article):
        self.records, self.article = records, article

    def __getitem__(self, key):
        return self.article if key == self.article.id else _Record(self.records[key])

    def __iter__(self):
        yield from (key for key in self.records if key != self.article.id)
        yield self.article.id

    def __len__(self):
        return len(self.records) + (self.article.id not in self.records)


class _Record:
    """An indexed article as lint's cross-reference checks see it: id, language, translation link, anchors."""

    def __init__(self, record):
        self.record = record
        self.id, self.lang = record["id"], record.get("lang", "en")
        self.translation_of = record.get("translation_of")
        self.content_hash = record.get("content_hash")

    def section(self, anchor):
        return anchor if any(s["anchor"] == anchor for s in self.record["sections"]) else None


def validate(text, engine, expected_id=None, today=None):
    """Parse and lint a text against the live knowledge base; return ``(Article, warnings)`` or raise Invalid."""
    article, problems = parse_article(text.encode("utf-8", "surrogatepass"), f"{expected_id or 'new'}.md")
    if article is not None:
        if expected_id and article.id != expected_id:
            problems.append(Problem(article.path, article.meta_lines.get("id", 2), "error",
                                    f"id {article.id!r} differs from the article being edited ({expected_id!r})",
                                    "keep the id; create a new article for a new id"))
        problems.extend(check_article(_LiveContent(engine.version, article), article, today or dt.date.today()))
    errors = [p for p in problems if p.severity == "error"]
    if article is None or errors:
        raise Invalid(errors or problems)
    return article, [p for p in problems if p.severity != "error"]


class Authoring:
    """Versions in the database; the publisher brings files and index up to date after each commit."""

    def __init__(self, database, engine, publisher, folder):
        self.database, self.engine, self.publisher, self.folder = database, engine, publisher, folder

    # -- reading ---------------------------------------------------------------------------------------------------

    def latest(self, article_id):
        """The newest version (the file imported as version 1 on first use), or NotFound."""
        return self.version(article_id)

    def version(self, article_id, number=None):
        """One version (the latest when ``number`` is None), or NotFound."""
        _checked_id(article_id)
        with self.database.begin() as conn:
            found = self._version(conn, article_id, number)
        if found is None:
            raise NotFound("unknown_article", f"no article {article_id!r}" + (f" version {number}" if number else ""))
        return found

    def versions(self, article_id):
        """All versions, newest first (without their texts)."""
        _checked_id(article_id)
        with self.database.begin() as conn:
            self._import_file(conn, article_id)
            rows = conn.execute(select(article_versions.c.version, article_versions.c.status, article_versions.c.author,
                                       article_versions.c.comment, article_versions.c.important,
                                       article_versions.c.created_at)
                                .where(article_versions.c.article_id == article_id)
                                .order_by(article_versions.c.version.desc())).mappings()
            found = [dict(r) for r in rows]
        if not found:
            raise NotFound("unknown_article", f"no article {article_id!r}")
        return found

    def diff(self, article_id, a, b):
        """Unified diff between two versions."""
        va, vb = self.version(article_id, a), self.version(article_id, b)
        return list(difflib.unified_diff(va["text"].splitlines(), vb["text"].splitlines(), f"version {a}",
                                         f"version {b}", lineterm=""))

    def live_status(self, article_id):
        """Status of the version consultants see (from the index), or None for a new article."""
        record = self.engine.version.articles.get(article_id)
        return record["status"] if record else None

    def _version(self, conn, article_id, number=None):
        self._import_file(conn, article_id)
        query = select(article_versions).where(article_versions.c.article_id == article_id)
        query = query.where(article_versions.c.version == number) if number else query.order_by(
            article_versions.c.version.desc()).limit(1)
        row = conn.execute(query).mappings().first()
        return dict(row) if row else None

    def _import_file(self, conn, article_id):
        exists = conn.execute(select(func.count()).select_from(article_versions)
                              .where(article_versions.c.article_id == article_id)).scalar()
        if exists:
            return
        try:
            text = self.folder.read(article_id)
        except ValueError:  # a symbolic link where the file should be: never read, never imported
            return
        if text is not None:
            article, _ = parse_article(text.encode("utf-8"), f"{article_id}.md")
            self._insert(conn, article_id, 1, text, article.status if article else "draft", "import",
                         "the file as it was before the first edit in the editor")

    def _insert(self, conn, article_id, number, text, status, author, comment="", important=False):
        conn.execute(insert(article_versions).values(article_id=article_id, version=number, text=text, status=status,
                                                     author=author, comment=comment, important=important,
                                                     created_at=repo.utcnow()))

    # -- writing ---------------------------------------------------------------------------------------------------

    def save(self, text, author, role="admin", base_version=None, expected_id=None, comment="", important=False,
             status=None):
        """Store a new version, then publish it to the folder and index unless a published article is being edited.

        Writers may save drafts and send to review; a text that asks for published or archived is saved as a draft
        (reviewers and admins may publish and archive).
        """
        try:
            with self.database.begin() as conn:
                saved = self.stage(conn, text, author, role, base_version, expected_id, comment, important, status)
        except IntegrityError:  # a concurrent save took the same version number first
            latest = self.version(saved_id(text, expected_id))
            raise Conflict(latest, text) from None
        if not saved.pending:
            saved.searchable = self.publisher.apply_pending()
        return saved

    def stage(self, conn, text, author, role="admin", base_version=None, expected_id=None, comment="",
              important=False, status=None, today=None):
        """Validate and store a version inside the caller's transaction (publish with ``publish_pending`` after the
        commit)."""
        if status is None:
            status = _status_of(text)
        if status not in STATUSES:
            status = "draft"
        if status in ("published", "archived") and role not in ("reviewer", "admin"):
            status = "draft"
        text = set_status(text, status) if _status_of(text) != status else text
        if status == "published":  # publishing is the review: the date consultants see says so
            text = set_field(text, "reviewed", (today or dt.date.today()).isoformat())
        article, warnings = validate(text, self.engine, expected_id)
        try:  # where the file will go: a link out of the folder would block every later change
            self.folder.path_of(article.id, article.categories)
        except ValueError as exc:
            raise Invalid([Problem(article.path, 1, "error", str(exc), "ask an administrator to replace the link "
                                   "with the article's file")]) from None
        saved = self._store(conn, article, text, author, base_version, comment, important)
        saved.warnings = warnings
        return saved

    def publish_pending(self):
        """Bring the folder and the index up to date with committed versions; True when done, False when retrying."""
        return self.publisher.apply_pending()

    def _store(self, conn, article, text, author, base_version, comment, important):
        latest = self._version(conn, article.id)  # an existing file counts as version 1
        if latest and base_version != latest["version"] and self._others_since(conn, article.id, base_version, author):
            raise Conflict(latest, text)
        number = latest["version"] + 1 if latest else 1
        self._insert(conn, article.id, number, text, article.status, author, comment, important)
        pending = self.live_status(article.id) == "published" and article.status in WRITER_STATUSES
        saved = Saved(article.id, number, article.status, author, pending=pending)
        if not pending:
            record_change(conn, article.id, number)
        if article.status == "published" and important:
            record = self.engine.version.articles.get(article.id, {})
            categories = record.get("categories") or article.categories
            saved.assigned = training_repo.assign_reading(conn, article.id, number, categories, author)
        elif article.status == "published" and article.translation_of:
            saved.assigned = self._catch_up_reading(conn, article, number, author)
        return saved

    def _catch_up_reading(self, conn, article, number, author):
        """A translation published as it catches up with an important change of its source is required reading
        too, for the same people as the source's change (so whoever works in that language reads it there)."""
        previous = conn.execute(select(article_versions.c.text).where(
            article_versions.c.article_id == article.id, article_versions.c.status == "published",
            article_versions.c.version < number).order_by(article_versions.c.version.desc()).limit(1)).scalar()
        before, _ = parse_article(previous.encode("utf-8"), f"{article.id}.md") if previous else (None, None)
        if before is None or not important_since(source_history(conn, article.translation_of), before.source_hash,
                                                 article.source_hash):
            return 0
        record = self.engine.version.articles.get(article.id, {})
        return training_repo.assign_reading(conn, article.id, number, record.get("categories") or article.categories,
                                            author)

    def _others_since(self, conn, article_id, base_version, author):
        """Whether someone other than ``author`` saved a version after ``base_version`` (your own saves, say from a
        second click before the first one answered, are never a conflict)."""
        if base_version is None or base_version > self._version(conn, article_id)["version"]:
            return True  # no base, or one that was never saved: not a version this writer has seen
        return conn.execute(select(func.count()).select_from(article_versions).where(
            article_versions.c.article_id == article_id, article_versions.c.version > base_version,
            article_versions.c.author != author)).scalar() > 0

    def pending_important(self, article_id):
        """Whether a version saved since the last published one was marked as an important change (the tick a
        reviewer must see when publishing)."""
        _checked_id(article_id)
        with self.database.connect() as conn:
            published = conn.execute(select(func.max(article_versions.c.version)).where(
                article_versions.c.article_id == article_id, article_versions.c.status == "published")).scalar() or 0
            return conn.execute(select(func.count()).select_from(article_versions).where(
                article_versions.c.article_id == article_id, article_versions.c.version > published,
                article_versions.c.important.is_(True))).scalar() > 0

    def transition(self, article_id, status, author, role, base_version=None, important=False):
        """Move the latest version to ``status`` (review, published, archived) as a new version."""
        latest = self.version(article_id)
        base = latest["version"] if base_version is None else base_version
        if status in ("published", "archived") and role not in ("reviewer", "admin"):
            raise Forbidden("forbidden", f"only reviewers can move an article to {status}")
        if latest["status"] == status and base == latest["version"]:  # already there: one action, one version
            return Saved(article_id, latest["version"], status, latest["author"],
                         searchable=self.live_status(article_id) == status)
        return self.save(latest["text"], author, role, base, article_id, f"status -> {status}",
                         important or bool(latest.get("important")), status)

    def restore(self, article_id, number, author, role, base_version):
        """Make an old version's text the newest version (as a draft when the article is live)."""
        old = self.version(article_id, number)
        status = "draft" if self.live_status(article_id) == "published" else None
        return self.save(old["text"], author, role, base_version, article_id, f"restored version {number}",
                         status=status)

    # -- lists -----------------------------------------------------------------------------------------------------

    def review_queue(self):
        """Articles whose latest version waits for review."""
        latest = (select(article_versions.c.article_id, func.max(article_versions.c.version).label("v"))
                  .group_by(article_versions.c.article_id).subquery())
        with self.database.connect() as conn:
            rows = conn.execute(select(article_versions).join(
                latest, (article_versions.c.article_id == latest.c.article_id) & (article_versions.c.version == latest.c.v))
                .where(article_versions.c.status == "review").order_by(article_versions.c.created_at))
            return [dict(r) for r in rows.mappings()]

    def needs_attention(self, owner=None, today=None):
        """Published articles past their review date, articles flagged as wrong, and translations whose source changed
        since they were reviewed, for an owner (or everyone)."""
        today = (today or dt.date.today()).isoformat()
        articles = self.engine.version.articles
        overdue = [{"article_id": a["id"], "title": a["title"], "owner": a.get("owner"), "reason": f"review by {a['review_by']}"}
                   for a in articles.values()
                   if a["status"] == "published" and a.get("review_by") and a["review_by"] < today
                   and (owner is None or a.get("owner") == owner)]
        with self.database.connect() as conn:
            tasks = repo.open_review_tasks(conn)
        flagged = [{"article_id": t["article_id"], "title": articles.get(t["article_id"], {}).get("title", ""),
                    "owner": t["owner"], "reason": t["reason"]} for t in tasks if owner is None or t["owner"] == owner]
        outdated = [{"article_id": a["id"], "title": a["title"], "owner": a.get("owner"), "source": a["translation_of"],
                     "reason": f"translation out of date: {a['translation_of']} changed"}
                    for a in articles.values() if a.get("outdated") and a["status"] != "archived"
                    and (owner is None or a.get("owner") == owner)]
        return overdue + flagged + outdated


def _checked_id(article_id):
    try:
        return safe_id(article_id)
    except ValueError as exc:
        raise NotFound("unknown_article", str(exc)) from None


def saved_id(text, expected_id=None):
    """The id a text is saved under."""
    from kb.front_matter import read_field

    return expected_id or read_field(text, "id") or ""


def _status_of(text):
    from kb.front_matter import read_field

    return read_field(text, "status") or "published"
