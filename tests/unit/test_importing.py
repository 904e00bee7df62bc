"""Import from a Zendesk export, a CSV FAQ and a folder of HTML pages (the fixtures under tests/fixtures/import have
broken records, scripts and inline styles, duplicate titles and missing locales): the articles lint clean with
links and translations kept, a dry run writes nothing, a re-import changes nothing, ``--update`` is needed to
overwrite, and nothing is executed or fetched."""

import shutil
import socket
import subprocess
import sys

import pytest

from kb.content import Content
from kb.importing import import_source
from kb.importing.convert import html_to_markdown
from kb.lint import lint
from tests.support import FIXTURE_KB, ROOT

SOURCES = ROOT / "tests" / "fixtures" / "import"


@pytest.fixture()
def kb_copy(tmp_path):
    folder = tmp_path / "articles"
    shutil.copytree(FIXTURE_KB, folder)
    return folder


def snapshot(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def imported(folder, result):
    """Lint problems of the imported files only (the fixture knowledge base has broken files on purpose)."""
    written = {str(p.path.relative_to(folder)) for p in result.planned}
    return [str(p) for p in lint(Content.load(folder)) if p.path in written]


def test_html_is_sanitized_before_it_becomes_markdown():
    markdown = html_to_markdown(
        '<h1>Reset</h1><p style="color:red" onclick="steal()">Hold <b>Power</b>.</p><script>alert(1)</script>'
        '<style>p{}</style><iframe src="https://evil.example"></iframe><form action="https://evil.example">'
        '<input name="pw"></form><h4>Steps</h4><p><a href="javascript:alert(1)">go</a> '
        '<img src="x.png" onerror="alert(1)" alt="photo"></p>', "Reset")
    assert markdown == "## Answer\n\nHold **Power**.\n\n## Steps\n\ngo *photo*\n"


@pytest.mark.parametrize("name", ["zendesk", "faq.csv", "html"])
def test_each_source_imports_articles_that_lint_clean(kb_copy, name):
    result = import_source(SOURCES / name, kb_copy)
    assert result.count("create") >= 4
    assert imported(kb_copy, result) == []
    assert all(p.path.is_file() for p in result.planned)


def test_zendesk_links_translations_images_and_broken_records(kb_copy):
    result = import_source(SOURCES / "zendesk", kb_copy)
    content = Content.load(kb_copy)
    wifi, polish = content.articles["how-do-i-connect-my-tv-to-wi-fi"], content.articles["jak-polaczyc-telewizor-z-wi-fi"]
    assert (polish.lang, polish.translation_of, wifi.lang, wifi.products) == ("pl", wifi.id, "en", ["QN90D*"])
    assert content.articles["gwarancja-co-obejmuje"].translation_of == "warranty-what-is-covered"
    assert "(kb:reset-the-network-settings-of-a-tv#reset-step-by-step)" in wifi.body  # a Help Center link, its section
    assert "(kb:how-do-i-connect-my-tv-to-wi-fi#connect-the-tv)" in content.articles["reset-the-network-settings-of-a-tv"].body
    assert "(kb:reset-the-network-settings-of-a-tv)" in polish.body  # no Polish version: the English one
    assert (kb_copy / "tv" / "how-do-i-connect-my-tv-to-wi-fi-router-menu.png").read_bytes()[:4] == b"\x89PNG"
    assert "![The network menu](how-do-i-connect-my-tv-to-wi-fi-router-menu.png)" in wifi.body
    for text in ("script", "evil.example", "javascript", "style=", "onclick", "iframe", "<"):
        assert text not in wifi.body and text not in content.articles["phone-battery-drains-overnight"].body
    assert content.articles["phone-battery-drains-overnight"].status == "draft"
    assert content.articles["how-do-i-connect-my-tv-to-wi-fi-2"].source == "zendesk:360001000005"  # duplicate title
    assert content.articles["washing-machine-shows-4c-after-a-move"].lang == "en"  # no locale: the default
    found = {(p.path, p.line, p.severity, p.message.split(":")[0]) for p in result.problems}
    assert ("articles.json", 48, "error", "article 360001000004 has no title") in found
    assert ("broken-page-2.json", 4, "error", "not valid JSON") in found
    assert ("articles.json", 74, "warning", "article 360001000006 has no locale") in found
    assert ("articles.json", 86, "warning", "article 360001000007") in found  # German: skipped
    assert not any("waschmaschine" in p.path.name for p in result.planned)
    assert all(p.fix for p in result.problems)


def test_csv_rows_translations_duplicates_and_broken_rows(kb_copy):
    result = import_source(SOURCES / "faq.csv", kb_copy)
    content = Content.load(kb_copy)
    pl = content.articles["dlaczego-pralka-pokazuje-blad-4c"]
    assert (pl.lang, pl.translation_of, pl.products, pl.categories) == (
        "pl", "why-does-my-washing-machine-show-4c", ["WW90T554DAW"], ["washing-machine"])
    assert pl.sections[0].heading == "Odpowiedź"
    assert {"how-long-is-the-warranty", "how-long-is-the-warranty-2"} <= set(content.articles)
    fridge = content.articles["my-fridge-is-not-cooling"]
    assert fridge.products == ["RB38T*"] and "fetch" not in fridge.body and "steal" not in fridge.body
    assert content.articles["does-the-xx123-support-bluetooth"].tags == ["bluetooth", "xx123"]
    assert "garden tools" in content.articles["can-i-return-a-product-i-bought-online"].tags
    problems = {(p.line, p.severity, p.message) for p in result.problems}
    assert (13, "error", "row has no answer: skipped") in problems
    assert any(line == 17 and "'de' is not supported" in message for line, _, message in problems)


def test_a_semicolon_spreadsheet_with_polish_headers(kb_copy, tmp_path):
    sheet = tmp_path / "faq-pl.csv"
    sheet.write_text("Pytanie;Odpowiedź;Kategoria;Język\nJak długo trwa gwarancja?;24 miesiące, od daty zakupu.;"
                     "Gwarancja;pl\n", "utf-8")
    result = import_source(sheet, kb_copy)
    article = Content.load(kb_copy).articles["jak-dlugo-trwa-gwarancja"]
    assert (article.lang, article.categories, article.sections[0].heading) == ("pl", ["warranty"], "Odpowiedź")
    assert result.problems == []


def test_html_pages_sections_alternates_links_and_images(kb_copy):
    result = import_source(SOURCES / "html", kb_copy)
    content = Content.load(kb_copy)
    hdmi = content.articles["hdmi-no-picture"]
    assert [s.heading for s in hdmi.sections] == ["Answer", "Check the input", "Still nothing"]
    assert hdmi.tags == ["hdmi", "no signal", "black screen"] and hdmi.categories == ["tv"]
    assert content.articles["hdmi-brak-obrazu"].translation_of == "hdmi-no-picture"
    assert "(kb:washing-machine-door-stays-locked#unlock-the-door)" in hdmi.body
    assert (kb_copy / "tv" / "hdmi-no-picture-hdmi-ports.png").is_file()
    assert not any("hostname" in str(p) for p in kb_copy.rglob("*"))  # an image path out of the folder: refused
    door = content.articles["washing-machine-door-stays-locked"]
    assert "(tel:+48221234567)" in door.body and "youtube" not in door.body and "password" not in door.body
    fridge = content.articles["fridge-is-warm"]
    assert [s.heading for s in fridge.sections] == ["Answer", "Vents", "Door seal"]  # h3 sections moved up to ##
    errors = {(p.path, p.message.split(":")[0]) for p in result.problems if p.severity == "error"}
    assert errors == {("broken/only-a-script.html", "html"), ("broken/untitled.html", "page has no <h1> and no <title>")}


def test_a_dry_run_writes_nothing(kb_copy):
    before = snapshot(kb_copy)
    for name in ("zendesk", "faq.csv", "html"):
        result = import_source(SOURCES / name, kb_copy, dry_run=True)
        assert result.count("create") >= 4 and not result.written
    assert snapshot(kb_copy) == before


def test_reimporting_is_idempotent_and_overwriting_needs_update(kb_copy):
    for name in ("zendesk", "faq.csv", "html"):
        import_source(SOURCES / name, kb_copy)
    first = snapshot(kb_copy)
    for name in ("zendesk", "faq.csv", "html"):
        again = import_source(SOURCES / name, kb_copy)
        assert {p.action for p in again.planned} == {"unchanged"}
    assert snapshot(kb_copy) == first
    edited = kb_copy / "tv" / "how-do-i-connect-my-tv-to-wi-fi.md"
    edited.write_text(edited.read_text("utf-8").replace("Most Wi-Fi", "Nearly all Wi-Fi"), "utf-8")
    kept = import_source(SOURCES / "zendesk", kb_copy)
    assert [p.action for p in kept.planned if p.action != "unchanged"] == ["skip"]
    assert "Nearly all Wi-Fi" in edited.read_text("utf-8")
    assert any("pass --update" in p.fix for p in kept.problems)
    updated = import_source(SOURCES / "zendesk", kb_copy, update=True)
    assert [p.action for p in updated.planned if p.action != "unchanged"] == ["update"]
    assert snapshot(kb_copy) == first


def test_a_folder_with_nothing_to_import_is_an_error(kb_copy, tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="nothing to import"):
        import_source(tmp_path / "empty", kb_copy)


def test_importing_opens_no_connection(kb_copy, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"the importer tried to connect: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for name in ("zendesk", "faq.csv", "html"):
        assert import_source(SOURCES / name, kb_copy).count("create")


def test_the_command_line_prints_the_plan_and_the_problems(kb_copy):
    before = snapshot(kb_copy)
    done = subprocess.run([sys.executable, "-m", "kb", "import", str(SOURCES / "faq.csv"), "--into", str(kb_copy),
                           "--dry-run"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 1  # a broken row is an error: scripts notice
    assert "create    washing-machine/why-does-my-washing-machine-show-4c.md  (csv:faq-4c)" in done.stdout
    assert "faq.csv:13: error: row has no answer: skipped (fix: fill in both the question and the answer)" in done.stdout
    assert done.stdout.rstrip().endswith("nothing written")
    assert snapshot(kb_copy) == before
    real = subprocess.run([sys.executable, "-m", "kb", "import", str(SOURCES / "html"), "--into", str(kb_copy)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert "4 created" in real.stdout and "lint:" not in real.stdout
