"""RAG boundaries, range rating, display rounding and direction of travel."""

from __future__ import annotations

import pytest

from scrutiny.config.catalogue import IndicatorDefinition
from scrutiny.assess.rating import RAG, direction, rate


def definition(**kw):
    base = dict(id="cin_assessments_45wd", number=1, title="t", why_important="w", definition="d",
                polarity="high", unit="percent", decimals=1)
    return IndicatorDefinition(**{**base, **kw})


HIGH = definition(target=85.0, tolerance=5.0)
LOW = definition(id="cp_repeat", polarity="low", target=20.0, tolerance=3.0)
RANGE = definition(id="cla_rate", polarity="neutral", unit="per_10000", range={"low": 40, "high": 55}, tolerance=3)


@pytest.mark.parametrize("d, value, expected", [
    (HIGH, 85.0, RAG.GREEN), (HIGH, 84.96, RAG.GREEN),   # rounds to 85.0
    (HIGH, 84.94, RAG.AMBER), (HIGH, 80.0, RAG.AMBER), (HIGH, 79.95, RAG.AMBER), (HIGH, 79.94, RAG.RED),
    (LOW, 20.0, RAG.GREEN), (LOW, 20.04, RAG.GREEN), (LOW, 20.05, RAG.AMBER), (LOW, 23.0, RAG.AMBER),
    (LOW, 23.05, RAG.RED),
    (RANGE, 40.0, RAG.GREEN), (RANGE, 55.0, RAG.GREEN), (RANGE, 39.9, RAG.AMBER), (RANGE, 37.0, RAG.AMBER),
    (RANGE, 36.9, RAG.RED), (RANGE, 58.0, RAG.AMBER), (RANGE, 58.1, RAG.RED),
    (HIGH, None, RAG.NOT_RATED), (definition(), 50.0, RAG.NOT_RATED),
])
def test_rag(d, value, expected):
    assert rate(value, d) is expected


def test_below_expectation_is_red_or_amber():
    assert [r.below_expectation for r in RAG] == [False, True, True, False]


@pytest.mark.parametrize("d, now, before, word", [
    (HIGH, 80.0, 79.0, "improved"), (HIGH, 79.0, 80.0, "worsened"), (HIGH, 80.04, 79.96, "no change"),
    (LOW, 19.0, 20.0, "improved"), (LOW, 21.0, 20.0, "worsened"),
    (RANGE, 50.0, 45.0, "up"), (RANGE, 45.0, 50.0, "down"), (RANGE, 45.0, None, "not available"),
])
def test_direction_of_travel(d, now, before, word):
    assert direction(now, before, d, "last month").word == word
