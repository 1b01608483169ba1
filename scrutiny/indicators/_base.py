"""What every indicator function shares: its result, its registration, its time frame."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal

import numpy as np
import pandas as pd

from ..data.periods import Period, months_before
from ..data.validate import Extract

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


def derived(ctx: Context, key, make):
    """``make(extract)``, once per extract: what does not depend on the month end (each child's earlier
    referral, each assessment's working days), computed for the first month end and read by every other."""
    store = ctx.extract.derived
    held = store.get(key)
    if held is None or held[0] is not ctx.extract.tables:  # an extract made from another with other tables
        held = store[key] = (ctx.extract.tables, make(ctx.extract))  # derives afresh
    return held[1]


class WindowCounts:
    """How many of some dated rows fall in a window, and how many of those are flagged: two binary searches
    a month end, not a pass over every row (the dates sorted once; a row with no date is in no window).

    >>> import pandas as pd
    >>> c = WindowCounts(pd.Series(pd.to_datetime(["2023-01-05", None, "2023-03-01", "2023-02-10"])),
    ...                  pd.Series([True, True, False, True]))
    >>> c.count((pd.Timestamp("2023-01-05"), pd.Timestamp("2023-02-10")))
    (2, 2)
    >>> c.count((pd.Timestamp("2023-02-11"), pd.Timestamp("2023-12-31")))
    (0, 1)
    """

    def __init__(self, dates: pd.Series, flags: pd.Series):
        known = dates.notna().to_numpy()
        values = dates.to_numpy()[known].astype("datetime64[ns]")
        order = values.argsort(kind="stable")
        self.dates = values[order]
        self.flagged = np.concatenate([[0], np.cumsum(flags.to_numpy()[known][order].astype(np.int64))])

    def count(self, window: tuple[pd.Timestamp, pd.Timestamp]) -> tuple[int, int]:
        """(flagged, all) of the rows dated from window[0] to window[1], both included."""
        low = np.searchsorted(self.dates, np.datetime64(window[0], "ns"), side="left")
        high = np.searchsorted(self.dates, np.datetime64(window[1], "ns"), side="right")
        return int(self.flagged[high] - self.flagged[low]), int(high - low)



def within_working_days(ctx: Context, table: str, start: str, end: str, months: int, limit: int) -> tuple[int, int]:
    """(how many, of how many) rows of ``table`` with ``end`` in the last ``months`` took at most ``limit``
    working days from ``start`` (each row's working days counted once per extract)."""
    def make(extract):
        from ..data.periods import working_days_between

        frame = extract.tables[table]
        dated = frame.loc[frame[end].notna() & frame[start].notna()]
        within = pd.Series(False, index=frame.index)
        within.loc[dated.index] = working_days_between(dated[start], dated[end]) <= limit
        return WindowCounts(frame[end], within)

    return derived(ctx, ("working days", table, start, end, limit), make).count(ctx.window(months))
