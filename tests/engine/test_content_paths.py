"""The content folder as given: paths with ``..`` or under a dot-folder index every article; symbolic links are
never followed (neither by the indexer nor by the API); a build that finds no article never replaces a version
that has some, unless asked to."""

import os
import shutil
import subprocess
import sys

import pytest

from indexer import IndexBuilder
from kb.content import Content
from kb.index.store import IndexStore
from services.errors import NotFound
from tests.support import FIXTURE_KB, ROOT, bearer, services_of

FIXTURE_COUNT = len(Content.load(FIXTURE_KB).articles)


@pytest.mark.parametrize("where", ["with-dotdot", "hidden"])
def test_a_content_path_with_dotdot_or_under_a_dot_folder_loads_every_article(tmp_path, where):
    if where == "hidden":
        content = tmp_path / ".kb" / "articles"
        shutil.copytree(FIXTURE_KB, content)
    else:
        shutil.copytree(FIXTURE_KB, tmp_path / "articles")
        (tmp_path / "some").mkdir()
        content = tmp_path / "some" / ".." / "articles"
    assert FIXTURE_COUNT > 10 and len(Content.load(content).articles) == FIXTURE_COUNT
    hidden = content / "tv" / ".draft-of-mine.md"
    hidden.write_text((FIXTURE_KB / "tv" / "tv-wifi-drops.md").read_text().replace("tv-wifi-drops", "hidden-one"))
    assert "hidden-one" not in Content.load(content).articles  # hidden files inside the folder stay hidden


def test_the_indexer_never_follows_a_symbolic_link(tmp_path):
    content = tmp_path / "articles"
    shutil.copytree(FIXTURE_KB, content)
    secret = tmp_path / "secret.md"
    secret.write_text((FIXTURE_KB / "tv" / "tv-wifi-drops.md").read_text().replace("tv-wifi-drops", "passwd"))
    (content / "tv" / "passwd.md").symlink_to(secret)
    loaded = Content.load(content)
    assert "passwd" not in loaded.articles
    assert any("symbolic link" in p.message and p.path.endswith("passwd.md") for p in loaded.problems)


def test_the_api_never_serves_a_file_behind_a_symbolic_link(app_factory, tmp_path):
    app = app_factory()
    content = services_of(app).settings.content_dir
    (tmp_path / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n")
    os.symlink(tmp_path / "passwd", os.path.join(content, "tv", "passwd.md"))
    client = app.test_client()
    for article_id in ("passwd", "*", "**", "tv-*", "[a-z]*", "tv-wifi-drop?"):
        response = client.get(f"/api/v1/articles/{article_id}/source", headers=bearer(app, "writer"))
        assert response.status_code == 404 and "root:x" not in response.get_data(as_text=True), article_id
    with pytest.raises(NotFound):
        services_of(app).authoring.latest("passwd")


def test_a_build_that_finds_no_article_keeps_the_served_version(hash_settings, tmp_path):
    index = tmp_path / "index"
    builder = IndexBuilder(hash_settings)
    serving = builder.build(FIXTURE_KB, index).version
    (tmp_path / "empty").mkdir()
    for build in (builder.build, builder.update):
        with pytest.raises(RuntimeError, match="found no article .* --allow-empty"):
            build(tmp_path / "empty", index)
        assert IndexStore(index).current_name() == serving
    assert builder.build(tmp_path / "empty", index, allow_empty=True).articles == 0
    assert IndexStore(index).current_name() != serving


def test_the_cli_refuses_an_empty_content_folder_with_a_clear_error(hash_settings, tmp_path):
    index = tmp_path / "index"
    IndexBuilder(hash_settings).build(FIXTURE_KB, index)
    (tmp_path / "empty").mkdir()
    env = dict(os.environ, PYTHONPATH=str(ROOT), KB_EMBEDDING_MODEL="hash", KB_CACHE_DIR=str(tmp_path / "cache"))
    run = subprocess.run([sys.executable, "-m", "indexer", "build", "--content", str(tmp_path / "empty"),
                          "--index", str(index), "--quiet"], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 2 and "--allow-empty" in run.stderr, run.stdout + run.stderr


def test_saving_over_a_symbolic_link_is_refused_and_blocks_nothing(app_factory, tmp_path):
    app = app_factory()
    content = services_of(app).settings.content_dir
    (tmp_path / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n")
    os.symlink(tmp_path / "passwd", os.path.join(content, "tv", "passwd.md"))
    text = (FIXTURE_KB / "tv" / "tv-wifi-drops.md").read_text().replace("tv-wifi-drops", "passwd")
    response = app.test_client().post("/api/v1/articles", json={"text": text}, headers=bearer(app, "reviewer"))
    assert response.status_code == 422 and "symbolic link" in response.json["message"]
    assert (tmp_path / "passwd").read_text().startswith("root:x")
    assert services_of(app).publisher.status()["pending_changes"] == 0
