"""Writing files so that what was there is never lost or half-overwritten (imports nothing from the package).

One file is written atomically with :func:`write_atomic`; a month's folder of outputs is
written whole beside the old one, then switched into place with :func:`swap_into_place`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


PUBLIC_MODE = 0o644  # anyone may read (the public paper, its index)
# inside each month's folder, switched into place with its papers: the figures its final public paper showed
MONTH_LEDGER = "confidential/published.json"
PRIVATE_MODE = 0o600  # only the owner (everything under confidential/)


def write_atomic(path: Path, text: str, mode: int = PUBLIC_MODE) -> None:
    """Write to a temporary file beside ``path``, then rename: never half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.chmod(tmp, mode)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


PRIVATE_DIR_MODE = 0o700  # confidential/ and params/commentary/: only the owner may list or read


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one step (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if result == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: this file system cannot exchange
        return False
    raise OSError(errno, os.strerror(errno), str(b))


def swap_into_place(staged: Path, target: Path) -> None:
    """Put a fully written folder where ``target`` is, all at once; the old folder goes.

    Readers see either the old folder or the new one, never a mixture. Where the system
    cannot exchange two folders atomically, the old one is moved aside first and
    :func:`recover` puts it back if the process dies between the two moves.
    """
    staged, target = Path(staged), Path(target)
    if target.exists():
        if _exchange(staged, target):
            shutil.rmtree(staged)  # now the old folder
            return
        aside = target.with_name(f".old-{target.name}")
        shutil.rmtree(aside, ignore_errors=True)
        os.rename(target, aside)
        os.rename(staged, target)
        shutil.rmtree(aside, ignore_errors=True)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(staged, target)


def recover(target: Path) -> None:
    """Undo what a run killed half-way left behind for ``target``: staged folders, a folder moved aside."""
    target = Path(target)
    if not target.parent.is_dir():
        return
    aside = target.with_name(f".old-{target.name}")
    if aside.exists():
        if target.exists():
            shutil.rmtree(aside, ignore_errors=True)
        else:
            os.rename(aside, target)
    for leftover in target.parent.glob(f".stage-{target.name}-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def checkpoint(stage: str) -> None:
    """A named point in a run where the fault tests kill the process for real (``SCRUTINY_KILL_AT=<stage>``).

    Nothing happens unless that variable names this stage; the tests use it to prove that a
    run killed at any point leaves the previous papers exactly as they were.
    """
    if os.environ.get("SCRUTINY_KILL_AT") == stage:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)
