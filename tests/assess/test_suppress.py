"""Primary suppression in the public paper."""

from __future__ import annotations

import pytest

from scrutiny.indicators import IndicatorResult
from scrutiny.assess.suppress import disclosure


@pytest.mark.parametrize("unit, num, den, expected", [
    ("percent", 0, 40, (False, False, False)),     # a true zero is shown
    ("percent", 1, 40, (True, False, True)),
    ("percent", 5, 40, (True, False, True)),
    ("percent", 6, 40, (False, False, False)),
    ("percent", 6, 5, (False, True, True)),
    ("per_10000", 3, 60000, (True, False, True)),  # the population is never hidden
    ("days", 2000, 4, (True, True, True)),          # a sum of days over a hidden count
    ("days", 2000, 12, (False, False, False)),
    ("percent", 10, 13, (True, False, True)),      # 3 not meeting the measure: the complement is small
    ("percent", 40, 40, (False, False, False)),    # all of them: the complement is a true zero
    ("percent", 34, 40, (False, False, False)),
])
def test_disclosure(unit, num, den, expected):
    d = disclosure(IndicatorResult("x", "2023-11", num, den, 1.0), unit)
    assert (d.numerator, d.denominator, d.value) == expected
