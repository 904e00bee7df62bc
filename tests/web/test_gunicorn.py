"""Gunicorn as ``make serve`` runs it stops at once on SIGTERM: before ``server/gunicorn_conf.py`` every stop took
34 s (forked workers hung in onnxruntime's destructors until gunicorn killed them)."""

import pytest

from tests.support import FIXTURE_KB
from tests.support.gunicorn import Gunicorn


@pytest.mark.slow
def test_gunicorn_stops_within_seconds_of_sigterm_and_exits_cleanly(indexes, tmp_path):
    content, index = indexes.workspace(FIXTURE_KB, tmp_path)
    server = Gunicorn(content, index, tmp_path / "run").start()
    try:
        seconds, code = server.stop()
    finally:
        server.kill()
    log = server.log.read_text()
    assert seconds < 10, f"took {seconds:.1f} s to stop\n{log[-2000:]}"
    assert code == 0 and "SIGABRT" not in log and "Traceback" not in log, log[-2000:]
