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


def closing(app):
    """``app`` whose response bodies are read and closed before they are sent: werkzeug's development server skips
    ``close()`` when the browser resets the connection (it drains the socket first), which leaves a static file open
    until garbage collection: an unraisable ResourceWarning in whichever test runs then. Gunicorn has no such path."""
    def wsgi(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return wsgi


@contextlib.contextmanager
def serve(app):
    """Serve ``app`` until the block ends; yield its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, closing(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="kb-test-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
