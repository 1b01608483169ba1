"""Month ends computed once from an extract are read back by later runs: the same results, and a changed
extract (or no cache) computes afresh."""

from __future__ import annotations

import importlib
import shutil

import pytest

from scrutiny.data.cache import CACHE_ENV
from scrutiny.data.periods import Period
from scrutiny.data.validate import load_extract

compute = importlib.import_module("scrutiny.indicators.compute")  # the module (the package exports a function so named)


def test_month_ends_are_computed_once_per_extract_and_again_when_it_changes(synthetic_extract, tmp_path,
                                                                           monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(synthetic_extract, data)
    periods = Period(2023, 11).trailing(3)
    plain = compute.compute_series(load_extract(data), periods, 60000)
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    first = compute.compute_series(load_extract(data), periods, 60000)
    assert first == plain
    kept = list((tmp_path / "cache" / "series").glob("*.json"))
    assert len(kept) == 1 and kept[0].stat().st_mode & 0o777 == 0o600
    assert all((tmp_path / "cache" / d).stat().st_mode & 0o777 == 0o700 for d in ("", "series", "extract"))
    calls = []
    real = compute.compute_period
    monkeypatch.setattr(compute, "compute_period", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    assert compute.compute_series(load_extract(data), periods, 60000) == plain and calls == []   # read back
    # a longer run computes only the month ends not kept (each kept month end serves every later paper)
    longer = Period(2023, 11).trailing(5)
    got = compute.compute_series(load_extract(data), longer, 60000)
    families = len(compute._families(compute.specs_for()))
    assert families == 3  # the episodes', the census's, the rest's
    assert sorted(calls) == sorted(list(longer[:2]) * families)  # each once per family of indicators
    monkeypatch.delenv(CACHE_ENV)
    assert got == compute.compute_series(load_extract(data), longer, 60000)
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    calls.clear()
    assert compute.compute_series(load_extract(data), periods, 50000) != plain and sorted(calls) == sorted(periods * families)  # population
    calls.clear()
    header = data / "header.csv"
    header.write_text(header.read_text() + "Z9,1,22/10/2012,WBRI\n")   # the extract changed
    compute.compute_series(load_extract(data), periods, 60000)
    assert sorted(calls) == sorted(periods * families)   # computed again, month by month


def test_without_a_cache_folder_nothing_is_kept(synthetic_extract, tmp_path, monkeypatch):
    monkeypatch.delenv(CACHE_ENV, raising=False)
    extract = load_extract(synthetic_extract)
    assert extract.fingerprint is None and compute._series_file(extract) is None
    monkeypatch.setattr(compute, "_write_series", lambda *a: pytest.fail("kept without a cache folder"))
    compute.compute_series(extract, Period(2023, 11).trailing(2), 60000)


def test_the_families_computed_side_by_side_give_what_one_month_at_a_time_gives(synthetic_extract, monkeypatch):
    monkeypatch.delenv(CACHE_ENV, raising=False)
    periods = Period(2024, 3).trailing(4)
    series = compute.compute_series(load_extract(synthetic_extract), periods, 60000)
    one_by_one = [compute.compute_period(load_extract(synthetic_extract), p, 60000) for p in periods]
    assert {r.id for r in one_by_one[0]} == set(series) and len(series) > 10
    for month, results in zip(periods, one_by_one):
        for r in results:
            assert series[r.id][periods.index(month)] == r


def test_work_alongside_is_done_once_by_a_thread_of_the_month_ends_and_the_series_are_unchanged(synthetic_extract,
                                                                                               monkeypatch):
    import threading

    monkeypatch.delenv(CACHE_ENV, raising=False)
    periods = Period(2024, 3).trailing(3)
    plain = compute.compute_series(load_extract(synthetic_extract), periods, 60000)
    done = []
    with_work = compute.compute_series(load_extract(synthetic_extract), periods, 60000,
                                       alongside=lambda: done.append(threading.current_thread()))
    assert with_work == plain
    assert len(done) == 1 and done[0] is not threading.main_thread()  # once, in one of the pool's threads


@pytest.mark.parametrize("dates", [
    ["2021-06-03", None, "2021-06-01", "2022-01-01"],
    [None, None],
    [],
    ["1900-01-01", "2100-12-31"],
])
def test_a_columns_earliest_date_is_what_pandas_finds(dates):
    """Read where the dates are (nanoseconds, as the extract holds them), NaT set aside."""
    import pandas as pd

    column = pd.Series(pd.to_datetime(pd.Series(dates, dtype=object)), dtype="datetime64[ns]")
    assert column.dtype == "datetime64[ns]"
    found, expected = compute._earliest(column), pd.to_datetime(column, errors="coerce").min()
    assert (pd.isna(found) and pd.isna(expected)) or found == expected


def test_a_familys_later_month_ends_are_taken_by_whichever_thread_is_free(synthetic_extract, monkeypatch):
    """The episodes' month ends, slow here, are shared once their first is done: the census's thread, done
    first, takes some; each month end is still computed once, and the series are those of one at a time."""
    import threading
    import time

    monkeypatch.delenv(CACHE_ENV, raising=False)
    periods = Period(2024, 3).trailing(6)
    plain = compute.compute_series(load_extract(synthetic_extract), periods, 60000)
    episodes = {s.id for s in compute._families(compute.specs_for())[0]}
    by, real = [], compute.compute_period

    def slow(extract, period, population, **kw):
        if {s.id for s in kw["specs"]} <= episodes:
            time.sleep(0.1)
            by.append((period, threading.current_thread()))
        return real(extract, period, population, **kw)

    monkeypatch.setattr(compute, "compute_period", slow)
    assert compute.compute_series(load_extract(synthetic_extract), periods, 60000) == plain
    assert sorted(p for p, _ in by) == sorted(periods)  # each once
    assert len({t for _, t in by}) == 2  # by both threads
