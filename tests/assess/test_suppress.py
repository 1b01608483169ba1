"""Primary suppression in the public paper: each rule at its boundaries (0, 1, 5, 6)."""

from __future__ import annotations

import re

import pytest

from scrutiny.assess.suppress import SMALL_MAX, SMALL_MIN, disclosure, is_small, public_result, small_number_pattern
from scrutiny.indicators import IndicatorResult


def test_the_small_range_is_one_to_five():
    assert (SMALL_MIN, SMALL_MAX) == (1, 5)


@pytest.mark.parametrize("count, small", [
    (None, False), (0, False), (1, True), (2, True), (5, True), (5.0, True), (6, False), (40, False), (-1, False),
])
def test_is_small(count, small):
    assert is_small(count) is small


@pytest.mark.parametrize("unit, num, den, expected", [
    # percent: numerator and denominator are both counts of children
    ("percent", 0, 40, (False, False, False)),     # a true zero is shown
    ("percent", 1, 40, (True, False, True)),
    ("percent", 5, 40, (True, False, True)),
    ("percent", 6, 40, (False, False, False)),
    ("percent", 0, 5, (False, True, True)),        # a small denominator hides the value even over a zero
    ("percent", 6, 5, (False, True, True)),
    ("percent", 1, 1, (True, True, True)),
    ("percent", 6, 6, (False, False, False)),      # complement 0: all of them, a true zero
    ("percent", 7, 12, (True, False, True)),       # complement 5
    ("percent", 6, 12, (False, False, False)),     # complement 6
    ("percent", 10, 13, (True, False, True)),      # 3 not meeting the measure: the complement is small
    ("percent", 39, 40, (True, False, True)),      # complement 1
    ("percent", 35, 40, (True, False, True)),      # complement 5
    ("percent", 34, 40, (False, False, False)),    # complement 6
    ("percent", 40, 40, (False, False, False)),    # complement 0
    ("percent", None, None, (False, False, False)),
    ("percent", None, 40, (False, False, False)),
    # a rate per 10,000 divides by the population, which is never hidden (and has no complement)
    ("per_10000", 0, 60000, (False, False, False)),
    ("per_10000", 1, 60000, (True, False, True)),
    ("per_10000", 3, 60000, (True, False, True)),
    ("per_10000", 5, 60000, (True, False, True)),
    ("per_10000", 6, 60000, (False, False, False)),
    ("per_10000", 12, 5, (False, False, False)),   # a small "population" is still not a count of children
    ("per_10000", 10, 13, (False, False, False)),  # no complement rule for a rate
    # a mean in days divides a sum of days (not a count) by a count of children
    ("days", 3, 40, (False, False, False)),        # 3 days is not 3 children
    ("days", 2000, 1, (True, True, True)),         # a sum of days over a hidden count gives the mean away
    ("days", 2000, 4, (True, True, True)),
    ("days", 2000, 5, (True, True, True)),
    ("days", 2000, 6, (False, False, False)),
    ("days", 2000, 12, (False, False, False)),
    ("days", 7, 10, (False, False, False)),        # no complement rule for days
    # caseloads per FTE: the children are a count, the FTE is not
    ("per_fte", 3, 20, (True, False, True)),
    ("per_fte", 40, 4, (False, False, False)),
    ("per_fte", 7, 10, (False, False, False)),
    # a plain count
    ("count", 0, None, (False, False, False)),
    ("count", 1, None, (True, False, True)),
    ("count", 5, None, (True, False, True)),
    ("count", 6, None, (False, False, False)),
    ("count", 3, 8, (True, False, True)),
    ("count", 7, 9, (False, False, False)),        # no complement rule for a count
])
def test_disclosure(unit, num, den, expected):
    d = disclosure(IndicatorResult("x", "2023-11", num, den, 1.0), unit)
    assert (d.numerator, d.denominator, d.value) == expected
    assert d.any is any(expected)


@pytest.mark.parametrize("unit, figures, shown", [
    ("percent", (3, 40, 7.5), (None, 40, None)),
    ("percent", (10, 13, 76.9), (None, 13, None)),      # the complement rule
    ("percent", (6, 5, 120.0), (6, None, None)),
    ("percent", (34, 40, 85.0), (34, 40, 85.0)),
    ("per_10000", (3, 60000, 0.5), (None, 60000, None)),
    ("days", (2000, 4, 500.0), (None, None, None)),     # the days rule
    ("days", (2000, 12, 166.7), (2000, 12, 166.7)),
    ("count", (0, None, 0.0), (0, None, 0.0)),
])
def test_public_result(unit, figures, shown):
    r = IndicatorResult("x", "2023-11", *figures)
    p = public_result(r, unit)
    assert (p.numerator, p.denominator, p.value) == shown
    assert (p.id, p.period, p.status) == (r.id, r.period, r.status)


def test_public_result_leaves_a_safe_result_alone():
    r = IndicatorResult("x", "2023-11", 34, 40, 85.0)
    assert public_result(r, "percent") == r


def test_small_number_pattern():
    assert small_number_pattern() == "5|4|3|2|1|three|five|four|one|two"


@pytest.mark.parametrize("text, matches", [
    ("1", True), ("2", True), ("5", True), ("one", True), ("three", True), ("five", True),
    ("0", False), ("6", False), ("zero", False), ("six", False), ("ten", False),
])
def test_small_number_pattern_matches_exactly_the_small_range(text, matches):
    assert bool(re.fullmatch(small_number_pattern(), text)) is matches
