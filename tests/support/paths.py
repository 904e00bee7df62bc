"""Where the suite's inputs and outputs live: the fixture and sample knowledge bases, the labelled queries, the
embedding cache shared between runs, and the screenshots folder."""

from pathlib import Path

from kb.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_KB = ROOT / "tests" / "fixture_kb"
SAMPLE_KB = ROOT / "articles"
QUERIES = ROOT / "tests" / "queries"
BLIND_QUERIES = ROOT / "tests" / "queries_blind"
# Embeddings are cached by model and text hash, so one cache shared between runs is safe and saves minutes.
TEST_CACHE = ROOT / "var" / "test-cache"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"


def onnx_dir():
    """Where ``python -m indexer export-model`` put the ONNX export (KB_ONNX_DIR, relative to the repository)."""
    path = Path(Settings.from_env().onnx_dir)
    return path if path.is_absolute() else ROOT / path
