"""A content directory: articles, catalog, escalation matrix and synonyms, loaded with their problems.

>>> kb = Content.load("tests/fixture_kb")          # doctest: +SKIP
>>> kb.articles["tv-no-sound"].title             # doctest: +SKIP
"""

import bisect
import copy
import hashlib
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

from kb.article import parse_article
from kb.catalog import Catalog
from kb.escalation import EscalationMatrix
from kb.problems import Problem
from kb.synonyms import Synonyms


def article_files(content_dir):
    """Every article file under a content folder, sorted. README files are documentation, and files or folders
    whose name starts with a dot are hidden (inside the folder: the folder itself may live under ``~/.kb``)."""
    return [Path(path) for _rel, path in _walk(content_dir)]


def _walk(content_dir):
    """``(relative path, path)`` strings of the article files, sorted as paths sort (strings, not ``Path``
    objects: at 100x, pathlib's parsing and comparisons were most of an update's look at the folder)."""
    root = os.fspath(content_dir)
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        folder = os.path.relpath(dirpath, root)
        prefix, base = ("" if folder == "." else folder + os.sep), dirpath + os.sep
        found.extend((prefix + name, base + name) for name in filenames if _is_article_name(name))
    found.sort(key=lambda item: _path_order(item[0]))
    return found


def _is_article_name(name):
    return name.endswith(".md") and not name.startswith(".") and name.lower() != "readme.md"


def _path_order(rel):
    """The sort key of a relative path: as paths sort, folder by folder (the order a load adds articles in)."""
    return rel.split(os.sep)


def _in_load_order(articles, before, same_places):
    """``articles`` (those of ``before`` less some, then new or moved ones) in the order a load adds them: by path.
    Each new or moved one is put in its place by a binary search over ``before``'s order, already by path."""
    kept = [art for art in before if art in articles and (same_places or articles[art].path == before[art].path)]
    if not same_places:
        placed = set(kept)
        for article in sorted((a for a in articles.values() if a.id not in placed), key=lambda a: _path_order(a.path)):
            kept.insert(bisect.bisect(kept, _path_order(article.path), key=lambda art: _path_order(articles[art].path)),
                        article.id)
    return {art: articles[art] for art in kept}


def settled_ns():
    """Files and folders whose times are older than this may be trusted by their stat next time: a second ago (as
    git's index does, two changes within the file system's time granularity could otherwise look like one)."""
    return time.time_ns() - 1_000_000_000


def _link(translators, article, sign):
    """Add (1) or remove (-1) an article under the source it translates; sets are replaced, never changed, so a
    patched content's copy of the index shares the others."""
    if article.translation_of:
        ids = translators.get(article.translation_of, frozenset())
        translators[article.translation_of] = ids | {article.id} if sign > 0 else ids - {article.id}


def _file_value(rel, digest):
    return int.from_bytes(hashlib.blake2b(f"{rel}\0{digest}".encode(), digest_size=8).digest(), "big")


def file_digest(data):
    """Stable hash of a file's bytes (what incremental updates compare)."""
    return hashlib.sha256(data).hexdigest()[:16]


META_NAMES = ("catalog.yaml", "categories.yaml", "escalation.yaml", "synonyms.yaml")


class ParseCache:
    """What the last load parsed, by file bytes: a long-lived indexer re-parses only the files that changed (at
    10x, parsing every file again was 26 of the 28 s an update took)."""

    def __init__(self):
        self.articles = {}  # (relative path, digest) -> (article, problems) of the last load
        self.meta = {}  # digests of the meta files -> (catalog, escalation, synonyms)
        self.stats = {}  # relative path -> (stat signature, digest) of files that had settled at the last load

    def known_digest(self, rel, signature):
        """The digest of a file whose stat signature is the one it had when it was last read, or None. Like git's
        index: a file is only trusted by its stat once its change time is a second older than the load that read
        it (a write within the file system's timestamp granularity could otherwise keep size and time)."""
        found = self.stats.get(rel)
        return found[1] if found and found[0] == signature else None


@dataclass
class Content:
    """Everything a content folder holds. Broken articles are in ``problems``, never in ``articles``."""

    root: Path
    articles: dict = field(default_factory=dict)
    catalog: Catalog = field(default_factory=Catalog)
    escalation: EscalationMatrix = field(default_factory=EscalationMatrix)
    synonyms: Synonyms = field(default_factory=Synonyms)
    problems: list = field(default_factory=list)
    hashes: dict = field(default_factory=dict)
    rejected: dict = field(default_factory=dict)
    cache: ParseCache = field(default=None, repr=False)
    stats: dict = field(default_factory=dict, repr=False)  # stat signatures of settled files, for the parse cache
    settled_ns: int = 0  # files whose times are older than this may be trusted by their stat next time
    meta_key: tuple = field(default=None, repr=False)  # digests of the meta files it was loaded with
    duplicate_ids: set = field(default_factory=set, repr=False)  # ids a second file was refused for
    # computed on first use and kept up to date by ``patched``: relative path -> article id, source id -> ids of
    # its translations, the fingerprint's sum and the number of published articles
    _ids_by_path: dict = field(default=None, repr=False, compare=False)
    _translators: dict = field(default=None, repr=False, compare=False)
    _fingerprint: int = field(default=None, repr=False, compare=False)
    _published: int = field(default=None, repr=False, compare=False)

    @classmethod
    def load(cls, content_dir, catalog=None, cache=None):
        """Load a folder; one broken file never stops the others from loading. With a ``ParseCache`` only files
        whose bytes changed since the last load through it are parsed."""
        root = Path(content_dir)
        if not root.is_dir():
            raise FileNotFoundError(f"content folder {root} does not exist")
        key = cls._meta_key(root)
        catalog, escalation, synonyms = cls._meta(root, key, catalog, cache)
        content = cls(root, catalog=catalog, escalation=escalation, synonyms=synonyms, cache=cache, meta_key=key)
        content.problems.extend(content.escalation.problems)
        seen, content.settled_ns = {}, settled_ns()
        for rel, path in _walk(root):
            content.add_file(path, seen, rel)
        if cache is not None:
            cache.articles = seen  # only what this load saw: deleted and replaced files are forgotten
            cache.stats = content.stats
        return content

    @staticmethod
    def _meta_key(root):
        return tuple(file_digest((root / n).read_bytes()) if (root / n).exists() else None for n in META_NAMES)

    @staticmethod
    def _meta(root, key, catalog, cache):
        if catalog is None and cache is not None and key in cache.meta:
            return cache.meta[key]
        loaded = (catalog or Catalog.load(root), EscalationMatrix.load(root), Synonyms.load(root))
        if catalog is None and cache is not None:
            cache.meta = {key: loaded}
        return loaded

    def relpath(self, path):
        """Path relative to the content root, as shown in problems."""
        try:
            return str(Path(path).relative_to(self.root))
        except ValueError:
            return str(path)

    def add_file(self, path, seen=None, rel=None):
        """Parse one file and add its article (or its problems); return the article or None. ``seen`` collects
        what was parsed, for the parse cache."""
        rel = rel or self.relpath(path)
        try:
            st = os.lstat(path)
        except OSError as exc:
            self.problems.append(Problem(rel, 1, "error", f"cannot read file: {exc.strerror}", "check the file's permissions"))
            return None
        if stat.S_ISLNK(st.st_mode):  # a link could serve any file of the machine (/etc/passwd) as an article
            self.problems.append(Problem(rel, 1, "error", "the article is a symbolic link",
                                         "replace the link with the article's file (links are never followed)"))
            return None
        try:
            # an unchanged file (by its stat, as git's index tells) is neither read nor hashed again: an update at
            # 100x read and hashed 46,500 files to find the one that changed
            signature = self._signature(st)
            digest = self.cache.known_digest(rel, signature) if signature else None
            parsed = self.cache.articles.get((rel, digest)) if digest else None
            if parsed is None:
                data = Path(path).read_bytes()
                digest = file_digest(data)
        except OSError as exc:
            self.problems.append(Problem(rel, 1, "error", f"cannot read file: {exc.strerror}", "check the file's permissions"))
            return None
        self.hashes[rel] = digest
        if signature and max(signature[:2]) < self.settled_ns:
            self.stats[rel] = (signature, digest)
        key = (rel, digest)
        parsed = parsed or (self.cache.articles.get(key) if self.cache is not None else None)
        article, problems = parsed or parse_article(data, rel)
        if seen is not None:
            seen[key] = (article, problems)
        self.problems.extend(problems)
        if article is None:
            return None
        if any(p.severity == "error" for p in problems):
            self.rejected[rel] = article  # parsed but invalid: lint still checks it, the indexer skips it
            return None
        twin = self.articles.get(article.id)
        if twin is not None:
            self.duplicate_ids.add(article.id)
            self.problems.append(Problem(rel, article.meta_lines.get("id", 2), "error",
                                         f"duplicate id {article.id!r}, also used by {twin.path}",
                                         "give this article a new, unique id"))
            return None
        self.articles[article.id] = article
        return article

    def patched(self, paths):
        """A copy of this content with the article files ``paths`` (written, moved or deleted since it was loaded)
        read again, and every other file taken as it was: what an indexer told what changed does instead of
        walking the folder (at 100x, looking at 46,500 files was most of an edit's wait). ``paths``: relative to
        the root, or absolute. None when only a load gives the right answer (the meta files changed, or an id is
        claimed by two files: which one wins depends on every file's place), so the caller loads the folder."""
        rels = {rel for rel in map(self.article_rel, paths) if rel is not None}
        if self.cache is None or self._meta_key(self.root) != self.meta_key:
            return None
        if any(p.path in rels and p.message.startswith("duplicate id") for p in self.problems):
            return None
        new = copy.copy(self)
        new.articles, new.hashes, new.rejected = dict(self.articles), dict(self.hashes), dict(self.rejected)
        new.stats, new.duplicate_ids = dict(self.stats), set(self.duplicate_ids)
        new.problems = [p for p in self.problems if p.path not in rels]
        new._ids_by_path, new._translators = dict(self.ids_by_path()), dict(self.translators())
        new._published = self.published_count()
        new.settled_ns = settled_ns()
        forgotten, root = [], os.fspath(self.root)
        for rel in rels:
            old = new._ids_by_path.pop(rel, None)
            if old is not None and old in self.duplicate_ids:
                return None
            if old is not None:
                new._account(new.articles.pop(old), -1)
            new.rejected.pop(rel, None)
            new.stats.pop(rel, None)
            digest = new.hashes.pop(rel, None)
            if digest is not None and new._fingerprint is not None:
                new._fingerprint -= _file_value(rel, digest)
            forgotten.append((rel, digest))
        self.cache.stats, seen, same_places = new.stats, {}, True
        for rel in sorted(rels, key=_path_order):
            if not os.path.lexists(os.path.join(root, rel)):
                continue
            article = new.add_file(os.path.join(root, rel), seen, rel)
            if new.duplicate_ids != self.duplicate_ids:
                return None
            if rel in new.hashes and new._fingerprint is not None:
                new._fingerprint += _file_value(rel, new.hashes[rel])
            if article is not None:
                new._ids_by_path[rel] = article.id
                new._account(article, 1)
                same_places = same_places and self.ids_by_path().get(rel) == article.id
        for key in forgotten:
            self.cache.articles.pop(key, None)
        self.cache.articles.update(seen)
        new.articles = _in_load_order(new.articles, self.articles, same_places)
        new.problems.sort(key=lambda p: (1, _path_order(p.path)) if p.path.endswith(".md") else (0, []))
        return new

    def article_rel(self, path):
        """An article file's path relative to the root; None when it is outside the root or not an article."""
        path = os.fspath(path)
        if os.path.isabs(path):
            path = os.path.relpath(os.path.realpath(path), os.path.realpath(self.root))
        path = os.path.normpath(path)
        parts = path.split(os.sep)
        if path.startswith("..") or any(part.startswith(".") for part in parts) or not _is_article_name(parts[-1]):
            return None
        return path

    def ids_by_path(self):
        """Relative path -> id of the article loaded from it."""
        if self._ids_by_path is None:
            self._ids_by_path = {a.path: a.id for a in self.articles.values()}
        return self._ids_by_path

    def translators(self):
        """Source id -> ids of the articles that name it as ``translation_of``."""
        if self._translators is None:
            self._translators = {}
            for article in self.articles.values():
                _link(self._translators, article, 1)
        return self._translators

    def _account(self, article, sign):
        """Count an article in (1) or out (-1) of the published count and the translation index, where computed."""
        if self._published is not None and article.status == "published":
            self._published += sign
        if self._translators is not None:
            _link(self._translators, article, sign)

    def fingerprint(self):
        """A hash of every file's relative path and bytes (invalid files too); the same content gives the same
        one however it was loaded, and ``patched`` keeps it up to date at the cost of what changed."""
        if self._fingerprint is None:
            self._fingerprint = sum(_file_value(rel, digest) for rel, digest in self.hashes.items())
        return f"{self._fingerprint % (1 << 64):016x}"

    def _signature(self, st):
        """A file's stat signature, when a parse cache may use it (taken before the file is read)."""
        if self.cache is None or not self.settled_ns:
            return None
        return st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino

    def published(self):
        """Articles a consultant may see."""
        return [a for a in self.articles.values() if a.status == "published"]

    def published_count(self):
        """How many articles a consultant may see (kept up to date by ``patched``)."""
        if self._published is None:
            self._published = sum(a.status == "published" for a in self.articles.values())
        return self._published

    def article_products(self, article):
        """Product codes an article applies to, expanding family patterns."""
        codes = []
        for pattern in article.products:
            codes.extend(self.catalog.expand(pattern))
        return sorted(set(codes))

    def article_categories(self, article):
        """The article's categories, or those of its products when it names none."""
        if article.categories:
            return list(article.categories)
        cats = {self.catalog.products[c].category for c in self.article_products(article)}
        return sorted(cats)

    def group_of(self, article):
        """The translation group of an article: the id of the article it translates, else its own id."""
        source = self.articles.get(article.translation_of) if article.translation_of else None
        return source.id if source is not None else article.id

    def groups(self):
        """Translation group id -> {language: article id}."""
        out = {}
        for article in self.articles.values():
            out.setdefault(self.group_of(article), {}).setdefault(article.lang, article.id)
        return out

    def article_families(self, article):
        """Families an article applies to."""
        return sorted({self.catalog.products[c].family for c in self.article_products(article)})
