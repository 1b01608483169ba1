"""Reporting time: periods, month ends, windows, ages and working days.

The rules are those of ``spec/indicators.md`` ("Time"):

* a period is a month ``YYYY-MM`` whose end date E is the month's last day;
* W12 is the 12 calendar months ending at E (W36 likewise with 36 months);
* "d - N months" is calendar-month arithmetic with the day clipped to the month;
* working days are Monday to Friday less the bank holidays of England as the
  maintained ``holidays`` package gives them; working days from A to B count the
  days d with A < d <= B.

>>> p = Period.parse("2023-11")
>>> p.end
datetime.date(2023, 11, 30)
>>> p.window(12)
(datetime.date(2022, 12, 1), datetime.date(2023, 11, 30))
>>> months_before(p.end, 30)
datetime.date(2021, 5, 30)
>>> months_before(datetime.date(2024, 3, 31), 1)
datetime.date(2024, 2, 29)
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from ..errors import PeriodError

FIRST_YEAR, LAST_YEAR = 1990, 2099  # reporting periods (the extract's dates may be older)
_PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True, order=True)
class Period:
    """A reporting month."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str | Period) -> Period:
        if isinstance(text, Period):
            return text
        match = _PERIOD_RE.match(str(text).strip())
        if not match:
            raise PeriodError(f"{text!r} is not a period: expected YYYY-MM, for example 2023-11", key="period")
        year = int(match.group(1))
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise PeriodError(f"{text!r} is not a plausible period: the year must be from {FIRST_YEAR} to "
                              f"{LAST_YEAR}", key="period")
        return cls(year, int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def end(self) -> datetime.date:
        """E: the month's last day."""
        return datetime.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def shift(self, months: int) -> Period:
        d = self.start + relativedelta(months=months)
        return Period(d.year, d.month)

    def window(self, months: int) -> tuple[datetime.date, datetime.date]:
        """The ``months`` calendar months ending at E, inclusive at both ends."""
        return self.shift(-(months - 1)).start, self.end

    @property
    def label(self) -> str:
        """'November 2023'."""
        return self.start.strftime("%B %Y")

    @property
    def financial_year(self) -> str:
        """The April-to-March year the period falls in, e.g. '2023-24'."""
        first = self.year if self.month >= 4 else self.year - 1
        return f"{first}-{(first + 1) % 100:02d}"

    def trailing(self, count: int) -> list[Period]:
        """The ``count`` periods ending with this one, oldest first."""
        return [self.shift(-k) for k in range(count - 1, -1, -1)]


def months_before(day: datetime.date, months: int) -> datetime.date:
    """``day`` minus ``months`` calendar months, the day clipped to the month's length."""
    return day - relativedelta(months=months)


# pandas, numpy and holidays are imported where a function needs them: a Period (all that params, the
# catalogue and the up-to-date check use) costs no import of them


def shift_months(dates: pd.Series, months: int) -> pd.Series:
    """Vectorised calendar-month shift with the day clipped (same rule as months_before)."""
    import pandas as pd

    return dates + pd.DateOffset(months=months)


def age_at(dob: pd.Series, day) -> pd.Series:
    """Completed years at ``day`` (one date, or a series of dates) for a series of dates of birth.

    NaT gives NaN. A 29 February birthday counts from 1 March in years that are not leap
    years, which is what comparing (month, day) pairs gives.

    >>> import pandas as pd
    >>> dob = pd.Series(pd.to_datetime(["2008-02-29", "2008-02-29"]))
    >>> age_at(dob, pd.Series(pd.to_datetime(["2022-02-28", "2022-03-01"]))).tolist()
    [13, 14]
    """
    import pandas as pd

    dob = pd.to_datetime(dob)
    if isinstance(day, pd.Series):
        day = pd.to_datetime(day)
        year, month, dom = day.dt.year, day.dt.month, day.dt.day
    else:
        year, month, dom = day.year, day.month, day.day
    years = year - dob.dt.year
    before_birthday = (dob.dt.month > month) | ((dob.dt.month == month) & (dob.dt.day > dom))
    return years - before_birthday.astype(int)


def birthday(dob: pd.Series, age: int) -> pd.Series:
    """The date of each ``age``-th birthday; 29 February falls on 1 March in other years.

    >>> import pandas as pd
    >>> birthday(pd.Series(pd.to_datetime(["2004-02-29", "2004-02-29"])), 19).dt.date.tolist()
    [datetime.date(2023, 3, 1), datetime.date(2023, 3, 1)]
    >>> birthday(pd.Series(pd.to_datetime(["2004-02-29"])), 20).dt.date.tolist()
    [datetime.date(2024, 2, 29)]
    """
    import numpy as np
    import pandas as pd

    dob = pd.to_datetime(dob)
    day = dob.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    known = ~np.isnat(day)
    found = np.full(len(day), np.datetime64("NaT", "D"))
    if known.any():  # each day from the earliest birth to the latest worked out once, then looked up
        dated = (day if known.all() else day[known]).view(np.int64)  # (most columns of births: no copy)
        low, high = int(dated.min()), int(dated.max())
        every = np.arange(low, high + 1).astype("datetime64[D]")
        month = every.astype("datetime64[M]")
        # the same day of the month, counted from the 1st, overflows 29 February into 1 March (at 750,000
        # episodes' children 0.03 s, against 0.10 s through each date's parts, or 0.08 s converting each)
        first = (month + np.timedelta64(12 * age, "M")).astype("datetime64[D]")
        found[known] = (first + (every - month.astype("datetime64[D]")))[dated - low]
    return pd.Series(found.astype("datetime64[ns]"), index=dob.index)


@lru_cache(maxsize=1)
def _england_holidays(first_year: int = 1990, last_year: int = 2040) -> np.ndarray:
    import holidays
    import numpy as np

    calendar_ = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    return np.array(sorted(calendar_.keys()), dtype="datetime64[D]")


def bank_holidays(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """England's bank holidays from start to end inclusive (for documentation and tests)."""
    import numpy as np

    days = _england_holidays()
    chosen = days[(days >= np.datetime64(start)) & (days <= np.datetime64(end))]
    return [d.astype(datetime.date) for d in chosen]


def day_numbers(values) -> np.ndarray:
    """Days since 1 January 1970 (floored), as 32-bit numbers, of datetime64 values: one array of half the
    values' size, made without an intermediate one (a no-date value gives a number, to be set aside).

    >>> import numpy as np
    >>> day_numbers(np.array(["1970-01-02", "1969-12-31T12:00"], dtype="datetime64[ns]")).tolist()
    [1, -1]
    """
    import numpy as np

    ns = np.asarray(values, dtype="datetime64[ns]").view(np.int64)
    days = np.empty(len(ns), dtype=np.int32)  # (1900 to 2100 are -25,567 to 47,846)
    np.floor_divide(ns, 86_400_000_000_000, out=days, casting="unsafe")
    return days


def working_days_between(start: pd.Series, end: pd.Series) -> np.ndarray:
    """Working days d with start < d <= end, element-wise (England's calendar).

    >>> import pandas as pd
    >>> s = pd.Series(pd.to_datetime(["2023-12-22"]))
    >>> e = pd.Series(pd.to_datetime(["2023-12-29"]))
    >>> int(working_days_between(s, e)[0])   # 25 and 26 December are bank holidays
    3
    """
    import numpy as np
    import pandas as pd

    a, b = (x if isinstance(x, np.ndarray) and x.dtype == np.dtype("datetime64[ns]")  # (millions: not copied)
            else pd.Series(pd.to_datetime(pd.Series(x))).to_numpy(dtype="datetime64[ns]") for x in (start, end))
    if len(a) < 10_000 or np.isnat(a).any() or np.isnat(b).any():
        one = np.timedelta64(1, "D")
        return np.busday_count(a.astype("datetime64[D]") + one, b.astype("datetime64[D]") + one,
                               holidays=_england_holidays())
    # many rows: working days before each day of the range, counted once; a row is then two look-ups
    # (np.busday_count's own: the working days after a up to b), and an end before its start, np.busday_count's
    # own negative count (millions of rows: as day numbers, no larger than they need be)
    a, b = day_numbers(a), day_numbers(b)
    low, high = min(int(a.min()), int(b.min())), max(int(a.max()), int(b.max()))
    days = np.arange(low + 1, high + 2).astype("datetime64[D]")  # (the day after each: d > start, d <= end)
    before = np.zeros(len(days) + 1, dtype=np.int32)
    np.cumsum(np.is_busday(days, holidays=_england_holidays()), out=before[1:])
    backwards = b < a
    a -= low
    b -= low
    count = before[b]  # (indexing, not take: which would first copy the indices to 64 bits)
    count -= before[a]
    if backwards.any():
        one = np.timedelta64(1, "D")
        ends = (b[backwards] + low).astype("datetime64[D]") + one, (a[backwards] + low).astype("datetime64[D]") + one
        count[backwards] = np.busday_count(ends[1], ends[0], holidays=_england_holidays())
    return count
