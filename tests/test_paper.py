"""What each paper shows, from a tiny hand-made extract (no kernel): suppression and exceptions."""

from __future__ import annotations

import re

from builders import CATALOGUE, PARAMS, write_table

from scrutiny.catalogue import load_catalogue
from scrutiny.paper import PART1, PART2, Paper
from scrutiny.params import validate_params
from scrutiny.validate import load_extract


def plan(child, start, previous="0"):
    return {"LAchildID": child, "CPPID": f"{child}{start}", "CPPstartDate": start, "NumberOfPreviousCPP": previous}


def small_paper(tmp_path) -> Paper:
    # three plans start in W12, one a repeat: 1 of 3, 33.3%, Red against "20.0% or less" (tolerance 3)
    write_table(tmp_path, "cp_plans", [plan("A", "2023-02-01", "1"), plan("B", "2023-03-01"),
                                      plan("C", "2023-04-01")])
    params = validate_params({**PARAMS, "data": str(tmp_path), "catalogue": str(CATALOGUE)})
    return Paper(params, load_extract(tmp_path), load_catalogue(CATALOGUE))


def scorecard_row(html: str, title_start: str) -> list[str]:
    row = next(r for r in html.split("<tr>") if title_start in r)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)]


def test_small_counts_are_withheld_and_not_rated_in_the_public_paper_only(tmp_path):
    paper = small_paper(tmp_path)
    card = paper.scorecard()
    public = scorecard_row(card.part1, "Children becoming subject")
    private = scorecard_row(card.part2, "Children becoming subject")
    assert private[2:5] == ["1", "3", "33.3%"] and "Red" in private[6]
    assert public[2:5] == ["[c]", "[c]", "[c]"] and "Not rated" in public[6]


def test_exception_withheld_in_public_is_reported_in_part2_only(tmp_path):
    paper = small_paper(tmp_path)
    assert "cp_repeat" in paper.exceptions(PART2) and "cp_repeat" not in paper.exceptions(PART1)
    assert paper.exception("cp_repeat").part1 is None
    assert "1 further indicator(s) below expectation have figures withheld" in paper.exceptions_summary().part1
    assert "Indicator 16" in paper.exceptions_summary().part2


def test_indicators_without_their_tables_show_not_available(tmp_path):
    paper = small_paper(tmp_path)
    row = scorecard_row(paper.scorecard().part2, "Re-referrals")
    assert row[2:5] == ["[x]", "[x]", "[x]"] and "Not rated" in row[6]
