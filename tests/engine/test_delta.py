"""Delta versions: an update indexes only what changed, layered over the last full version; a chain of updates
ranks exactly as a full rebuild of the same content; a failed update leaves the previous version serving."""

import dataclasses
import shutil

import pytest

from indexer import IndexBuilder
from kb.index.store import IndexStore
from kb.search.engine import SearchEngine
from tests.support import FIXTURE_KB, replace_in_file
from tests.support.rankings import results


def _edits(content):
    """A writer's day: an edit, a new article, a deletion, a translation's source changed, the first edit again."""
    yield lambda: replace_in_file(content / "phone" / "np-s92-battery-drain.md", "re-indexes photos",
                                  "re-indexes photos and the zanzibar cache")
    yield lambda: (content / "tv" / "new.md").write_text(
        "---\nid: tv-new\ntitle: TV remote pairing\n---\n## Answer\nHold quokka and the remote together.\n", "utf-8")
    yield lambda: (content / "tv" / "tv-wifi-drops.md").unlink()
    yield lambda: replace_in_file(content / "tv" / "qn90d-no-sound.md", "## Answer",
                                  "## Answer\n\nCheck the mute first.\n")
    yield lambda: replace_in_file(content / "phone" / "np-s92-battery-drain.md", "zanzibar cache", "zanzibar index")


def test_a_chain_of_updates_ranks_as_a_full_rebuild(hash_settings, tmp_path):
    content = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, content)
    builder = IndexBuilder(hash_settings)
    full = builder.build(content, tmp_path / "idx").version
    engine = SearchEngine.open(tmp_path / "idx", settings=hash_settings)
    for edit in _edits(content):
        edit()
        report = builder.update(content, tmp_path / "idx")
        assert report.mode == "delta" and IndexStore(tmp_path / "idx").manifest()["base"] == full
        assert engine.refresh() is True and engine.version.full.name == full
    rebuilt = builder.build(content, tmp_path / "rebuilt")
    fresh = SearchEngine.open(tmp_path / "rebuilt", settings=hash_settings, embedder=engine.embedder)
    assert engine.version.articles == fresh.version.articles
    assert engine.health()["chunks"] == fresh.health()["chunks"] == rebuilt.chunks
    assert engine.health()["articles"] == fresh.health()["articles"]
    assert results(engine) == results(fresh)
    assert engine.search("zanzibar index", mode="lexical").hits[0].article_id == "np-s92-battery-drain"
    assert not engine.search("zanzibar cache", mode="lexical", correct=False).hits[0].text_snippet.count("cache")


def test_a_kept_builder_parses_only_the_files_that_changed(hash_settings, tmp_path, monkeypatch):
    import kb.content

    content = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, content)
    builder = IndexBuilder(hash_settings)
    builder.build(content, tmp_path / "idx")
    parsed = []
    real = kb.content.parse_article
    monkeypatch.setattr(kb.content, "parse_article", lambda data, rel: parsed.append(rel) or real(data, rel))
    replace_in_file(content / "phone" / "np-s92-battery-drain.md", "re-indexes photos", "re-indexes photos zanzibar")
    builder.update(content, tmp_path / "idx")
    assert parsed == ["phone/np-s92-battery-drain.md"]


def test_a_kept_builder_reads_only_the_files_whose_stat_changed(hash_settings, tmp_path, monkeypatch):
    import os
    import time
    from pathlib import Path

    content = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, content)
    time.sleep(1.1)  # files a second old are trusted by their stat (younger ones could change within a tick)
    builder = IndexBuilder(hash_settings)
    builder.build(content, tmp_path / "idx")
    read, real = [], Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: (read.append(self.name) if self.suffix == ".md" else None)
                        or real(self))
    edited = content / "phone" / "np-s92-battery-drain.md"
    replace_in_file(edited, "re-indexes photos", "re-indexes photos zanzibar")
    assert builder.update(content, tmp_path / "idx").changed == ["np-s92-battery-drain"]
    assert read == [edited.name]
    read.clear()
    before = os.stat(edited)  # a write that keeps size and modification time is still seen (its ctime moved)
    edited.write_text(edited.read_text("utf-8").replace("zanzibar", "zanzibaR"), "utf-8")
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert builder.update(content, tmp_path / "idx").changed == ["np-s92-battery-drain"]
    assert edited.name in read and len(read) <= 2


def test_a_delta_holds_only_the_change_and_the_full_version_is_not_copied(hash_settings, tmp_path):
    content = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, content)
    builder = IndexBuilder(hash_settings)
    builder.build(content, tmp_path / "idx")
    store = IndexStore(tmp_path / "idx")
    full = store.current_path()
    before = {p: p.stat().st_mtime_ns for p in full.rglob("*")}
    replace_in_file(content / "phone" / "np-s92-battery-drain.md", "re-indexes photos", "re-indexes photos twice")
    report = builder.update(content, tmp_path / "idx")
    assert report.embedded <= 3
    delta = store.manifest()
    assert delta["replaced"] == ["np-s92-battery-drain"] and delta["chunk_ids"][0].startswith("np-s92-battery-drain#")
    assert {p: p.stat().st_mtime_ns for p in full.rglob("*")} == before


def test_a_failed_update_leaves_the_previous_version_serving(hash_settings, tmp_path, monkeypatch):
    content = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, content)
    builder = IndexBuilder(hash_settings)
    builder.build(content, tmp_path / "idx")
    store = IndexStore(tmp_path / "idx")
    good = store.current_name()
    replace_in_file(content / "phone" / "np-s92-battery-drain.md", "re-indexes photos", "re-indexes photos zanzibar")

    def killed(*_args, **_kwargs):
        raise KeyboardInterrupt("killed before the delta was published")

    monkeypatch.setattr(IndexStore, "publish", killed)
    with pytest.raises(KeyboardInterrupt):
        builder.update(content, tmp_path / "idx")
    assert store.current_name() == good
    assert list(store.versions.glob("*.partial"))  # the half-written delta, never named by current
    engine = SearchEngine.open(tmp_path / "idx", settings=hash_settings)
    assert not engine.search("zanzibar", mode="lexical", correct=False).hits
    monkeypatch.undo()
    assert builder.update(content, tmp_path / "idx").mode == "delta"
    assert not list(store.versions.glob("*.partial"))
    assert engine.refresh() and engine.search("zanzibar", mode="lexical").hits


def test_pruning_keeps_the_full_version_under_the_deltas_and_merge_folds_them(hash_settings, tmp_path):
    content = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, content)
    builder = IndexBuilder(dataclasses.replace(hash_settings, keep_versions=2))
    full = builder.build(content, tmp_path / "idx").version
    for i in range(4):
        replace_in_file(content / "phone" / "np-s92-battery-drain.md", "re-indexes photos", f"re-indexes photos w{i}x")
        builder.update(content, tmp_path / "idx")
    store = IndexStore(tmp_path / "idx")
    assert full in {p.name for p in store.complete_versions()}
    assert SearchEngine.open(tmp_path / "idx", settings=hash_settings).search("w3x", mode="lexical").hits
    merged = builder.merge(content, tmp_path / "idx")
    assert "base" not in store.manifest() and merged.chunks == store.manifest()["counts"]["chunks"]
    builder.update(content, tmp_path / "idx")  # nothing changed: no new version
    assert store.current_name() == merged.version


def test_a_merge_lets_updates_go_on_and_publishes_their_edits_with_the_merged_version(hash_settings, tmp_path,
                                                                                         monkeypatch):
    content = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, content)
    builder = IndexBuilder(hash_settings)
    old_full = builder.build(content, tmp_path / "idx").version
    replace_in_file(content / "phone" / "np-s92-battery-drain.md", "re-indexes photos",
                    "re-indexes photos and the ocelot")
    builder.update(content, tmp_path / "idx")
    store, engine = IndexStore(tmp_path / "idx"), SearchEngine.open(tmp_path / "idx", settings=hash_settings)
    merging = IndexBuilder(hash_settings, embedder=builder.embedder)
    write_full = merging._write_full

    def an_edit_lands_meanwhile(*args):
        manifest = write_full(*args)
        assert list(store.versions.glob("*.merging"))  # not a version readers can see
        replace_in_file(content / "tv" / "qn90d-no-sound.md", "## Answer", "## Answer\n\nCheck the narwhal cable.\n")
        during = builder.update(content, tmp_path / "idx")  # the build lock is free while the merge writes
        assert during.mode == "delta" and store.manifest()["base"] == old_full
        assert engine.refresh() and engine.search("narwhal", mode="lexical").hits
        return manifest

    monkeypatch.setattr(merging, "_write_full", an_edit_lands_meanwhile)
    report = merging.merge(content, tmp_path / "idx")
    current = store.manifest()
    assert report.mode == "merge" and current["base"] != old_full  # a delta over the merged full version
    assert "qn90d-no-sound" in current["replaced"]  # holding the edit made during the merge
    assert "np-s92-battery-drain" not in current["replaced"]  # the earlier edit is in the merged full version
    assert engine.refresh()
    merged = results(engine)
    rebuilt = tmp_path / "rebuilt"
    IndexBuilder(hash_settings, embedder=builder.embedder).build(content, rebuilt)
    assert merged == results(SearchEngine.open(rebuilt, settings=hash_settings))
    assert not list(store.versions.glob("*.merging"))


def test_a_killed_merge_leaves_the_served_version_and_the_next_merge_cleans_up(hash_settings, tmp_path, monkeypatch):
    content = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, content)
    builder = IndexBuilder(hash_settings)
    builder.build(content, tmp_path / "idx")
    replace_in_file(content / "phone" / "np-s92-battery-drain.md", "re-indexes photos",
                    "re-indexes photos and the ocelot")
    serving = builder.update(content, tmp_path / "idx").version
    store = IndexStore(tmp_path / "idx")

    def killed(*args):
        raise KeyboardInterrupt  # stands in for SIGKILL after the full version was half written

    monkeypatch.setattr(builder, "_create_whoosh", killed)
    with pytest.raises(KeyboardInterrupt):
        builder.merge(content, tmp_path / "idx")
    assert store.current_name() == serving and list(store.versions.glob("*.merging"))
    assert builder.update(content, tmp_path / "idx").version == serving  # updates go on
    monkeypatch.undo()
    builder.merge(content, tmp_path / "idx")
    assert "base" not in store.manifest() and not list(store.versions.glob("*.merging"))
    assert SearchEngine.open(tmp_path / "idx", settings=hash_settings).search("ocelot", mode="lexical").hits


def test_a_full_version_opens_from_its_stored_tables_as_it_would_by_computing_them(hash_settings, tmp_path):
    content = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, content)
    IndexBuilder(hash_settings).build(content, tmp_path / "idx")
    store = IndexStore(tmp_path / "idx")
    version = store.current_path()
    assert (version / "vocabulary.json").exists() and (version / "lexical.npz").exists()
    stored = results(SearchEngine.open(tmp_path / "idx", settings=hash_settings))
    shutil.copytree(tmp_path / "idx", tmp_path / "computed")
    for name in ("vocabulary.json", "lexical.npz"):  # a version built before these files existed
        (tmp_path / "computed" / "versions" / version.name / name).unlink()
    assert results(SearchEngine.open(tmp_path / "computed", settings=hash_settings)) == stored
