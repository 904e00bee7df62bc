"""WSGI entry point for gunicorn: ``gunicorn --preload server.wsgi:app``.

With ``--preload`` the engine and the model load once in the master, before the workers fork; so does the
parse of the content folder the publisher's builder keeps (a worker's first update would otherwise parse every
article: 20 s at 100x).
"""

from kb.index.vectors import set_threads
from kb.settings import Settings
from server import create_app

_settings = Settings.from_env()
set_threads(_settings.threads)
app = create_app(_settings, background=False)  # a thread started in the master would not survive the fork
app.extensions["kb_services"].publisher.warm()
