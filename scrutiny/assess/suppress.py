"""Primary suppression for the public (Part 1) paper.

As the Department for Education does: a count of children from 1 to 5 is shown as
``[c]`` (a true zero stays 0); a percentage, rate or mean is ``[c]`` when its
numerator or denominator is hidden. Which of an indicator's figures are counts of
children depends on its unit: a rate per 10,000 divides by the population (never
hidden); a mean in days divides a sum of days (hidden with its denominator).
A percentage whose complement (denominator minus numerator) is from 1 to 5 hides
its numerator and value too. Secondary suppression of tables with totals, and its
audit, are in :mod:`scrutiny.assess.disclosure`; the rules across time in
:mod:`scrutiny.assess.across_time`.

The small-number range is defined here once (``SMALL_MIN``, ``SMALL_MAX``); every
message, pattern and key text that mentions it is built from it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (the indicators' results are only passed through here: their module is not imported)
    from ..indicators import IndicatorResult

SMALL_MIN, SMALL_MAX = 1, 5
SMALL_RANGE = f"{SMALL_MIN} to {SMALL_MAX}"  # in words: "a count from 1 to 5"
_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")

# which figures are counts of people, by unit: (numerator, denominator)
_COUNTS = {
    "percent": (True, True),
    "per_10000": (True, False),
    "days": (False, True),
    "per_fte": (True, False),
    "count": (True, False),
}


def is_small(count: float | None) -> bool:
    """A count in the small-number range (from 1 to 5).

    >>> [is_small(x) for x in (0, 1, 5, 6, None)]
    [False, True, True, False, False]
    """
    return count is not None and SMALL_MIN <= count <= SMALL_MAX


def small_number_pattern() -> str:
    """A regular expression matching a small number in figures or words, longest first.

    >>> small_number_pattern()
    '5|4|3|2|1|three|five|four|one|two'
    """
    figures = [str(n) for n in range(SMALL_MAX, SMALL_MIN - 1, -1)]
    words = sorted((_WORDS[n] for n in range(SMALL_MIN, SMALL_MAX + 1) if n < len(_WORDS)), key=lambda w: (-len(w), w))
    return "|".join(figures + words)


@dataclass(frozen=True)
class Disclosure:
    """Which of one result's figures the public paper withholds."""

    numerator: bool
    denominator: bool
    value: bool

    @property
    def any(self) -> bool:
        return self.numerator or self.denominator or self.value


def disclosure(result: IndicatorResult, unit: str) -> Disclosure:
    num_is_count, den_is_count = _COUNTS[unit]
    num = num_is_count and is_small(result.numerator)
    den = den_is_count and is_small(result.denominator)
    if unit == "days":  # a sum of days over a hidden number of children gives the mean away
        num = num or den
    if num_is_count and den_is_count and not (num or den) and result.numerator is not None \
            and result.denominator is not None:
        # the complement (those not meeting the measure) is a count of children too: 10 of 13 tells of 3
        num = is_small(result.denominator - result.numerator)
    return Disclosure(num, den, num or den)


def public_result(result: IndicatorResult, unit: str) -> IndicatorResult:
    """The result with withheld figures removed (None), for rating and charts.

    >>> from scrutiny.indicators import IndicatorResult
    >>> r = IndicatorResult("cp_repeat", "2023-11", 3.0, 40.0, 7.5)
    >>> public_result(r, "percent").value is None
    True
    """
    d = disclosure(result, unit)
    if not d.any:
        return result
    return replace(
        result,
        numerator=None if d.numerator else result.numerator,
        denominator=None if d.denominator else result.denominator,
        value=None if d.value else result.value,
    )
