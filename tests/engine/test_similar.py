"""Neighbours in meaning on the real engine: the duplicate warning of the editor (``similar``) and the ordering of
quiz distractors (``neighbours``)."""



NO_SOUND = ("Picture is fine but the TV has no sound\nMost silent TVs are sending the sound to headphones, a Bluetooth "
            "speaker or a soundbar. Set the sound output back to the TV speakers.")


def test_a_near_copy_of_an_article_is_flagged_as_similar(engine):
    found = engine.similar(NO_SOUND)
    assert found[0]["id"] == "qn90d-no-sound" and found[0]["similarity"] >= engine.embedder.duplicate_threshold
    assert found[0]["title"] == engine.version.articles["qn90d-no-sound"]["title"]
    assert [f["similarity"] for f in found] == sorted((f["similarity"] for f in found), reverse=True)


def test_similar_skips_excluded_unpublished_and_distant_articles(engine):
    assert all(f["id"] != "qn90d-no-sound" for f in engine.similar(NO_SOUND, exclude={"qn90d-no-sound"}))
    assert engine.similar("Pairing a Bluetooth keyboard with a smart fridge door panel in the garden") == []
    draft = engine.version.articles["draft-new-firmware"]
    assert all(f["id"] != "draft-new-firmware" for f in engine.similar(draft["title"], threshold=0.0, limit=50))
    assert len(engine.similar(NO_SOUND, threshold=0.0, limit=3)) == 3


def test_neighbours_order_candidates_by_meaning(engine):
    candidates = ["ww80t-door-locked", "tv-wifi-drops", "ww90t-4c-water-supply", "rb38t-not-cooling"]
    ranked = engine.neighbours("ww90t-not-draining", candidates)
    assert sorted(ranked) == sorted(candidates)
    assert ranked[0] in {"ww90t-4c-water-supply", "ww80t-door-locked"}  # washing machines before TVs and fridges
    assert ranked.index("ww90t-4c-water-supply") < ranked.index("tv-wifi-drops")
    assert ranked == engine.neighbours("ww90t-not-draining", list(reversed(candidates)))  # the order is the meaning's


def test_neighbours_of_unknown_articles_keep_the_given_order(engine):
    assert engine.neighbours("no-such-article", ["b", "a"]) == ["b", "a"]
    ranked = engine.neighbours("ww90t-not-draining", ["not-indexed", "ww90t-4c-water-supply"])
    assert ranked == ["ww90t-4c-water-supply", "not-indexed"]  # unknown candidates go last
