"""Reading one file of an extract safely: its type is checked before it is opened, and opening never blocks.

A folder, a named pipe, a socket, a device or a dangling link named like a contract file or a
return is one problem naming it, not a hang or a traceback.
"""

from __future__ import annotations

import io
import mmap
import os
import stat
from pathlib import Path

from ..errors import Problem

MAPPED_BYTES = 1 << 20  # files larger than this may be mapped or streamed rather than copied (see _read_bytes)
COPIED, MAPPED, STREAMED = "copied", "mapped", "streamed"  # how a large file is read (see _read_bytes)
_BLOCK = 8 << 20  # a streamed file is read this many bytes at a time


class Streamed:
    """A large file read from its descriptor as it is needed: neither copied into memory whole nor mapped.

    Read by slices (``data[a:b]``, each a ``bytes``), searched for a line's end (``find``), and parsed by
    pyarrow as a stream (:meth:`stream`), never beyond the size it had when it was opened: a file cut short
    while it is read gives a short read (and so a problem, or a short table the extract's fingerprint then
    tells from the file that was hashed), where a mapped one stops the process with a bus error; bytes
    added to it since are not read, as they were not looked through.
    """

    def __init__(self, fd: int, size: int):
        self._fd, self._size = fd, size

    def __del__(self):
        os.close(self._fd)

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, key: slice) -> bytes:
        start, stop, _ = key.indices(self._size)
        parts, at = [], start
        while at < stop:  # (one read, into the bytes returned, unless it stops short of what was asked)
            part = os.pread(self._fd, stop - at, at)
            if not part:  # cut short since it was opened
                break
            parts.append(part)
            at += len(part)
        return b"".join(parts)  # (one part: that part itself, not a copy)

    def readinto(self, buffer, at: int) -> int:
        """Bytes from ``at`` read straight into ``buffer`` (as many as it holds, never past the size): how
        many, fewer only where the file was cut short. One copy, the kernel's, where ``os.pread`` and a
        slice into the buffer make two, each into memory touched for the first time."""
        view = memoryview(buffer).cast("B")
        want, got = max(min(len(view), self._size - at), 0), 0
        while got < want:
            done = os.preadv(self._fd, [view[got:min(want, got + _BLOCK)]], at + got)
            if not done:  # cut short since it was opened
                break
            got += done
        return got

    def blocks(self):
        """The file a block at a time (of :data:`_BLOCK` bytes, the last shorter), each read into the same
        ``bytearray``, to be looked through before the next is asked for."""
        block, at = bytearray(min(_BLOCK, self._size)), 0
        while at < self._size:
            got = self.readinto(block, at)
            if not got:  # (cut short)
                return
            if got < len(block):
                del block[got:]
            yield block
            at += got

    def __bytes__(self) -> bytes:
        return self[:]

    def find(self, sub: bytes) -> int:
        """Where ``sub`` first is (as ``bytes.find``), read a block at a time."""
        at, carry = 0, b""
        while at < self._size:
            block = carry + self[at:at + _BLOCK]
            found = block.find(sub)
            if found >= 0:
                return at - len(carry) + found
            if len(block) == len(carry):  # (cut short)
                break
            at += len(block) - len(carry)
            carry = block[len(block) - len(sub) + 1:] if len(sub) > 1 else b""
        return -1

    def stream(self, look=None):
        """The file's first ``len(self)`` bytes, as pyarrow reads a stream (a block at a time): the bytes that
        were looked through, not what the file has grown by since; each block given to ``look`` as it is read."""
        import pyarrow as pa

        return pa.PythonFile(_Bounded(self, look), mode="r")


class _Bounded(io.RawIOBase):
    """A :class:`Streamed` file read from its start to the size it had when it was opened."""

    def __init__(self, streamed: Streamed, look=None):
        super().__init__()
        self._streamed, self._at, self._look = streamed, 0, look

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._at, io.SEEK_END: len(self._streamed)}[whence]
        self._at = max(0, min(base + offset, len(self._streamed)))
        return self._at

    def tell(self) -> int:
        return self._at

    def read(self, size: int | None = -1) -> bytes:
        """The next ``size`` bytes (all that are left, by default), read into the bytes returned, which
        pyarrow then parses where they are: one copy, where ``RawIOBase.read`` makes three."""
        stop = len(self._streamed) if size is None or size < 0 else self._at + size
        part = self._streamed[self._at:stop]  # (stops at the size; short if cut short)
        self._at += len(part)
        if self._look is not None:
            self._look(part)
        return part

    read_buffer = read  # (what pyarrow asks a Python file for first)

    def readinto(self, buffer) -> int:
        got = self._streamed.readinto(buffer, self._at)  # (stops at the size; short if cut short)
        self._at += got
        if self._look is not None:  # (pyarrow asks for read_buffer; were it to read into its own, looked at too)
            self._look(bytes(memoryview(buffer).cast("B")[:got]))
        return got


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


def _read_bytes(path: Path, name: str, problems: list[Problem],
                how: str = COPIED) -> bytes | mmap.mmap | Streamed | None:
    """The file's bytes, or None with a problem added: its type is checked before it is opened.

    ``how`` a file of more than :data:`MAPPED_BYTES` is read: copied into memory (:data:`COPIED`); mapped
    into it, read only (:data:`MAPPED`), for a process that can afford to be stopped by a file cut short
    while it is read (a reader forked by :mod:`.parallel`, whose failure is only a slower run); or read
    as it is needed (:data:`STREAMED`, :class:`Streamed`), which costs neither a copy nor that risk.
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
            size = os.fstat(handle.fileno()).st_size
            if how == MAPPED and size > MAPPED_BYTES:
                return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            if how == STREAMED and size > MAPPED_BYTES:
                return Streamed(os.dup(handle.fileno()), size)
            return handle.read()
    except (OSError, ValueError) as exc:  # (ValueError: cut to nothing before it was mapped)
        problems.append(Problem(name, None, None, f"cannot be read ({getattr(exc, 'strerror', None) or exc})"))
        return None
