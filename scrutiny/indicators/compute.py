"""Compute indicators for one period or a run of periods (no rounding, no rating)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from ..data.periods import Period
from ..data.schema import TABLES
from ..data.validate import Extract
from ._base import REGISTRY, Context, IndicatorResult, IndicatorSpec, compute
from .manual import manual_spec


def specs_for(ids: Iterable[str] | None = None) -> list[IndicatorSpec]:
    """Registered specs by id (all, sorted, when ``ids`` is None)."""
    return [REGISTRY[i] for i in (ids if ids is not None else sorted(REGISTRY))]


def manual_ids(extract: Extract) -> list[str]:
    """Ids named in the extract's manual_outturns.csv, sorted."""
    rows = extract.tables.get("manual_outturns")
    return [] if rows is None else sorted(set(rows["indicator"]) - set(REGISTRY))


def compute_period(extract: Extract, period: Period | str, population: float | None = None,
                   ids: Iterable[str] | None = None, *,
                   specs: Sequence[IndicatorSpec] | None = None) -> list[IndicatorResult]:
    """Every registered indicator (or those in ``ids``, or the given ``specs``) for one period."""
    ctx = Context(extract, Period.parse(period), population)
    return [compute(spec, ctx) for spec in (specs if specs is not None else specs_for(ids))]


SERIES_CACHE = "SCRUTINY_SERIES_CACHE"  # environment: a file where a run and its kernel share computed series


def _series_key(extract: Extract, periods: list[Period], populations: list, specs) -> str:
    """What the series depend on: the extract's files (name, size, modified), the months, populations, specs."""
    folder = Path(extract.folder)
    files = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir() if p.is_file())
    return hashlib.sha256(json.dumps([files, [str(p) for p in periods], populations,
                                      [(s.id, s.unit, s.polarity) for s in specs]]).encode()).hexdigest()


def compute_series(extract: Extract, periods: Iterable[Period], population=None,
                   ids: Iterable[str] | None = None, *,
                   specs: Sequence[IndicatorSpec] | None = None) -> dict[str, list[IndicatorResult]]:
    """id -> results for each period, oldest first.

    ``population`` is a number, or a function of the period (the mid-year estimate in force).
    Where ``SCRUTINY_SERIES_CACHE`` names a file (``scrutiny run`` sets it for itself and its
    kernel), series computed once are read back instead of computed again, when nothing they
    depend on has changed.
    """
    specs = list(specs) if specs is not None else specs_for(ids)
    periods = list(periods)
    populations = [population(p) if callable(population) else population for p in periods]
    cache = os.environ.get(SERIES_CACHE)
    key = _series_key(extract, periods, populations, specs) if cache else None
    if cache and os.path.isfile(cache):
        try:
            stored = json.loads(Path(cache).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stored = {}
        if stored.get("key") == key:
            return {i: [IndicatorResult(**r) for r in rs] for i, rs in stored["series"].items()}
    series: dict[str, list[IndicatorResult]] = {s.id: [] for s in specs}
    for period, pop in zip(periods, populations):
        for result in compute_period(extract, period, pop, specs=specs):
            series[result.id].append(result)
    if cache:
        try:
            fd = os.open(cache, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({"key": key, "series": {i: [asdict(r) for r in rs] for i, rs in series.items()}}, out)
        except OSError:
            pass  # a cache that cannot be written is only slower
    return series


BIRTH_DATES = frozenset({"DOB", "PersonBirthDate"})


def first_covered(extract: Extract, spec: IndicatorSpec) -> Period | None:
    """The first month end with the extract's records behind it as far back as the definition reads.

    Months before it are not used to set control limits: an extract that starts in June 2021
    gives a 12-month count in June 2021 from a single month of records. The earliest dated
    event (birth dates aside) in the tables the indicator reads, plus its ``history``; None
    where those tables hold no dated events (a snapshot, or manual outturns).
    """
    earliest = []
    for name in spec.needs:
        frame, table = extract.tables.get(name), TABLES.get(name)
        if frame is None or table is None or frame.empty:
            continue
        for column in table.dates:
            if column not in BIRTH_DATES and column in frame:
                first = pd.to_datetime(frame[column], errors="coerce").min()
                if pd.notna(first):
                    earliest.append(first)
    if not earliest:
        return None
    start = min(earliest)
    return Period(start.year, start.month).shift(spec.history)


__all__ = ["first_covered", "compute_period", "compute_series", "manual_ids", "manual_spec", "specs_for"]
