"""Files of the content folder: ids are ids (never paths), writes are atomic, paths never leave the folder, and a
new article's file goes to its category's folder."""

import os
import time
from types import SimpleNamespace

import pytest

from services.content_folder import DRAFTS, ContentFolder
from services.files import inside, safe_id, write_text_atomic


def indexed(**articles):
    """What ContentFolder reads of an engine: the live version's article records (their paths)."""
    return SimpleNamespace(version=SimpleNamespace(articles=articles))


@pytest.mark.parametrize("bad", ["../etc/passwd", "a/b", "A-Capital", "", "a" * 121, "*", "x.md", None, 5])
def test_ids_that_are_not_slugs_are_refused(bad):
    with pytest.raises(ValueError, match="not an article id"):
        safe_id(bad)


def test_paths_never_leave_the_folder(tmp_path):
    assert inside(tmp_path, "tv/a.md") == (tmp_path / "tv" / "a.md").resolve()
    for escape in ("../x.md", "/etc/passwd", "tv/../../x.md"):
        with pytest.raises(ValueError, match="outside the content folder"):
            inside(tmp_path, escape)
    (tmp_path / "out").symlink_to("/tmp")
    with pytest.raises(ValueError, match="outside"):
        inside(tmp_path, "out/x.md")


def test_atomic_write_leaves_no_temporary_file_and_sets_the_mode(tmp_path):
    path = write_text_atomic(tmp_path / "new" / "a.md", "one")
    write_text_atomic(path, "two")
    assert path.read_text() == "two" and os.stat(path).st_mode & 0o777 == 0o644
    assert [p.name for p in path.parent.iterdir()] == ["a.md"]


def test_a_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    path = write_text_atomic(tmp_path / "a.md", "old")

    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space"):
        write_text_atomic(path, "new")
    assert path.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_where_an_article_file_goes(tmp_path):
    (tmp_path / "tv").mkdir()
    (tmp_path / "tv" / "found-by-name.md").write_text("x")
    folder = ContentFolder(tmp_path, indexed(**{"indexed-one": {"path": "washing-machine/indexed-one.md"}}))
    assert folder.path_of("indexed-one") == (tmp_path / "washing-machine" / "indexed-one.md").resolve()
    assert folder.path_of("found-by-name", ["phone"]) == (tmp_path / "tv" / "found-by-name.md").resolve()
    assert folder.path_of("brand-new", ["tv", "phone"]) == (tmp_path / "tv" / "brand-new.md").resolve()
    assert folder.path_of("no-category") == (tmp_path / DRAFTS / "no-category.md").resolve()
    with pytest.raises(ValueError):
        folder.path_of("new", ["../outside"])


def test_symlinked_articles_are_refused(tmp_path):
    (tmp_path / "secret.txt").write_text("secret")
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "leak.md").symlink_to(tmp_path / "secret.txt")
    folder = ContentFolder(tmp_path / "kb", indexed())
    with pytest.raises(ValueError, match="symbolic link"):
        folder.read("leak")
    assert folder.read("nothing-here") is None


def test_a_file_added_or_removed_by_hand_is_found_or_missed_at_once(tmp_path):
    (tmp_path / "tv" / "old").mkdir(parents=True)
    (tmp_path / "tv" / "old" / "kept.md").write_text("x")
    time.sleep(1.1)  # folders a second old keep their listing until their modification time moves
    folder = ContentFolder(tmp_path, indexed())
    assert folder.path_of("kept") == (tmp_path / "tv" / "old" / "kept.md").resolve()
    assert folder.path_of("added", ["phone"]) == (tmp_path / "phone" / "added.md").resolve()
    (tmp_path / "tv" / "old" / "added.md").write_text("x")
    assert folder.path_of("added", ["phone"]) == (tmp_path / "tv" / "old" / "added.md").resolve()
    (tmp_path / "tv" / "old" / "kept.md").unlink()
    (tmp_path / "tv" / "new").mkdir()
    (tmp_path / "tv" / "new" / "kept.md").write_text("x")
    assert folder.path_of("kept") == (tmp_path / "tv" / "new" / "kept.md").resolve()
