"""Compute indicators for one period or a run of periods (no rounding, no rating)."""

from __future__ import annotations

from collections.abc import Iterable

from .indicators import REGISTRY, Context, IndicatorResult, compute
from .periods import Period
from .validate import Extract


def compute_period(extract: Extract, period: Period | str, population: float | None = None,
                   ids: Iterable[str] | None = None) -> list[IndicatorResult]:
    """Every registered indicator (or those in ``ids``, in that order) for one period."""
    ctx = Context(extract, Period.parse(period), population)
    return [compute(REGISTRY[i], ctx) for i in (ids if ids is not None else sorted(REGISTRY))]


def compute_series(extract: Extract, periods: Iterable[Period], population: float | None = None,
                   ids: Iterable[str] | None = None) -> dict[str, list[IndicatorResult]]:
    """id -> results for each period, oldest first."""
    ids = list(ids) if ids is not None else sorted(REGISTRY)
    series: dict[str, list[IndicatorResult]] = {i: [] for i in ids}
    for period in periods:
        for result in compute_period(extract, period, population, ids):
            series[result.id].append(result)
    return series
