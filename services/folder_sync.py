"""Git -> database: articles changed in the content folder (``git pull`` then ``python -m server update`` on one
node) become new versions in the database, by author ``git``, so every other replica receives them like a web save.

Conflicts are decided by version numbers in the database, never by the file system: a file changed in git is
based on the version this node last applied for that article; when the database already holds a newer version
(a web save this node has not applied, or a draft in the editor), the git change is refused and reported, and the
writer resolves it in the editor. The UNIQUE (article, version) constraint refuses a web save racing this one.

A file deleted in git becomes a deletion version (status ``deleted``, empty text): every replica removes its file
and drops the article from its index; the history stays, and restoring an older version in the editor brings the
article back.

>>> record_folder_changes(publisher, ["tv-wifi-drops"])        # doctest: +SKIP
{'tv-wifi-drops': 'recorded'}
"""

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from kb.article import parse_article
from services.db import repo
from services.db.schema import article_versions, content_changes
from services.publisher import DELETED, record_change

AUTHOR = "git"


def record_folder_changes(publisher, article_ids):
    """Record each changed article's file as a new version; ``{article id: outcome}`` where the outcome is
    ``recorded``, ``unchanged``, ``conflict`` (a newer version is in the database), ``invalid`` (the file does not
    parse) or ``missing`` (no file: see ``record_folder_deletions``)."""
    return _each(publisher, article_ids, _record)


def record_folder_deletions(publisher, article_ids):
    """Record each article whose file was deleted from the folder as deleted; ``{article id: outcome}`` where the
    outcome is ``deleted``, ``unchanged`` (already deleted, or never in the database: nothing to tell the other
    replicas), ``conflict`` (a newer version is in the database) or ``present`` (the file is back)."""
    return _each(publisher, article_ids, _record_deletion)


def _each(publisher, article_ids, record):
    outcomes = {}
    for article_id in article_ids:
        try:
            outcomes[article_id] = record(publisher, article_id)
        except IntegrityError:  # a web save took the same version number first
            outcomes[article_id] = "conflict"
    return outcomes


def _record_deletion(publisher, article_id):
    if publisher.folder.read(article_id) is not None:
        return "present"
    with publisher.database.begin() as conn:
        latest = _latest(conn, article_id)
        if latest is None or latest.status == DELETED:
            return "unchanged"
        if latest.version > _applied_version(conn, article_id, publisher.cursor()):
            return "conflict"
        _insert_version(conn, article_id, latest.version + 1, "", DELETED, "deleted in the content folder (git)")
    return "deleted"


def _record(publisher, article_id):
    text = publisher.folder.read(article_id)
    if text is None:
        return "missing"
    article, _problems = parse_article(text.encode("utf-8"), f"{article_id}.md")
    if article is None or article.id != article_id:
        return "invalid"
    with publisher.database.begin() as conn:
        latest = _latest(conn, article_id)
        if latest is not None and latest.text == text:
            return "unchanged"
        if latest is not None and latest.version > _applied_version(conn, article_id, publisher.cursor()):
            return "conflict"
        number = latest.version + 1 if latest is not None else 1
        _insert_version(conn, article_id, number, text, article.status, "changed in the content folder (git)")
    return "recorded"


def _latest(conn, article_id):
    """The newest version's number, text and status, or None."""
    return conn.execute(select(article_versions.c.version, article_versions.c.text, article_versions.c.status)
                        .where(article_versions.c.article_id == article_id)
                        .order_by(article_versions.c.version.desc()).limit(1)).first()


def _insert_version(conn, article_id, number, text, status, comment):
    conn.execute(insert(article_versions).values(
        article_id=article_id, version=number, text=text, status=status, author=AUTHOR, comment=comment,
        important=False, created_at=repo.utcnow()))
    record_change(conn, article_id, number)


def _applied_version(conn, article_id, cursor):
    """The version of an article this node's folder shows: the newest change it applied, else the file as it was
    imported (version 1 by ``import``), else none (0: the article reached the database from elsewhere)."""
    applied = conn.execute(select(func.max(content_changes.c.version)).where(
        content_changes.c.article_id == article_id, content_changes.c.id <= cursor)).scalar()
    if applied:
        return applied
    first = conn.execute(select(article_versions.c.author).where(
        article_versions.c.article_id == article_id, article_versions.c.version == 1)).scalar()
    return 1 if first == "import" else 0
