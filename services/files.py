"""Files in the content folder: atomic writes and paths that can never leave the folder.

>>> safe_id("ww90t-error-4c")
'ww90t-error-4c'
"""

import os
import re
import tempfile
from pathlib import Path

from kb.article import ID_RE

MAX_ID_LENGTH = 120


def safe_id(article_id):
    """An article id as given, or ValueError when it is not a slug (ids are ids, never paths or patterns)."""
    if not isinstance(article_id, str) or len(article_id) > MAX_ID_LENGTH or not ID_RE.match(article_id):
        raise ValueError(f"{article_id!r} is not an article id (lowercase letters, digits and dashes, at most "
                         f"{MAX_ID_LENGTH} characters)")
    return article_id


def inside(root, relative):
    """``root/relative`` resolved, or ValueError when it leaves ``root`` (``..``, absolute paths, symlinks out)."""
    root = Path(root).resolve()
    path = (root / relative).resolve()
    if path != root and root not in path.parents:
        raise ValueError(f"{relative} is outside the content folder")
    return path


def write_text_atomic(path, text, mode=0o644):
    """Write ``text`` so that readers see the old or the new file, never a torn one; fsync before the rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with _quiet():
            os.unlink(tmp)
        raise
    return path


class _quiet:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return exc[0] is not None and issubclass(exc[0], OSError)


SLUG_SPLIT = re.compile(r"[^a-z0-9]+")
