"""A scaled copy of a content folder (every article N times with new ids), for benchmarks and load tests.

>>> scaled_copy("tests/fixture_kb", "/tmp/kb10", 10)   # doctest: +SKIP
"""

import re
import shutil
from pathlib import Path

from indexer.build import META_FILES
from kb.content import article_files


def scaled_copy(src, dst, factor):
    """Copy ``src`` to ``dst`` with each article repeated ``factor`` times (copy k gets id suffix ``-xk``, and so do its
    links and the article it translates, so each copy is a translation group of its own)."""
    src, dst = Path(src), Path(dst)
    if dst.exists():
        shutil.rmtree(dst)
    dst.mkdir(parents=True)
    for name in META_FILES:
        if (src / name).exists():
            shutil.copyfile(src / name, dst / name)
    for path in article_files(src):
        text = path.read_text("utf-8", errors="replace")
        rel = path.relative_to(src)
        for k in range(factor):
            out = dst / rel.parent / f"{path.stem}-x{k}.md" if k else dst / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            if k:
                text_k = re.sub(r"^id:\s*(\S+)", lambda m: f"id: {m.group(1)}-x{k}", text, count=1, flags=re.M)
                text_k = re.sub(r"^translation_of:\s*(\S+)", lambda m: f"translation_of: {m.group(1)}-x{k}", text_k,
                                count=1, flags=re.M)
                text_k = re.sub(r"\]\(kb:([a-z0-9-]+)", lambda m: f"](kb:{m.group(1)}-x{k}", text_k)
            else:
                text_k = text
            out.write_text(text_k, "utf-8")
    return dst
