"""The suite's one live server: an app served over real HTTP on 127.0.0.1 (a free port) in a thread.

>>> with serve(app) as url:                   # doctest: +SKIP
...     urllib.request.urlopen(url + "/api/v1/health")
"""

import contextlib
import threading
from dataclasses import dataclass, field


@dataclass
class LiveServer:
    """A served app: its base URL, the app (to look into its database) and the browser sign-ins made so far."""

    url: str
    app: object
    sign_ins: dict = field(default_factory=dict)


@contextlib.contextmanager
def serve(app):
    """Serve ``app`` until the block ends; yield its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="kb-test-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
