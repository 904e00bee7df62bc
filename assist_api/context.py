"""The current app's engine, settings and services, for views of the API and the pages.

>>> get_engine().search("no sound")          # doctest: +SKIP
"""

from flask import current_app


def get_services():
    """The services of the current app (``services.Services``)."""
    return current_app.extensions["kb_services"]


def get_engine():
    """The search engine of the current app."""
    return current_app.extensions["kb_services"].engine


def get_settings():
    """The settings of the current app."""
    return current_app.extensions["kb_services"].settings
