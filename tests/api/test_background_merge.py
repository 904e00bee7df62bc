"""A replica whose delta has grown folds it into a full version in a background process while saves go on: the
merged version serves every edit, including those published during the merge."""

from kb.index.store import IndexStore
from tests.support import bearer, services_of

TEXT = """---
id: {id}
title: Merge note {n}
type: troubleshooting
products: [QN90D*]
categories: [tv]
---

## Answer

Reset the picture settings under Support. Keyword: okapimerge{n}.
"""


def save(app, n):
    response = app.test_client().post("/api/v1/articles", json={"text": TEXT.format(n=n, id=f"tv-merge-note-{n}")},
                                      headers=bearer(app, "reviewer"))
    assert response.status_code == 201, response.get_json()


def found(app, n):
    hits = app.test_client().get(f"/api/v1/search?q=okapimerge{n}&mode=lexical&log=0",
                                 headers=bearer(app, "reviewer")).json["hits"]
    return any(h["article_id"] == f"tv-merge-note-{n}" for h in hits)


def test_a_grown_delta_is_merged_in_the_background_while_saves_go_on(app_factory):
    app = app_factory(merge_after=2)
    store, publisher = IndexStore(services_of(app).settings.index_dir), services_of(app).publisher
    full = store.manifest()["version"]
    save(app, 1)
    assert publisher._merging is None and store.manifest()["base"] == full  # one article: a delta, no merge
    save(app, 2)
    merging = publisher._merging
    assert merging is not None  # two articles changed since the full version: a merge process started
    save(app, 3)  # saves go on while it runs
    assert found(app, 3)
    assert merging.wait(timeout=300) == 0, (store.root / "merge.log").read_text()
    manifest = store.manifest()
    assert manifest.get("base") != full and "tv-merge-note-1" not in manifest.get("replaced", [])
    assert services_of(app).engine.refresh() or True
    assert all(found(app, n) for n in (1, 2, 3))
