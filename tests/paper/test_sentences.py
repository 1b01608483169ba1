"""Figures that read as sentences: what a figure is made of, and why it has its rating."""

from __future__ import annotations

import pytest

from scrutiny.config.catalogue import IndicatorDefinition
from scrutiny.data.periods import Period
from scrutiny.indicators import IndicatorResult
from scrutiny.paper.model import Outturn
from scrutiny.paper.parts import PART1, PART2
from scrutiny.paper.sections import rating_words


def outturn(unit, numerator, denominator, value, polarity="high", **expect) -> Outturn:
    d = IndicatorDefinition(id="made_up_for_the_test", number=1, title="t",
                            why_important="w", definition="d", polarity=polarity, unit=unit, decimals=1,
                            manual=True, **expect)
    period = Period.parse("2023-11")
    return Outturn(d, (period,), (IndicatorResult(d.id, str(period), numerator, denominator, value),))


@pytest.mark.parametrize("unit, num, den, value, words", [
    ("percent", 75, 118, 63.6, " (75 of 118)"),
    ("days", 22369, 39, 573.6, " on average (39 children)"),
    ("per_fte", 823, 55.2, 14.9, " (823 cases, 55.2 FTE)"),
    ("per_10000", 307, 73090, 42.0, " (307 children)"),
    ("count", 307, None, 307, ""),
])
def test_what_a_figure_is_made_of_is_said_in_words(unit, num, den, value, words):
    assert outturn(unit, num, den, value, polarity="neutral" if unit in ("count", "per_10000") else "high",
                   ).fraction(PART2) == words


@pytest.mark.parametrize("value, polarity, expect, words", [
    (72.0, "high", {"target": 70, "tolerance": 5}, "meets the target of 70.0% or more"),
    (66.0, "high", {"target": 70, "tolerance": 5},
     "short of the target of 70.0% or more, within its tolerance of 5.0 percentage points"),
    (60.0, "high", {"target": 70, "tolerance": 5},
     "short of the target of 70.0% or more, by more than its tolerance of 5.0 percentage points"),
    (20.0, "neutral", {"range": {"low": 15, "high": 30}}, "within the acceptable range of 15.0 to 30.0%"),
    (14.2, "neutral", {"range": {"low": 15, "high": 30}, "tolerance": 1},
     "below the acceptable range of 15.0 to 30.0% (lower than expected), within its tolerance of 1.0 "
     "percentage points"),
    (33.0, "neutral", {"range": {"low": 15, "high": 30}, "tolerance": 1},
     "above the acceptable range of 15.0 to 30.0% (higher than expected), by more than its tolerance of 1.0 "
     "percentage points"),
    (None, "high", {"target": 70}, "not rated: there is no figure this month"),
    (50.0, "high", {}, "no target or range is set, so it is not rated"),
])
def test_the_rating_is_explained(value, polarity, expect, words):
    assert rating_words(outturn("percent", 50, 100, value, polarity=polarity, **expect), PART2) == words


def test_a_figure_withheld_in_public_says_so_instead_of_its_rating():
    o = outturn("percent", 3, 40, 7.5, target=10.0, polarity="low")
    assert rating_words(o, PART1) == "not rated: the figure is withheld [c] in this paper"
    assert rating_words(o, PART2) == "meets the target of 10.0% or less"
