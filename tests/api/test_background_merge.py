"""A replica publishes a save without walking its content folder (the publisher tells the index builder the files
it wrote), and once its delta has grown folds it into a full version in a background process while saves go on:
the merged version serves every edit, including those published during the merge."""

import kb.content
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


def found(app, n, article_id=None):
    """Whether a search for note ``n``'s keyword lists ``article_id`` (default: note ``n``)."""
    hits = app.test_client().get(f"/api/v1/search?q=okapimerge{n}&mode=lexical&log=0",
                                 headers=bearer(app, "reviewer")).json["hits"]
    return any(h["article_id"] == (article_id or f"tv-merge-note-{n}") for h in hits)


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


def test_saves_are_published_without_walking_the_content_folder(app_factory, monkeypatch):
    app = app_factory()
    services_of(app).publisher.warm()  # as the gunicorn master does before the workers fork
    walked, real = [], kb.content._walk
    monkeypatch.setattr(kb.content, "_walk", lambda root: walked.append(root) or real(root))
    save(app, 4)  # a new article
    save(app, 5)
    assert found(app, 4) and found(app, 5)
    response = app.test_client().get("/api/v1/articles/tv-merge-note-4/source", headers=bearer(app, "reviewer"))
    edited = TEXT.format(n=6, id="tv-merge-note-4")  # the same article, its keyword changed
    response = app.test_client().put("/api/v1/articles/tv-merge-note-4", headers=bearer(app, "reviewer"),
                                     json={"text": edited, "base_version": response.json["version"]})
    assert response.status_code == 200, response.get_json()
    assert found(app, 6, "tv-merge-note-4") and not found(app, 4)
    assert walked == []
