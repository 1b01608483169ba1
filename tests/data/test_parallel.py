"""An extract read by this process and a forked one is the extract one process reads: tables, problems and order;
and the cache entry they make is written whole behind the run."""

from __future__ import annotations

import os
import shutil
import signal
import threading

import pytest
from builders import CIN_CENSUS, every_problem_folder, same_extract

from scrutiny.data import cache, parallel, reading, validate
from scrutiny.data.load import ROW
from scrutiny.data.validate import load_extract
from scrutiny.errors import ExtractStructureError


@pytest.fixture
def any_size(monkeypatch):
    """Every extract is read in parts, however small (England's size is the point, but tests are small)."""
    monkeypatch.setattr(parallel, "PARALLEL_BYTES", 0)


def _workers_seen(monkeypatch, tmp_path):
    """The process ids that did the reading, as each reader writes its own down."""
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
    read, here = parallel.read_tables, os.getpid()

    def noted(folder, tables, **kwargs):
        # a forked reader maps its files (a file cut short stops it, and this process reads the extract);
        # this process streams them, as a file cut short while mapped would stop the run
        assert kwargs.get("how") == (reading.MAPPED if os.getpid() != here else reading.STREAMED)
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
    assert len(workers) == 2 and os.getpid() in workers  # this process, and one forked beside it
    read = sorted(p.name.split("-", 1)[1] for p in tables.iterdir())  # each file taken by one reader, once
    assert read == sorted(p.stem for p in data.glob("*.csv"))
    assert {int(p.name.split("-")[0]) for p in tables.iterdir()} <= workers
    cache.settle()  # (this process's tables are written behind the run: the entry is committed once they are)
    entry = tmp_path / "cache" / "extract" / two.fingerprint
    assert {p.stat().st_mode & 0o777 for p in entry.iterdir()} == {0o600}
    assert sorted(p.name for p in entry.iterdir()) == sorted([f"{n}.arrow" for n in two.tables]
                                                             + ["_record_errors.arrow", "_warnings.arrow", "meta.json"])
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


@pytest.mark.parametrize("how", ["an error there", "an error here", "killed", "after its first file",
                                 "no process for it"])
def test_a_reader_that_fails_costs_only_time(how, any_size, synthetic_extract, tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(synthetic_extract, data)
    here, work = os.getpid(), parallel._work

    def fails(*args):
        if how == "killed" and os.getpid() != here:
            os.kill(os.getpid(), signal.SIGKILL)
        if (os.getpid() == here) == (how == "an error here"):
            raise MemoryError("out of memory")
        return work(*args)

    if how == "after its first file":  # (a file read, checked and written already: then the next fails)
        calls, read = [], parallel.read_tables
        monkeypatch.setattr(parallel, "read_tables", lambda *a, **k: fails() if calls.append(1) or len(calls) > 1
                            else read(*a, **k))
    elif how == "no process for it":  # the reader beside this one could not be started
        monkeypatch.setattr(parallel.os, "fork", lambda: (_ for _ in ()).throw(BlockingIOError("no more processes")))
    else:
        monkeypatch.setattr(parallel, "_work", fails)
    read_here, real = [], validate.read_extract
    monkeypatch.setattr(validate, "read_extract", lambda folder: read_here.append(1) or real(folder))
    extract = load_extract(data, cache=tmp_path / "cache")
    assert read_here == [1]  # read again in this process
    same_extract(load_extract(data), extract)
    assert extract.fingerprint is not None  # and kept, as a cold run keeps it
    cache.settle()
    names = [p.name for p in (tmp_path / "cache" / "extract").iterdir()]
    assert names == [extract.fingerprint]


def test_the_entry_is_written_behind_whole_and_as_the_extract_was_read(any_size, synthetic_extract, tmp_path,
                                                                        monkeypatch):
    """The run goes on while this process's tables are written; nothing it does to its frames reaches the entry,
    which is committed only once it is whole, and a load in this process meanwhile waits for it."""
    data = tmp_path / "data"
    shutil.copytree(synthetic_extract, data)
    one = load_extract(data)
    started, go_on, write = threading.Event(), threading.Event(), cache.write_table

    def held(staged, name, frame):  # the writer behind the run, held until the run has gone on
        started.set()
        assert go_on.wait(60)
        return write(staged, name, frame)

    monkeypatch.setattr(cache, "write_table", held)
    two = load_extract(data, cache=tmp_path / "cache")
    assert started.wait(60)
    root = tmp_path / "cache" / "extract"
    assert not (root / two.fingerprint).exists()  # not committed while it is being written
    staged = [p for p in root.iterdir() if p.name.startswith(".new-")]
    assert len(staged) == 1 and not (staged[0] / "meta.json").exists()
    mine = next(n for n in two.tables if not (staged[0] / f"{n}.arrow").exists())  # one of this process's tables
    frame = two.tables[mine]
    frame.iloc[0, frame.columns.get_loc(ROW)] = -1  # written into (copied on write: the entry's stays as read)
    frame[frame.columns[0]] = frame[frame.columns[-1]]  # a column replaced: the run's own
    two.tables.pop("header", None)
    go_on.set()
    monkeypatch.setattr(parallel, "_run", lambda *a: pytest.fail("read again"))
    _not_read_here(monkeypatch)
    same_extract(one, load_extract(data, cache=tmp_path / "cache"))  # waits for the entry, then reads it
    assert sorted(p.name for p in root.iterdir()) == [two.fingerprint]  # nothing staged is left


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


def test_an_entry_written_behind_a_block_of_work_waits_for_it_to_end(any_size, synthetic_extract, tmp_path,
                                                                      monkeypatch):
    """``scrutiny run`` computes the month's paper before the writing behind it takes a core."""
    data = tmp_path / "data"
    shutil.copytree(synthetic_extract, data)
    written, write = [], cache.write_table
    monkeypatch.setattr(cache, "write_table", lambda *a: written.append(a[1]) or write(*a))
    with cache.after_this():
        extract = load_extract(data, cache=tmp_path / "cache")
        with cache.after_this():  # (blocks inside blocks: the outermost decides)
            pass
        threading.Event().wait(0.3)
        assert written == [] and cache._BEHIND  # held back while the block runs
    cache.settle()
    assert "_warnings" in written and (tmp_path / "cache" / "extract" / extract.fingerprint / "meta.json").is_file()
    written.clear()
    shutil.rmtree(tmp_path / "cache")
    with cache.after_this():
        extract = load_extract(data, cache=tmp_path / "cache")
        cache.settle()  # (a load in the block, or a fork, needs the entry now: it is let go and waited for)
        assert "_warnings" in written and (tmp_path / "cache" / "extract" / extract.fingerprint).is_dir()
