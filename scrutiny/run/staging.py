"""The staged folder a month is written to, the lock on a month, the project cache: what keeps a run's
writes whole (imports nothing from the paper model)."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ..errors import RunFailed
from ..files import MONTH_LEDGER, PRIVATE_MODE


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


CACHE = ".cache"  # in the project folder, beside params/: the extract and its month ends, the owner's alone


@contextmanager
def project_cache(root: Path):
    """The project's cache for this run and the notebook it executes (``SCRUTINY_CACHE``): an unchanged
    extract is not read again, and a month end computed once is not computed again (see
    :mod:`scrutiny.data.cache`)."""
    from ..data.cache import CACHE_ENV

    before = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(root / CACHE)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(CACHE_ENV, None)
        else:
            os.environ[CACHE_ENV] = before


@contextmanager
def _month_lock(path: Path, name: str):
    """One run of a month at a time (a lock on its parameters file, or, for a month made from the defaults
    alone, on a lock file beside the outputs): a second run is refused, not interleaved."""
    if not path.exists():
        path = path.parent.parent / "outputs" / f".{path.stem}.lock"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=PRIVATE_MODE, exist_ok=True)
    handle = open(path, "rb")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunFailed(f"Another run of {name} is in progress; wait for it to finish, then run again.",
                            file=str(path)) from None
        yield
    finally:
        handle.close()


def _stage(target: Path) -> Path:
    """A new empty folder beside ``target``, where the whole month is written before it switches into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".stage-{target.name}-"))
    staged.chmod(0o755)
    return staged


def _written_failure(exc: OSError, what: str) -> RunFailed:
    where = exc.filename or what
    return RunFailed(f"Could not write {where}: {exc.strerror or exc}. Nothing was replaced: the previous papers "
                     "are as they were. Put it right (free space, permissions) and run again.", file=str(where))


def _check_folders(root: Path, *folders: Path) -> None:
    """Each of these, where it exists, must be a folder (a file or a dangling link in its place is refused)."""
    for folder in folders:
        if (folder.is_symlink() and not folder.exists()) or (folder.exists() and not folder.is_dir()):
            raise RunFailed(f"{folder} should be a folder but is not: move it aside and run again. Nothing was "
                            "changed.", file=str(folder))


def _fingerprint(path: Path) -> str | None:
    """What a file held (None: there is none), to tell whether someone saved it meanwhile."""
    if path.is_file():
        return _sha256(path)
    return None if not path.exists() else f"not a file: {path.stat().st_mode}"


# what a month's folder holds that the run makes afresh each time (stale PDFs go with the old HTML)
_OURS = {"part1.html", "part1.pdf", "summary.json", "confidential/part2.html", "confidential/part2.pdf",
         "confidential/paper.ipynb", "confidential/paper.failed.ipynb", "confidential/disclosure.json",
         "confidential/.paper.input.ipynb", MONTH_LEDGER,
         "confidential/inputs.sha256"}  # what backfill recorded of the last run: a run by any other way drops it


def _keep_what_is_not_ours(month: Path, staged: Path) -> None:
    """Carry into the new month anything someone else put in the old one (never lose a file we did not make)."""
    if not month.is_dir():
        return
    for path in sorted(month.rglob("*")):
        relative = path.relative_to(month)
        if path.is_dir() or str(relative) in _OURS or (staged / relative).exists():
            continue
        (staged / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, staged / relative)
