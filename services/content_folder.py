"""The Markdown content folder as the services see it: where an article's file is, reading and writing it.

Ids are ids, never paths or glob patterns; every path is resolved inside the folder, and symlinks that lead out of
it are refused.

>>> folder = ContentFolder("articles", engine)            # doctest: +SKIP
>>> folder.path_of("ww90t-error-4c-water-supply")         # doctest: +SKIP
PosixPath('articles/washing-machine/ww90t-error-4c-water-supply.md')
"""

import os
from pathlib import Path

from kb.content import settled_ns
from services.files import inside, safe_id, write_text_atomic

DRAFTS = "drafts"


class ContentFolder:
    """Files of one content folder; the engine tells where indexed articles live."""

    def __init__(self, root, engine):
        self.root = Path(root)
        self.engine = engine
        self._folders = {}  # folder -> (modification time, file names, folder names), see _listing

    def path_of(self, article_id, categories=()):
        """The article's file: where the index found it, else an existing ``<id>.md``, else ``<category>/<id>.md``."""
        safe_id(article_id)
        record = self.engine.version.articles.get(article_id)
        if record:
            return inside(self.root, record["path"])
        found = self._find(f"{article_id}.md")
        if found is not None:
            return found
        folder = categories[0] if categories else DRAFTS
        return inside(self.root, Path(safe_id(folder)) / f"{article_id}.md")

    def _find(self, name):
        for dirpath, filenames in self._listing():
            if name in filenames:
                path = _plain(Path(dirpath) / name)
                return inside(self.root, path.relative_to(self.root))
        return None

    def _listing(self):
        """``(folder, its file names)`` of every folder (hidden ones left out), each folder listed again only when
        its modification time moved since (a file added, removed or renamed there), as git's index does: a save
        of a new article at 100x listed 46,500 names three times. A listing of a folder changed since
        ``settled_ns()`` is not kept."""
        folders, settled = [os.fspath(self.root)], settled_ns()
        while folders:
            folder = folders.pop()
            try:
                mtime = os.stat(folder).st_mtime_ns
                found = self._folders.get(folder)
                if found is None or found[0] != mtime:
                    with os.scandir(folder) as entries:
                        names = [(e.name, e.is_dir(follow_symlinks=False)) for e in entries]
                    found = (mtime, frozenset(n for n, d in names if not d), [n for n, d in names if d])
                    if mtime < settled:
                        self._folders[folder] = found
            except FileNotFoundError:  # removed meanwhile
                continue
            yield folder, found[1]
            folders.extend(os.path.join(folder, d) for d in sorted(found[2], reverse=True) if not d.startswith("."))

    def read(self, article_id):
        """The text of an article's file, or None when it has none."""
        path = _plain(self.path_of(article_id))
        try:
            return path.read_text("utf-8")
        except FileNotFoundError:
            return None

    def write(self, article_id, text, categories=()):
        """Write an article's file atomically (mode 644); return the files changed, the written one first (what an
        index update is told). A file still in ``drafts/`` moves to its first category's folder once it has one
        (a new article gets its categories after its first save)."""
        current = self.path_of(article_id, categories)
        target = current
        if categories and current.parent == inside(self.root, DRAFTS):
            target = inside(self.root, Path(safe_id(categories[0])) / f"{article_id}.md")
        write_text_atomic(target, text)
        if target != current and current.is_file():
            current.unlink()
            return [target, current]
        return [target]

    def remove(self, article_id):
        """Delete an article's file (nothing to do when it has none); return the files deleted."""
        path = _plain(self.path_of(article_id))
        try:
            path.unlink()
        except FileNotFoundError:
            return []
        return [path]


def _plain(path):
    """``path``, refused when it is a symbolic link (one could lead anywhere on the machine)."""
    if path.is_symlink():
        raise ValueError(f"{path} is a symbolic link; articles must be plain files in the content folder")
    return path
