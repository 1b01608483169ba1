"""What every indicator function shares: its result, its registration, its time frame."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal

import numpy as np
import pandas as pd

from ..data.periods import Period, day_numbers, months_before
from ..data.validate import Extract, ends  # noqa: F401 (the indicators' open ends)

Polarity = Literal["high", "low", "neutral"]
Unit = Literal["percent", "per_10000", "days", "per_fte", "count"]
OK, NO_DATA, NOT_SUPPLIED = "ok", "no data", "not supplied"


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator's unrounded outturn for one period."""

    id: str
    period: str
    numerator: float | None
    denominator: float | None
    value: float | None
    status: str = OK
    note: str = ""

    def as_record(self) -> dict:
        return {
            "id": self.id,
            "period": self.period,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": self.value,
            "status": self.status,
        }


@dataclass(frozen=True)
class Context:
    """What an indicator function is given: the extract, the period and its parameters."""

    extract: Extract
    period: Period
    population: float | None = None
    memo: dict = field(default_factory=dict, compare=False, repr=False)  # what several indicators of the month share

    def shared(self, key, make):
        """``make()``, once for this month end, however many indicators ask (the children looked after at E)."""
        if key not in self.memo:
            self.memo[key] = make()
        return self.memo[key]

    @property
    def end(self) -> pd.Timestamp:
        return pd.Timestamp(self.period.end)

    def window(self, months: int) -> tuple[pd.Timestamp, pd.Timestamp]:
        a, b = self.period.window(months)
        return pd.Timestamp(a), pd.Timestamp(b)

    def months_before_end(self, months: int) -> pd.Timestamp:
        return pd.Timestamp(months_before(self.period.end, months))


@dataclass(frozen=True)
class IndicatorSpec:
    """A computed indicator as the spec defines it (the catalogue adds presentation)."""

    id: str
    needs: tuple[str, ...]
    polarity: Polarity
    unit: Unit
    func: Callable[[Context], tuple[float, float]] = field(repr=False)
    history: int = 12  # months of records before the month end its definition looks back over


REGISTRY: dict[str, IndicatorSpec] = {}


def indicator(id: str, *, needs: tuple[str, ...], polarity: Polarity, unit: Unit, history: int = 12):
    """Register a function returning (numerator, denominator) for a Context.

    ``history``: how many months of records before the month end the definition reads (a
    12-month count, 12; re-referrals within 12 months of a referral in the last 12, 24); a
    month the extract does not cover that far back is not used to set control limits.
    """

    def wrap(func):
        REGISTRY[id] = IndicatorSpec(id, needs, polarity, unit, func, history)
        return func

    return wrap


def value_of(unit: Unit, numerator: float | None, denominator: float | None) -> float | None:
    """The value members see: a count is its numerator; a ratio needs a non-zero denominator.

    >>> value_of("percent", 3, 12), value_of("percent", 0, 0), value_of("count", 7, None)
    (25.0, None, 7.0)
    """
    if numerator is None:
        return None
    if unit == "count":
        return float(numerator)
    if not denominator:
        return None
    scale = {"percent": 100.0, "per_10000": 10_000.0}.get(unit, 1.0)
    return scale * numerator / denominator


def compute(spec: IndicatorSpec, ctx: Context) -> IndicatorResult:
    """Run one indicator; a needed table that is absent gives *no data*."""
    if not ctx.extract.has(*spec.needs):
        files = ", ".join(f"{n}.csv" for n in spec.needs if n not in ctx.extract.supplied)
        return IndicatorResult(spec.id, str(ctx.period), None, None, None, NO_DATA, f"{files} not supplied")
    out = spec.func(ctx)
    if isinstance(out, IndicatorResult):  # a manual outturn says its own status
        return out
    numerator, denominator = out
    numerator = None if numerator is None else float(numerator)
    denominator = None if denominator is None else float(denominator)
    return IndicatorResult(spec.id, str(ctx.period), numerator, denominator,
                           value_of(spec.unit, numerator, denominator))


def in_window(dates: pd.Series, window: tuple[pd.Timestamp, pd.Timestamp]) -> pd.Series:
    return (dates >= window[0]) & (dates <= window[1])


DAY = 86_400_000_000_000  # nanoseconds
_BLOCK = 1 << 20  # rows looked at together where millions are looked at in blocks


def by_end(arrays: dict[str, np.ndarray], end: str) -> dict[str, np.ndarray]:
    """The same arrays with their rows in order of ``arrays[end]`` (as :func:`ends` gives them): the rows
    ending after a day are then the last rows of each (:func:`ending_after`), read without a copy.

    >>> e = by_end({"end": ends(pd.Series(pd.to_datetime(["2023-03-01", None, "2023-01-10"]))),
    ...             "id": np.array([10, 11, 12])}, "end")
    >>> e["id"][ending_after(e["end"], pd.Timestamp("2023-01-10"))].tolist()
    [10, 11]
    >>> e["id"][ending_after(e["end"], pd.Timestamp("2023-01-10"), inclusive=True)].tolist()
    [12, 10, 11]
    """
    order = np.argsort(arrays[end], kind="stable")
    return {key: values[order] for key, values in arrays.items()}


def ending_after(end: np.ndarray, day, *, inclusive: bool = False) -> slice:
    """The rows of arrays in order of their ``end`` that end after ``day`` (or on it too, ``inclusive``)."""
    return slice(int(np.searchsorted(end, np.datetime64(day, "ns"), side="left" if inclusive else "right")), None)


def derived(ctx: Context, key, make):
    """``make(extract)``, once per extract: what does not depend on the month end (each child's earlier
    referral, each assessment's working days), computed for the first month end and read by every other."""
    return once(ctx.extract, key, make)


def once(extract: Extract, key, make):
    """``make(extract)``, kept with the extract under ``key`` (see :func:`derived`)."""
    store = extract.derived
    held = store.get(key)
    if held is None or held[0] is not extract.tables:  # an extract made from another with other tables
        held = store[key] = (extract.tables, make(extract))  # derives afresh
    return held[1]


class WindowCounts:
    """How many of some dated rows fall in a window, and how many of those are flagged: two look-ups a month
    end, not a pass over every row (a row with no date is in no window).

    Dates are whole days (as the extract's are): the rows are counted per day once, and a window's count
    is the difference of two running totals. Other times of day are sorted instead, and found by binary
    search.

    >>> import pandas as pd
    >>> c = WindowCounts(pd.Series(pd.to_datetime(["2023-01-05", None, "2023-03-01", "2023-02-10"])),
    ...                  pd.Series([True, True, False, True]))
    >>> c.count((pd.Timestamp("2023-01-05"), pd.Timestamp("2023-02-10")))
    (2, 2)
    >>> c.count((pd.Timestamp("2023-02-11"), pd.Timestamp("2023-12-31")))
    (0, 1)
    """

    def __init__(self, dates: pd.Series, flags: pd.Series):
        values = dates.to_numpy(dtype="datetime64[ns]")
        flagged = np.asarray(flags.to_numpy(), dtype=bool)
        known = ~np.isnat(values)
        if not known.all():
            values, flagged = values[known], flagged[known]
        ns = values.view(np.int64)
        # (millions of rows: looked at a block at a time, as day numbers, so that no array of theirs is made
        # larger than it need be; memory first touched costs more than the work done on it)
        self.daily = all(not np.remainder(ns[i:i + _BLOCK], DAY).any() for i in range(0, len(ns), _BLOCK))
        if self.daily:  # whole days: rows (and flagged rows) per day, then running totals
            at = day_numbers(values)
            first = int(at.min()) if len(at) else int(np.datetime64("2000-01-01", "D").astype(np.int64))
            at -= first
            rows = np.bincount(at)
            flagged = np.bincount(at[flagged], minlength=len(rows))
        else:
            first = int(ns.min() // DAY)  # (as datetime64[D] has them, in integer steps: floored)
            order = values.argsort()  # rows at one time may fall in any order: only how many are counted
            self.dates, rows, flagged = values[order], np.ones(len(values), dtype=np.int64), flagged[order]
        self.first = np.datetime64(first, "D")
        self.rows = np.concatenate([[0], np.cumsum(rows)])
        self.flagged = np.concatenate([[0], np.cumsum(flagged)])

    def _place(self, when: pd.Timestamp, side: str) -> int:
        """Where the running totals stand before ``when`` (``side="left"``), or at its end (``"right"``)."""
        when = np.datetime64(when, "ns")
        if not self.daily:
            return int(np.searchsorted(self.dates, when, side=side))
        day = when.astype("datetime64[D]")
        # rows of days before ``when``'s; and its own day's too, where they are before it or it is included
        after = int(side == "right" or day != when)
        return int(np.clip((day - self.first).astype(np.int64) + after, 0, len(self.rows) - 1))

    def count(self, window: tuple[pd.Timestamp, pd.Timestamp]) -> tuple[int, int]:
        """(flagged, all) of the rows dated from window[0] to window[1], both included."""
        low = self._place(window[0], "left")
        high = max(low, self._place(window[1], "right"))  # (a window ending before it starts holds no row)
        return int(self.flagged[high] - self.flagged[low]), int(self.rows[high] - self.rows[low])


def within_working_days(ctx: Context, table: str, start: str, end: str, months: int, limit: int) -> tuple[int, int]:
    """(how many, of how many) rows of ``table`` with ``end`` in the last ``months`` took at most ``limit``
    working days from ``start`` (each row's working days counted once per extract)."""
    def make(extract):
        from ..data.periods import working_days_between

        frame = extract.tables[table]
        first, last = (frame[c].to_numpy(dtype="datetime64[ns]") for c in (start, end))
        dated = ~np.isnat(first) & ~np.isnat(last)
        if dated.all():  # (as most are: millions of dates not copied)
            within = working_days_between(first, last) <= limit
        else:
            within = np.zeros(len(frame), dtype=bool)
            within[dated] = working_days_between(first[dated], last[dated]) <= limit
        return WindowCounts(frame[end], pd.Series(within, index=frame.index))

    return derived(ctx, ("working days", table, start, end, limit), make).count(ctx.window(months))
