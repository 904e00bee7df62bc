"""What a consultant may not see stays unseen: unpublished articles answer exactly as ids that do not exist (no
existence oracle), typo correction never offers a word found only in drafts; contacts keep their feedback when
assisted again; front matter cannot expand into megabytes; audience is not access control (README)."""

import time

import pytest
from sqlalchemy import select

from assist_api.access import route_permissions
from services.accounts import allowed
from services.db.schema import feedback
from tests.support import bearer, services_of, signed_in

DRAFT, MISSING = "draft-new-firmware", "no-such-article-at-all"


def as_missing(response, article_id):
    """Status, and body with the id written as the missing one, for comparing two answers."""
    return response.status_code, response.get_data(as_text=True).replace(article_id, MISSING)


def article_requests(app):
    """Every request a consultant may make that names an article: ``(method, url or None, json, form)``."""
    for rule, methods, _endpoint, permission in route_permissions(app):
        if "<article_id>" in rule and allowed("consultant", permission):
            for method in methods:
                yield method, rule.replace("<article_id>", "{id}"), None, None
    yield "POST", "/api/v1/feedback", {"article_id": "{id}", "helpful": True}, None
    yield "POST", "/api/v1/feedback", {"article_id": "{id}", "helpful": False, "flag": "wrong"}, None
    yield "POST", "/api/v1/usage", {"article_id": "{id}", "action": "copied"}, None
    yield "POST", "/learn/read", None, {"article_id": "{id}"}


def fill(value, article_id):
    if isinstance(value, dict):
        return {k: fill(v, article_id) for k, v in value.items()}
    return value.replace("{id}", article_id) if isinstance(value, str) else value


def test_an_unpublished_article_answers_a_consultant_as_a_missing_one(app_factory):
    app = app_factory()
    assert services_of(app).engine.version.articles[DRAFT]["status"] == "draft"
    checked = 0
    for method, url, json, form in article_requests(app):
        answers = []
        for article_id in (DRAFT, MISSING):
            client = signed_in(app, "consultant")
            response = client.open(fill(url, article_id), method=method, json=fill(json, article_id),
                                   data=fill(form, article_id))
            answers.append(as_missing(response, article_id))
        assert answers[0] == answers[1], f"{method} {url} {json or form}: a draft answers {answers[0][0]}, " \
                                         f"a missing id {answers[1][0]}"
        checked += 1
    assert checked >= 6


def test_typo_correction_never_offers_a_word_of_a_draft(app):
    consultant = signed_in(app, "consultant")
    # "unready" appears only in the draft ("This draft is not ready ..."): a near miss must not be corrected to it
    for query in ("firmwear draftt", "zqxdraftwodr", "consultnt's"):
        body = consultant.get("/api/v1/search", query_string={"q": query, "explain": "1"}).json
        assert DRAFT not in [h["article_id"] for h in body["hits"]]
    draft_only = draft_only_words(app)
    assert draft_only, "the fixture's draft has words of its own"
    for word in sorted(draft_only)[:20]:
        typo = word[:-1] + ("x" if word[-1] != "x" else "y")
        body = consultant.get("/api/v1/search", query_string={"q": typo, "explain": "1"}).json
        corrected = str(body.get("analysis", {}).get("corrected")) + str([h.get("explanation") for h in body["hits"]])
        assert word not in corrected.lower(), f"{typo!r} was corrected to the draft-only word {word!r}"


def draft_only_words(app):
    from kb.index.analysis import plain_words

    version = services_of(app).engine.version
    words = {"draft": set(), "published": set()}
    for chunk in version.chunks:
        record = version.articles[chunk["article_id"]]
        kind = "published" if record["status"] == "published" else "draft"
        words[kind].update(plain_words(f"{record['title']} {chunk['heading']} {chunk['text']}"))
    return {w for w in words["draft"] - words["published"] if len(w) >= 5 and w.isalpha()}


def test_assisting_a_contact_again_keeps_its_feedback(db_app):
    headers = bearer(db_app, "consultant")
    client = db_app.test_client()
    first = client.post("/api/v1/assist", json={"body": "TV has no sound", "contact_id": "T-77"}, headers=headers)
    assert first.status_code == 200 and first.json["stored"]
    answered = first.json["answers"][0]["article_id"]
    assert client.post("/api/v1/feedback", json={"article_id": answered, "helpful": True, "contact_id": "T-77"},
                       headers=headers).status_code == 201
    again = client.post("/api/v1/assist", json={"body": "TV has no sound at all now", "contact_id": "T-77"},
                        headers=headers)
    assert again.status_code == 200 and again.json["stored"]
    with services_of(db_app).database.connect() as conn:
        linked = conn.execute(select(feedback.c.contact_id)).scalars().all()
    assert linked and None not in linked, "re-assisting the contact unlinked its earlier feedback"


ALIAS_BOMB = """---
id: bomb
title: "Bomb"
type: faq
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
---

## Answer

Boom.
"""


def test_a_yaml_alias_bomb_is_refused_fast_in_preview_and_save(app):
    writer = signed_in(app, "writer")
    started = time.perf_counter()
    preview = writer.post("/api/v1/preview", json={"text": ALIAS_BOMB})
    saved = writer.post("/api/v1/articles", json={"text": ALIAS_BOMB})
    assert time.perf_counter() - started < 1.0
    assert preview.status_code == 200 and len(preview.get_data()) < 20_000
    assert any("aliases" in p["message"] for p in preview.json["problems"])
    assert saved.status_code == 422 and "aliases" in saved.json["message"]


def test_audience_is_not_access_control(app):
    """The decision in the README: audience says whom an answer is written for, not who may read it; every role
    reads every published article, whatever its audience."""
    from kb.article import AUDIENCES

    assert "internal" not in AUDIENCES
    engine = services_of(app).engine
    published = [a for a in engine.version.articles.values() if a["status"] == "published"]
    for role in ("consultant", "engineer", "team-lead"):
        client = signed_in(app, role)
        for record in published:
            assert client.get(f"/api/v1/articles/{record['id']}").status_code == 200, (role, record["audience"])


@pytest.mark.parametrize("audience", ["internal", "staff-only"])
def test_an_unknown_audience_such_as_internal_is_refused_by_lint(app, audience):
    text = ALIAS_BOMB.split("a: &a")[0] + f"audience: [{audience}]\n---\n\n## Answer\n\nSecret.\n"
    response = signed_in(app, "writer").post("/api/v1/articles", json={"text": text})
    assert response.status_code == 422 and "audience" in response.json["message"]


def test_contacts_with_an_empty_id_or_assisted_at_once_are_all_stored(db_app):
    """Found by the full schemathesis run: a second contact with ``contact_id: ""`` was a 500 (UNIQUE)."""
    import threading

    headers = bearer(db_app, "consultant")
    for _ in range(2):
        response = db_app.test_client().post("/api/v1/assist", json={"body": "TV has no sound", "contact_id": ""},
                                             headers=headers)
        assert response.status_code == 200 and response.json["stored"] and response.json["contact_id"]
    start, statuses = threading.Barrier(6), []

    def assist():
        start.wait()
        statuses.append(db_app.test_client().post("/api/v1/assist", json={"body": "no sound", "contact_id": "SAME-1"},
                                                  headers=headers).status_code)

    threads = [threading.Thread(target=assist) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert statuses == [200] * 6
