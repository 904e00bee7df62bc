"""Gunicorn settings of ``make serve``: ``gunicorn -c python:server.gunicorn_conf server.wsgi:app``.

Why a worker ends with ``os._exit``: with ``--preload`` the master imports onnxruntime (the embedding model) before
it forks, and onnxruntime starts threads at import. A forked worker inherits their condition variables but not
the threads, so onnxruntime's C++ destructors, run by ``exit()`` after Python has finished, wait forever in
``pthread_cond_destroy`` (seen with py-spy and gdb: the worker sits in ``__run_exit_handlers``). Gunicorn then
waits its graceful timeout (30 s) and kills it: every stop took 34 s. So a worker flushes what it holds (queued
search events, the database pool, logs) and leaves with ``os._exit``, skipping those destructors.

Why ``gc.freeze()`` before the fork: the master's own exit then took 5-7 s more, in Python's final garbage
collection of the preloaded index tables. Frozen objects are never collected again: not at exit, and not by the
workers' collections either, which also keeps the shared pages shared (the use the Python docs give for it).
``bench/shutdown_bench.py`` measures the stop.
"""

import gc
import logging
import os
import sys

preload_app = True


def post_worker_init(worker):
    """In each worker, after the fork: start the thread that applies the content changes other replicas commit."""
    services = getattr(getattr(worker, "wsgi", None), "extensions", {}).get("kb_services")
    if services is not None and services.replication is not None:
        services.replication.start()


def worker_exit(server, worker):
    """In the worker, after its loop ended: flush, close, and exit without running C++ static destructors."""
    code = _exit_code()
    services = getattr(getattr(worker, "wsgi", None), "extensions", {}).get("kb_services")
    if services is not None:
        try:
            if services.replication is not None:
                services.replication.stop(timeout=2)
            services.events.flush(timeout=5)
            services.database.dispose()
        except Exception as exc:  # noqa: BLE001 - leaving anyway; say why
            server.log.warning("worker %s: shutdown cleanup failed: %s", worker.pid, exc)
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def when_ready(server):
    """In the master, the app preloaded and before the first fork: move everything it made out of the collector's
    reach."""
    gc.collect()
    gc.freeze()


def _exit_code():
    # worker_exit runs in gunicorn's ``finally`` while its SystemExit propagates: keep that exit status
    exc = sys.exc_info()[1]
    if isinstance(exc, SystemExit):
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0 if exc is None else 1
