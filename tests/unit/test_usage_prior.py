"""The usage feature's maths on its own: position bias, prior, decay, cap, negatives, exploration, back-off."""

from dataclasses import replace

import pytest

from kb.search.usage_prior import DAY, Impression, Signal, UsageConfig, aggregate, query_key

CONFIG = UsageConfig()


def shown(n, results, query="5c washer", family="WW90T", when=0.0):
    return [Impression(when, query, family, tuple(results))] * n


def used(n, article, position, kind="used", query="5c washer", family="WW90T", when=0.0):
    return [Signal(when, query, family, article, kind, position)] * n


def boost(stats, article, query="5c washer", family="WW90T"):
    return stats.boost(article, query, family)[0]


def test_an_article_used_as_often_as_its_position_predicts_is_not_boosted():
    # 100 lists a, b, c; uses fall off with position exactly as on average: nothing is earned, nothing is lost
    signals = used(40, "a", 1) + used(20, "b", 2) + used(13, "c", 3)
    stats = aggregate(shown(100, "abc"), signals, now=0.0)
    assert [round(boost(stats, x), 2) for x in "abc"] == [0.0, 0.0, 0.0]


def test_position_bias_is_corrected():
    # b is used as often as a although it is shown second: it earns a boost, a loses; without the correction the
    # feature would see two equally used articles and leave them alone
    signals = used(30, "a", 1) + used(30, "b", 2)
    stats = aggregate(shown(100, "ab"), signals, now=0.0)
    assert boost(stats, "b") > 0.01 and boost(stats, "a") < 0
    flat = aggregate(shown(100, "ab"), signals, now=0.0, config=replace(CONFIG, position_correction=False))
    assert abs(boost(flat, "b") - boost(flat, "a")) < 1e-9


def test_the_prior_keeps_a_few_clicks_from_dominating():
    few = aggregate(shown(3, "ab") + shown(200, "xy", query="other"), used(2, "b", 2), now=0.0)
    many = aggregate(shown(60, "ab") + shown(200, "xy", query="other"), used(40, "b", 2), now=0.0)
    assert 0 < boost(few, "b") < boost(many, "b") / 2


def test_the_boost_is_capped_and_negatives_push_down():
    strong = replace(CONFIG, weight=0.5)
    stats = aggregate(shown(500, "ab"), used(500, "b", 2, kind="fixed"), now=0.0, config=strong)
    assert boost(stats, "b") == CONFIG.cap and boost(stats, "a") == -CONFIG.cap
    bad = aggregate(shown(100, "ab"), used(30, "a", 1) + used(20, "a", 1, kind="not_fixed")
                    + used(5, "a", 1, kind="flag"), now=0.0)
    assert -CONFIG.cap <= boost(bad, "a") < -0.02


def test_old_events_weigh_less():
    now = 120 * DAY
    fresh = aggregate(shown(50, "ab", when=now), used(30, "b", 2, when=now), now=now)
    old = aggregate(shown(50, "ab", when=0.0), used(30, "b", 2, when=0.0), now=now)
    assert boost(fresh, "b") > 2 * boost(old, "b") > 0


def test_an_unseen_query_borrows_from_its_family_and_the_query_level_wins_when_known():
    stats = aggregate(shown(100, "ab"), used(40, "b", 2), now=0.0)
    assert boost(stats, "b", query="drain pump") == pytest.approx(boost(stats, "b", query=None))
    assert boost(stats, "b", query=None) > 0
    _, detail = stats.boost("b", "5c washer", "WW90T")
    assert detail["level"] == "query '5c washer'" and detail["positive"] == 40


def test_new_articles_get_a_small_bonus_once_others_have_history():
    quiet = aggregate(shown(10, "ab"), [], now=0.0, articles={"a", "b", "new"})
    assert quiet.boosts("5c washer", "WW90T") == {}  # too little history: nothing is new yet
    busy = aggregate(shown(300, "ab"), used(120, "a", 1) + used(60, "b", 2), now=0.0, articles={"a", "b", "new"})
    boosts = busy.boosts("5c washer", "WW90T")
    assert boosts["new"] == CONFIG.explore and abs(boosts.get("a", 0.0)) < CONFIG.explore


def test_boosts_for_a_query_cover_the_family_and_the_query_cells():
    stats = aggregate(shown(100, "ab") + shown(100, "cd", query="other", family="QN90D"),
                      used(40, "b", 2) + used(30, "d", 2, query="other", family="QN90D"), now=0.0)
    boosts = stats.boosts("5c washer", "WW90T")
    assert boosts["b"] == pytest.approx(boost(stats, "b")) and boosts["b"] > 0
    assert stats.boosts("5c washer", "WW90T") == boosts  # the family part is kept, the answer stays the same
    assert stats.warm().boosts("5c washer", "WW90T") == boosts and ("QN90D" in stats._by_family)


def test_query_keys_ignore_order_endings_and_stop_words():
    assert query_key("The washer is draining slowly") == query_key("slowly drains washer")
    assert query_key("Pralka nie odpompowuje wody") == "odpompowuj pralka wodi"
