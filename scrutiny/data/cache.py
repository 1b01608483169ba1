"""An unchanged extract is not read and validated again: its clean tables, cached by fingerprint as Arrow files.

The cache is a folder the caller names (``scrutiny run`` uses ``<project>/.cache``, and tells
its notebook through the ``SCRUTINY_CACHE`` environment variable); with none, nothing is
cached. It holds record-level data, so it is the owner's alone (folders 0700, files 0600),
sits beside ``params/`` and never under ``outputs/``, and is git-ignored.

An entry is named by the extract's fingerprint (:mod:`.fingerprint`): the name and bytes of every
file in the folder, and the code that reads and validates them (so a changed rule is never served from
an old entry). Each entry is written to a temporary folder and renamed into place whole;
the newest :data:`KEEP` entries are kept.

Each table is an Arrow IPC file, uncompressed: it is written in a fraction of a second and
read back by mapping it into memory, at the cost of disk (about 1 GB for England's size, a
few MB for one authority's). Arrow keeps each column's type and the frames' index, so a
cached extract is the same extract (``tests/data/test_cache.py`` compares them frame by frame).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

_SUFFIX = ".arrow"  # a table of the extract, as an Arrow IPC file
CACHE_ENV = "SCRUTINY_CACHE"  # the cache folder, for a notebook executed by `scrutiny run`
KEEP = 4  # extract entries kept (the newest)
_DIR_MODE, _FILE_MODE = 0o700, 0o600
def cache_folder(explicit: Path | str | None = None) -> Path | None:
    """The cache folder: the one given, or ``SCRUTINY_CACHE``, or none (nothing cached). A folder that
    exists and that others may read or enter is not used (nothing is cached, and its mode is left alone)."""
    named = explicit or os.environ.get(CACHE_ENV)
    if not named:
        return None
    path = Path(named)
    try:
        if path.exists() and (not path.is_dir() or path.stat().st_mode & 0o077):
            return None
    except OSError:
        return None
    return path


def private_folder(cache: Path, *parts: str) -> Path:
    """``cache/parts...``, each level made (if missing) the owner's alone (0700)."""
    path = cache
    for part in ("", *parts):
        path = path / part if part else path
        if not path.is_dir():
            path.mkdir(parents=True, exist_ok=True, mode=_DIR_MODE)
            path.chmod(_DIR_MODE)
    return path


def read_cached(cache: Path, fingerprint: str, folder: Path):
    """The cached Extract with this fingerprint (as read from ``folder``), or None."""
    entry = cache / "extract" / fingerprint
    extract = read_entry(entry, folder)
    if extract is None:
        shutil.rmtree(entry, ignore_errors=True)  # a damaged entry is only a slower run, and is written again
        return None
    os.utime(entry / "meta.json")  # recently used: kept
    return extract


def read_entry(entry: Path, folder: Path):
    """The Extract an entry (or a staged one) holds, its tables mapped from their files; None if it is
    missing or damaged."""
    import pyarrow.feather as feather

    from .validate import Extract

    meta_path = entry / "meta.json"
    if not meta_path.is_file():
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        names = [*meta["tables"], "_record_errors", "_warnings"]
        frames = {n: feather.read_table(entry / f"{n}{_SUFFIX}", memory_map=True).to_pandas() for n in names}
        errors, warnings = frames.pop("_record_errors"), frames.pop("_warnings")  # (the rest: the tables)
    except (OSError, ValueError, KeyError):
        return None
    pairs = lambda key: tuple(tuple(p) for p in meta[key])  # noqa: E731
    return Extract(folder, frames, errors, warnings, frozenset(meta["supplied"]),
                   read=pairs("read"), not_read=pairs("not_read"), combined=pairs("combined"))


def write_cached(cache: Path, fingerprint: str, extract) -> None:
    """Keep ``extract`` under its fingerprint (written whole, then renamed into place); drop the oldest.

    Written before the caller goes on (half a second at England's size): the tables share their
    memory with the extract's frames, so nothing the run does to them later can reach the entry.
    """
    root = private_folder(cache, "extract")
    if (root / fingerprint).exists():
        return
    staged = stage(cache)
    try:
        for name, frame in extract.tables.items():
            write_table(staged, name, frame)
        write_meta(staged, extract.tables, extract.record_errors, extract.warnings, supplied=extract.supplied,
                   read=extract.read, not_read=extract.not_read, combined=extract.combined)
        commit(staged, fingerprint)
    finally:
        shutil.rmtree(staged, ignore_errors=True)


STALE = 6 * 3600  # seconds: an entry still staged this long after it was begun was left by a process killed


def stage(cache: Path) -> Path:
    """A new, empty entry (0700) beside the kept ones, to be written and then committed whole; entries left
    staged by a process killed while it wrote one (older than :data:`STALE`) removed first."""
    root = private_folder(cache, "extract")
    for old in root.glob(".new-*"):
        try:
            if time.time() - old.stat().st_mtime > STALE:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            continue
    return Path(tempfile.mkdtemp(dir=root, prefix=".new-"))


def snapshot(frame):
    """A frame as the Arrow table its cache file holds, taken now (sharing the frame's memory, not copying it)."""
    import pyarrow as pa

    # (one thread: pyarrow's own pool of them takes no work once this process is ending, and the writer
    # behind the run may still be writing then)
    return pa.Table.from_pandas(frame, preserve_index=None, nthreads=1)


def write_table(staged: Path, name: str, frame) -> None:
    """One table of a staged entry (a frame, or its :func:`snapshot`), as an uncompressed Arrow IPC file (0600)."""
    import pyarrow as pa
    import pyarrow.feather as feather

    path = staged / f"{name}{_SUFFIX}"
    table = frame if isinstance(frame, pa.Table) else snapshot(frame)
    feather.write_feather(table, path, compression="uncompressed")
    path.chmod(_FILE_MODE)


_BEHIND: list[threading.Thread] = []  # entries this process is still writing (see write_behind)
_HELD: list[threading.Event] = []  # their go-aheads, while held back (see after_this)
_HOLDING = [0]  # how many after_this blocks are running


def write_behind(staged: Path, fingerprint: str, tables: dict, names, record_errors, warnings, **meta) -> None:
    """The rest of a staged entry written by a thread of its own while the caller goes on, then committed
    under ``fingerprint`` (the staged folder removed whatever goes wrong; one left by a process killed is
    removed by a later :func:`stage`).

    ``tables`` (name -> a frame, or its :func:`snapshot`) are the tables still to write, ``names`` every
    table the entry holds (a frame the caller goes on with is given as its shallow copy: pandas copies on
    write, so nothing the caller does to it reaches the entry); ``record_errors``, ``warnings`` and
    ``meta`` as :func:`write_meta` takes them. Inside an :func:`after_this` block the writing waits for
    the block to end. The thread is the data's, not the
    run's: :func:`settle` waits for it, and so does this process before it exits (it is no daemon).

    Writing a table is copying its bytes into memory the page cache takes fresh, which on this
    project's virtual machine costs more than reading them did (0.9 s for half of England's size); the
    papers are made on one core, and the write takes the other, at the lowest priority.
    """
    go = threading.Event()
    (_HELD.append if _HOLDING[0] else lambda event: event.set())(go)

    def write() -> None:
        go.wait()
        try:  # (Linux gives a thread a priority of its own: the run's threads first, when both want a core)
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
        except (AttributeError, OSError):
            pass
        try:
            for name, table in tables.items():
                write_table(staged, name, table)
            write_meta(staged, names, record_errors, warnings, **meta)
            commit(staged, fingerprint)
        except Exception:  # noqa: BLE001 - a cache that cannot be written (disk full, say) is only slower
            pass
        finally:
            shutil.rmtree(staged, ignore_errors=True)  # (gone already once committed: it was renamed)

    thread = threading.Thread(target=write, name=f"scrutiny cache {fingerprint[:12]}")
    _BEHIND.append(thread)
    thread.start()


@contextlib.contextmanager
def after_this():
    """Entries written behind the caller while the block runs wait until it ends, so that the block's own
    work goes first: ``scrutiny run`` computes a month's paper on both cores, then makes its papers on one.
    At 80,000 children, cold runs took 5.87 to 5.95 s with the writing held back until the paper was
    computed, against 5.88 to 6.18 s with it beside the computing (four pairs)."""
    _HOLDING[0] += 1
    try:
        yield
    finally:
        _HOLDING[0] -= 1
        if not _HOLDING[0]:
            _release()


def _release() -> None:
    while _HELD:
        _HELD.pop().set()


def settle() -> None:
    """Wait until every entry this process has been writing behind is written (and committed), one held
    back included: before a process that reads the cache is started, or this one forks."""
    _release()
    while _BEHIND:
        _BEHIND.pop().join()


def write_meta(staged: Path, tables, record_errors, warnings, *, supplied, read, not_read, combined) -> None:
    """The rest of a staged entry: which ``tables`` it holds, the records left out, the warnings (frames,
    or their snapshots), and what the folder held (as :class:`~scrutiny.data.validate.Extract` keeps them)."""
    write_table(staged, "_record_errors", record_errors)
    write_table(staged, "_warnings", warnings)
    meta = json.dumps({"tables": list(tables), "supplied": sorted(supplied), "read": read, "not_read": not_read,
                       "combined": combined})
    (staged / "meta.json").write_text(meta, encoding="utf-8")
    (staged / "meta.json").chmod(_FILE_MODE)


def commit(staged: Path, fingerprint: str) -> Path:
    """The staged entry renamed into place whole (unless another process kept the same entry first),
    and the oldest entries beyond :data:`KEEP` dropped; the entry's path."""
    root = staged.parent
    entry = root / fingerprint
    try:
        os.rename(staged, entry)
    except OSError:
        return entry  # another process kept the same entry first
    entries = sorted((p for p in root.iterdir() if not p.name.startswith(".") and (p / "meta.json").is_file()),
                     key=lambda p: (p / "meta.json").stat().st_mtime_ns, reverse=True)
    for old in entries[KEEP:]:
        shutil.rmtree(old, ignore_errors=True)
    return entry
