"""What every indicator function shares: its result, its registration, its time frame."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal

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



def within_working_days(frame: pd.DataFrame, start: str, end: str, window, limit: int) -> tuple[int, int]:
    """(how many, of how many) rows with ``end`` in the window took at most ``limit`` working days from ``start``."""
    from ..data.periods import working_days_between

    done = frame.loc[in_window(frame[end], window)]
    if done.empty:
        return 0, 0
    days = working_days_between(done[start], done[end])
    return int((days <= limit).sum()), len(done)
