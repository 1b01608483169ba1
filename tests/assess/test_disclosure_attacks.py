"""Attacks on the rendered public paper of a small synthetic authority (many small cells): none succeeds."""

from __future__ import annotations

import re

import pytest
from builders import CATALOGUE, PARAMS

from scrutiny.config.catalogue import load_catalogue
from scrutiny.assess.disclosure import MIN_POSSIBLE_VALUES
from scrutiny.run.gate import check_html
from scrutiny.paper.document import Paper
from scrutiny.config.params import validate_params
from scrutiny.data.synth import synthesise
from scrutiny.data.validate import load_extract


@pytest.fixture(scope="module")
def small_authority(tmp_path_factory):
    data = synthesise(tmp_path_factory.mktemp("tiny"), children=25, seed=3, as_at="2023-11")
    params = validate_params({**PARAMS, "data": str(data), "catalogue": str(CATALOGUE)})
    return Paper(params, load_extract(data), load_catalogue(CATALOGUE))


@pytest.fixture(scope="module")
def trends(small_authority):
    return small_authority.trends()            # rendered once: the slowest section


def tables(html):
    """Breakdown tables by caption (without its marking): the category cells, then the total."""
    found = {}
    for table in re.findall(r"<table class=\"breakdown\">.*?</table>", html, flags=re.S):
        caption = re.sub(r" \([^()]*\)$", "", re.search(r"<caption>(.*?)</caption>", table, flags=re.S).group(1))
        cells = [re.sub(r"<[^>]+>", "", c).replace(",", "") for c in re.findall(r'<td class="num">(.*?)</td>', table)]
        found[caption] = (cells[:-1], int(cells[-1]))
    return found


def possible_values(spans, total):
    """For each hidden cell, every value it can take when the cells (each within its span) add up to ``total``."""
    def sums(others):
        reachable = {0}
        for span in others:
            reachable = {s + v for s in reachable for v in span if s + v <= total}
        return reachable
    return [{v for v in span if total - v in sums(spans[:j] + spans[j + 1:])} for j, span in enumerate(spans)]


def test_possible_values_is_a_sound_attack():
    assert possible_values([range(1, 6), range(0, 13)], 12) == [{1, 2, 3, 4, 5}, set(range(7, 12))]
    assert possible_values([range(1, 6), range(1, 6)], 2) == [{1}, {1}]


def test_no_hidden_cell_can_be_recovered_from_totals_and_zeros(trends):
    public, private = tables(trends.part1), tables(trends.part2)
    # a table that cannot be protected is withheld whole, and the paper says so by its caption
    for caption in set(private) - set(public):
        assert f'<p class="withheld">{caption.rsplit(", ", 1)[0]}: withheld' in trends.part1
    # secondary suppression is what lets most tables be published: it hides cells that are not small
    assert public, "every table was withheld: nothing was left to attack"
    secondary = [caption for caption, (shown, _) in public.items()
                 if any(c == "[c]" and int(t) > 5 for c, t in zip(shown, private[caption][0]))]
    assert secondary, "no cell was hidden by secondary suppression"
    attacked = 0
    for caption, (shown, total) in public.items():
        true, true_total = private[caption]
        assert total == true_total and len(shown) == len(true)
        assert all(c == "[c]" or c == "0" or int(c) > 5 for c in shown)   # no small count is shown
        assert all(c == t for c, t in zip(shown, true) if c != "[c]")      # what is shown is the truth
        hidden = [k for k, c in enumerate(shown) if c == "[c]"]
        assert all(true[k] != "0" for k in hidden)                          # a true zero is never hidden
        if not any(1 <= int(true[k]) <= 5 for k in hidden):
            continue
        attacked += 1
        known = total - sum(int(c) for c in shown if c != "[c]")
        # the worst case: the reader knows which hidden cells are the small ones (1 to 5), the others 6 or more
        spans = [range(1, 6) if 1 <= int(true[k]) <= 5 else range(6, known + 1) for k in hidden]
        values = possible_values(spans, known)
        for k, v in zip(hidden, values):
            assert int(true[k]) in v                                         # the attack model is sound
            assert len(v) >= MIN_POSSIBLE_VALUES, f"{caption}: cell {k} pinned to {sorted(v)}"
    assert attacked >= 3, "the tiny authority should have small cells to protect"


def test_the_public_paper_of_a_tiny_authority_passes_the_check(small_authority, trends):
    paper = small_authority
    # appendix one is the scorecard and then the trends: taken as those two, the charts are drawn once
    html = "".join(section.part1 for section in (paper.cover(), paper.scorecard(), trends, paper.data_quality()))
    assert check_html(html) == []
    # and the confidential paper shows what the public one hides
    assert "[c]" in paper.scorecard().part1 and paper.scorecard().part2.count("[c]") == 0
