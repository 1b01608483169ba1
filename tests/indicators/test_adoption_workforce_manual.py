"""adoption_timeliness, caseload_average and manual indicators on hand-made extracts."""

from __future__ import annotations

import pytest
from builders import episode, figures, looked_after, result, write_table

from scrutiny.config.catalogue import Catalogue
from scrutiny.indicators.compute import compute_period
from scrutiny.data.validate import load_extract


def test_adoption_timeliness_counts_from_entering_care_to_moving_in_with_the_adopters(tmp_path):
    looked_after(tmp_path, {"A": "2020-06-01", "B": "2019-01-01", "C": "2018-01-01", "D": "2018-06-01"}, [
        # A: 424 days from entering care (1 Jan 2021) to being placed for adoption (1 Mar 2022)
        episode("A", "2021-01-01", "2022-03-01", place="U1", rec="X1"),
        episode("A", "2022-03-01", "2023-01-10", rne="P", place="A3", rec="E11"),
        # B: the foster carer adopts (same carer, RNE T): 0 days, counted from moving in with them
        episode("B", "2020-06-01", "2021-03-01", place="U1", rec="X1"),
        episode("B", "2021-03-01", "2021-09-01", rne="L", ls="C1", place="U1", rec="X1"),
        episode("B", "2021-09-01", "2022-06-01", rne="T", ls="E1", place="A5", rec="E12"),
        # C: adopted the day before W36 (1 Dec 2020 to 30 Nov 2023)
        episode("C", "2019-01-01", "2019-06-01", rec="X1"),
        episode("C", "2019-06-01", "2020-11-30", rne="P", place="A3", rec="E11"),
        # D: adopted twice in W36; the later adoption (200 days) counts, once
        episode("D", "2019-01-01", "2019-04-11", rec="X1"),
        episode("D", "2019-04-11", "2021-01-10", rne="P", place="A3", rec="E11"),
        episode("D", "2022-01-01", "2022-07-20", rec="X1"),
        episode("D", "2022-07-20", "2023-06-01", rne="P", place="A4", rec="E11"),
    ])
    assert figures(result(tmp_path, "adoption_timeliness")) == (624, 3, 208.0)


def test_adoption_timeliness_with_no_adoptions_has_no_value(tmp_path):
    looked_after(tmp_path, {"A": "2010-01-01"}, [episode("A", "2023-01-01")])
    assert figures(result(tmp_path, "adoption_timeliness")) == (0, 0, None)


def caseload(period, worker, fte, cases):
    return {"period": period, "worker_id": worker, "fte": fte, "cases": cases}


def test_caseload_average_is_cases_per_fte_of_workers_holding_cases_that_month(tmp_path):
    write_table(tmp_path, "caseloads", [
        caseload("2023-11", "W1", "1.0", "18"),
        caseload(" 2023-11 ", "W2", " 0.5", "9 "),   # spaces around numbers and period are stripped
        caseload("2023-11", "W3", "1.0", "0"),       # holds no cases: left out
        caseload("2023-10", "W1", "1.0", "30"),      # another month
    ])
    assert figures(result(tmp_path, "caseload_average")) == (27, 1.5, 18.0)
    assert figures(result(tmp_path, "caseload_average", period="2023-09")) == (0, 0, None)


def outturn(indicator, period, numerator="", denominator="", value=""):
    return {"indicator": indicator, "period": period, "numerator": numerator, "denominator": denominator,
            "value": value}


def manual_catalogue(**entry):
    base = {"id": "care_leavers_apprenticeships", "number": 30, "title": "Apprenticeships secured for care leavers",
            "why_important": "w", "definition": "d", "polarity": "high", "unit": "count", "decimals": 0,
            "target": 6, "tolerance": 1, "manual": True}
    return Catalogue.model_validate({"year": "2023-24", "indicators": [{**base, **entry}]})


def manual_results(folder, catalogue, period):
    specs = [d.spec() for d in catalogue.indicators]
    return compute_period(load_extract(folder), period, specs=specs)


def test_manual_indicator_reads_its_row_and_is_not_supplied_without_one(tmp_path):
    write_table(tmp_path, "manual_outturns", [
        outturn("care_leavers_apprenticeships", "2023-11", numerator="5"),
        outturn("care_leavers_apprenticeships", "2023-09", numerator="0"),
    ])
    catalogue = manual_catalogue()
    (nov,) = manual_results(tmp_path, catalogue, "2023-11")
    (oct_,) = manual_results(tmp_path, catalogue, "2023-10")
    (sep,) = manual_results(tmp_path, catalogue, "2023-09")
    assert (nov.value, nov.status) == (5.0, "ok")
    assert (oct_.value, oct_.status) == (None, "not supplied")   # never zero
    assert (sep.value, sep.status) == (0.0, "ok")                # a real zero stays zero


def test_manual_percentage_is_worked_out_unless_a_value_is_given(tmp_path):
    write_table(tmp_path, "manual_outturns", [
        outturn("health_checks", "2023-11", numerator="45", denominator="50"),
        outturn("health_checks", "2023-10", numerator="45", denominator="50", value="91.5"),
        outturn("health_checks", "2023-10", numerator="1", denominator="2"),   # a second row: left out
    ])
    catalogue = manual_catalogue(id="health_checks", unit="percent", decimals=1, target=90)
    assert manual_results(tmp_path, catalogue, "2023-11")[0].value == 90.0
    assert manual_results(tmp_path, catalogue, "2023-10")[0].value == 91.5
    errors = load_extract(tmp_path).record_errors
    assert errors.to_dict("records") == [{"file": "manual_outturns.csv", "row": 4, "column": "period",
                                          "message": "The same indicator and month are given twice (a second row "
                                                     "for indicator health_checks and period 2023-10)"}]


@pytest.mark.parametrize("entry, message", [
    ({"manual": False}, "a manual indicator needs 'manual: true'"),
    ({"id": "cp_repeat", "unit": "percent", "polarity": "low", "target": 20}, "remove 'manual: true'"),
    ({"small_cohort": 10}, "only a percentage can be shown as numbers"),
])
def test_catalogue_refuses_inconsistent_manual_entries(entry, message):
    with pytest.raises(Exception, match=message):
        manual_catalogue(**entry)
