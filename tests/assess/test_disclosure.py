"""Disclosure control: the audit by integer programming, secondary suppression, small numbers in words."""

from __future__ import annotations

import itertools

import pytest

from scrutiny.assess.disclosure import MIN_POSSIBLE_VALUES, audit, protect, small_numbers


def brute_force(counts, hidden):
    """Every assignment a reader could hold for the hidden cells, by enumeration (no solver)."""
    total = sum(counts)
    known = total - sum(c for c, h in zip(counts, hidden) if not h)
    idx = [k for k, h in enumerate(hidden) if h]
    spans = [range(1, 6) if 1 <= counts[k] <= 5 else range(0, known + 1) for k in idx]
    options = [v for v in itertools.product(*spans) if sum(v) == known]
    return {k: (min(o[j] for o in options), max(o[j] for o in options)) for j, k in enumerate(idx)}


@pytest.mark.parametrize("counts", [
    [3, 10, 12], [2, 3, 40, 12], [1, 1, 1, 30], [5, 0, 7, 8], [4, 6, 6, 6, 20], [2, 9, 9], [0, 0, 4, 15],
])
def test_audit_ranges_match_enumeration_and_protection_always_passes(counts):
    hidden, result = protect(counts)
    assert all(h for c, h in zip(counts, hidden) if 1 <= c <= 5)          # every small cell is hidden
    assert not any(h for c, h in zip(counts, hidden) if c == 0)           # a true zero is shown
    expected = brute_force(counts, hidden)
    assert {r.index: (r.low, r.high) for r in result.ranges} == expected
    if result.passed:
        assert all(high - low + 1 >= MIN_POSSIBLE_VALUES for low, high in expected.values())


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


@pytest.mark.parametrize("text, found", [
    ("2 young people were adopted in October and 3 turned 16", ["2 young people", "adopted in October and 3"]),
    ("Three children moved placement.", ["Three children"]),
    ("one care leaver secured an apprenticeship", ["one care leaver"]),
    ("Performance improved by 4.5% over 3 months, and 12 children were adopted.", []),
    ("The 2023 target of 65% was met for 91 children.", []),
])
def test_small_numbers_in_words_about_children(text, found):
    assert small_numbers(text) == found
