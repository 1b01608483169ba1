"""An extract of England's size read by two processes at once, each writing its tables into the cache.

Reading the CSV files is most of a cold run at national size: pyarrow parses a file on both cores,
but the dates, the checks and the validation are Python, on one. Here two forked processes each
read and validate about half the bytes (``episodes.csv`` with ``header.csv``, whose dates of birth
the episodes' checks read) and write their clean tables into the cache entry being made; the
extract is then mapped from that entry, as a cached run's is. The problems, the records left out
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
# a table whose checks cost more than reading it counts for more bytes when the tables are shared out: at 80,000
# children the episodes' checks (overlaps, placements, chains) took 0.55 to 1.1 s, about what reading them took
_WEIGHT = {"episodes": 2.0}


def load_in_parts(folder: Path, cache: Path, fingerprint: str):
    """The extract in ``folder`` read by worker processes and kept in ``cache`` under ``fingerprint``;
    None where that is not worth it or not safe, or a worker failed (the caller then reads it itself).

    Raises :class:`~scrutiny.errors.ExtractStructureError` for the structure problems reading it here
    would find, listed in the same order.
    """
    groups = _groups(folder)
    if groups is None:
        return None
    staged = stage(cache)
    try:
        parts = _run(folder, groups, staged)
        return None if parts is None else _finish(folder, staged, fingerprint, parts)
    finally:
        shutil.rmtree(staged, ignore_errors=True)  # (gone already once committed: it was renamed)


def _groups(folder: Path) -> list[list[str]] | None:
    """The tables each worker reads (about the same work each), or None to read in this process."""
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
    groups: list[list[str]] = [[] for _ in range(WORKERS)]
    load = [0] * WORKERS
    for unit in sorted((u for u in units if u), key=lambda u: -sum(work[n] for n in u)):
        lightest = load.index(min(load))
        groups[lightest] += unit
        load[lightest] += sum(work[n] for n in unit)
    return [g for g in groups if g]


def _run(folder: Path, groups: list[list[str]], staged: Path) -> list | None:
    """Each group read by a forked worker: what each found, or None if any failed."""
    children = {}
    for number, names in enumerate(groups):
        out = staged / f".part-{number}.pickle"
        pid = os.fork()
        if pid == 0:
            _child(folder, names, staged, out)  # (never returns)
        children[pid] = out
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


def _child(folder: Path, names: list[str], staged: Path, out: Path) -> None:
    """A worker: read, check and write its tables, say what it found, and exit (never returning)."""
    code = 1  # (whatever goes wrong, the exit says so, and the parent reads the extract itself)
    try:
        _own_memory_pool()
        found = _work(folder, names, staged)
        with open(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
            pickle.dump(found, handle)
        code = 0
    finally:
        os._exit(code)  # (never back into the caller's code, and no exception reaches it)


def _own_memory_pool() -> None:
    """Arrow's memory in this worker from the C library's malloc, not from the mimalloc it is given.

    A worker's memory is all touched for the first time, and the kernel's zeroing of it decides how
    long reading takes. At 80,000 children (``benchmarks/national.py``'s extract, both workers
    together, runs taken in turn) their system time was 4.2 to 7.0 s with mimalloc, against 2.0 to
    3.3 s with malloc; jemalloc did no better than malloc (1.7 to 4.3 s) and is not in every build of
    pyarrow. Nothing the worker allocates outlives it.
    """
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())


def _work(folder: Path, names: list[str], staged: Path):
    """(problems by table, tables read, tables kept, records left out, warnings) for these tables."""
    read = read_tables(folder, [TABLES[n] for n in names])
    problems = {table.name: its for table, its, _ in read}
    frames = {table.name: frame for table, _, frame in read if frame is not None}
    if any(problems.values()):
        return problems, sorted(frames), [], [], []
    issues, warnings = _Issues(), _Issues()
    tables = validated(frames, issues, warnings)
    for name, frame in tables.items():
        write_table(staged, name, frame)
    return problems, sorted(frames), list(tables), issues._parts, warnings._parts


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
