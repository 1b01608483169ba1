"""Reading one file of an extract safely: its type is checked before it is opened, and opening never blocks.

A folder, a named pipe, a socket, a device or a dangling link named like a contract file or a
return is one problem naming it, not a hang or a traceback.
"""

from __future__ import annotations

import mmap
import os
import stat
from pathlib import Path

from ..errors import Problem

MAPPED_BYTES = 1 << 20  # files larger than this may be mapped rather than read (see _read_bytes)


def _open(path: Path) -> int:
    """Open for reading without blocking: a named pipe put there since it was checked cannot hang the run."""
    return os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
                   | getattr(os, "O_BINARY", 0))


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _read_bytes(path: Path, name: str, problems: list[Problem], mapped: bool = False) -> bytes | mmap.mmap | None:
    """The file's bytes, or None with a problem added: its type is checked before it is opened.

    ``mapped``: a file of more than :data:`MAPPED_BYTES` is mapped into memory (read only) rather than
    copied into it, for a process that can afford to be stopped by a file cut short while it is read
    (a worker of :mod:`.parallel`, whose failure is only a slower run).
    """
    try:
        info = os.stat(path)  # follows a link to the file it names
    except FileNotFoundError:
        if os.path.islink(path):
            problems.append(Problem(name, None, None,
                                    f"is a symbolic link to {os.readlink(path)!r}, which does not exist"))
        else:
            problems.append(Problem(name, None, None, "disappeared while the extract was being read"))
        return None
    except OSError as exc:
        problems.append(Problem(name, None, None, f"cannot be read ({exc.strerror or exc})"))
        return None
    if not stat.S_ISREG(info.st_mode):
        problems.append(Problem(name, None, None, f"is {_kind(info.st_mode)}, not a CSV file"))
        return None
    try:
        fd = _open(path)
    except PermissionError as exc:
        problems.append(Problem(name, None, None,
                                f"cannot be read ({exc.strerror or 'permission denied'}): check who may read it"))
        return None
    except OSError as exc:
        problems.append(Problem(name, None, None, f"cannot be read ({exc.strerror or exc})"))
        return None
    try:
        with open(fd, "rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            if not stat.S_ISREG(mode):  # replaced since it was checked
                problems.append(Problem(name, None, None, f"is {_kind(mode)}, not a CSV file"))
                return None
            if mapped and os.fstat(handle.fileno()).st_size > MAPPED_BYTES:
                return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            return handle.read()
    except (OSError, ValueError) as exc:  # (ValueError: cut to nothing before it was mapped)
        problems.append(Problem(name, None, None, f"cannot be read ({getattr(exc, 'strerror', None) or exc})"))
        return None
