"""A content directory: articles, catalog, escalation matrix and synonyms, loaded with their problems.

>>> kb = Content.load("tests/fixture_kb")          # doctest: +SKIP
>>> kb.articles["tv-no-sound"].title             # doctest: +SKIP
"""

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
        found.extend((prefix + name, base + name) for name in filenames
                     if name.endswith(".md") and not name.startswith(".") and name.lower() != "readme.md")
    found.sort(key=lambda item: item[0].split(os.sep))
    return found


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

    @classmethod
    def load(cls, content_dir, catalog=None, cache=None):
        """Load a folder; one broken file never stops the others from loading. With a ``ParseCache`` only files
        whose bytes changed since the last load through it are parsed."""
        root = Path(content_dir)
        if not root.is_dir():
            raise FileNotFoundError(f"content folder {root} does not exist")
        catalog, escalation, synonyms = cls._meta(root, catalog, cache)
        content = cls(root, catalog=catalog, escalation=escalation, synonyms=synonyms, cache=cache)
        content.problems.extend(content.escalation.problems)
        seen, content.settled_ns = {}, time.time_ns() - 1_000_000_000
        for rel, path in _walk(root):
            content.add_file(path, seen, rel)
        if cache is not None:
            cache.articles = seen  # only what this load saw: deleted and replaced files are forgotten
            cache.stats = content.stats
        return content

    @staticmethod
    def _meta(root, catalog, cache):
        key = tuple(file_digest((root / n).read_bytes()) if (root / n).exists() else None for n in META_NAMES)
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
            self.problems.append(Problem(rel, article.meta_lines.get("id", 2), "error",
                                         f"duplicate id {article.id!r}, also used by {twin.path}",
                                         "give this article a new, unique id"))
            return None
        self.articles[article.id] = article
        return article

    def _signature(self, st):
        """A file's stat signature, when a parse cache may use it (taken before the file is read)."""
        if self.cache is None or not self.settled_ns:
            return None
        return st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino

    def published(self):
        """Articles a consultant may see."""
        return [a for a in self.articles.values() if a.status == "published"]

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
