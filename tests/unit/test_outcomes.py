"""Outcomes after a contact: repeat contacts, one outcome per contact, and the rewrite-first list."""

import datetime as dt

from kb.outcomes import ContactFacts, outcome_of, repeats, rewrite_first

DAY = dt.datetime(2026, 11, 2, 9)


def contact(i, days, customer, families=(), topic="washing-machine/troubleshooting"):
    return ContactFacts(i, DAY + dt.timedelta(days=days), customer, tuple(families), topic)


def test_a_repeat_is_the_same_customer_about_the_same_product_within_seven_days():
    contacts = [contact(1, 0, "anna", ["WW90T"]), contact(2, 6.9, "anna", ["WW90T"]),  # a repeat of 1
                contact(3, 0, "ben", ["WW90T"]), contact(4, 8, "ben", ["WW90T"]),  # too late
                contact(5, 0, "cleo", ["WW90T"]), contact(6, 1, "cleo", ["QN90D"]),  # another product
                contact(7, 0, "dan"), contact(8, 2, "dan"),  # no product on either: the same topic counts
                contact(9, 0, None), contact(10, 1, None)]  # no customer known: never a repeat
    assert repeats(contacts) == {1, 7}


def test_one_outcome_per_contact_not_fixed_first():
    assert outcome_of("not_fixed", True) == "not_fixed"
    assert outcome_of("fixed", True) == "repeat"  # the customer called again: the follow-up was too early
    assert outcome_of("fixed", False) == "fixed" and outcome_of(None, False) == "unknown"


def test_rewrite_first_needs_enough_known_outcomes_and_ranks_by_failure_share():
    used = ([("a", "not_fixed")] * 3 + [("a", "fixed")]
            + [("b", "repeat")] * 2 + [("b", "fixed")] * 6
            + [("c", "not_fixed")] * 2 + [("c", "unknown")] * 9  # two known outcomes say little
            + [("d", "fixed")] * 5)  # never failed: nothing to rewrite
    rows = rewrite_first(used)
    assert [(r["article_id"], r["failure_share"]) for r in rows] == [("a", 0.75), ("b", 0.25)]
    assert rows[0]["contacts"] == 4 and rows[1]["repeat"] == 2
