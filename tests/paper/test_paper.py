"""What each paper shows, from a tiny hand-made extract (no kernel): suppression and exceptions."""

from __future__ import annotations

import re

import pytest

from builders import CATALOGUE, PARAMS, cp_plan, write_table

from scrutiny.config.catalogue import load_catalogue
from scrutiny.paper.document import Paper
from scrutiny.paper.parts import PART1, PART2
from scrutiny.config.params import validate_params
from scrutiny.data.validate import load_extract



def small_paper(tmp_path) -> Paper:
    # three plans start in W12, one a repeat: 1 of 3, 33.3%, Red against "20.0% or less" (tolerance 3)
    write_table(tmp_path, "cp_plans", [cp_plan("A", "2023-02-01", previous="1"), cp_plan("B", "2023-03-01"),
                                      cp_plan("C", "2023-04-01")])
    params = validate_params({**PARAMS, "data": str(tmp_path), "catalogue": str(CATALOGUE)})
    return Paper(params, load_extract(tmp_path), load_catalogue(CATALOGUE))


def scorecard_row(html: str, title_start: str) -> list[str]:
    row = next(r for r in html.split("<tr>") if title_start in r)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)]


def test_small_counts_are_withheld_and_not_rated_in_the_public_paper_only(tmp_path):
    paper = small_paper(tmp_path)
    card = paper.scorecard()
    public = scorecard_row(card.part1, "Repeat child protection plans")
    private = scorecard_row(card.part2, "Repeat child protection plans")
    assert private[2] == "33.3% (1 of 3)" and "Red" in private[4]
    assert public[2] == "[c] ([c] of [c])" and "Not rated" in public[4]


def test_exception_withheld_in_public_is_reported_in_part2_only(tmp_path):
    paper = small_paper(tmp_path)
    assert "cp_repeat" in paper.exceptions(PART2) and "cp_repeat" not in paper.exceptions(PART1)
    assert paper.exception("cp_repeat").part1 is None
    assert "1 further indicator(s) below expectation have figures withheld" in paper.commentary_opening().part1
    assert "Indicator 16" in paper.commentary_opening().part2


def test_the_facts_a_run_keeps_are_the_papers_own(tmp_path):
    """What a commentary-only run takes from the last run instead of the paper: the paper's ratings, names and
    public figures (cp_repeat: Red in Part 2, withheld in Part 1, so its public figures are None)."""
    paper = small_paper(tmp_path)
    facts = paper.facts({"cp_repeat", "summary"})
    assert facts.exceptions(PART2) == paper.exceptions(PART2) and "cp_repeat" in facts.exceptions(PART2)
    assert facts.exceptions(PART1) == paper.exceptions(PART1) and "cp_repeat" not in facts.exceptions(PART1)
    assert facts.public_ids() == paper.public_ids() and facts.names() == paper.names()
    assert [s.rag(PART1) for s in facts.indicators] == [o.rag(PART1) for o in paper.outturns]
    for o in paper.outturns:
        latest = o.public[-1]
        assert facts.public_latest()[o.definition.id] == {"numerator": latest.numerator,
                                                           "denominator": latest.denominator, "value": latest.value}
    assert facts.public_latest()["cp_repeat"] == {"numerator": None, "denominator": None, "value": None}
    assert facts.shown("cp_repeat").reading == paper.signal_sentence("cp_repeat", PART2)  # Part 2 only: its reading
    assert facts.known == ("cp_repeat", "summary")


def test_indicators_without_their_tables_show_not_available(tmp_path):
    paper = small_paper(tmp_path)
    row = scorecard_row(paper.scorecard().part2, "Re-referrals")
    assert row[2] == "[x]" and "Not rated" in row[4] and "[x]" in row[7]  # no figures: no trend line either


def test_breakdown_tables_are_in_the_confidential_paper_only(tmp_path):
    write_table(tmp_path, "cp_plans", [
        {**cp_plan("A", "2023-02-01"), "InitialCategoryOfAbuse": "NEG"},
        {**cp_plan("B", "2023-03-01"), "InitialCategoryOfAbuse": "NEG"},
        {**cp_plan("C", "2023-04-01"), "InitialCategoryOfAbuse": "EMO"},
    ])
    params = validate_params({**PARAMS, "data": str(tmp_path), "catalogue": str(CATALOGUE)})
    paper = Paper(params, load_extract(tmp_path), load_catalogue(CATALOGUE))
    detail = paper.trends()
    caption = "Child protection plans open at the month end by initial category of abuse, November 2023"
    assert caption in detail.part2 and caption not in detail.part1
    # 2 and 1 add up to a total of 3: no secondary suppression could protect them, so Part 1 withholds it all
    assert "abuse: withheld" in detail.part1
    table = detail.part2.split(caption)[1].split("</table>")[0]
    rows = [[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r)]
            for r in table.split("<tr>")[2:]]
    assert rows == [["Neglect", "2"], ["Emotional abuse", "1"], ["Total", "3"]]


def test_report_structure_follows_the_seeds(tmp_path):
    paper = small_paper(tmp_path)
    intro, opening, closing = paper.introduction().part1, paper.commentary_opening().part1, paper.implications().part1
    assert "1. Reason for report" in intro and "The index is as at the end of November 2023." in intro
    assert "2.1</span> The committee note the November 2023 outturns." in intro
    assert "3. Commentary" in opening and "3.1</span> The dataset is reviewed annually." in opening
    assert "As at the end of November 2023, the following 1 indicator was performing below expectation" in \
        paper.commentary_opening().part2
    # applicable headings are numbered from 4; the rest are gathered on one line, as the seeds do
    assert "4. IMPACT ON VULNERABLE ADULTS AND CHILDREN" in closing
    assert "5. TRANSFORMATION/POLICY IMPLICATIONS" in closing and "6. CUSTOMER IMPACT" in closing
    assert ("Non-Applicable Headings:</dt><dd>Financial Implications; Personnel Implications; Legal Implications; "
            "Procurement Implications; Property Implications; Carbon Reduction and Social Value Implications; "
            "Ward Councillor Views.</dd>") in closing
    assert "Children&#x27;s Performance Management Framework (2023)" in closing


def test_public_breakdown_hides_small_cells_and_enough_others_proven_by_the_audit(tmp_path):
    cats = ["NEG"] * 30 + ["EMO"] * 12 + ["PHY"] * 3 + ["SAB"] * 9
    write_table(tmp_path, "cp_plans", [{**cp_plan(f"C{k}", "2023-02-01"), "InitialCategoryOfAbuse": c}
                                      for k, c in enumerate(cats)])
    params = validate_params({**PARAMS, "data": str(tmp_path), "catalogue": str(CATALOGUE)})
    paper = Paper(params, load_extract(tmp_path), load_catalogue(CATALOGUE))
    public = paper.breakdown_table("cp_two_years_plus", PART1)
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r'<td class="num">(.*?)</td>', public)]
    # 3 (physical) is small; with the total shown, the next smallest (sexual abuse, 9) is hidden too
    assert cells == ["30", "12", "[c]", "[c]", "54"]
    (record,) = [r for r in paper.disclosure_audit() if r["table"].startswith("Child protection plans open")]
    # sexual abuse (9) could be anything from 7 to 11, physical abuse (3) anything from 1 to 5
    assert record["passed"] and [(h["low"], h["high"]) for h in record["hidden"]] == [(7, 11), (1, 5)]


def test_the_cover_takes_a_report_number_and_priority_lines_when_given(tmp_path):
    from scrutiny.config.params import Cover
    from scrutiny.paper.html import cover_details

    base = dict(PARAMS["cover"])
    plain = cover_details(Cover(**base))
    assert "Report No." not in plain and "Priorities" not in plain
    given = cover_details(Cover(**base, report_number="ECHS19020",
                                priorities=["Making Bromley Even Better Priority (1) <b>", "Priority (2)"]))
    assert "<dt>Report No.</dt><dd>ECHS19020</dd>" in given
    assert "Making Bromley Even Better Priority (1) &lt;b&gt;<br>Priority (2)" in given


def test_breakdowns_are_counted_while_the_month_ends_are_and_are_those_counted_when_asked(tmp_path, monkeypatch):
    from scrutiny.indicators._base import Context
    from scrutiny.indicators.breakdowns import breakdown_for

    write_table(tmp_path, "cp_plans", [{**cp_plan("A", "2023-02-01"), "InitialCategoryOfAbuse": "NEG"},
                                      {**cp_plan("B", "2023-03-01"), "InitialCategoryOfAbuse": "EMO"}])
    params = validate_params({**PARAMS, "data": str(tmp_path), "catalogue": str(CATALOGUE)})
    paper = Paper(params, load_extract(tmp_path), load_catalogue(CATALOGUE))
    asked = Context(paper.extract, paper.period, None)
    counted = {o.definition.id: breakdown_for(o.definition.id, asked) for o in paper.outturns}
    assert counted["cp_two_years_plus"] is not None
    # nothing is counted once the paper is made: what it shows was counted beside the month ends
    monkeypatch.setattr("scrutiny.paper.model.breakdown_for", lambda *a: pytest.fail("counted after the paper"))
    for indicator_id, found in counted.items():
        shown = paper.breakdown(indicator_id)
        assert (shown is None) == (found is None or found[1].empty)
        if shown is not None:
            assert shown.caption == found[0] and shown.counts.equals(found[1])
