"""Linked translations in the writers' workflow: the source next to its translation with the source's diff since the
translation was made, and "Translate", which starts a linked draft in the other language.

A translation names its source (``translation_of``) and the source's content hash it was made from
(``source_hash``); the versions table keeps every text the source had, so the version the translation was made from
is the newest one with that hash, and the diff since is the history diff of the editor.

>>> translations = Translations(authoring, engine)                   # doctest: +SKIP
>>> translations.status("tv-wifi-rozlacza-pl")["outdated"]           # doctest: +SKIP
True
>>> translations.translate("tv-no-sound", "jan", "writer").article_id  # doctest: +SKIP
'tv-no-sound-pl'
"""

import json
import re

from sqlalchemy import select

from kb.article import LANGS, parse_article
from services.db.schema import article_versions
from services.errors import NotFound, ServiceError


def content_hash(text, article_id):
    """The content hash (title and body) of an article text, or None when it does not parse."""
    article, _ = parse_article(text.encode("utf-8"), f"{article_id}.md")
    return article.content_hash if article else None


def source_history(conn, source_id):
    """``[(version, content hash, status, important)]`` of an article's saved versions, newest first."""
    rows = conn.execute(select(article_versions.c.version, article_versions.c.text, article_versions.c.status,
                               article_versions.c.important)
                        .where(article_versions.c.article_id == source_id)
                        .order_by(article_versions.c.version.desc())).all()
    return [(r.version, content_hash(r.text, source_id), r.status, bool(r.important)) for r in rows]


def version_with(history, wanted_hash):
    """The newest version in ``history`` whose content hash is ``wanted_hash``, or None."""
    return next((version for version, found, _, _ in history if wanted_hash and found == wanted_hash), None)


def important_since(history, old_hash, new_hash):
    """Whether the source was published with an important change after the version with ``old_hash`` and up to
    the one with ``new_hash`` (what a translation catching up from ``old_hash`` to ``new_hash`` takes in).

    >>> important_since([(3, "c", "published", False), (2, "b", "published", True), (1, "a", "published", False)],
    ...                 "a", "c")
    True
    >>> important_since([(3, "c", "published", True), (2, "b", "published", False)], "b", "b")
    False
    """
    if not new_hash or old_hash == new_hash:
        return False
    upper = version_with(history, new_hash)
    lower = version_with(history, old_hash) or 0
    return upper is not None and any(lower < version <= upper and status == "published" and important
                                     for version, _, status, important in history)


class Translations:
    """The translation side of the editor, over the writers' versions (``Authoring``) and the live index."""

    def __init__(self, authoring, engine):
        self.authoring, self.engine = authoring, engine

    def status(self, article_id):
        """A translation's source, whether it is out of date, and the source's diff since the translation was made
        (``translation_of`` None for an article that translates nothing); ``languages`` are the group's."""
        article = _parsed(self.authoring.latest(article_id)["text"], article_id)
        group = article.translation_of or article_id
        out = {"id": article_id, "lang": article.lang, "translation_of": article.translation_of,
               "languages": sorted(self._languages(group) | {article.lang})}
        if not article.translation_of:
            return out
        source = self.authoring.latest(article.translation_of)
        with self.authoring.database.connect() as conn:
            history = source_history(conn, article.translation_of)
        current = self._live_hash(article.translation_of) or history[0][1]
        made_from, now = version_with(history, article.source_hash), version_with(history, current) or history[0][0]
        parsed = _parsed(source["text"], article.translation_of)
        out.update(source_hash=article.source_hash, current_hash=current, outdated=article.source_hash != current,
                   from_version=made_from, source={"id": parsed.id, "title": parsed.title, "lang": parsed.lang,
                                                   "version": now, "status": source["status"],
                                                   "body": parsed.body.lstrip("\n")},
                   diff=self.authoring.diff(parsed.id, made_from, now) if made_from else None)
        return out

    def translate(self, article_id, author, role, lang=None):
        """Start a linked draft of an article (or of its source) in ``lang`` (default: the other language), with
        the source's body as a starting point; refuse when the group already has that language."""
        source = _parsed(self.authoring.latest(article_id)["text"], article_id)
        if source.translation_of:  # translate the source, never a translation of a translation
            source = _parsed(self.authoring.latest(source.translation_of)["text"], source.translation_of)
        lang = lang or next(code for code in LANGS if code != source.lang)
        if lang not in LANGS or lang == source.lang:
            raise ServiceError("bad_language", f"translate {source.id!r} ({source.lang}) into one of "
                               f"{', '.join(c for c in LANGS if c != source.lang)}", 422)
        existing = self._member(source.id, lang)
        if existing:
            raise ServiceError("translation_exists", f"{source.id!r} already has a {lang} version: {existing!r}",
                               409, existing=existing)
        text = _draft_text(source, self._free_id(source, lang), lang, author)
        return self.authoring.save(text, author, role, comment=f"translation of {source.id} started")

    def _live_hash(self, article_id):
        record = self.engine.version.articles.get(article_id)
        return record.get("content_hash") if record else None

    def _languages(self, group):
        return set(self.engine.version.groups.get(group, {}))

    def _member(self, source_id, lang):
        """The article in ``lang`` of a group: indexed, or saved as a draft the index does not show yet."""
        found = self.engine.version.groups.get(source_id, {}).get(lang)
        if found:
            return found
        with self.authoring.database.connect() as conn:
            rows = conn.execute(select(article_versions.c.article_id, article_versions.c.text).where(
                article_versions.c.text.contains(f"translation_of: {source_id}")
                | article_versions.c.text.contains(f'translation_of: "{source_id}"'))).all()
        for row in rows:
            other = _parsed(row.text, row.article_id, required=False)
            if other and other.translation_of == source_id and other.lang == lang:
                return row.article_id
        return None

    def _free_id(self, source, lang):
        base = re.sub(rf"-{source.lang}$", "", source.id)
        candidates = [f"{base}-{lang}"] + [f"{base}-{lang}-{n}" for n in range(2, 100)]
        for candidate in candidates:
            try:
                self.authoring.latest(candidate)
            except NotFound:
                return candidate
        raise ServiceError("no_free_id", f"no free id for the {lang} version of {source.id!r}", 409)


def _parsed(text, article_id, required=True):
    article, _ = parse_article(text.encode("utf-8"), f"{article_id}.md")
    if article is None and required:
        raise ServiceError("unreadable_article", f"the latest version of {article_id!r} does not parse", 422)
    return article


def _draft_text(source, new_id, lang, author):
    """The front matter of a linked draft (JSON values are valid YAML) and the source's body to translate."""
    fields = {"id": new_id, "title": source.title, "type": source.type, "lang": lang, "audience": source.audience,
              "products": source.products, "categories": source.categories, "tags": source.tags,
              "escalation": source.escalation, "owner": author, "status": "draft", "translation_of": source.id,
              "source_hash": source.content_hash}
    front = "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in fields.items() if v not in (None, [], ""))
    return f"---\n{front}\n---\n\n{source.body.strip()}\n"
