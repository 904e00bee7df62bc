"""The pages' message catalogs: every string marked for translation in the code and templates has a Polish
translation with the same placeholders, and the compiled catalog the app reads is in step with the .po file."""

import io
import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from tests.support import ROOT

TRANSLATIONS = ROOT / "webui" / "translations"
PO = TRANSLATIONS / "pl" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "Nn_": (1, 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _read(path, reader, **kwargs):
    with path.open("rb") as fh:
        return reader(fh, **kwargs)


def _pairs(catalog):
    as_key = lambda v: tuple(v) if isinstance(v, (list, tuple)) else v  # noqa: E731 - plurals come as lists
    return {as_key(m.id): as_key(m.string) for m in catalog if m.id}


@pytest.fixture(scope="module")
def catalog():
    return _read(PO, read_po, locale="pl")


def marked_strings():
    """Every string the code and templates mark for translation (as ``pybabel extract -F babel.cfg`` finds them)."""
    method_map = [("webui/**.py", "python"), ("webui/templates/**.html", "jinja2")]
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(ROOT), method_map, keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_marked_string_has_a_polish_translation(catalog):
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog
                  if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string)}
    missing = sorted(marked_strings() - translated)
    assert missing == [], "run `make catalogs` and translate: " + "; ".join(missing)


def test_translations_keep_the_placeholders_and_the_three_polish_plural_forms(catalog):
    wrong = []
    for m in catalog:
        if not m.id:
            continue
        ids, strings = (m.id, m.string) if isinstance(m.id, tuple) else ((m.id,), (m.string,))
        if isinstance(m.id, tuple) and len(strings) != 3:
            wrong.append(f"{m.id[0]!r}: {len(strings)} plural forms, Polish has 3")
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        wrong += [f"{ids[0]!r} -> {s!r}" for s in strings if set(PLACEHOLDER.findall(s)) != wanted]
    assert wrong == []


def test_the_compiled_catalog_is_in_step_with_the_po_file(catalog):
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    assert _pairs(read_mo(compiled)) == _pairs(_read(MO, read_mo)), \
        "run `make messages` (pybabel compile -d webui/translations)"


def test_every_string_the_scripts_ask_for_is_in_their_catalog():
    from webui.js_messages import MESSAGES, PLURALS

    asked = set()
    for script in (ROOT / "webui" / "static").glob("*.js"):
        text = re.sub(r"^\s*//.*$", "", script.read_text("utf-8"), flags=re.M)  # not the comments
        asked |= set(re.findall(r'\bt\("([^"]+)"', text)) | set(re.findall(r'KB\.tn\("([^"]+)"', text))
    built = {"filter_", "label_", "level_"}  # keys the scripts build: filter_<name>, label_<code>, level_<level>
    missing = sorted(k for k in asked - set(MESSAGES) - set(PLURALS) - built)
    assert missing == [], "add them to webui/js_messages.py: " + "; ".join(missing)
    assert {f"level_{lvl}" for lvl in ("high", "medium", "weak")} <= set(MESSAGES)


def test_no_page_uses_a_glyph_the_base_fonts_lack():
    """Fullwidth forms (U+FF00-U+FFEF) such as "＋" render as empty boxes with the fonts the desks have."""
    wide = re.compile("[\uff00-\uffef]")
    files = [*(ROOT / "webui" / "static").glob("*.js"), *(ROOT / "webui" / "templates").glob("*.html")]
    assert [f.name for f in files if wide.search(f.read_text("utf-8"))] == []
