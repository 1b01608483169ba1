"""cla_rate and placement stability on tiny hand-made extracts (spec/indicators.md)."""

from __future__ import annotations

import pytest
from builders import episode, looked_after, result, write_table

from scrutiny.data.validate import load_extract

E = "2023-11"  # E = 2023-11-30; E - 30 months = 2021-05-30; E - 24 months = 2021-11-30



def test_cla_rate_counts_children_per_10000_and_ignores_short_breaks(tmp_path):
    looked_after(tmp_path, {"A": "2010-01-01", "B": "2012-01-01", "C": "2015-01-01", "D": "2015-01-01"}, [
        episode("A", "2023-01-01"),
        episode("B", "2022-01-01", "2023-03-01", rec="X1"), episode("B", "2023-03-01", rne="P"),
        episode("C", "2023-11-01", ls="V3"),                # short break: never looked after
        episode("D", "2020-01-01", "2023-11-30"),           # ended on E: not open at E
    ])
    r = result(tmp_path, "cla_rate", E, population=20000)
    assert (r.numerator, r.denominator, r.value) == (2, 20000, 1.0)


def test_cla_rate_population_zero_gives_no_value(tmp_path):
    looked_after(tmp_path, {"A": "2010-01-01"}, [episode("A", "2023-01-01")])
    assert result(tmp_path, "cla_rate", E, population=0).value is None


def test_cla_rate_empty_tables_are_zero_not_no_data(tmp_path):
    looked_after(tmp_path, {}, [])
    r = result(tmp_path, "cla_rate", E, population=1000)
    assert (r.numerator, r.value, r.status) == (0, 0.0, "ok")


def test_absent_table_is_no_data(tmp_path):
    write_table(tmp_path, "caseloads", [])  # a contract file, but no episodes or header
    r = result(tmp_path, "cla_rate", E, population=1000)
    assert (r.numerator, r.denominator, r.value, r.status) == (None, None, None, "no data")


@pytest.mark.parametrize("care_start, in_denominator", [
    ("2021-05-30", True),    # exactly E - 30 months
    ("2021-05-31", False),   # one day later
])
def test_long_stability_period_of_care_starting_exactly_30_months_before(tmp_path, care_start, in_denominator):
    looked_after(tmp_path, {"A": "2012-01-01"}, [episode("A", care_start)])
    r = result(tmp_path, "cla_placement_stability_long", E)
    assert r.denominator == (1 if in_denominator else 0)
    assert r.numerator == (1 if in_denominator else 0)  # same placement throughout


@pytest.mark.parametrize("dob, in_denominator", [
    ("2007-11-30", False),   # 16th birthday on E: age 16 at E
    ("2007-12-01", True),    # 16 tomorrow: still 15 at E
])
def test_long_stability_child_turning_16_on_e(tmp_path, dob, in_denominator):
    looked_after(tmp_path, {"A": dob}, [episode("A", "2020-01-01")])
    assert result(tmp_path, "cla_placement_stability_long", E).denominator == (1 if in_denominator else 0)


@pytest.mark.parametrize("placement_start, stable", [("2021-11-30", True), ("2021-12-01", False)])
def test_long_stability_placement_two_years_boundary(tmp_path, placement_start, stable):
    looked_after(tmp_path, {"A": "2012-01-01"}, [
        episode("A", "2020-01-01", placement_start, rec="X1"),
        episode("A", placement_start, rne="P", place="U2"),
    ])
    r = result(tmp_path, "cla_placement_stability_long", E)
    assert (r.numerator, r.denominator) == (int(stable), 1)


def test_long_stability_same_carer_t_and_u_episodes_continue_the_placement(tmp_path):
    looked_after(tmp_path, {"A": "2012-01-01"}, [
        episode("A", "2020-01-01", "2022-06-01", rec="X1"),
        episode("A", "2022-06-01", "2023-01-01", rne="T", place="U2", rec="X1"),
        episode("A", "2023-01-01", rne="U", ls="C1", place="U3"),
    ])
    assert result(tmp_path, "cla_placement_stability_long", E).numerator == 1


def test_long_stability_placed_for_adoption_counts_previous_placement(tmp_path):
    looked_after(tmp_path, {"A": "2018-01-01", "B": "2018-01-01"}, [
        episode("A", "2020-01-01", "2023-06-01", rec="X1"),
        episode("A", "2023-06-01", rne="P", ls="E1", place="A4"),
        episode("B", "2020-01-01", "2022-06-01", rec="X1"),          # B: previous placement too recent
        episode("B", "2022-06-01", "2023-06-01", rne="P", rec="X1"),
        episode("B", "2023-06-01", rne="P", ls="E1", place="A4"),
    ])
    r = result(tmp_path, "cla_placement_stability_long", E)
    assert (r.numerator, r.denominator) == (1, 2)


def test_long_stability_x1_chain_is_one_period_of_care_but_a_gap_starts_another(tmp_path):
    looked_after(tmp_path, {"A": "2012-01-01", "B": "2012-01-01"}, [
        episode("A", "2020-01-01", "2021-01-01", rec="X1"),
        episode("A", "2021-01-01", rne="L", ls="C1"),                # same placement, legal status only
        episode("B", "2020-01-01", "2021-01-01", rec="E13"),
        episode("B", "2021-06-01"),                                  # new period of care after a gap
    ])
    r = result(tmp_path, "cla_placement_stability_long", E)
    assert (r.numerator, r.denominator) == (1, 1)


def test_short_stability_counts_placements_overlapping_w12(tmp_path):
    # W12 for 2023-11 is 2022-12-01 to 2023-11-30
    looked_after(tmp_path, {"A": "2012-01-01", "B": "2012-01-01", "C": "2012-01-01", "D": "2012-01-01"}, [
        # A: placement ending on W12's first day counts: three placements
        episode("A", "2021-01-01", "2022-12-01", rec="X1"),
        episode("A", "2022-12-01", "2023-03-01", rne="P", rec="X1"),
        episode("A", "2023-03-01", rne="P"),
        # B: placement ending the day before W12 does not count: two placements
        episode("B", "2021-01-01", "2022-11-30", rec="X1"),
        episode("B", "2022-11-30", "2023-03-01", rne="P", rec="X1"),
        episode("B", "2023-03-01", rne="P"),
        # C: same-carer changes are one placement; a return to a previous carer (P) is new
        episode("C", "2023-01-01", "2023-02-01", rec="X1"),
        episode("C", "2023-02-01", "2023-03-01", rne="T", rec="X1"),
        episode("C", "2023-03-01", "2023-04-01", rne="U", ls="C1", rec="X1"),
        episode("C", "2023-04-01", "2023-05-01", rne="P", place="U2", rec="X1"),
        episode("C", "2023-05-01", rne="P", place="U1"),
        # D: an earlier period of care inside W12 counts too; short breaks never do
        episode("D", "2022-12-10", "2023-01-10"),
        episode("D", "2023-02-01", "2023-02-03", ls="V3"),
        episode("D", "2023-03-01", "2023-04-01", rec="X1"),
        episode("D", "2023-04-01", rne="B", ls="C1", place="R1"),
    ])
    r = result(tmp_path, "cla_placement_stability_short", E)
    assert (r.numerator, r.denominator) == (3, 4)


def test_open_episode_of_an_adult_counts_and_is_a_warning(tmp_path):
    from scrutiny.config.catalogue import load_catalogue
    from scrutiny.paper.document import Paper
    from scrutiny.config.params import validate_params
    from builders import CATALOGUE, PARAMS

    looked_after(tmp_path, {"A": "2005-11-30", "B": "2010-01-01"}, [episode("A", "2020-01-01"),
                                                                  episode("B", "2020-01-01")])
    assert result(tmp_path, "cla_rate", E, population=100).numerator == 2
    params = validate_params({**PARAMS, "data": str(tmp_path), "catalogue": str(CATALOGUE)})
    paper = Paper(params, load_extract(tmp_path), load_catalogue(CATALOGUE))
    warnings = paper.warnings()
    assert list(warnings["row"]) == [2]
    assert "aged 18 or over" in warnings["message"].iloc[0]


def test_episodes_without_header_is_no_data_naming_the_absent_file(tmp_path):
    from builders import write_table

    write_table(tmp_path, "episodes", [episode("A", "2023-01-01")])
    r = result(tmp_path, "cla_rate", E, population=100)
    assert (r.status, r.value, r.note) == ("no data", None, "header.csv not supplied")
