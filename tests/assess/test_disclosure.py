"""Disclosure control: the audit (checked against an integer program), secondary suppression, small numbers in words."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scrutiny.assess.disclosure import MIN_POSSIBLE_VALUES, audit, protect, small_numbers

T, F = True, False


def brute_force(counts, hidden):
    """Every assignment a reader could hold for the hidden cells, by enumeration (no solver).

    The reader knows the total, the shown cells, and which hidden cells are small (1 to 5);
    the other hidden cells are not small and not zero (a true zero is always shown), so 6 or more.
    """
    total = sum(counts)
    known = total - sum(c for c, h in zip(counts, hidden) if not h)
    idx = [k for k, h in enumerate(hidden) if h]
    spans = [range(1, 6) if 1 <= counts[k] <= 5 else range(6, known + 1) for k in idx]
    options = [v for v in itertools.product(*spans) if sum(v) == known]
    return {k: (min(o[j] for o in options), max(o[j] for o in options)) for j, k in enumerate(idx)}


def ranges(result):
    return [(r.index, r.low, r.high) for r in result.ranges]


# --- protect: secondary suppression ----------------------------------------------------------------

@pytest.mark.parametrize("counts, hidden, passed", [
    ([], [], T),
    ([10, 12, 14], [F, F, F], T),                  # nothing small: nothing hidden
    ([0, 0, 0], [F, F, F], T),
    ([0, 10, 12], [F, F, F], T),                   # a true zero is shown; nothing is small
    ([6, 40], [F, F], T),                          # 6 is not small
    ([3, 10, 12], [T, T, F], T),                   # the 3 alone could be worked out: the next smallest goes too
    ([2, 9, 9], [T, T, F], T),                     # ties: the first of the smallest
    ([5, 0, 7, 8], [T, F, T, F], T),               # the zero is skipped: the 7 is hidden, not the 0
    ([0, 3, 10, 12], [F, T, T, F], T),
    ([0, 0, 4, 15], [F, F, T, T], T),
    ([1, 1, 30], [T, T, T], T),                    # two 1s adding to 2 are each 1: a third cell goes
    ([1, 1, 1, 30], [T, T, T, T], T),
    ([1, 2, 30], [T, T, T], T),                    # 1 + 2 = 3: each is 1 or 2, too few values
    ([1, 3, 30], [T, T, F], T),                    # 1 + 3 = 4: each is 1, 2 or 3, just enough
    ([5, 5, 6], [T, T, T], T),                     # 5 + 5 = 10: each is 5
    ([5, 5, 40], [T, T, T], T),
    ([2, 3, 40, 12], [T, T, F, F], T),             # 2 + 3 = 5: each 1 to 4, safe together
    ([2, 2, 0, 9], [T, T, F, F], T),
    ([4, 6, 6, 6, 20], [T, T, F, F, F], T),
    ([6, 3, 6, 50], [T, T, F, F], T),
    ([3], [T], F),                                 # a lone small cell under a total cannot be protected
    ([0, 4], [F, T], F),                           # ... nor with only a zero beside it (zeros stay shown)
    ([4, 0], [T, F], F),
])
def test_protect_hides_the_small_cells_then_the_smallest_others(counts, hidden, passed):
    got, result = protect(counts)
    assert got == hidden
    assert result.passed is passed
    assert [r.index for r in result.ranges] == [k for k, h in enumerate(hidden) if h]


@pytest.mark.parametrize("counts", [
    [3, 10, 12], [2, 3, 40, 12], [1, 1, 1, 30], [5, 0, 7, 8], [4, 6, 6, 6, 20], [2, 9, 9], [0, 0, 4, 15],
    [1, 2, 30], [5, 5, 6], [0, 3, 10, 12], [1, 1, 30], [6, 3, 6, 50],
])
def test_protected_tables_leave_every_hidden_cell_enough_values_by_enumeration(counts):
    hidden, result = protect(counts)
    assert all(h for c, h in zip(counts, hidden) if 1 <= c <= 5)          # every small cell is hidden
    assert not any(h for c, h in zip(counts, hidden) if c == 0)           # a true zero is shown
    expected = brute_force(counts, hidden)
    assert {r.index: (r.low, r.high) for r in result.ranges} == expected
    assert result.passed
    assert all(high - low + 1 >= MIN_POSSIBLE_VALUES for low, high in expected.values())


def test_protect_records_the_table_name_and_the_audit():
    hidden, result = protect([3, 10, 12], name="Plans by category")
    assert result.as_record() == {"table": "Plans by category", "passed": True, "minimum_possible_values": 3,
                                  "small_total": False,
                                  "hidden": [{"cell": 0, "low": 1, "high": 5}, {"cell": 1, "low": 8, "high": 12}]}


# --- audit: what a reader can work out -------------------------------------------------------------

@pytest.mark.parametrize("counts, hidden, expected, passed", [
    ([10, 12], [F, F], [], T),
    ([3, 10, 12], [T, T, F], [(0, 1, 5), (1, 8, 12)], T),
    ([3, 10, 12], [T, F, F], [(0, 3, 3)], F),                  # the total gives the 3 away
    ([20, 10, 12], [T, F, F], [(0, 20, 20)], F),               # ... and a lone hidden large cell too
    ([20, 10, 12], [T, T, F], [(0, 6, 24), (1, 6, 24)], T),
    # the reader knows which hidden cells are small: at least 1 ...
    ([1, 1, 30], [T, T, F], [(0, 1, 1), (1, 1, 1)], F),
    # ... and at most 5
    ([5, 5, 6], [T, T, F], [(0, 5, 5), (1, 5, 5)], F),
    ([5, 5, 6], [T, T, T], [(0, 1, 5), (1, 1, 5), (2, 6, 14)], T),
    ([5, 5, 7], [T, T, T], [(0, 1, 5), (1, 1, 5), (2, 7, 15)], T),
    ([5, 4, 40], [T, T, F], [(0, 4, 5), (1, 4, 5)], F),
    # ... and that the others are not small and not zero (zeros are shown): 6 or more
    ([1, 6, 50], [T, T, F], [(0, 1, 1), (1, 6, 6)], F),
    ([4, 9, 50], [T, T, F], [(0, 1, 5), (1, 8, 12)], T),
    # MIN_POSSIBLE_VALUES is 3: two possible values fail, three pass
    ([1, 2, 30], [T, T, F], [(0, 1, 2), (1, 1, 2)], F),
    ([1, 3, 30], [T, T, F], [(0, 1, 3), (1, 1, 3)], T),
    ([2, 2, 30], [T, T, F], [(0, 1, 3), (1, 1, 3)], T),
])
def test_audit_ranges(counts, hidden, expected, passed):
    result = audit(counts, hidden)
    assert ranges(result) == expected
    assert result.passed is passed
    assert {k: (lo, hi) for k, lo, hi in expected} == (brute_force(counts, hidden) if any(hidden) else {})


def test_audit_without_a_total_knows_only_the_small_range():
    result = audit([3, 10, 12], [T, T, F], total_shown=False)
    assert ranges(result)[0] == (0, 1, 5)
    assert ranges(result)[1][:2] == (1, 6) and ranges(result)[1][2] >= 10**6
    assert result.passed


@pytest.mark.parametrize("counts, hidden, expected", [
    ([1, 6, 50], [T, T, F], [(0, 1, 6), (1, 1, 6)]),   # the page alone: each hidden cell is 1 or more
    ([3, 10, 12], [T, F, F], [(0, 3, 3)]),
    ([1, 1, 30], [T, T, F], [(0, 1, 1), (1, 1, 1)]),
])
def test_audit_of_what_the_page_alone_tells(counts, hidden, expected):
    assert ranges(audit(counts, hidden, knows_small=False)) == expected


def test_attack_from_the_total_recovers_a_lone_hidden_cell():
    # hiding only the small cell: total minus the others gives it exactly
    result = audit([3, 10, 12], [True, False, False])
    assert not result.passed and (result.ranges[0].low, result.ranges[0].high) == (3, 3)


def test_attack_knowing_a_hidden_cell_is_small_pins_its_partner():
    # two hidden cells summing to 6 with one known to be 1..5: the other is 1..5 too, the pair is safe;
    # but summing to 2, each must be 1
    assert not audit([1, 1, 30], [True, True, False]).passed
    hidden, result = protect([1, 1, 30])
    assert hidden == [True, True, True] and result.passed


def test_a_reader_who_knows_the_small_cells_knows_the_others_are_six_or_more():
    # 1 and 6 hidden, adding to 7: the small one is 1..5 and the other (not small, not a zero) is 6 or more,
    # so the other is 6 and the small one is 1
    hidden, result = protect([1, 6, 50])
    spans = {k: (range(1, 6) if 1 <= c <= 5 else range(6, 57)) for k, c in enumerate([1, 6, 50]) if hidden[k]}
    known = 57 - sum(c for c, h in zip([1, 6, 50], hidden) if not h)
    options = [v for v in itertools.product(*spans.values()) if sum(v) == known]
    assert all(len({o[j] for o in options}) >= MIN_POSSIBLE_VALUES for j in range(len(spans)))


# --- small numbers in words ------------------------------------------------------------------------

@pytest.mark.parametrize("text, found", [
    ("2 young people were adopted in October and 3 turned 16", ["2 young people", "adopted in October and 3"]),
    ("Three children moved placement.", ["Three children"]),
    ("one care leaver secured an apprenticeship", ["one care leaver"]),
    ("1 child was adopted", ["1 child"]),
    ("5 children were adopted", ["5 children"]),
    ("five families were supported", ["five families"]),
    ("the 4 siblings were placed together", ["4 siblings"]),
    ("6 children were adopted", []),                  # 6 is not small
    ("six children were adopted", []),
    ("0 children were adopted", []),                  # a true zero
    ("zero children were adopted", []),
    ("12 children were adopted", []),
    ("Performance improved by 4.5% over 3 months, and 12 children were adopted.", []),
    ("The 2023 target of 65% was met for 91 children.", []),
    ("5% of children", []),
])
def test_small_numbers_in_words_about_children(text, found):
    assert small_numbers(text) == found


@pytest.mark.parametrize("counts", [[2, 3], [1, 0, 4], [5], [1, 1, 1, 1, 1]])
def test_a_table_whose_total_is_a_small_count_is_withheld_whole(counts):
    hidden, result = protect(counts)
    assert not result.passed and result.small_total and result.as_record()["small_total"]
    assert hidden == [c > 0 for c in counts]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.booleans()), min_size=1, max_size=6), st.booleans(), st.booleans())
def test_the_ranges_are_the_ones_an_integer_program_finds(cells, total_shown, knows_small):
    """The closed form in cell_ranges against scipy's milp, the reference it replaced."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    from scrutiny.assess.disclosure import BIG, SMALL_MAX, SMALL_MIN, audit, is_small

    counts, hidden = [c for c, _ in cells], [h for _, h in cells]
    got = audit(counts, hidden, total_shown=total_shown, knows_small=knows_small)
    idx = [k for k, h in enumerate(hidden) if h]
    if knows_small:
        lows = [SMALL_MIN if is_small(counts[k]) else SMALL_MAX + 1 for k in idx]
        highs = [SMALL_MAX if is_small(counts[k]) else BIG for k in idx]
    else:
        lows, highs = [SMALL_MIN] * len(idx), [BIG] * len(idx)
    remaining = sum(counts) - sum(c for c, h in zip(counts, hidden) if not h)
    constraints = [LinearConstraint(np.ones((1, len(idx))), remaining, remaining)] if total_shown else []
    expected = []
    for j, k in enumerate(idx):
        bounds = []
        for sign in (1, -1):
            c = np.zeros(len(idx))
            c[j] = sign
            res = milp(c, constraints=constraints, integrality=np.ones(len(idx)),
                       bounds=Bounds(np.array(lows, float), np.array(highs, float)))
            bounds.append(int(round(sign * res.fun)) if res.success else counts[k])
        expected.append((k, bounds[0], bounds[1]))
    assert [(r.index, r.low, r.high) for r in got.ranges] == expected
