"""Disclosure control for the public paper: secondary suppression, its audit, and checks on words.

Primary suppression (a small count shown as ``[c]``) is in :mod:`scrutiny.assess.suppress`,
the rules across time in :mod:`scrutiny.assess.across_time`, and the last check on a
rendered public paper in :mod:`scrutiny.run.gate`. Here:

* :func:`protect` hides further cells of a table with a total until no hidden cell can
  be worked out, and :func:`audit` proves it: it finds the smallest and largest whole
  value each hidden cell could take given everything shown, the total, and the worst
  case that the reader knows which hidden cells are the small ones (one sum and a range
  for each cell, so :func:`cell_ranges` solves it exactly in closed form; the tests
  check it against the integer program, ``scipy.optimize.milp``, on random tables);
* :func:`small_numbers` finds small numbers next to words about children in
  commentary, the slip the seeds show ("2 young people were adopted").

Imports: :mod:`scrutiny.assess.suppress` only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


from .suppress import SMALL_MAX, SMALL_MIN, is_small, small_number_pattern

MIN_POSSIBLE_VALUES = 3  # a hidden cell must have at least this many possible values
BIG = 10**9


@dataclass(frozen=True)
class CellRange:
    index: int
    low: int
    high: int

    @property
    def possible(self) -> int:
        return self.high - self.low + 1


@dataclass(frozen=True)
class Audit:
    """The audit of one table: each hidden cell's possible range, and whether it passes."""

    table: str
    ranges: tuple[CellRange, ...]
    minimum: int = MIN_POSSIBLE_VALUES
    small_total: bool = False  # the table's total is itself a small count: the table cannot be shown at all

    @property
    def passed(self) -> bool:
        return not self.small_total and all(r.possible >= self.minimum for r in self.ranges)

    def as_record(self) -> dict:
        return {"table": self.table, "passed": self.passed, "minimum_possible_values": self.minimum,
                "small_total": self.small_total,
                "hidden": [{"cell": r.index, "low": r.low, "high": r.high} for r in self.ranges]}


def audit(counts: list[int], hidden: list[bool], total_shown: bool = True, name: str = "table",
          knows_small: bool = True) -> Audit:
    """The range each hidden cell could take, given the shown cells and (if shown) the total.

    A true zero is always shown, so every hidden cell is at least 1. With ``knows_small``
    (the worst case :func:`protect` guards against) the reader also knows which hidden
    cells are the small ones: those are 1 to 5 and the others more than 5. Without it
    (what the page alone tells, as the public-paper gate reads it) every hidden cell is
    only known to be 1 or more; those ranges are never narrower, so whatever
    :func:`protect` publishes the gate accepts.

    >>> a = audit([3, 10, 12], [True, True, False])
    >>> [(r.low, r.high) for r in a.ranges], a.passed
    ([(1, 5), (8, 12)], True)
    >>> audit([3, 10, 12], [True, False, False]).passed   # the total gives the 3 away
    False
    >>> audit([1, 6, 50], [True, True, False]).passed     # 7 between them: 1 and 6, for one who knows the 1 is small
    False
    >>> audit([1, 6, 50], [True, True, False], knows_small=False).passed
    True
    """
    total = sum(counts)
    idx = [k for k, h in enumerate(hidden) if h]
    if not idx:
        return Audit(name, ())
    remaining = total - sum(c for c, h in zip(counts, hidden) if not h)
    if knows_small:
        lows = [SMALL_MIN if is_small(counts[k]) else SMALL_MAX + 1 for k in idx]
        highs = [SMALL_MAX if is_small(counts[k]) else BIG for k in idx]
    else:
        lows, highs = [SMALL_MIN] * len(idx), [BIG] * len(idx)
    return Audit(name, tuple(CellRange(k, low, high) for k, (low, high) in zip(
        idx, cell_ranges(lows, highs, remaining if total_shown else None, [counts[k] for k in idx]))))


def cell_ranges(lows: list[int], highs: list[int], total: int | None, fallback: list[int]) -> list[tuple[int, int]]:
    """Each cell's smallest and largest whole value, each cell between its low and high and (``total`` given)
    the cells adding up to ``total``; where no values can (the bounds cannot make the total), the cell's
    own count (``fallback``): it cannot be hidden by that table.

    One sum and a box for each cell: a cell is smallest when every other is at its high, largest when every
    other is at its low. The same ranges an integer program gives (``tests/assess/test_disclosure.py`` checks
    them against scipy's ``milp`` on random tables).

    >>> cell_ranges([1, 1, 6], [5, 5, 10**9], 12, [3, 2, 7])
    [(1, 5), (1, 5), (6, 10)]
    >>> cell_ranges([1, 6], [5, 10**9], 4, [3, 1])   # 4 cannot be a small cell and a larger one
    [(3, 3), (1, 1)]
    """
    if total is None:
        return list(zip(lows, highs))
    if not sum(lows) <= total <= sum(highs):
        return [(c, c) for c in fallback]
    all_low, all_high = sum(lows), sum(highs)
    return [(max(low, total - (all_high - high)), min(high, total - (all_low - low)))
            for low, high in zip(lows, highs)]


def protect(counts: list[int], name: str = "table") -> tuple[list[bool], Audit]:
    """Which cells to hide: the small ones, then the smallest others until the audit passes.

    >>> protect([3, 10, 12])[0]
    [True, True, False]
    >>> protect([0, 10, 12])[0]        # a true zero is shown; nothing is small
    [False, False, False]
    >>> protect([2, 3])[1].passed      # the total, 5, is a small count itself: the table is withheld whole
    False
    """
    if is_small(sum(counts)):
        hidden = [c > 0 for c in counts]
        return hidden, Audit(name, audit(counts, hidden, name=name).ranges, small_total=True)
    hidden = [is_small(c) for c in counts]
    result = audit(counts, hidden, name=name)
    while not result.passed:
        candidates = sorted((c, k) for k, c in enumerate(counts) if not hidden[k] and c > 0)
        if not candidates:
            break
        hidden[candidates[0][1]] = True
        result = audit(counts, hidden, name=name)
    return hidden, result


# --- words -----------------------------------------------------------------------------------------

_PEOPLE = (r"child(?:ren)?|young (?:person|people)|boys?|girls?|bab(?:y|ies)|siblings?|care leavers?|"
           r"famil(?:y|ies)|infants?|teenagers?|adolescents?|pupils?|students?|mothers?|fathers?|parents?|"
           r"adopters?|foster(?:ed)? (?:carers?|children)|looked after|adopted|missing|placements?|plans?")
_SMALL = (rf"(?<![\d.,£%/-])(?:{small_number_pattern()})"
          r"(?![\d.,%/]|\s*(?:%|per ?cent|months?|years?|weeks?|days?))")
_NEAR = re.compile(rf"\b({_SMALL})\b(?:\W+\w+){{0,4}}?\W+\b({_PEOPLE})\b|\b({_PEOPLE})\b(?:\W+\w+){{0,3}}?\W+\b({_SMALL})\b",
                   re.IGNORECASE)


def small_numbers(text: str) -> list[str]:
    """Phrases where a small number sits next to words about children or young people.

    >>> small_numbers("The cohort is 91; 2 young people were adopted and three turned 16.")
    ['2 young people', 'adopted and three']
    >>> small_numbers("Performance was 4.5% higher in 2023, over five months.")
    []
    """
    return [m.group(0) for m in _NEAR.finditer(text)]
