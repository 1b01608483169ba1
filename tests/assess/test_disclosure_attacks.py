"""Attacks on the rendered public paper of a small synthetic authority (many small cells): none succeeds."""

from __future__ import annotations

import itertools
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


def tables(html):
    for table in re.findall(r"<table class=\"breakdown\">.*?</table>", html, flags=re.S):
        cells = [re.sub(r"<[^>]+>", "", c).replace(",", "") for c in re.findall(r'<td class="num">(.*?)</td>', table)]
        yield table, cells[:-1], cells[-1]


def test_no_hidden_cell_can_be_recovered_from_totals_and_zeros(small_authority):
    paper = small_authority
    public, private = paper.trends().part1, paper.trends().part2
    attacked = 0
    for (_, shown, total), (_, true, _) in zip(tables(public), tables(private)):
        hidden = [k for k, c in enumerate(shown) if c == "[c]"]
        assert all(c == "[c]" or c == "0" or int(c) > 5 for c in shown)   # no small count is shown
        if not hidden:
            continue
        known = int(total) - sum(int(c) for c in shown if c != "[c]")
        # the reader's best guess: every way of filling the hidden cells that adds up, each 0 or more
        options = [v for v in itertools.product(range(known + 1), repeat=len(hidden)) if sum(v) == known] \
            if len(hidden) <= 4 else None
        if options is None:
            continue
        attacked += 1
        for j, k in enumerate(hidden):
            values = {o[j] for o in options}
            assert len(values) >= MIN_POSSIBLE_VALUES, f"cell {k} pinned to {sorted(values)}"
        assert tuple(int(true[k]) for k in hidden) in options   # the attack model is sound: truth is an option
    assert attacked, "the tiny authority should have small cells to protect"


def test_the_public_paper_of_a_tiny_authority_passes_the_check(small_authority):
    paper = small_authority
    html = "".join(section.part1 for section in (paper.cover(), paper.appendix(), paper.data_quality()))
    assert check_html(html) == []
    # and the confidential paper shows what the public one hides
    assert "[c]" in paper.scorecard().part1 and paper.scorecard().part2.count("[c]") == 0
