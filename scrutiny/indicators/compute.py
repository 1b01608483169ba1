"""Compute indicators for one period or a run of periods (no rounding, no rating)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import fcntl
import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd

from ..data.cache import KEEP, cache_folder, private_folder
from ..data.fingerprint import code_digest
from ..data.periods import Period
from ..data.schema import TABLES
from ..data.validate import Extract
from ._base import REGISTRY, Context, IndicatorResult, IndicatorSpec, compute, once
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


def _entry(spec: IndicatorSpec, period: Period, population) -> str:
    return json.dumps([spec.id, spec.unit, spec.polarity, str(period), population])


def _series_file(extract: Extract) -> Path | None:
    """Where this extract's computed month ends are kept: the cache folder, named by the extract's fingerprint
    and the indicators' code (a changed definition is never served from an old entry); None: not kept."""
    cache = cache_folder()
    if cache is None or not extract.fingerprint:
        return None
    key = hashlib.sha256(f"{extract.fingerprint} {code_digest('indicators')}".encode()).hexdigest()
    return cache / "series" / f"{key}.json"


def _read_series(path: Path | None) -> dict:
    if path is None or not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # a damaged entry is only a slower run


def _write_series(path: Path, entries: dict) -> None:
    """Add ``entries`` to the file (what another process added meanwhile is kept), written whole and renamed."""
    try:
        private_folder(path.parent.parent, path.parent.name)
        lock = os.open(path.with_suffix(".lock"), os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)  # months side by side each add theirs: none is lost
            merged = {**_read_series(path), **entries}
            fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".series-")  # 0600
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    json.dump(merged, out)
                os.replace(temporary, path)
            finally:
                if os.path.exists(temporary):
                    os.unlink(temporary)
            # month ends of extracts (or indicator code) since replaced: the newest few are kept
            kept = sorted(path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
            for old in kept[KEEP:]:
                old.unlink(missing_ok=True)
                old.with_suffix(".lock").unlink(missing_ok=True)
        finally:
            os.close(lock)
    except (OSError, TypeError, ValueError):
        pass  # a cache that cannot be written is only slower


# the Children in Need census's tables, and the episodes of care: the indicators that read them share nothing
# with each other's or the rest's (care leavers, caseloads, manual figures), so the families are computed side by
# side; the rest, the least work, by the first thread free
_CIN_TABLES = frozenset({"cin_details", "assessments", "section47", "cp_plans"})
_CLA_TABLES = frozenset({"episodes"})


def _families(specs: Sequence[IndicatorSpec]) -> list[list[IndicatorSpec]]:
    """The specs by what they read: the episodes', the census's, then the rest's (each family's own
    derivations made by one thread)."""
    cin = [s for s in specs if set(s.needs) & _CIN_TABLES]
    cla = [s for s in specs if s not in cin and set(s.needs) & _CLA_TABLES]
    return [f for f in (cla, cin, [s for s in specs if s not in cin and s not in cla]) if f]


def _compute_missing(extract: Extract, months: list[tuple[Period, object]], specs: Sequence[IndicatorSpec],
                     stored: dict, alongside: Callable[[], object] | None = None) -> dict[str, IndicatorResult]:
    """Each (indicator, month end) not already stored, by its entry key, in two threads (numpy and Arrow work
    outside the GIL). Each family's first month end to compute is one thread's: its derivations (made once
    an extract, :func:`~._base.derived`) are that family's own, and every later month end reads them. Then
    the family's later month ends, one a task, are taken by whichever thread is free, as are the rest's and
    ``alongside``, if given. At 80,000 children the episodes' first month end took 1.1 s and its 36 later
    ones 0.8 s more, the census's 1.0 s and then almost nothing: with each family's month ends one
    thread's, the census's thread sat idle for the episodes' last 0.9 s."""
    from concurrent.futures import ThreadPoolExecutor

    def month(chosen: list[IndicatorSpec], period: Period, pop) -> dict[str, IndicatorResult]:
        missing = [s for s in chosen if _entry(s, period, pop) not in stored]
        return dict(zip((_entry(s, period, pop) for s in missing),
                        compute_period(extract, period, pop, specs=missing) if missing else []))

    with ThreadPoolExecutor(max_workers=2) as pool:  # (work is taken in order, each by the first thread free)
        def family(chosen: list[IndicatorSpec]):
            """(the month ends up to the first with anything to compute, the later ones' tasks)"""
            for at, (period, pop) in enumerate(months):
                done = month(chosen, period, pop)
                if done:
                    return done, [pool.submit(month, chosen, later, its) for later, its in months[at + 1:]]
            return {}, []

        parts = [pool.submit(family, f) for f in _families(specs)]
        extra = pool.submit(alongside) if alongside else None
        computed: dict[str, IndicatorResult] = {}
        for part in parts:
            first, later = part.result()
            computed.update(first)
            for task in later:
                computed.update(task.result())
        if extra is not None:
            extra.result()  # (what it raises is raised here)
    return computed


def compute_series(extract: Extract, periods: Iterable[Period], population=None,
                   ids: Iterable[str] | None = None, *,
                   specs: Sequence[IndicatorSpec] | None = None,
                   alongside: Callable[[], object] | None = None) -> dict[str, list[IndicatorResult]]:
    """id -> results for each period, oldest first.

    ``population`` is a number, or a function of the period (the mid-year estimate in force).
    With a cache folder (``SCRUTINY_CACHE``; ``scrutiny run`` and ``scrutiny backfill`` set it),
    each month end computed once from an extract is read back by every later run, its
    notebook's kernel and every month of a backfill that needs it, while the extract and the
    indicators' code are unchanged.

    ``alongside``: work of the caller's (a paper's breakdowns) done in the threads computing the month
    ends, by the first left with nothing to do; its result is the caller's to keep.
    """
    specs = list(specs) if specs is not None else specs_for(ids)
    periods = list(periods)
    populations = [population(p) if callable(population) else population for p in periods]
    path = _series_file(extract)
    stored = _read_series(path)
    new: dict[str, dict] = {}
    computed = _compute_missing(extract, list(zip(periods, populations)), specs, stored, alongside)
    series: dict[str, list[IndicatorResult]] = {s.id: [] for s in specs}
    for period, pop in zip(periods, populations):
        for spec in specs:
            key = _entry(spec, period, pop)
            if key in computed:
                new[key] = asdict(computed[key])
                series[spec.id].append(computed[key])
            else:
                series[spec.id].append(IndicatorResult(**stored[key]))
    if path is not None and new:
        _write_series(path, new)
    return series


BIRTH_DATES = frozenset({"DOB", "PersonBirthDate"})


def _earliest(dates: pd.Series):
    """The earliest of a column's dates (NaT if none): millions of them looked at where they are, not copied.

    >>> str(_earliest(pd.Series(pd.to_datetime([None, "2021-06-03", "2021-06-01"])))), str(_earliest(pd.Series([])))
    ('2021-06-01 00:00:00', 'NaT')
    """
    if not pd.api.types.is_datetime64_ns_dtype(dates.dtype) or getattr(dates.dtype, "tz", None) is not None:
        return pd.to_datetime(dates, errors="coerce").min()
    ns = dates.to_numpy(dtype="datetime64[ns]").view(np.int64)
    never = np.iinfo(np.int64).max
    first = int(np.min(ns, where=ns != np.iinfo(np.int64).min, initial=never))  # (NaT: the least int64)
    return pd.NaT if first == never else pd.Timestamp(first, unit="ns")


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
                # (each column's earliest date found once per extract: many indicators read one table)
                first = once(extract, ("earliest", name, column), lambda e: _earliest(e.tables[name][column]))
                if pd.notna(first):
                    earliest.append(first)
    if not earliest:
        return None
    start = min(earliest)
    return Period(start.year, start.month).shift(spec.history)


__all__ = ["first_covered", "compute_period", "compute_series", "manual_ids", "manual_spec", "specs_for"]
