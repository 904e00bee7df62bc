"""Updates told what changed: a publisher names the files it wrote, and the builder patches the content it indexed
last instead of walking the folder. A patched content is exactly what loading the folder gives, two builders
(two workers) taking turns see each other's edits, and the chain ranks as a full rebuild."""

import shutil

import kb.content
from indexer import IndexBuilder
from kb.content import Content, ParseCache
from kb.index.store import IndexStore
from kb.search.engine import SearchEngine
from tests.support import FIXTURE_KB, replace_in_file
from tests.support.rankings import results

NEW = "---\nid: {id}\ntitle: {title}\n{extra}---\n## Answer\n{body}\n"


def _changes(content):
    """A writer's week, each step returning the files it touched: an edit, a new article in a new folder, a
    deletion, a move, a file broken and mended, a translation pointed elsewhere, a hidden file and a README."""
    tv, wm = content / "tv", content / "washing-machine"
    yield lambda: replace_in_file(content / "phone" / "np-s92-battery-drain.md", "re-indexes photos",
                                  "re-indexes quokka")
    yield lambda: _write(content / "audio" / "soundbar-pairing.md", NEW.format(
        id="soundbar-pairing", title="Soundbar pairing", extra="", body="Hold the zanzibar button."))
    yield lambda: _unlink(tv / "tv-wifi-drops.md")
    yield lambda: _move(wm / "ww80t-door-locked.md", content / "procedures" / "ww80t-door-locked.md")
    yield lambda: replace_in_file(tv / "qn90d-no-sound.md", "---\n", "---\nstatus: nonsense\n")
    yield lambda: replace_in_file(tv / "qn90d-no-sound.md", "status: nonsense\n", "")
    yield lambda: replace_in_file(content / "pl" / "pralka-nie-odpompowuje-pl.md", "translation_of: ww90t-not-draining",
                                  "translation_of: ww90t-4c-water-supply")
    yield lambda: _write(tv / ".scratch.md", NEW.format(id="scratch", title="Scratch", extra="", body="x")) \
        + _write(tv / "README.md", "# The TV folder\n")
    yield lambda: replace_in_file(content / "audio" / "soundbar-pairing.md", "zanzibar", "zanzibar or quokka")


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return [path]


def _unlink(path):
    path.unlink()
    return [path]


def _move(src, dst):
    shutil.move(src, dst)
    return [dst, src]


def _same(patched, loaded):
    assert list(patched.articles) == list(loaded.articles)  # in the order a load adds them
    assert patched.articles == loaded.articles
    assert patched.hashes == loaded.hashes and set(patched.rejected) == set(loaded.rejected)
    assert patched.problems == loaded.problems
    assert patched.fingerprint() == loaded.fingerprint()
    assert patched.published_count() == loaded.published_count() == len(loaded.published())
    assert patched.ids_by_path() == loaded.ids_by_path()
    assert {k: set(v) for k, v in patched.translators().items() if v} == \
        {k: set(v) for k, v in loaded.translators().items()}


def test_a_patched_content_is_what_loading_the_folder_gives(tmp_path):
    content = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, content)
    cache = ParseCache()
    current = Content.load(content, cache=cache)
    current.fingerprint(), current.translators()  # computed once, then kept up to date
    for change in _changes(content):
        touched = change()
        current = current.patched(touched)
        assert current is not None
        _same(current, Content.load(content))
    assert "soundbar-pairing" in current.articles and "tv-wifi-drops" not in current.articles
    assert current.articles["ww80t-door-locked"].path == "procedures/ww80t-door-locked.md"


def test_a_claimed_id_or_changed_meta_file_asks_for_a_load(tmp_path):
    content = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, content)
    loaded = Content.load(content, cache=ParseCache())
    twin = _write(content / "tv" / "twin.md", NEW.format(id="tv-wifi-drops", title="Twin", extra="", body="x"))
    assert loaded.patched(twin) is None  # which of the two wins depends on where each file sorts
    twin[0].unlink()
    assert loaded.patched(twin) is not None
    replace_in_file(content / "synonyms.yaml", "\n", "\n# a comment\n")
    assert loaded.patched([]) is None
    assert loaded.patched([tmp_path / "elsewhere.md"]) is None  # meta changed first; outside paths are ignored
    reloaded = Content.load(content, cache=ParseCache())
    assert reloaded.patched([tmp_path / "elsewhere.md", "../x.md"]).articles == reloaded.articles


def test_two_builders_told_their_paths_never_walk_and_rank_as_a_rebuild(hash_settings, tmp_path, monkeypatch):
    content = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, content)
    IndexBuilder(hash_settings).build(content, tmp_path / "idx")
    workers = [IndexBuilder(hash_settings), IndexBuilder(hash_settings)]  # two workers of one replica
    for worker in workers:
        worker.warm(content, tmp_path / "idx")
    engine = SearchEngine.open(tmp_path / "idx", settings=hash_settings)
    walked = []
    real_walk = kb.content._walk
    monkeypatch.setattr(kb.content, "_walk", lambda root: walked.append(root) or real_walk(root))
    for turn, change in enumerate(_changes(content)):
        report = workers[turn % 2].update(content, tmp_path / "idx", paths=change())
        assert report.mode == "delta" or not (report.changed or report.deleted)  # a hidden file and a README
        engine.refresh()
    assert walked == []
    manifest = IndexStore(tmp_path / "idx").manifest()
    assert "files" not in manifest and "tv/tv-wifi-drops.md" in manifest["changed_files"]
    assert manifest["changed_files"]["tv/tv-wifi-drops.md"] is None
    fresh = SearchEngine.open(_rebuilt(hash_settings, content, tmp_path), settings=hash_settings,
                              embedder=engine.embedder)
    assert engine.version.articles == fresh.version.articles
    assert manifest["content_hash"] == IndexStore(tmp_path / "rebuilt").manifest()["content_hash"]
    assert results(engine) == results(fresh)


def test_a_builder_told_its_paths_sees_what_another_update_or_a_merge_changed(hash_settings, tmp_path):
    content = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, content)
    worker, other = IndexBuilder(hash_settings), IndexBuilder(hash_settings)
    worker.build(content, tmp_path / "idx")
    steps = iter(_changes(content))
    worker.update(content, tmp_path / "idx", paths=next(steps)())
    next(steps)()  # a file written by hand (a git pull), then an update that walks the folder
    assert "soundbar-pairing" in other.update(content, tmp_path / "idx").changed
    assert worker.update(content, tmp_path / "idx", paths=next(steps)()).deleted == ["tv-wifi-drops"]
    other.merge(content, tmp_path / "idx")  # another full version: the worker walks once, then patches again
    worker.update(content, tmp_path / "idx", paths=next(steps)())
    worker.update(content, tmp_path / "idx", paths=next(steps)())
    engine = SearchEngine.open(tmp_path / "idx", settings=hash_settings)
    fresh = SearchEngine.open(_rebuilt(hash_settings, content, tmp_path), settings=hash_settings,
                              embedder=engine.embedder)
    assert engine.version.articles == fresh.version.articles
    assert results(engine) == results(fresh)


def _rebuilt(settings, content, tmp_path):
    IndexBuilder(settings).build(content, tmp_path / "rebuilt")
    return tmp_path / "rebuilt"
