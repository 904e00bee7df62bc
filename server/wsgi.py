"""WSGI entry point for gunicorn: ``gunicorn --preload assist_api.wsgi:app``.

With ``--preload`` the engine and the model load once in the master, before the workers fork.
"""

from assist_api import create_app
from kb.index.vectors import set_threads
from kb.settings import Settings

_settings = Settings.from_env()
set_threads(_settings.threads)
if _settings.embedding_backend == "torch":  # the ONNX backends do not need torch loaded at all
    import torch

    torch.set_num_threads(_settings.threads)
app = create_app()
