"""Gunicorn as ``make serve`` runs it, on private folders and a free port on 127.0.0.1, for the tests and benchmarks
of shutdown and of index swaps under load.

>>> with Gunicorn(content, index, tmp) as server:        # doctest: +SKIP
...     urllib.request.urlopen(server.url + "/api/v1/health")
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.support.paths import ROOT, TEST_CACHE, onnx_dir


def free_port():
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """A gunicorn master with ``workers`` workers over ``content`` and ``index``; ``config=False`` starts it as it
    was started before ``server/gunicorn_conf.py`` (``--preload`` alone), for before/after measurements."""

    def __init__(self, content, index, folder, workers=2, config=True, code=ROOT, extra_env=None):
        self.folder, self.port = Path(folder), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ, PYTHONPATH=str(code), HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false",
                        KB_CONTENT_DIR=str(content), KB_INDEX_DIR=str(index), KB_CACHE_DIR=str(TEST_CACHE),
                        KB_ONNX_DIR=str(onnx_dir()), KB_DATABASE_URL=f"sqlite:///{self.folder / 'kb.sqlite3'}",
                        KB_SECRET_KEY_FILE=str(self.folder / "secret-key"))
        self.env.update(extra_env or {})  # may replace the defaults above (the replicas' shared database)
        options = ["-c", "python:server.gunicorn_conf"] if config else ["--preload"]
        self.command = [str(Path(sys.executable).with_name("gunicorn")), *options, "--workers", str(workers),
                        "--bind", f"127.0.0.1:{self.port}", "--timeout", "120", "server.wsgi:app"]
        self.code, self.process, self.log = code, None, self.folder / "gunicorn.log"

    def start(self, timeout=120):
        """Start and wait until health answers."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.log, "wb") as log:
            # a session of its own: kill() ends the master and its workers, and nothing else
            self.process = subprocess.Popen(self.command, cwd=self.code, env=self.env, stdout=log, stderr=log,
                                            start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.url + "/api/v1/health", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        self.kill()
        raise RuntimeError(f"gunicorn did not answer in {timeout} s: {self.log.read_text()[-2000:]}")

    def stop(self, timeout=60):
        """SIGTERM the master; return ``(seconds until it exited, exit code)``."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return float("inf"), None
        return time.monotonic() - started, code

    def kill(self):
        """SIGKILL the master and whatever workers it left (its process group)."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.kill()
