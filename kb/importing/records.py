"""What every source is read into before it becomes an article: one ``Record`` per article or translation, with the
place it came from (for problems and for idempotent re-imports) and its body still as HTML.

>>> lang_of("en-us"), lang_of("pl-PL"), lang_of("de"), lang_of(None)
('en', 'pl', None, None)
"""

import re
from dataclasses import dataclass, field

from kb.article import LANGS, TYPES
from kb.problems import Problem


@dataclass
class Record:
    """One article or translation of a source. ``key`` names it in the source (``zendesk:360001``,
    ``zendesk:360001/pl``, ``csv:reset-password``, ``html:tv/no-sound.html``) and becomes the article's ``source``;
    ``translation_of`` is the key of the record it translates."""

    key: str
    title: str
    html: str
    where: str
    line: int = 1
    lang: str = "en"
    translation_of: str = None
    type: str = "faq"
    status: str = "published"
    tags: list = field(default_factory=list)
    categories: list = field(default_factory=list)  # names as the source has them; mapped to ids later
    products: list = field(default_factory=list)  # codes as the source has them; checked against the catalog
    anchors: dict = field(default_factory=dict)  # html id -> section anchor, for links with a #fragment
    base: object = None  # folder that relative image paths are resolved in
    assets: object = None  # folder of downloaded attachments (Zendesk), looked up by file name


@dataclass
class Source:
    """Everything read from a source: records in source order, problems, and how to resolve its links."""

    kind: str
    records: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    link_key: object = None  # (href, record) -> (key, fragment) or None

    def problem(self, where, line, message, fix, severity="warning"):
        """Add a problem at a file and line (or record)."""
        self.problems.append(Problem(str(where), line or 1, severity, message, fix))


LOCALES = {"en": "en", "pl": "pl"}


def lang_of(locale):
    """The article language of a locale (``en-us`` -> ``en``), or None when it is not one of ours."""
    if not locale:
        return None
    lang = re.split(r"[-_]", str(locale).strip().lower())[0]
    return lang if lang in LANGS else None


def type_of(value):
    """An article type from a source value, or None."""
    value = (value or "").strip().lower()
    return value if value in TYPES else None


def split_list(value):
    """A cell or field with several values (``a, b; c`` or a list) as a list of trimmed strings."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in re.split(r"[,;|]", str(value)) if v.strip()]
