"""cin_rereferrals and cin_assessments_45wd, with England's bank holidays from the holidays package."""

from __future__ import annotations

import datetime

import pytest
from builders import result, write_table

from scrutiny.indicators.compute import compute_period
from scrutiny.data.periods import bank_holidays, working_days_between
from scrutiny.data.validate import load_extract

import pandas as pd


def referral(child, date, nfa="false"):
    return {"LAchildID": child, "CINdetailsID": f"{child}-{date}", "CINreferralDate": date,
            "ReferralSource": "1A", "PrimaryNeedCode": "N1", "ReferralNFA": nfa}



def test_rereferrals(tmp_path):
    write_table(tmp_path, "cin_details", [
        referral("A", "2022-03-31"), referral("A", "2023-03-31"),   # exactly 12 months: counts
        referral("B", "2022-03-30"), referral("B", "2023-03-31"),   # 12 months and a day: does not
        referral("C", "2023-05-01"), referral("C", "2023-05-01"),   # same day: not earlier
        referral("D", "2023-01-01", nfa="true"), referral("D", "2023-02-01"),  # NFA counts, both in W12
        referral("E", "2022-11-30"),                                # before W12
    ])
    r = result(tmp_path, "cin_rereferrals")
    assert (r.numerator, r.denominator) == (2, 6)


@pytest.mark.parametrize("order", ["by child", "mixed"])
def test_referrals_on_one_day_share_their_childs_earlier_referral(tmp_path, order):
    rows = [
        referral("F", "2022-06-01"), referral("F", "2023-01-01"), referral("F", "2023-01-01"),  # both within
        referral("G", "2023-02-01"), referral("G", "2023-02-01"), referral("G", "2023-02-01"),  # none earlier
        referral("H", "2021-01-01"), referral("H", "2023-03-01"), referral("H", "2023-03-01"),  # 26 months: not
        referral("J", "2023-04-01"), referral("J", "2023-04-01"), referral("J", "2023-06-01"),  # only the last
    ]
    write_table(tmp_path, "cin_details", rows if order == "by child" else rows[::3] + rows[1::3] + rows[2::3])
    r = result(tmp_path, "cin_rereferrals")
    assert (r.numerator, r.denominator) == (3, 10)


def test_rereferral_twelve_months_clips_29_february(tmp_path):
    # 2024-02-29 - 12 months = 2023-02-28 (day clipped)
    write_table(tmp_path, "cin_details", [referral("A", "2023-02-28"), referral("A", "2024-02-29")])
    r = result(tmp_path, "cin_rereferrals", period="2024-02")
    assert (r.numerator, r.denominator) == (1, 1)
    write_table(tmp_path, "cin_details", [referral("A", "2023-02-27"), referral("A", "2024-02-29")])
    r = result(tmp_path, "cin_rereferrals", period="2024-02")
    assert (r.numerator, r.denominator) == (0, 1)


def test_england_bank_holidays_include_one_off_and_substitute_days():
    days = set(bank_holidays(datetime.date(2022, 1, 1), datetime.date(2023, 12, 31)))
    assert datetime.date(2022, 9, 19) in days     # State Funeral of Queen Elizabeth II
    assert datetime.date(2023, 5, 8) in days      # Coronation of King Charles III
    assert datetime.date(2022, 12, 27) in days    # substitute for Christmas Day on a Sunday
    assert datetime.date(2022, 8, 1) not in days  # Scotland's summer holiday, not England's


@pytest.mark.parametrize("start, end, expected", [
    ("2023-11-06", "2023-11-06", 0),    # same day: A < d <= B counts nothing
    ("2023-11-03", "2023-11-06", 1),    # Friday to Monday
    ("2023-12-22", "2024-01-02", 4),    # Christmas, Boxing Day and New Year's Day left out
    ("2023-04-06", "2023-04-11", 1),    # Good Friday and Easter Monday left out
])
def test_working_days(start, end, expected):
    got = working_days_between(pd.Series(pd.to_datetime([start])), pd.Series(pd.to_datetime([end])))
    assert int(got[0]) == expected


def _start_for(end: str, working_days: int) -> str:
    day = datetime.date.fromisoformat(end)
    while working_days_between(pd.Series([pd.Timestamp(day)]), pd.Series([pd.Timestamp(end)]))[0] < working_days:
        day -= datetime.timedelta(days=1)
    return day.isoformat()


def test_assessments_45_working_days_with_bank_holidays_inside(tmp_path):
    # ending 2023-06-01: the window back includes the Coronation (8 May) and spring bank holiday (29 May)
    end = "2023-06-01"
    on_time, late = _start_for(end, 45), _start_for(end, 46)
    naive_weekdays = int(pd.bdate_range(on_time, end).size) - 1
    # Easter, early May, the Coronation and spring bank holiday lie inside: weekdays alone would be wrong
    assert naive_weekdays - 45 == len(bank_holidays(datetime.date.fromisoformat(on_time), datetime.date(2023, 6, 1)))
    assert naive_weekdays >= 49
    write_table(tmp_path, "assessments", [
        {"LAchildID": "A", "AssessmentActualStartDate": on_time, "AssessmentAuthorisationDate": end},
        {"LAchildID": "B", "AssessmentActualStartDate": late, "AssessmentAuthorisationDate": end},
        {"LAchildID": "C", "AssessmentActualStartDate": "2023-10-01", "AssessmentAuthorisationDate": ""},  # open
        {"LAchildID": "D", "AssessmentActualStartDate": "", "AssessmentAuthorisationDate": end},  # error
        {"LAchildID": "E", "AssessmentActualStartDate": "2023-07-01", "AssessmentAuthorisationDate": "2023-06-01"},
    ])
    extract = load_extract(tmp_path)
    assert extract.records_left_out == 2
    (r,) = compute_period(extract, "2023-11", None, ["cin_assessments_45wd"])
    assert (r.numerator, r.denominator) == (1, 2)


@pytest.mark.parametrize("seed", [1, 2])
def test_working_days_of_many_rows_by_running_totals_are_numpys_own(seed):
    """Past 10,000 rows the days are counted from running totals: the same counts, ends before starts too."""
    import numpy as np

    from scrutiny.data.periods import _england_holidays

    rng = np.random.default_rng(seed)
    start = pd.Series(pd.Timestamp("1995-01-01") + pd.to_timedelta(rng.integers(0, 16_000, 20_000), unit="D"))
    end = start + pd.to_timedelta(rng.integers(-60, 400, 20_000), unit="D")
    one_by_one = np.busday_count(start.to_numpy().astype("datetime64[D]") + 1,
                                 end.to_numpy().astype("datetime64[D]") + 1, holidays=_england_holidays())
    assert (working_days_between(start, end) == one_by_one).all()
