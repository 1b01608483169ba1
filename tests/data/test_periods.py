"""Dates of the calendar: birthdays."""

from __future__ import annotations

import datetime

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from scrutiny.data.periods import birthday


def _by_parts(dob: pd.Series, age: int) -> pd.Series:
    """The rule as it reads: the 1st of the birthday's month in the year ``age`` on, then the day's place."""
    first = pd.to_datetime({"year": dob.dt.year + age, "month": dob.dt.month, "day": 1})
    return (first + pd.to_timedelta(dob.dt.day - 1, unit="D")).astype("datetime64[ns]")


_days = st.one_of(st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)),
                  st.sampled_from([datetime.date(2004, 2, 29), datetime.date(1960, 2, 29), datetime.date(2000, 2, 29),
                                   datetime.date(1969, 12, 31), None]))


@settings(max_examples=200, deadline=None)
@given(st.lists(_days, max_size=30), st.integers(0, 25))
def test_a_birthday_is_the_same_day_of_the_month_counted_from_the_1st(days, age):
    dob = pd.Series(pd.to_datetime(pd.Series(days, dtype="object")), index=range(5, 5 + len(days)))
    got, expected = birthday(dob, age), _by_parts(dob, age)
    assert got.dtype == expected.dtype and got.index.equals(dob.index)
    assert got.isna().tolist() == expected.isna().tolist()
    assert got.dropna().tolist() == expected.dropna().tolist()
