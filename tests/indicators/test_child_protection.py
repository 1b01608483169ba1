"""cp_repeat and cp_two_years_plus on tiny hand-made plans."""

from __future__ import annotations

import pytest
from builders import cp_plan, result, write_table

from scrutiny.indicators.compute import compute_period
from scrutiny.data.validate import load_extract




def test_repeat_plans(tmp_path):
    write_table(tmp_path, "cp_plans", [
        cp_plan("A", "2020-01-01", "2020-06-01"), cp_plan("A", "2023-01-10"),       # repeat by an earlier plan
        cp_plan("B", "2023-02-01", previous="1"),                                 # repeat by NumberOfPreviousCPP
        cp_plan("C", "2023-03-01", "2023-03-02"), cp_plan("C", "2023-03-01", cppid="C2"),  # same day: not earlier
        cp_plan("D", "2022-11-30"),                                               # before W12
        cp_plan("E", "2023-05-01", previous=" 0 "),
    ])
    r = result(tmp_path, "cp_repeat")
    assert (r.numerator, r.denominator) == (2, 5)


def test_left_out_plan_is_not_an_earlier_plan(tmp_path):
    write_table(tmp_path, "cp_plans", [
        cp_plan("A", "2020-06-01", "2020-01-01"),   # end before start: record error, left out
        cp_plan("A", "2023-01-10"),
    ])
    extract = load_extract(tmp_path)
    assert extract.records_left_out == 1
    (r,) = compute_period(extract, "2023-11", None, ["cp_repeat"])
    assert (r.numerator, r.denominator) == (0, 1)


@pytest.mark.parametrize("open_days, counted", [(728, False), (729, True), (730, True)])
def test_plans_open_729_and_730_days(tmp_path, open_days, counted):
    import datetime
    start = datetime.date(2023, 11, 30) - datetime.timedelta(days=open_days)
    write_table(tmp_path, "cp_plans", [cp_plan("A", start.isoformat())])
    r = result(tmp_path, "cp_two_years_plus")
    assert (r.numerator, r.denominator) == (int(counted), 1)


def test_two_years_only_counts_plans_open_at_e(tmp_path):
    write_table(tmp_path, "cp_plans", [
        cp_plan("A", "2020-01-01", "2023-11-30"),   # ended on E: not open
        cp_plan("B", "2020-01-01", "2023-12-01"),   # ends after E: open, long
        cp_plan("C", "2023-12-01"),                 # starts after E
        cp_plan("D", "2023-06-01"),                 # open, short
    ])
    r = result(tmp_path, "cp_two_years_plus")
    assert (r.numerator, r.denominator) == (1, 2)


def enquiry(child, start, icpc):
    return {"LAchildID": child, "CINdetailsID": child, "S47ActualStartDate": start, "DateOfInitialCPC": icpc,
            "ICPCnotRequired": "false"}


def test_cp_icpc_15wd_counts_working_days_with_christmas_bank_holidays(tmp_path):
    from builders import figures, result, write_table

    # from Friday 16 Dec 2022: 26 and 27 Dec (substitute for Christmas Day) and 2 Jan 2023 (substitute for
    # New Year's Day) are bank holidays, so 11 Jan 2023 is the 15th working day and 12 Jan the 16th
    write_table(tmp_path, "section47", [
        enquiry("A", "2022-12-16", "2023-01-11"),
        enquiry("B", "2022-12-16", "2023-01-12"),
        enquiry("C", "2022-11-01", "2022-11-30"),   # conference the day before W12
        enquiry("D", "2023-11-30", "2023-11-30"),   # same day: 0 working days, on E
        enquiry("E", "2023-11-01", ""),             # no conference (yet): not counted
        enquiry("F", "2023-06-10", "2023-06-01"),   # conference before the enquiry: record error
        {**enquiry("G", "2023-05-01", "2023-05-10"), "ICPCnotRequired": "true"},  # the dates decide
    ])
    assert figures(result(tmp_path, "cp_icpc_15wd")) == (3, 4, 75.0)
