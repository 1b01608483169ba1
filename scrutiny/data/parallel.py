"""An extract of England's size read by two processes at once, each writing its tables into the cache.

Reading the CSV files is most of a cold run at national size: pyarrow parses a file on both cores,
but the dates, the checks and the validation are Python, on one. Here two forked processes, each
one busy thread, take the files in turn, the most work first (``episodes.csv`` with
``header.csv``, whose dates of birth the episodes' checks read), each taking the next as it
finishes one; each validates what it read and writes its clean tables into the cache entry being
made; the extract is then mapped from that entry, as a cached run's is. A worker maps each large
file into memory rather than copying it there (memory touched for the first time is most of what
reading costs on a virtual machine that hands freed memory back to its host: at 80,000 children the
workers' page faults fell from 431,000 to 330,000, and a cold run's from 487,000 to 384,000); a file cut
short while it is mapped stops the worker, and the extract is then read here, copied. The problems, the records left out
and the warnings are those one process finds, in the same order (``tests/data/test_parallel.py``).

Taken only where it pays and is safe; otherwise the extract is read in this process:

- Linux (``os.fork``), two cores or more, and a cache folder to write into;
- only the contract's CSV files in the folder (yearly files and XML returns are combined across
  files, so they are read in one process);
- at least :data:`PARALLEL_BYTES` of them: for one authority's extract two processes save a few
  hundredths of a second (300 children: 0.25 s against 0.28 s, a median of five), not worth a
  second path through the reading when something goes wrong;
- no other Python thread running: a forked child has only the thread that forked, and a lock
  another thread held would never be released in it.

A worker that fails in any way (an error, killed, or still going after :data:`TIMEOUT`) costs only
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
from dataclasses import replace
from pathlib import Path

from ..errors import ExtractStructureError
from .cache import commit, extract_fingerprint, read_entry, stage, write_meta, write_table
from .load import READ_LOG, read_tables
from .schema import TABLES
from .validate import _Issues, validated

PARALLEL_BYTES = 64 << 20  # contract files smaller than this together (weighted) are read in this process
WORKERS = 2
TIMEOUT = 1800.0  # seconds: a worker still going then is stopped, and the extract read here
_TOGETHER = (("episodes", "header"),)  # tables one worker reads together (one's checks read the other)
# a table whose checks cost more than reading it counts for more bytes when the work is ordered: at 80,000
# children the episodes' checks (overlaps, placements, chains) took 0.55 to 1.1 s, about what reading them took
_WEIGHT = {"episodes": 2.0}


def load_in_parts(folder: Path, cache: Path, fingerprint: str):
    """The extract in ``folder`` read by worker processes and kept in ``cache`` under ``fingerprint``;
    None where that is not worth it or not safe, or a worker failed (the caller then reads it itself).

    Raises :class:`~scrutiny.errors.ExtractStructureError` for the structure problems reading it here
    would find, listed in the same order.
    """
    units = _units(folder)
    if units is None:
        return None
    staged = stage(cache)
    try:
        parts = _run(folder, units, staged)
        return None if parts is None else _finish(folder, staged, fingerprint, parts)
    finally:
        shutil.rmtree(staged, ignore_errors=True)  # (gone already once committed: it was renamed)


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
    """The units read by forked workers, each taking the next unit as it finishes one: what each found, or
    None if any failed.

    The work of a file is not known before it is read (one of many short values and dates costs three
    times as much a byte as cin_details.csv), so none is shared out in advance. At 80,000 children
    (four pairs of runs each): taken in turn, each unit validated in its turn, the reading took 3.3 to
    3.6 s, against 3.7 to 4.1 s with each worker's validation left until it had read all it took;
    against session 9's shares fixed by size (two threads a worker), 2.7 to 3.8 s against 3.2 to 4.2 s.
    A fork that fails stops the workers already started: the extract is then read in this process.
    """
    queue, feed = os.pipe()  # one byte a unit: a read of one byte from a pipe is taken by one worker only
    os.write(feed, bytes(range(len(units))))  # (a dozen bytes: far within a pipe's buffer)
    os.close(feed)  # (before the workers start: once they have taken every unit, they read the end)
    children = {}
    try:
        for number in range(WORKERS):
            out = staged / f".part-{number}.pickle"
            pid = os.fork()
            if pid == 0:
                _child(folder, _taken(queue, units), staged, out)  # (never returns)
            children[pid] = out
    except OSError:  # (no more processes, or no memory for one)
        for pid in children:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        return None
    finally:
        os.close(queue)
    deadline, failed, left = time.monotonic() + TIMEOUT, False, set(children)
    while left:
        for pid in list(left):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                left.discard(pid)
                failed |= os.waitstatus_to_exitcode(status) != 0
        if left and time.monotonic() > deadline:
            for pid in left:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            return None
        if left:
            time.sleep(0.005)
    if failed:
        return None
    parts = []
    for out in children.values():
        with open(out, "rb") as handle:
            parts.append(pickle.load(handle))  # (written by this process's own fork, in a 0700 folder)
    return parts


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


def _work(folder: Path, take, staged: Path):
    """(problems by table, tables read, tables kept, records left out, warnings) for the units taken: each
    read, validated and written before the next is taken (its checks are part of its turn; they need no other
    unit's tables). Once a file has a structure problem nothing more is validated or written, but every unit
    is still read, so that each problem is named."""
    problems, supplied, kept = {}, [], []
    issues, warnings = _Issues(), _Issues()
    for names in take:
        read = read_tables(folder, [TABLES[n] for n in names], at_once=1, mapped=True)
        problems.update({table.name: its for table, its, _ in read})
        frames = {table.name: frame for table, _, frame in read if frame is not None}
        supplied += frames
        if any(problems.values()):
            continue
        for name, frame in validated(frames, issues, warnings).items():
            write_table(staged, name, frame)
            kept.append(name)
    if any(problems.values()):
        return problems, sorted(supplied), [], [], []
    return problems, sorted(supplied), kept, issues._parts, warnings._parts


def _finish(folder: Path, staged: Path, fingerprint: str, parts: list):
    """The workers' findings put together, the entry committed, and the extract mapped from it."""
    from .returns.folder import read_sources

    by_table, supplied, kept = {}, set(), set()
    issues, warnings = _Issues(), _Issues()
    for problems, read, tables, issue_parts, warning_parts in parts:
        by_table.update(problems)
        supplied.update(read)
        kept.update(tables)
        issues._parts += issue_parts
        warnings._parts += warning_parts
    problems = [p for name in TABLES if name in by_table for p in by_table[name]]
    sources = read_sources(folder, sorted(os.listdir(folder)), problems, {})  # (what was read, and not)
    READ_LOG[str(folder)] = sources
    if problems:
        raise ExtractStructureError(folder, problems)
    write_meta(staged, [n for n in TABLES if n in kept], issues.frame(), warnings.frame(), supplied=supplied,
               read=sources.read, not_read=sources.not_read, combined=sources.combined)
    unchanged = extract_fingerprint(folder) == fingerprint  # (not changed while it was read)
    extract = read_entry(commit(staged, fingerprint) if unchanged else staged, folder)
    if extract is None:
        return None
    return replace(extract, fingerprint=fingerprint) if unchanged else extract


__all__ = ["PARALLEL_BYTES", "load_in_parts"]
