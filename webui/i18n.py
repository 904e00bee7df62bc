"""The pages in English and Polish with Flask-Babel: message catalogs in ``webui/translations`` (compiled by
``make messages``), the language chosen per person (stored with the account), else the browser's Accept-Language.

Scripts get their strings from the same catalogs: ``js_catalog()`` is embedded in every page as data (never as
script) and read by ``KB.t`` in ``common.js``; plural forms travel as CLDR categories so the script picks the form
with ``Intl.PluralRules``, exactly as Babel does on the server.

>>> sorted(LANGUAGES)
['en', 'pl']
"""

from pathlib import Path

from babel import Locale
from flask import request, session
from flask_babel import Babel, get_locale, get_translations

from assist_api.access import current_user
from services.errors import ServiceError
from webui.js_messages import MESSAGES, PLURALS
from webui.messages import label

LANGUAGES = {"en": "English", "pl": "Polski"}
DEFAULT = "en"
TRANSLATIONS = Path(__file__).with_name("translations")
SAMPLES = (0, 1, 2, 3, 4, 5, 11, 12, 21, 22, 25, 101, 102, 105)  # one of each plural category in en and pl


def chosen_language():
    """The person's saved language, else the one picked while signed out, else the browser's best match."""
    try:
        user = current_user()
    except ServiceError:  # the database is down: the browser's language will do
        user = None
    for choice in ((user or {}).get("locale"), session.get("lang")):
        if choice in LANGUAGES:
            return choice
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT


def init_app(app):
    """Install Flask-Babel on the app with the pages' catalogs and the per-person language."""
    Babel(app, locale_selector=chosen_language, default_translation_directories=str(TRANSLATIONS),
          default_locale=DEFAULT)

    @app.context_processor
    def language_context():
        lang = str(get_locale() or DEFAULT)
        return {"ui_lang": lang, "languages": LANGUAGES, "js_catalog": js_catalog, "label": label}

    app.jinja_env.filters["isodate"] = isodate


def isodate(value):
    """A YYYY-MM-DD string as a date (for Babel's date formats); other values unchanged."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return value


def js_catalog():
    """The scripts' strings in the page's language: ``{key: text}`` and, for counts, ``{key: {category: text}}``."""
    translations = get_translations()
    out = {key: translations.ugettext(text) for key, text in MESSAGES.items()}  # placeholders kept: KB.t fills them
    locale = Locale.parse(str(get_locale() or DEFAULT))
    for key, (singular, plural) in PLURALS.items():
        forms = {}
        for n in SAMPLES:
            forms.setdefault(locale.plural_form(n), translations.ungettext(singular, plural, n))
        out[key] = forms
    out["_lang"] = str(locale)
    return out
