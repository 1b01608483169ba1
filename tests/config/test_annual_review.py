"""Annual review: trends run by id across catalogues; changes are noted; small cohorts show numbers."""

from __future__ import annotations

import yaml
from builders import CATALOGUE, PARAMS, cp_plan, write_table

from scrutiny.config.catalogue import CatalogueHistory, load_catalogue
from scrutiny.paper.format import changes_in_words
from scrutiny.paper.document import Paper
from scrutiny.paper.parts import PART1, PART2
from scrutiny.config.params import validate_params
from scrutiny.data.periods import Period
from scrutiny.data.validate import load_extract


def entry(**change):
    base = {"id": "cp_repeat", "number": 16, "title": "Repeat plans", "why_important": "w", "definition": "d",
            "polarity": "low", "unit": "percent", "decimals": 1, "target": 20.0, "tolerance": 3.0}
    return {**base, **change}


def write(folder, year, *entries):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{year}.yaml"
    path.write_text(yaml.safe_dump({"year": year, "indicators": list(entries)}))
    return path


def months(first, last):
    p, out = Period.parse(first), []
    while str(p) <= last:
        out.append(p)
        p = p.shift(1)
    return out


def test_renumbered_retargeted_indicator_keeps_its_history_and_the_change_is_noted(tmp_path):
    write(tmp_path, "2022-23", entry(number=25, title="Repeat child protection plans", target=22.0))
    current = write(tmp_path, "2023-24", entry(number=20))
    history = CatalogueHistory.load(current)
    periods = months("2022-11", "2023-11")
    assert [history.in_force("cp_repeat", p).number for p in periods] == [25] * 5 + [20] * 8
    assert changes_in_words(history, "cp_repeat", periods) == [
        "From April 2023 this is indicator 20 (it was indicator 25).",
        "From April 2023 the title is as above (it was \u201cRepeat child protection plans\u201d).",
        "From April 2023 the expectation is 20.0% or less (it was 22.0% or less).",
    ]


def test_added_and_retired_indicators(tmp_path):
    write(tmp_path, "2022-23", entry(), entry(id="cp_two_years_plus", number=17, target=3.0))
    current = write(tmp_path, "2023-24", entry(), entry(id="cin_rereferrals", number=8))
    history = CatalogueHistory.load(current)
    periods = months("2022-11", "2023-11")
    assert changes_in_words(history, "cin_rereferrals", periods) == [
        "From April 2023 the indicator joined the dataset; earlier months are shown for context, with no target."]
    assert history.in_force("cin_rereferrals", periods[0]) is None
    assert changes_in_words(history, "cp_repeat", periods) == []  # unchanged: nothing to say
    # retired: not in the current catalogue, so not in the paper; its history is still there by id
    assert history.in_force("cp_two_years_plus", periods[0]).number == 17
    assert "cp_two_years_plus" not in [d.id for d in history.current.indicators]


def test_no_earlier_catalogue_says_nothing_changed(tmp_path):
    history = CatalogueHistory.load(write(tmp_path, "2023-24", entry()))
    assert changes_in_words(history, "cp_repeat", months("2022-11", "2023-11")) == []



def test_paper_rates_by_the_current_year_and_draws_the_old_target_for_old_months(tmp_path):
    cat = tmp_path / "catalogue"
    write(cat, "2022-23", entry(number=25, target=40.0, tolerance=0.0))
    current = write(cat, "2023-24", entry(number=20, target=20.0, tolerance=3.0))
    # 1 of 3 plans a repeat: 33.3%, Red against 20% (it would have been Green against 40%)
    write_table(tmp_path / "x", "cp_plans", [cp_plan("A", "2023-02-01", previous="1"), cp_plan("B", "2023-03-01"),
                                             cp_plan("C", "2023-04-01")])
    params = validate_params({**PARAMS, "data": str(tmp_path / "x"), "catalogue": str(current)})
    paper = Paper(params, load_extract(tmp_path / "x"), load_catalogue(current))
    o = paper.outturn("cp_repeat")
    assert o.rag(PART2).value == "Red"
    assert [d.target for d in o.in_force] == [40.0] * 5 + [20.0] * 8
    assert "From April 2023 this is indicator 20 (it was indicator 25)." in paper.trends().part2


def leaver(child, dob, activ):
    return {"CHILD": child, "DOB": dob, "IN_TOUCH": "YES", "ACTIV": activ, "ACCOM": "B1"}


def test_small_cohort_shows_numbers_not_a_percentage(tmp_path):
    # 7 care leavers with a 19th birthday in W12, 6 in education, employment or training; the catalogue
    # shows numbers when the group is under 20
    write_table(tmp_path, "oc3", [leaver(f"L{k}", "2004-06-15", "F1" if k < 6 else "G4") for k in range(7)])
    params = validate_params({**PARAMS, "data": str(tmp_path), "catalogue": str(CATALOGUE)})
    paper = Paper(params, load_extract(tmp_path), load_catalogue(CATALOGUE))
    o = paper.outturn("care_leavers_eet")
    assert o.small_cohort and o.figure(PART2, "value") == "6 of 7"
    assert "85.7%" not in paper.scorecard().part2.split("Care leavers in education, employment")[1].split("</tr>")[0]
    assert "smaller than 20, so the outturn is given as numbers" in paper.trends().part2
    assert "Shown as numbers because the group is small. Latest: 6 of 7" in paper.trends().part2


def test_small_cohort_numbers_are_still_suppressed_in_public(tmp_path):
    write_table(tmp_path, "oc3", [leaver(f"L{k}", "2004-06-15", "F1" if k < 3 else "G4") for k in range(9)])
    params = validate_params({**PARAMS, "data": str(tmp_path), "catalogue": str(CATALOGUE)})
    paper = Paper(params, load_extract(tmp_path), load_catalogue(CATALOGUE))
    o = paper.outturn("care_leavers_eet")
    assert (o.figure(PART2, "value"), o.figure(PART1, "value")) == ("3 of 9", "[c] of 9")


def test_population_from_the_ons_estimates_in_the_benchmark_table(tmp_path):
    from builders import ROOT, episode, looked_after

    from scrutiny.assess.benchmarks import BenchmarkTable

    table = ROOT / "params" / "benchmarks" / "E09000006.csv"
    looked_after(tmp_path, {"A": "2010-01-01"}, [episode("A", "2023-01-01")])
    params = validate_params({**PARAMS, "data": str(tmp_path), "catalogue": str(CATALOGUE), "population": "ons",
                              "benchmarks": str(table)})
    paper = Paper(params, load_extract(tmp_path), load_catalogue(CATALOGUE))
    mid_2023 = BenchmarkTable.read(table).population(Period.parse("2023-11").end)
    r = paper.outturn("cla_rate").results[-1]
    assert mid_2023 > 50_000 and r.denominator == mid_2023 and r.value == 10_000 / mid_2023


def test_year_to_date_count_is_protected_against_differencing(tmp_path):
    rows = [{"indicator": "care_leavers_apprenticeships", "period": p, "numerator": n, "denominator": "", "value": ""}
            for p, n in [("2023-04", "0"), ("2023-05", "0"), ("2023-06", "8"), ("2023-07", "9"), ("2023-08", "15")]]
    write_table(tmp_path, "manual_outturns", rows)
    params = validate_params({**PARAMS, "data": str(tmp_path), "catalogue": str(CATALOGUE), "period": "2023-08"})
    paper = Paper(params, load_extract(tmp_path), load_catalogue(CATALOGUE))
    o = paper.outturn("care_leavers_apprenticeships")
    public = [r.value for r in o.public[-5:]]
    # 8 is shown; 9 would tell of 1 added in July; 15 is 7 more than 8 (the last shown): shown
    assert public == [0.0, 0.0, 8.0, None, 15.0]
    assert [r.value for r in o.results[-5:]] == [0.0, 0.0, 8.0, 9.0, 15.0]   # Part 2 shows everything
    assert "Withheld [c] to protect individuals, not plotted and not used for the limits: July 2023." in paper.trends().part1


def test_a_revised_past_month_differing_by_1_to_5_from_the_published_paper_is_withheld(tmp_path):
    import json

    plans = [{"LAchildID": f"C{k}", "CPPID": f"P{k}", "CPPstartDate": "2023-01-15", "NumberOfPreviousCPP": "1"}
             for k in range(12)] + [{"LAchildID": f"D{k}", "CPPID": f"Q{k}", "CPPstartDate": "2023-02-15"}
                                    for k in range(30)]
    write_table(tmp_path / "x", "cp_plans", plans)
    ledger = tmp_path / "published.json"
    # October's final public paper showed 10 repeat plans of 42 (late corrections have since made it 12);
    # September's showed 12 of 42, as now
    ledger.write_text(json.dumps({"cp_repeat": {"2023-10": {"numerator": 10, "denominator": 42, "value": 23.8},
                                                "2023-09": {"numerator": 12, "denominator": 42, "value": 28.6}}}))
    params = validate_params({**PARAMS, "data": str(tmp_path / "x"), "catalogue": str(CATALOGUE),
                              "published": str(ledger)})
    paper = Paper(params, load_extract(tmp_path / "x"), load_catalogue(CATALOGUE))
    o = paper.outturn("cp_repeat")
    by_period = {str(p): r for p, r in zip(o.periods, o.public)}
    assert by_period["2023-10"].value is None          # 12 now against 10 published: 2 records changed
    assert by_period["2023-09"].value == 100 * 12 / 42  # unchanged: shown
    assert by_period["2023-11"].value == 100 * 12 / 42
