"""The example host's server side (docs/embed.md): serves host.html and makes panel tokens with the integration's
API token, which stays here. Run it beside a knowledge base on 127.0.0.1:8000 whose KB_FRAME_ANCESTORS lists
http://localhost:8080:

    NORDIQ_API_TOKEN=kb_... python docs/embed/host_server.py --kb http://127.0.0.1:8000 --port 8080
    # then open http://localhost:8080/
"""

import argparse
import json
import os
import urllib.request
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).parent


class Handler(SimpleHTTPRequestHandler):
    """Static files of this folder, host.html with the knowledge base's URL, and POST /kb-embed-token."""

    def do_GET(self):
        if self.path in ("/", "/host.html"):
            page = (HERE / "host.html").read_text("utf-8").replace(
                'content="http://127.0.0.1:8000"', f'content="{self.server.kb_url}"')
            return self._send(200, "text/html; charset=utf-8", page.encode())
        return super().do_GET()

    def do_POST(self):
        if self.path != "/kb-embed-token":
            return self._send(404, "text/plain", b"not found")
        request = urllib.request.Request(
            f"{self.server.kb_url}/api/v1/embed/tokens", method="POST", data=json.dumps({"agent": "demo agent"}).encode(),
            headers={"Authorization": f"Bearer {self.server.api_token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:  # a real host checks its own agent's session first
            made = json.load(response)
        return self._send(200, "application/json", json.dumps({"token": made["token"]}).encode())

    def _send(self, status, kind, body):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Security-Policy", "default-src 'self'; frame-src " + self.server.kb_url)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def make_server(kb_url, api_token, port=0):
    """The host server on 127.0.0.1 (``port`` 0: any free one); ``kb_url`` and ``api_token`` may be set later."""
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(Handler, directory=str(HERE)))
    server.kb_url, server.api_token = kb_url, api_token
    return server


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kb", default="http://127.0.0.1:8000")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args()
    make_server(args.kb, os.environ["NORDIQ_API_TOKEN"], args.port).serve_forever()
