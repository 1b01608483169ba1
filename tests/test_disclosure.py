"""Disclosure control: the audit by integer programming, secondary suppression, attacks on rendered HTML."""

from __future__ import annotations

import itertools

import pytest

from scrutiny.disclosure import MIN_POSSIBLE_VALUES, audit, check_html, protect, small_numbers


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


def table(rows, total):
    body = "".join(f'<tr><th scope="row">{k}</th><td class="num">{v}</td></tr>' for k, v in rows)
    return ('<table><caption>Plans by category</caption><thead><tr><th scope="col">Category</th>'
            f'<th scope="col">Number</th></tr></thead><tbody>{body}</tbody><tfoot><tr><th scope="row">Total</th>'
            f'<td class="num">{total}</td></tr></tfoot></table>')


def test_check_html_finds_a_cell_recoverable_from_the_total():
    problems = check_html(table([("Neglect", 30), ("Physical", "[c]"), ("Sexual", 9)], 42))
    assert any("can be worked out" in p for p in problems)
    assert not check_html(table([("Neglect", 30), ("Physical", "[c]"), ("Sexual", "[c]")], 42))


def test_check_html_finds_small_counts_hidden_data_and_commentary_slips():
    html = ('<table><caption>Index</caption><thead><tr><th>No.</th><th>Indicator</th><th>Numerator</th></tr></thead>'
            '<tbody><tr><td>1</td><td>Repeat plans</td><td>4</td></tr></tbody></table>'
            '<div data-child="C0100001">x</div><!-- CHILD C0100001 -->'
            '<div class="markdown commentary"><p>Sadly 2 young people were adopted late.</p></div>')
    problems = check_html(html)
    assert any("Numerator 4" in p for p in problems)
    assert any("data attribute" in p for p in problems)
    assert any("HTML comment" in p for p in problems)
    assert any("'2 young people'" in p for p in problems)


@pytest.mark.parametrize("text, found", [
    ("2 young people were adopted in October and 3 turned 16", ["2 young people", "adopted in October and 3"]),
    ("Three children moved placement.", ["Three children"]),
    ("one care leaver secured an apprenticeship", ["one care leaver"]),
    ("Performance improved by 4.5% over 3 months, and 12 children were adopted.", []),
    ("The 2023 target of 65% was met for 91 children.", []),
])
def test_small_numbers_in_words_about_children(text, found):
    assert small_numbers(text) == found
