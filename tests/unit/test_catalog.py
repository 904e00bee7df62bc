"""Product detection in free text and the catalog's lookups."""

import pytest

from kb.catalog import Catalog, normalize_code
from tests.support import FIXTURE_KB, SAMPLE_KB


@pytest.fixture(scope="module")
def catalog():
    return Catalog.load(SAMPLE_KB)


@pytest.mark.parametrize("text, code", [
    ("my ww90t554daw shows 4C", "WW90T554DAW"),
    ("WW90T554DAW/S6 leaking", "WW90T554DAW"),
    ("ww90t 554 daw", "WW90T554DAW"),
    ("model WW90T554DAW/XEF bought abroad", "WW90T554DAW"),  # unknown regional suffix
    ("qn90d 55 has no sound", "QN90D55"),
    ("QN90D55ATXXU", "QN90D55"),
    ("NP-S921BZK battery", "NP-S921BZK"),
    ("np s921b zk", "NP-S921BZK"),
    ("rb38t602cww/eu not cooling", "RB38T602CWW"),
])
def test_detects_models_in_any_spelling(catalog, text, code):
    found = catalog.detect(text)
    assert found and found[0].product and found[0].product.code == code
    assert found[0].family.code == catalog.products[code].family
    assert found[0].category == catalog.products[code].category


def test_a_family_prefix_finds_the_family_and_its_models(catalog):
    (found,) = catalog.detect("the ww90t is noisy")
    assert found.product is None and found.family.code == "WW90T"
    assert "WW90T554DAW" in found.candidates


def test_error_codes_and_plain_words_are_not_products(catalog):
    assert catalog.detect("4C error after 5 minutes, model unknown, 2024") == []


def test_code_does_not_swallow_the_next_token(catalog):
    (found,) = catalog.detect("WW90T554DAW 4C")
    assert found.text == "WW90T554DAW"


def test_expand_patterns(catalog):
    assert set(catalog.expand("WW90T*")) >= {"WW90T554DAW", "WW90T684DLH"}
    assert catalog.expand("ww90t554daw") == ["WW90T554DAW"]
    assert catalog.expand("XX*") == []
    assert normalize_code("np-s921b/ds") == "NPS921BDS"


def test_sample_catalog_size_and_categories(catalog):
    assert len(catalog.products) >= 700
    product_categories = {p.category for p in catalog.products.values()}
    assert len(product_categories) >= 15
    assert product_categories <= set(catalog.categories)
    assert {p.status for p in catalog.products.values()} == {"active", "end-of-life"}


def test_fixture_catalog_loads():
    assert len(Catalog.load(FIXTURE_KB).products) == 11
