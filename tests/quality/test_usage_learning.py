"""Ranking that learns from use, measured as ``python -m kb usage-eval`` does but on a shorter generated history:
it must help on the history's last week and must not hurt the labelled queries it knows nothing about."""

import pytest

from kb.evaluation import load_queries
from kb.usage_eval import Behaviour, evaluate_usage
from tests.support import QUERIES

pytestmark = [pytest.mark.quality, pytest.mark.slow]


def test_learning_from_use_helps_the_history_and_does_not_hurt_the_labelled_set(sample_engine):
    report = evaluate_usage(sample_engine, {"labelled": load_queries(QUERIES)},
                            behaviour=Behaviour(weeks=5, test_weeks=1, per_week=300), seed=5)
    history, labelled = report["rows"]
    assert history["feature"] > history["without"] + 0.005, history
    assert labelled["feature"] >= labelled["without"] - 0.002, labelled
    assert report["signals"]["used"] > 500 and report["signals"]["repeat"] > 20
