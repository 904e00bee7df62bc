"""Export: JSON with one record per article and translation; the static customer site holds published consumer
articles only (no drafts, scripts, procedures or other audiences), sanitized, with links between exported articles
kept, images copied, a strict policy on every page and nothing to fetch from elsewhere."""

import json
import re
import shutil
import subprocess
import sys

import pytest

from kb.content import Content
from kb.exporting import customer_articles, export_json, export_site
from kb.importing import import_source
from tests.support import FIXTURE_KB, ROOT


@pytest.fixture()
def content(tmp_path):
    folder = tmp_path / "articles"
    shutil.copytree(FIXTURE_KB, folder)
    import_source(ROOT / "tests" / "fixtures" / "import" / "html", folder)  # pages with an image and a translation
    policy = folder / "procedures" / "warranty-policy.md"
    policy.write_text(policy.read_text("utf-8").replace("type: policy", "type: policy\naudience: [service-partner]"),
                      "utf-8")
    return Content.load(folder)


def test_json_has_one_record_per_article_and_translation_with_sections(content, tmp_path):
    count = export_json(content, tmp_path / "kb.json")
    doc = json.loads((tmp_path / "kb.json").read_text("utf-8"))
    records = {r["id"]: r for r in doc["articles"]}
    assert count == len(content.articles) == len(records) and doc["version"] == 1
    hdmi, polish = records["hdmi-no-picture"], records["hdmi-brak-obrazu"]
    assert (polish["translation_of"], polish["group"], hdmi["translations"]) == ("hdmi-no-picture", "hdmi-no-picture",
                                                                                  {"pl": "hdmi-brak-obrazu"})
    answer = hdmi["sections"][0]
    assert answer["heading"] == "Answer" and answer["text"].startswith("When the TV says No signal")
    assert "<script" not in json.dumps(records["hostile-html"]["sections"][0]["html"])
    assert records["draft-new-firmware"]["status"] == "draft"
    assert export_json(content, tmp_path / "pub.json", {"published"}) == len(content.published())


def test_the_site_has_published_consumer_articles_only(content, tmp_path):
    out = tmp_path / "site"
    count = export_site(content, out)
    pages = {p.stem for p in out.glob("*.html")} - {"index", "search"}
    assert pages == {a.id for a in customer_articles(content)} and count == len(pages)
    for hidden in ("draft-new-firmware", "washer-call-script", "identity-verification", "warranty-policy"):
        assert hidden not in pages and hidden not in (out / "search-index.js").read_text("utf-8")
    assert {"hdmi-no-picture", "hdmi-brak-obrazu", "tv-wifi-drops", "pralka-nie-odpompowuje-pl"} <= pages


def test_site_pages_are_sanitized_linked_and_fetch_nothing(content, tmp_path):
    out = tmp_path / "site"
    export_site(content, out)
    hostile = (out / "hostile-html.html").read_text("utf-8")
    assert "alert" not in hostile and "onclick" not in hostile and "javascript:" not in hostile
    hdmi = (out / "hdmi-no-picture.html").read_text("utf-8")
    assert 'href="washing-machine-door-stays-locked.html#unlock-the-door"' in hdmi
    assert '<img alt="HDMI ports on the back of the TV" src="media/hdmi-no-picture-hdmi-ports.png">' in hdmi
    assert (out / "media" / "hdmi-no-picture-hdmi-ports.png").read_bytes()[:4] == b"\x89PNG"
    assert 'href="hdmi-brak-obrazu.html" hreflang="pl"' in hdmi
    ww = (out / "ww90t-4c-water-supply.html").read_text("utf-8")
    assert "repair-registration" not in ww  # a procedure is not exported: the link became text
    for page in out.glob("*.html"):
        text = page.read_text("utf-8")
        assert "default-src 'none'; script-src 'self'" in text, page.name
        assert not re.search(r'(src|href)="(https?:)?//', text.replace('href="https://', 'href="X')), page.name
        assert not re.search(r'<(script|link|img)[^>]+(src|href)="https?:', text), page.name


def test_the_command_line_exports_both(tmp_path):
    for args in (("json", str(tmp_path / "kb.json")), ("site", str(tmp_path / "site"))):
        done = subprocess.run([sys.executable, "-m", "kb", "export", *args, "--content", str(FIXTURE_KB)],
                              capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert done.returncode == 0 and "wrote" in done.stdout
    assert (tmp_path / "site" / "search.html").is_file() and (tmp_path / "kb.json").stat().st_size > 1000
