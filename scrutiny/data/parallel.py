"""An extract of England's size read by two processes at once: this one, and one forked beside it.

Reading the CSV files is most of a cold run at national size: pyarrow parses a file on both cores,
but the dates, the checks and the validation are Python, on one. Here this process and one forked
reader, each one busy thread, take the files in turn, the most work first (``episodes.csv`` with
``header.csv``, whose dates of birth the episodes' checks read), each taking the next as it
finishes one, and each validating what it read. The forked reader writes its clean tables into the
cache entry being made, from which this process then maps them, as a cached run does; the tables
this process read it keeps as they are, and writes into the entry behind the run
(:func:`~scrutiny.data.cache.write_behind`), which commits the entry when they are written. Memory
touched for the first time is most of what reading costs on a virtual machine that hands freed
memory back to its host, and a table written to a file is touched twice: at 80,000 children the
reading took 1.9 to 2.2 s with this process one of the readers and its tables written behind,
against 2.9 to 3.1 s with two forked readers writing everything before the run went on. The
forked reader maps each large file into memory rather than copying it there (at 80,000 children a
cold run's page faults fell from 487,000 to 384,000); a file cut short while it is mapped stops
that reader, and the extract is then read here, copied. The problems, the records left out and the
warnings are those one process finds, in the same order (``tests/data/test_parallel.py``).

Taken only where it pays and is safe; otherwise the extract is read in this process alone:

- Linux (``os.fork``), two cores or more, and a cache folder to write into;
- only the contract's CSV files in the folder (yearly files and XML returns are combined across
  files, so they are read in one process);
- at least :data:`PARALLEL_BYTES` of them: for one authority's extract two processes save a few
  hundredths of a second (300 children: 0.25 s against 0.28 s, a median of five), not worth a
  second path through the reading when something goes wrong;
- no other Python thread running: a forked child has only the thread that forked, and a lock
  another thread held would never be released in it.

A reader that fails in any way (an error, killed, or still going after :data:`TIMEOUT`) costs only
time: the extract is then read in this process.
"""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

from ..errors import ExtractStructureError
from .cache import _SUFFIX, stage, write_behind, write_table
from .fingerprint import extract_fingerprint
from .load import READ_LOG, read_tables
from .reading import MAPPED, STREAMED
from .schema import TABLES
from .validate import _Issues, validated

PARALLEL_BYTES = 64 << 20  # contract files smaller than this together (weighted) are read in this process
WORKERS = 2  # readers: this process and the ones forked beside it
# seconds after this process read its share: a reader still going then is stopped, and the extract read here
TIMEOUT = 1800.0
_TOGETHER = (("episodes", "header"),)  # tables one worker reads together (one's checks read the other)
# a table whose checks cost more than reading it counts for more bytes when the work is ordered: at 80,000
# children the episodes' checks (overlaps, placements, chains) took 0.55 to 1.1 s, about what reading them took
_WEIGHT = {"episodes": 2.0}


def load_in_parts(folder: Path, cache: Path, fingerprint: str):
    """The extract in ``folder`` read by this process and a forked reader, and kept in ``cache`` under
    ``fingerprint`` (written behind the caller); None where that is not worth it or not safe, or a reader
    failed (the caller then reads it itself).

    Raises :class:`~scrutiny.errors.ExtractStructureError` for the structure problems reading it here
    would find, listed in the same order.
    """
    units = _units(folder)
    if units is None:
        return None
    staged = stage(cache)
    handed = False  # once handed to the writer behind the run, the staged entry is its to commit or remove
    try:
        parts = _run(folder, units, staged)
        if parts is None:
            return None
        extract, behind = _finish(folder, staged, fingerprint, parts)
        if behind is not None:
            handed = True  # (before its thread starts: the staged entry is never removed from under it)
            behind()
        return extract
    finally:
        if not handed:
            shutil.rmtree(staged, ignore_errors=True)


def _units(folder: Path) -> list[tuple[str, ...]] | None:
    """What the workers take in turn, most work first: a table, or tables one worker must read together;
    None to read the extract in this process."""
    if not hasattr(os, "fork") or not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2:
        return None
    if threading.active_count() > 1:
        return None
    from .returns.folder import _yearly

    try:
        present = [n for n in os.listdir(folder) if not n.startswith(".")]
    except OSError:
        return None
    if any(n.lower().endswith(".xml") or _yearly(n) for n in present):
        return None
    work = {}
    for table in TABLES.values():
        path = folder / table.file
        if os.path.lexists(path):  # (one that cannot be read is read by a worker, which says why)
            try:
                work[table.name] = os.stat(path).st_size * _WEIGHT.get(table.name, 1.0)
            except OSError:
                work[table.name] = 0
    if sum(work.values()) < PARALLEL_BYTES:
        return None
    units = [tuple(n for n in unit if n in work) for unit in _TOGETHER]
    units += [(n,) for n in work if not any(n in unit for unit in _TOGETHER)]
    return sorted((u for u in units if u), key=lambda u: -sum(work[n] for n in u))


def _run(folder: Path, units: list[tuple[str, ...]], staged: Path) -> list | None:
    """The units read by this process and forked readers, each taking the next unit as it finishes one: what
    each found (this process's first, its tables kept in memory), or None if any failed.

    The work of a file is not known before it is read (one of many short values and dates costs three
    times as much a byte as cin_details.csv), so none is shared out in advance. At 80,000 children
    (four pairs of runs each): taken in turn, each unit validated in its turn, the reading took 3.3 to
    3.6 s, against 3.7 to 4.1 s with each worker's validation left until it had read all it took;
    against session 9's shares fixed by size (two threads a worker), 2.7 to 3.8 s against 3.2 to 4.2 s.
    A fork that fails stops the readers already started: the extract is then read in this process.
    """
    queue, feed = os.pipe()  # one byte a unit: a read of one byte from a pipe is taken by one reader only
    os.write(feed, bytes(range(len(units))))  # (a dozen bytes: far within a pipe's buffer)
    os.close(feed)  # (before the readers start: once they have taken every unit, they read the end)
    children, left = {}, set()
    try:
        try:
            for number in range(WORKERS - 1):
                out = staged / f".part-{number}.pickle"
                pid = os.fork()
                if pid == 0:
                    _child(folder, _taken(queue, units), staged, out)  # (never returns)
                children[pid] = out
                left.add(pid)
        except OSError:  # (no more processes, or no memory for one)
            return None
        mine = _here(folder, _taken(queue, units))
        if mine is None:
            return None
        deadline, failed = time.monotonic() + TIMEOUT, False
        while left:
            for pid in list(left):
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    left.discard(pid)
                    failed |= os.waitstatus_to_exitcode(status) != 0
            if left and time.monotonic() > deadline:
                return None
            if left:
                time.sleep(0.005)
    finally:
        os.close(queue)
        for pid in left:  # (stopped: this process failed, or gave up on them)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    if failed:
        return None
    parts = [mine]
    for out in children.values():
        with open(out, "rb") as handle:
            parts.append(pickle.load(handle))  # (written by this process's own fork, in a 0700 folder)
        out.unlink()  # (what it found is not part of the entry)
    return parts


def _here(folder: Path, take):
    """This process's share, read as a reader reads its own (one busy thread), its tables kept in memory;
    None if it failed (the extract is then read in this process)."""
    import pyarrow as pa

    threads = pa.cpu_count()
    pa.set_cpu_count(1)  # (the forked reader is busy on the other core)
    try:
        return _work(folder, take, None)
    except Exception:  # noqa: BLE001 - out of memory, say: only slower, as a reader that fails is
        return None
    finally:
        pa.set_cpu_count(threads)


def _taken(queue: int, units: list[tuple[str, ...]]):
    """The units this worker takes from the queue, one at a time, until none is left."""
    while taken := os.read(queue, 1):
        yield units[taken[0]]


def _child(folder: Path, take, staged: Path, out: Path) -> None:
    """A worker: read, check and write its tables, say what it found, and exit (never returning)."""
    code = 1  # (whatever goes wrong, the exit says so, and the parent reads the extract itself)
    try:
        _one_busy_thread()
        found = _work(folder, take, staged)
        with open(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
            pickle.dump(found, handle)
        code = 0
    finally:
        os._exit(code)  # (never back into the caller's code, and no exception reaches it)


def _one_busy_thread() -> None:
    """This worker as one busy thread (one file at a time, one Arrow thread), its Arrow memory from malloc.

    A worker's memory is all touched for the first time, and the kernel's zeroing of it (slower
    still while several threads of one process fault pages in at once) decides how long reading
    takes. At 80,000 children (``benchmarks/national.py``'s extract, both workers together, runs
    taken in turn):

    - Arrow's memory from malloc, not the mimalloc it is given: system time 2.0 to 3.3 s against 4.2
      to 7.0 s (jemalloc did no better than malloc, and is not in every build of pyarrow);
    - then one file at a time, parsed by one Arrow thread, not two files with two threads each: the
      workers took 2.4 to 3.4 s (median 3.0) against 2.8 to 4.9 s (median 3.3) in eight pairs of
      runs, their system time 1.4 to 2.1 s against 1.7 to 5.3 s (both with shares fixed by size).
      Two workers are then two busy threads on two cores.

    Nothing the worker sets outlives it.
    """
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())
    pa.set_cpu_count(1)


def _work(folder: Path, take, staged: Path | None):
    """(problems by table, tables read, tables kept, records left out, warnings, frames) for the units taken:
    each read, validated and written into ``staged`` before the next is taken (its checks are part of its
    turn; they need no other unit's tables), or, with no ``staged``, kept as ``frames``. Once a file has a
    structure problem nothing more is validated or written, but every unit is still read, so that each
    problem is named."""
    problems, supplied, kept, frames_kept = {}, [], [], {}
    issues, warnings = _Issues(), _Issues()
    for names in take:
        # (a forked reader maps its files: one cut short stops only it; this process streams its own)
        read = read_tables(folder, [TABLES[n] for n in names], at_once=1, how=MAPPED if staged else STREAMED)
        problems.update({table.name: its for table, its, _ in read})
        frames = {table.name: frame for table, _, frame in read if frame is not None}
        supplied += frames
        if any(problems.values()):
            continue
        for name, frame in validated(frames, issues, warnings).items():
            if staged is None:
                frames_kept[name] = frame
            else:
                write_table(staged, name, frame)
            kept.append(name)
    if any(problems.values()):
        return problems, sorted(supplied), [], [], [], {}
    return problems, sorted(supplied), kept, issues._parts, warnings._parts, frames_kept


def _finish(folder: Path, staged: Path, fingerprint: str, parts: list):
    """(the extract, what starts the writer behind the run, or None): the readers' findings put
    together, the forked readers' tables mapped from the entry being made, this process's as it read them;
    the rest of the entry (this process's tables, the records left out, the warnings) written behind."""
    import pyarrow.feather as feather

    from .returns.folder import read_sources
    from .validate import Extract

    by_table, supplied, kept, held = {}, set(), set(), {}
    issues, warnings = _Issues(), _Issues()
    for problems, read, tables, issue_parts, warning_parts, frames in parts:
        by_table.update(problems)
        supplied.update(read)
        kept.update(tables)
        held.update(frames)
        issues._parts += issue_parts
        warnings._parts += warning_parts
    problems = [p for name in TABLES if name in by_table for p in by_table[name]]
    sources = read_sources(folder, sorted(os.listdir(folder)), problems, {})  # (what was read, and not)
    READ_LOG[str(folder)] = sources
    if problems:
        raise ExtractStructureError(folder, problems)
    names = [n for n in TABLES if n in kept]
    try:
        tables = {n: held[n] if n in held else feather.read_table(staged / f"{n}{_SUFFIX}", memory_map=True)
                  .to_pandas() for n in names}
    except (OSError, ValueError):
        return None, None
    record_errors, found = issues.frame(), warnings.frame()
    unchanged = extract_fingerprint(folder) == fingerprint  # (not changed while it was read)
    extract = Extract(folder, tables, record_errors, found, frozenset(supplied), read=sources.read,
                      not_read=sources.not_read, combined=sources.combined, fingerprint=fingerprint if unchanged
                      else None)
    if not unchanged:
        return extract, None
    # (shallow copies, taken now: a column the run replaces, or writes into, is its own copy, copy on write, and
    # never reaches the entry; the Arrow tables are made from them by the writer)
    rest = {n: held[n].copy(deep=False) for n in names if n in held}
    errors, warned = record_errors.copy(deep=False), found.copy(deep=False)
    return extract, lambda: write_behind(staged, fingerprint, rest, names, errors, warned, supplied=supplied,
                                         read=sources.read, not_read=sources.not_read, combined=sources.combined)


__all__ = ["PARALLEL_BYTES", "load_in_parts"]
