"""Dependencies point one way: ``webui -> assist_api -> services -> kb <- indexer``, and only the composition root
(``server``) wires them together. Checked on the source with ``ast`` (imports inside functions count too)."""

import ast
import re
from pathlib import Path

import pytest

from tests.support import ROOT

PACKAGES = ("kb", "indexer", "services", "assist_api", "webui", "server")
FORBIDDEN = {
    "kb": {"flask", "assist_api", "webui", "services", "server", "indexer"},
    "indexer": {"assist_api", "webui", "services", "server"},
    "services": {"flask", "assist_api", "webui", "server"},
    "assist_api": {"webui", "server"},
    "webui": {"server"},
}
# besides the composition root itself, only these may import ``server``
SERVER_IMPORTERS = {"server", "tests", "bench", "scripts"}


def module_name(root, path):
    """Dotted module name of a file under ``root`` (``pkg/__init__.py`` is ``pkg``)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(root, path):
    """``(line, module, names)`` of every import in a file; relative imports resolved to absolute names."""
    tree = ast.parse(path.read_text("utf-8"), str(path))
    package = module_name(root, path) if path.name == "__init__.py" else module_name(root, path).rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, ()
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([module] if module else []))
            yield node.lineno, module, tuple(a.name for a in node.names)


def python_files(root, package):
    return sorted(p for p in (Path(root) / package).rglob("*.py") if "__pycache__" not in p.parts)


def is_submodule(root, package, name):
    return (Path(root) / package / f"{name}.py").is_file() or (Path(root) / package / name / "__init__.py").is_file()


def violations(root, package):
    """Imports of ``package`` (a folder under ``root``) that break the layering, as readable lines."""
    found = []
    for path in python_files(root, package):
        where = path.relative_to(root)
        for line, module, names in imports(root, path):
            top = module.split(".")[0]
            if top in FORBIDDEN.get(package, ()):
                found.append(f"{where}:{line} imports {module}")
            if package == "webui" and module == "assist_api":
                roots = [n for n in names if not is_submodule(root, "assist_api", n)] if names else ["assist_api"]
                if roots:
                    found.append(f"{where}:{line} imports the package root assist_api ({', '.join(roots)})")
    return found


def server_importers(root):
    """Files outside ``server``, tests, bench and scripts that import ``server``."""
    found = []
    for path in sorted(Path(root).rglob("*.py")):
        rel = path.relative_to(root)
        if rel.parts[0] in SERVER_IMPORTERS or rel.parts[0].startswith(".") or "__pycache__" in rel.parts:
            continue
        found += [f"{rel}:{line} imports {module}" for line, module, _ in imports(root, path)
                  if module.split(".")[0] == "server"]
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_point_one_way(package):
    assert python_files(ROOT, package), f"no source found for {package}"
    assert violations(ROOT, package) == []


def test_only_the_composition_root_is_imported_by_nobody_below_it():
    assert server_importers(ROOT) == []


def test_the_checker_catches_each_kind_of_violation(tmp_path):
    sources = {
        "kb/engine.py": "import flask\n\ndef late():\n    from services.db import repo\n",
        "kb/sub/__init__.py": "from ..engine import late\nfrom . import flask\n",  # kb.engine, kb.sub.flask: fine
        "indexer/build.py": "from services import Services\n",
        "services/thing.py": "from flask import request\nimport werkzeug.security\nfrom indexer import IndexBuilder\n",
        "assist_api/__init__.py": "",
        "assist_api/access.py": "from webui import render_error\n",
        "webui/views.py": "from assist_api import access, get_engine\nimport assist_api\nfrom assist_api.context import x\n",
        "webui/app.py": "from server import create_app\n",
        "server/__init__.py": "import webui\n",
        "tests/test_x.py": "import server\n",
    }
    for name, source in sources.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(source)
    assert violations(tmp_path, "kb") == ["kb/engine.py:1 imports flask", "kb/engine.py:4 imports services.db"]
    assert violations(tmp_path, "indexer") == ["indexer/build.py:1 imports services"]
    assert violations(tmp_path, "services") == ["services/thing.py:1 imports flask"]
    assert violations(tmp_path, "assist_api") == ["assist_api/access.py:1 imports webui"]
    assert violations(tmp_path, "webui") == [
        "webui/app.py:1 imports server",
        "webui/views.py:1 imports the package root assist_api (get_engine)",
        "webui/views.py:2 imports the package root assist_api (assist_api)"]
    assert server_importers(tmp_path) == ["webui/app.py:1 imports server"]


def test_test_files_share_helpers_through_tests_support_only():
    found = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        if "fixture_kb" in path.parts or "__pycache__" in path.parts:
            continue
        for line, module, names in imports(ROOT, path):
            targets = [module] + [f"{module}.{n}" for n in names]
            bad = [t for t in targets if t == "tests.conftest" or re.search(r"(^|\.)test_\w+$", t)]
            if bad:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {bad[0]}")
    assert found == []
