"""Series computed once per run and read back by its kernel: the same results, recomputed when the extract changes."""

from __future__ import annotations

import importlib
import shutil

from scrutiny.data.periods import Period
from scrutiny.data.validate import load_extract

compute = importlib.import_module("scrutiny.indicators.compute")  # the module (the package exports a function so named)


def test_the_shared_series_are_the_computed_ones_and_a_changed_extract_is_computed_afresh(
        synthetic_extract, tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(synthetic_extract, data)
    periods = Period(2023, 11).trailing(3)
    plain = compute.compute_series(load_extract(data), periods, 60000)
    monkeypatch.setenv(compute.SERIES_CACHE, str(tmp_path / "series.json"))
    first = compute.compute_series(load_extract(data), periods, 60000)
    assert first == plain and (tmp_path / "series.json").stat().st_mode & 0o777 == 0o600
    calls = []
    monkeypatch.setattr(compute, "compute_period", lambda *a, **k: calls.append(a) or [])
    assert compute.compute_series(load_extract(data), periods, 60000) == plain and calls == []   # read back
    header = data / "header.csv"
    header.write_text(header.read_text() + "Z9,1,22/10/2012,WBRI\n")   # the extract changed
    compute.compute_series(load_extract(data), periods, 60000)
    assert len(calls) == 3   # computed again, month by month
