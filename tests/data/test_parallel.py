"""An extract read by two forked processes is the extract one process reads: tables, problems and order."""

from __future__ import annotations

import os
import shutil
import signal
import threading

import pytest
from builders import CIN_CENSUS, every_problem_folder, same_extract

from scrutiny.data import parallel, validate
from scrutiny.data.validate import load_extract
from scrutiny.errors import ExtractStructureError


@pytest.fixture
def any_size(monkeypatch):
    """Every extract is read in parts, however small (England's size is the point, but tests are small)."""
    monkeypatch.setattr(parallel, "PARALLEL_BYTES", 0)


def _workers_seen(monkeypatch, tmp_path):
    """The process ids that did the reading, as each worker writes its own down."""
    seen = tmp_path / "pids"
    seen.mkdir()
    work = parallel._work

    def noted(*args):
        (seen / str(os.getpid())).touch()
        return work(*args)

    monkeypatch.setattr(parallel, "_work", noted)
    return seen


def _tables_read(monkeypatch, tmp_path):
    """Each table a worker reads, written down as (its pid, the table)."""
    seen = tmp_path / "tables"
    seen.mkdir()
    read = parallel.read_tables

    def noted(folder, tables, **kwargs):
        assert kwargs.get("mapped") is True  # (a worker maps its files; failing, it leaves them to this process)
        for table in tables:
            (seen / f"{os.getpid()}-{table.name}").touch()
        return read(folder, tables, **kwargs)

    monkeypatch.setattr(parallel, "read_tables", noted)
    return seen


def _not_read_here(monkeypatch):
    monkeypatch.setattr("scrutiny.data.validate.read_extract", lambda folder: pytest.fail("read in this process"))


@pytest.mark.parametrize("kind", ["synthetic", "every problem"])
def test_two_processes_read_the_extract_one_would(kind, any_size, synthetic_extract, tmp_path, monkeypatch):
    data = tmp_path / "data"
    if kind == "synthetic":
        shutil.copytree(synthetic_extract, data)
    else:
        every_problem_folder(data)
    (data / "notes.txt").write_text("listed as not read")
    one = load_extract(data)  # (no cache: one process)
    assert kind == "synthetic" or len(one.record_errors) > 10 and len(one.warnings) >= 2
    seen = _workers_seen(monkeypatch, tmp_path)
    tables = _tables_read(monkeypatch, tmp_path)
    with monkeypatch.context() as m:
        _not_read_here(m)
        two = load_extract(data, cache=tmp_path / "cache")
    same_extract(one, two)
    workers = {int(p.name) for p in seen.iterdir()}
    assert len(workers) == 2 and os.getpid() not in workers
    read = sorted(p.name.split("-", 1)[1] for p in tables.iterdir())  # each file taken by one worker, once
    assert read == sorted(p.stem for p in data.glob("*.csv"))
    assert {int(p.name.split("-")[0]) for p in tables.iterdir()} <= workers
    entry = tmp_path / "cache" / "extract" / two.fingerprint
    assert {p.stat().st_mode & 0o777 for p in entry.iterdir()} == {0o600}
    assert sorted(p.name for p in entry.parent.iterdir()) == [two.fingerprint]  # nothing staged is left
    _not_read_here(monkeypatch)
    monkeypatch.setattr(parallel, "_run", lambda *a: pytest.fail("read again"))
    same_extract(one, load_extract(data, cache=tmp_path / "cache"))  # the entry they wrote, as any cached


def test_structure_problems_are_the_ones_one_process_finds_in_its_order(any_size, synthetic_extract, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(synthetic_extract, data)
    (data / "header.csv").write_bytes(b"PK\x03\x04 a workbook")  # read by whichever worker takes it
    cin = data / "cin_details.csv"  # and a column missing
    cin.write_text("\n".join(",".join(line.split(",")[:-1]) for line in cin.read_text().splitlines()) + "\n")
    (data / "assessments.csv").write_bytes(b"\xff\xfeL\x00")  # UTF-16
    with pytest.raises(ExtractStructureError) as one:
        load_extract(data)
    with pytest.raises(ExtractStructureError) as two:
        load_extract(data, cache=tmp_path / "cache")
    assert len(one.value.problems) >= 3
    assert two.value.problems == one.value.problems
    assert not any((tmp_path / "cache" / "extract").iterdir())  # a refused extract is never kept


@pytest.mark.parametrize("how", ["an error", "killed", "after its first file", "no process for it"])
def test_a_worker_that_fails_costs_only_time(how, any_size, synthetic_extract, tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(synthetic_extract, data)

    def fails(*args):
        if how == "killed":
            os.kill(os.getpid(), signal.SIGKILL)
        raise MemoryError("out of memory")

    if how == "after its first file":  # (a file read, checked and written already: then the next fails)
        calls, read = [], parallel.read_tables
        monkeypatch.setattr(parallel, "read_tables", lambda *a, **k: fails() if calls.append(1) or len(calls) > 1
                            else read(*a, **k))
    elif how == "no process for it":  # the first worker started, the second could not be
        forks, fork = [], os.fork
        monkeypatch.setattr(parallel.os, "fork", lambda: (_ for _ in ()).throw(BlockingIOError("no more processes"))
                            if forks.append(1) or len(forks) > 1 else fork())
    else:
        monkeypatch.setattr(parallel, "_work", fails)
    read_here, real = [], validate.read_extract
    monkeypatch.setattr(validate, "read_extract", lambda folder: read_here.append(1) or real(folder))
    extract = load_extract(data, cache=tmp_path / "cache")
    assert read_here == [1]  # read again in this process
    same_extract(load_extract(data), extract)
    assert extract.fingerprint is not None  # and kept, as a cold run keeps it
    names = [p.name for p in (tmp_path / "cache" / "extract").iterdir()]
    assert names == [extract.fingerprint]


def test_each_unit_is_taken_by_one_worker_as_it_asks():
    units = [("cin_details",), ("episodes", "header"), ("oc3",), ("caseloads",), ("missing",)]
    queue, feed = os.pipe()
    os.write(feed, bytes(range(len(units))))
    os.close(feed)
    try:
        one, two = parallel._taken(queue, units), parallel._taken(queue, units)
        first = [next(one), next(two), next(two), next(one)]  # taken in the order they ask, most work first
        assert first == units[:4]
        assert list(two) == units[4:] and list(one) == []  # the rest to whoever asks; then none is left
    finally:
        os.close(queue)


def test_the_files_are_taken_most_work_first_keeping_episodes_with_their_dates_of_birth(synthetic_extract, tmp_path,
                                                                                       monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(synthetic_extract, data)
    assert parallel._units(data) is None  # a small extract: read in one process
    monkeypatch.setattr(parallel, "PARALLEL_BYTES", 0)
    units = parallel._units(data)
    assert sorted(sum(units, ())) == sorted(p.stem for p in data.glob("*.csv"))
    assert ("episodes", "header") in units and all(len(u) == 1 for u in units if u != ("episodes", "header"))
    work = [sum((data / f"{n}.csv").stat().st_size * parallel._WEIGHT.get(n, 1) for n in u) for u in units]
    assert work == sorted(work, reverse=True)
    (data / "cin-2024.xml").write_text(CIN_CENSUS)  # returns are combined across files: one process
    assert parallel._units(data) is None
    (data / "cin-2024.xml").unlink()
    (data / "2022-episodes.csv").write_text((data / "episodes.csv").read_text())
    assert parallel._units(data) is None
    (data / "2022-episodes.csv").unlink()
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert parallel._units(data) is None  # a fork copies only this thread: not while another runs
    finally:
        stop.set()
        other.join()
    assert parallel._units(data) is not None
