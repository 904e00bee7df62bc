"""The example host of docs/embed (its page, script and token server), served on 127.0.0.1 for the browser tests:
what the docs show is what the tests run.

>>> with host_server() as host:                       # doctest: +SKIP
...     host.kb_url, host.api_token = url, token
"""

import contextlib
import importlib.util
import threading

from tests.support.paths import ROOT

HOST_SERVER = ROOT / "docs" / "embed" / "host_server.py"


@contextlib.contextmanager
def host_server():
    """Serve the example host on a free port until the block ends; yield the server (``server_port``, ``kb_url``,
    ``api_token``)."""
    spec = importlib.util.spec_from_file_location("embed_host_server", HOST_SERVER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    server = module.make_server(None, None)
    thread = threading.Thread(target=server.serve_forever, name="embed-host", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
