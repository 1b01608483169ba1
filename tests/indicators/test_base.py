"""What every indicator shares: windows counted by running totals give what counting every row gives."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from scrutiny.indicators import _base
from scrutiny.indicators._base import WindowCounts

_day = st.dates(datetime.date(2019, 1, 1), datetime.date(2024, 12, 31))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), _day), st.booleans()), max_size=60),
       st.lists(st.tuples(_day, st.integers(0, 400), st.integers(0, 23), st.integers(0, 23)), min_size=1, max_size=8),
       st.booleans())
# a window that ends before it starts (02:00 to midnight of one day) holds no row
@example([(None, False), (datetime.date(2019, 1, 1), False)], [(datetime.date(2019, 1, 1), 0, 2, 1)], True)
def test_a_window_holds_the_rows_dated_in_it_counted_one_by_one(rows, windows, times_of_day):
    dates = pd.Series(pd.to_datetime([d for d, _ in rows]), dtype="datetime64[ns]")
    if times_of_day and len(dates):  # not whole days: the other way of counting
        dates = dates + pd.to_timedelta(np.arange(len(dates)) % 5, unit="h")
    flags = pd.Series([f for _, f in rows], dtype=bool)
    counts = WindowCounts(dates, flags)
    for start, length, hour, later in windows:  # (windows from midnight to midnight, and at other times)
        low = pd.Timestamp(start) + pd.Timedelta(hours=hour if later % 2 else 0)
        high = pd.Timestamp(start) + pd.Timedelta(days=length, hours=later if hour % 2 else 0)
        inside = (dates >= low) & (dates <= high)
        assert counts.count((low, high)) == (int((inside & flags).sum()), int(inside.sum()))


@pytest.mark.parametrize("where", [0, 4, 9])
def test_a_time_of_day_in_any_block_of_rows_is_counted_as_a_time(monkeypatch, where):
    """Millions of dates are looked at a block of rows at a time: one time of day in any block, first or last,
    and the rows are counted by their times (a window from noon leaves that morning's row out)."""
    monkeypatch.setattr(_base, "_BLOCK", 3)
    dates = pd.Series(pd.to_datetime([f"2023-01-{d:02d}" for d in range(1, 11)]))
    dates[where] += pd.Timedelta(hours=6)
    counts = WindowCounts(dates, pd.Series([True] * 10))
    assert not counts.daily
    noon = pd.Timestamp(dates[where].date()) + pd.Timedelta(hours=12)
    assert counts.count((noon, pd.Timestamp("2023-01-31"))) == (9 - where, 9 - where)
