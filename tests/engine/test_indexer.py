"""The indexer on real indexes: token windows with the real model, model codes and synonyms in search, the
embedding cache, atomic versions, crash safety, incremental updates and the CLI."""

import os
import shutil
import signal
import subprocess
import sys
import time

import faiss
import pytest

from indexer import IndexBuilder
from indexer.chunking import chunk_article
from indexer.scale import scaled_copy
from kb.article import parse_article
from kb.index.store import IndexStore
from kb.search.engine import SearchEngine
from tests.support import FIXTURE_KB, ROOT, suite_settings


def test_long_sections_split_at_paragraphs_within_the_token_window(embedder):
    paragraphs = "\n\n".join(f"Paragraph {i}: " + "the drain pump filter must be cleaned carefully " * 4 for i in range(20))
    art, _ = parse_article(f"---\nid: long\ntitle: Long\n---\n## Steps\n{paragraphs}\n", "l.md")
    chunks = chunk_article(art, max_tokens=230, count=embedder.token_count)
    assert len(chunks) > 1
    assert all(embedder.token_count(c.embed_text) <= 256 for c in chunks)
    assert chunks[1].chunk_id == "long#steps~1"
    # a little overlap: each piece after the first repeats the previous piece's last paragraph
    assert chunks[0].text.split("\n\n")[-1] == chunks[1].text.split("\n\n")[0]


def test_model_codes_by_whole_code_and_family_prefix(engine):
    for query in ("ww90t554daw", "WW90T554", "WW90T", "ww90t-554-daw/s6"):
        ids = [h.article_id for h in engine.search(query, mode="lexical").hits]
        assert "ww90t-not-draining" in ids[:3], query
        assert "qn90d-no-sound" not in ids


def test_synonyms_from_the_file_reach_search(engine):
    ids = [h.article_id for h in engine.search("fridge is warm", mode="lexical").hits]
    assert ids[0] == "rb38t-not-cooling"  # the article only says "refrigerator"


# -- store, cache, crash safety, incremental ----------------------------------------------------------------------------

@pytest.fixture()
def hash_settings(tmp_path):
    """The plumbing tests use the small deterministic embedder (the real model is in the tests above)."""
    return suite_settings(embedding_model="hash", cache_dir=str(tmp_path / "cache"), keep_versions=2)


def test_manifest_maps_faiss_rows_to_chunks(fixture_index):
    store = IndexStore(fixture_index)
    manifest = store.manifest()
    index = faiss.read_index(str(store.current_path() / "vectors.faiss"))
    assert index.ntotal == len(manifest["chunk_ids"]) == manifest["counts"]["chunks"]
    assert manifest["model"]["dim"] == 384
    assert manifest["counts"]["articles"] == 17 and manifest["counts"]["skipped"] == 2
    assert {s["path"] for s in manifest["skipped"]} == {"broken/bad-enum.md", "broken/broken-front-matter.md"}


def test_second_build_embeds_nothing_and_versions_are_pruned(hash_settings, tmp_path):
    builder = IndexBuilder(hash_settings)
    first = builder.build(FIXTURE_KB, tmp_path / "idx")
    second = builder.build(FIXTURE_KB, tmp_path / "idx")
    third = builder.build(FIXTURE_KB, tmp_path / "idx")
    assert first.embedded == first.chunks > 0
    assert second.embedded == 0 and second.reused == second.chunks
    versions = [p.name for p in IndexStore(tmp_path / "idx").complete_versions()]
    assert versions == [second.version, third.version]
    assert IndexStore(tmp_path / "idx").current_name() == third.version


def test_reader_keeps_its_version_until_it_refreshes(hash_settings, tmp_path):
    content = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, content)
    builder = IndexBuilder(hash_settings)
    builder.build(content, tmp_path / "idx")
    engine = SearchEngine.open(tmp_path / "idx", settings=hash_settings)
    old = engine.version.name
    (content / "tv" / "qn90d-no-sound.md").unlink()
    builder.update(content, tmp_path / "idx")
    assert engine.version.name == old and "qn90d-no-sound" in {h.article_id for h in engine.search("tv no sound").hits}
    assert engine.refresh() is True
    assert "qn90d-no-sound" not in {h.article_id for h in engine.search("tv no sound").hits}


def test_incremental_update_reindexes_only_what_changed(hash_settings, tmp_path):
    content = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, content)
    builder = IndexBuilder(hash_settings)
    builder.build(content, tmp_path / "idx")
    path = content / "phone" / "np-s92-battery-drain.md"
    path.write_text(path.read_text().replace("re-indexes photos", "re-indexes photos and the zanzibar cache"))
    (content / "tv" / "tv-wifi-drops.md").unlink()
    (content / "tv" / "new.md").write_text("---\nid: tv-new\ntitle: TV remote pairing\n---\n## Answer\nHold quokka.\n")
    report = builder.update(content, tmp_path / "idx")
    assert report.mode == "delta"
    assert report.changed == ["np-s92-battery-drain", "tv-new"]
    assert report.deleted == ["tv-wifi-drops"]
    assert report.embedded <= 4  # only the new or changed sections
    engine = SearchEngine.open(tmp_path / "idx", settings=hash_settings)
    assert engine.search("zanzibar", mode="lexical").hits[0].article_id == "np-s92-battery-drain"
    assert engine.search("quokka", mode="lexical").hits[0].article_id == "tv-new"
    assert "tv-wifi-drops" not in engine.version.articles
    assert len(engine.search("battery", mode="lexical").hits) == 1  # no duplicate documents left behind
    assert builder.update(content, tmp_path / "idx").changed == []  # nothing new: no new version


def test_a_killed_build_leaves_current_intact(hash_settings, tmp_path):
    big = scaled_copy(FIXTURE_KB, tmp_path / "big", 40)
    index = tmp_path / "idx"
    IndexBuilder(hash_settings).build(FIXTURE_KB, index)
    good = IndexStore(index).current_name()
    env = dict(os.environ, KB_EMBEDDING_MODEL="hash", KB_CACHE_DIR=str(tmp_path / "cache"), PYTHONPATH=str(ROOT))
    killed_mid_build = 0
    for delay in (0.6, 1.2, 1.8, 2.4):
        proc = subprocess.Popen([sys.executable, "-m", "indexer", "build", "--content", str(big), "--index", str(index),
                                 "--quiet"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if proc.poll() is None:
            killed_mid_build += 1
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        store = IndexStore(index)
        engine = SearchEngine.open(index, settings=hash_settings)  # current opens and answers
        assert engine.search("washing machine drain", mode="lexical").hits
        assert store.current_name() == good or store.current_name() in {p.name for p in store.complete_versions()}
    assert killed_mid_build >= 2
    report = IndexBuilder(hash_settings).build(big, index)  # the next build cleans up the partial folders
    assert not list((index / "versions").glob("*.partial"))
    assert report.articles == 17 * 40


def test_a_second_builder_is_refused_while_one_writes(hash_settings, tmp_path):
    store = IndexStore(tmp_path / "idx")
    with store.build_lock():
        with pytest.raises(RuntimeError, match="another build"):
            IndexBuilder(hash_settings).build(FIXTURE_KB, tmp_path / "idx")


def test_cli_build_status_and_strict(tmp_path):
    env = dict(os.environ, KB_EMBEDDING_MODEL="hash", KB_CACHE_DIR=str(tmp_path / "cache"))
    run = lambda *args: subprocess.run([sys.executable, "-m", "indexer", *args], capture_output=True, text=True,
                                       cwd=ROOT, env=env)
    built = run("build", "--content", str(FIXTURE_KB), "--index", str(tmp_path / "idx"), "--quiet")
    assert built.returncode == 0, built.stderr
    assert "build: 17 articles" in built.stdout and "2 skipped" in built.stdout
    assert "skipped broken/broken-front-matter.md:3" in built.stderr
    strict = run("update", "--content", str(FIXTURE_KB), "--index", str(tmp_path / "idx"), "--strict", "--quiet")
    assert strict.returncode == 1
    status = run("status", "--index", str(tmp_path / "idx"))
    assert '"articles": 17' in status.stdout
    missing = run("status", "--index", str(tmp_path / "nothing"))
    assert missing.returncode == 2 and "no index" in missing.stderr
