"""What an extract is, as a cache entry is named: every file's name and bytes, and the code that reads them.

Each file's sha256 is taken once a process (and recorded in each executed notebook's provenance).
``scrutiny run`` has a process of its own begin hashing while it imports what makes a paper
(:func:`hash_ahead`), and the fingerprint takes up what it found (:func:`extract_fingerprint`).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import reading

_DIGESTS: dict[tuple, str] = {}  # (path, size, modified, inode) -> sha256 of the bytes: each file hashed once


_AHEAD: list[tuple[int, int]] = []  # (pid, the read end of its pipe): processes hashing ahead (see hash_ahead)


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes (through a link, what it points to), remembered in this process while its
    size and modification time hold."""
    key = _key(path)
    if key not in _DIGESTS:
        _DIGESTS[key] = _sha256(path)
    return _DIGESTS[key]


def _key(path: Path) -> tuple:
    st = path.stat()
    return str(path), st.st_size, st.st_mtime_ns, st.st_ino


def _sha256(path: Path) -> str:
    """(Opened as the extract is read, :func:`~scrutiny.data.reading._open`: never blocking, a file it cannot
    open fails here too; imported with this module, so that a hasher forked from it imports nothing.)"""
    digest = hashlib.sha256()
    with os.fdopen(reading._open(path), "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def hash_ahead(folder: Path) -> None:
    """Begin hashing the files in ``folder`` (the largest first) in a process forked for it: the work of
    :func:`extract_fingerprint`, done while the caller does other things on one core (``scrutiny run``
    imports what makes a paper), and taken up by the fingerprint.

    A process, not a thread: a thread hashing a block at a time waits for the interpreter's lock each
    block, and slows the imports it waits on. The caller stops it when it no longer needs it
    (:func:`stop_hashing`; the fingerprint does), and it stops by itself once no one is listening.
    Each file's digest is told with the size, modification time and inode it was hashed at, and kept
    only while the file still has them. A hasher that fails
    costs only time (the fingerprint hashes what it did not tell). Only where a fork is safe: Linux, and
    no other thread running (a lock another thread held would never be released in the child).
    """
    if not hasattr(os, "fork") or not sys.platform.startswith("linux") or threading.active_count() > 1:
        return
    try:
        paths = sorted((p for p in Path(folder).iterdir() if p.is_file()), key=lambda p: -p.stat().st_size)
    except OSError:
        return  # (the fingerprint says nothing either: the extract's reading says what is wrong)
    if not paths:
        return
    told, tell = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(told)
        os.close(tell)
        return
    if pid == 0:  # the hasher: never back into the caller's code
        code = 1
        try:
            os.close(told)
            for path in paths:
                try:
                    before, digest = _key(path), _sha256(path)
                    if _key(path) == before:  # (not changed while it was hashed)
                        os.write(tell, (json.dumps([before, digest]) + "\n").encode())
                except BrokenPipeError:
                    break  # (no one is listening any more: the run has stopped it, or ended)
                except OSError:
                    continue
            code = 0
        finally:
            os._exit(code)
    os.close(tell)
    _AHEAD.append((pid, told))


def stop_hashing() -> None:
    """Stop the processes hashing ahead, keeping what they have told (a run that needs no fingerprint, or
    that stopped before it took one)."""
    _taken_up([])


def _taken_up(wanted: list[Path]) -> None:
    """The digests of the processes hashing ahead, kept as this process's own, and of the ``wanted`` files
    they have not told yet, the smallest first, hashed here while they go on from the largest; then they are
    stopped (each file is hashed by one or the other, the one they were on perhaps by both)."""
    while _AHEAD:
        pid, told = _AHEAD.pop()
        os.set_blocking(told, False)
        heard = [b"", False]  # (what it has told and not yet taken, whether it has told all it will)

        def listen() -> None:
            while not heard[1]:
                try:
                    chunk = os.read(told, 1 << 16)
                except BlockingIOError:
                    break
                heard[0], heard[1] = heard[0] + chunk, not chunk
            *lines, heard[0] = heard[0].split(b"\n")
            for line in lines:
                key, digest = json.loads(line)
                _DIGESTS[tuple(key)] = digest

        try:
            for path in sorted(wanted, key=lambda p: p.stat().st_size):
                listen()
                if heard[1]:
                    break  # (it has told all it will: the rest is the fingerprint's to hash)
                key = _key(path)
                if key not in _DIGESTS:
                    _DIGESTS[key] = _sha256(path)
            listen()
        except (OSError, ValueError):
            pass  # (a file that cannot be read, or a line cut short: the fingerprint hashes it, or says why)
        finally:
            os.close(told)
            try:
                os.kill(pid, signal.SIGKILL)  # (one that has ended is still there to be told, until waited for)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):  # (waited for already, by whoever embeds this)
                pass


def code_digest(*packages: str) -> str:
    """sha256 of the source of the named sub-packages of scrutiny (``"data"``, ``"indicators"``)."""
    base = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for package in packages:
        for path in sorted((base / package).rglob("*")):
            if path.suffix in (".py", ".yaml") and path.is_file():
                digest.update(f"{path.relative_to(base)}\n".encode())
                digest.update(file_digest(path).encode())
    return digest.hexdigest()


def extract_fingerprint(folder: Path) -> str | None:
    """What the extract in ``folder`` is: every entry's name and every file's bytes, and the reading code."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return None
    digest = hashlib.sha256(code_digest("data").encode())
    try:
        _taken_up([folder / n for n in names if (folder / n).is_file()])  # (where a process is hashing ahead)
        with ThreadPoolExecutor(max_workers=2) as pool:  # two files hashed at a time (outside the GIL), kept
            list(pool.map(file_digest, [folder / n for n in names if (folder / n).is_file()]))
        for name in names:
            path = folder / name
            digest.update(f"\n{name}\n".encode())
            if path.is_symlink():
                digest.update(f"a link to {os.readlink(path)}\n".encode())
            if path.is_file():  # a link's target: its bytes decide, as the reader follows it
                digest.update(file_digest(path).encode())
            else:
                digest.update(b"not a plain file")
    except OSError:
        return None  # a file that cannot be read: read afresh, so that the reader says which and why
    return digest.hexdigest()


__all__ = ["code_digest", "extract_fingerprint", "file_digest", "hash_ahead", "stop_hashing"]
