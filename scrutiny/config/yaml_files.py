"""Reading the project's YAML files with errors that say which file, which line and what is wrong.

Every project file (period parameters, catalogue, improvement plan, commentary store)
is read by :func:`read_yaml`, which is stricter than ``yaml.safe_load``:

* a key given twice in one mapping is refused (PyYAML would silently keep the last);
* anchors and aliases (``&name``, ``*name``) are refused outright, so an alias bomb
  ("billion laughs") stops at its first anchor, before anything is built;
* nesting deeper than :data:`MAX_DEPTH` levels is refused (never a ``RecursionError``);
* a value PyYAML cannot turn into Python (``2024-02-30``, a 5000-digit number) is refused
  with its line rather than escaping as a ``ValueError``;
* the path must be a regular file (never a directory or a FIFO, which would hang: it is
  checked before it is opened, and opened without blocking), at most :data:`MAX_BYTES`
  long, and UTF-8 text.

>>> import tempfile, pathlib
>>> from scrutiny.errors import ConfigError
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "p.yaml").write_text("period: 2023-11\\npopulation: 5\\npopulation: 6\\n")
>>> try:
...     read_yaml(folder / "p.yaml", ConfigError, "missing")
... except ConfigError as exc:
...     print(exc.key, exc.row); print(exc)      # doctest: +ELLIPSIS
population 3
.../p.yaml, line 3: the key 'population' is given twice (first on line 2): keep one
"""

from __future__ import annotations

import copy
import hashlib
import os
import stat
from pathlib import Path

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

MAX_BYTES = 5 * 1024 * 1024  # far above any real project file (the catalogue is about 30 kB)
MAX_DEPTH = 40  # the improvement plan, the deepest file, nests about 8 levels

ANCHORS_REFUSED = ("YAML anchors and aliases (&name, *name) are not allowed in project files: "
                   "write the value out in full")


def _refusal(cls, problem: str, mark, key: str | None = None):
    """A parse error of our own: its words are the message as they stand (not "not valid YAML")."""
    error = cls(None, None, problem, mark)
    error.scrutiny_own, error.scrutiny_key = True, key
    return error


class _ProjectLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses duplicate keys, anchors and aliases, and deep nesting."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _refusal(ComposerError, ANCHORS_REFUSED, event.start_mark)
        if self._depth >= MAX_DEPTH:
            raise _refusal(ComposerError, f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):  # `!!set [1]`: PyYAML itself would fail with a TypeError
            raise _refusal(ConstructorError, f"expected a mapping, but found {node.id}", node.start_mark)
        self.flatten_mapping(node)  # what SafeConstructor does first; doing it twice changes nothing
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:  # an unhashable key: SafeConstructor refuses it with its own words
                continue
            line = key_node.start_mark.line + 1
            if first is not None:
                raise _refusal(ConstructorError, f"the key {key!r} is given twice (first on line {first}): keep one",
                               key_node.start_mark, key=str(key))
            seen[key] = line
        return super().construct_mapping(node, deep=deep)

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
            # a date that does not exist, a number too long to read, `!!bool maybe`, `!!timestamp hello`
            text = str(node.value)
            text = text if len(text) <= 40 else text[:20] + "..."
            kind = node.tag.rsplit(":", 1)[-1]
            what = "is not a date" if kind == "timestamp" else f"cannot be read as {kind}"
            reason = f": {str(exc).split(';')[0]}" if isinstance(exc, ValueError) else ""
            raise _refusal(ConstructorError, f"{text!r} {what}{reason}", node.start_mark) from None


def _line(mark) -> int | None:
    return None if mark is None else mark.line + 1


def _read_text(path: Path, error: type[Exception], missing: str) -> str:
    """The file's text, after checking (before opening it) that it is a small regular file."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise error(f"{path}: {missing}", file=str(path)) from None
    except OSError as exc:
        raise error(f"{path}: cannot be read ({exc.strerror})", file=str(path)) from None
    if stat.S_ISDIR(info.st_mode):
        raise error(f"{path}: is a folder, not a file", file=str(path))
    if not stat.S_ISREG(info.st_mode):
        raise error(f"{path}: not a regular file (a FIFO, socket or device cannot be a project file)",
                    file=str(path))
    if info.st_size > MAX_BYTES:
        raise error(f"{path}: {info.st_size / 1e6:.1f} MB is too large for a project file "
                    f"(the limit is {MAX_BYTES // (1024 * 1024)} MB)", file=str(path))
    try:
        # without blocking, in case the file was swapped for a FIFO since the check
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise error(f"{path}: cannot be read ({exc.strerror})", file=str(path)) from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise error(f"{path}: not a regular file", file=str(path))
        chunks, size = [], 0
        while chunk := handle.read(64 * 1024):  # in pieces: a file that grew since the check stops at the limit
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_BYTES:
                raise error(f"{path}: too large for a project file (the limit is {MAX_BYTES // (1024 * 1024)} MB)",
                            file=str(path))
    data = b"".join(chunks)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise error(f"{path}, line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x}): save the file as UTF-8",
                    file=str(path), row=line) from None


_PARSED: dict[str, object] = {}  # sha256 of a file's text -> what it parsed to (a copy is handed out)


def read_yaml(path: Path, error: type[Exception], missing: str):
    """The file's data; ``error`` (a :class:`~scrutiny.errors.ConfigError`) naming the file if it cannot be.

    ``missing`` is the message for a file that does not exist. Problems found while parsing
    name the line (the error's ``row``) and, for a duplicate, the key.
    """
    path = Path(path)
    text = _read_text(path, error, missing)
    key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    if key in _PARSED:  # the same text parsed before in this process (a backfill reads the defaults every month)
        return copy.deepcopy(_PARSED[key])
    loader = None
    try:
        loader = _ProjectLoader(text)  # checks every character first
        loader.name = str(path)
        data = loader.get_single_data()
        if len(_PARSED) < 512:
            _PARSED[key] = data
        return copy.deepcopy(data)
    except yaml.MarkedYAMLError as exc:
        line = _line(exc.problem_mark) or _line(exc.context_mark)
        problem = exc.problem
        if not getattr(exc, "scrutiny_own", False):  # the parser's own words
            context = f"{exc.context} (line {_line(exc.context_mark)}), " if exc.context and exc.context_mark else ""
            problem = f"not valid YAML: {context}{problem}"
        raise error(f"{path}, line {line}: {problem}" if line else f"{path}: {problem}", file=str(path), row=line,
                    key=getattr(exc, "scrutiny_key", None)) from None
    except yaml.reader.ReaderError as exc:  # a control character, a NUL byte
        line = text.count("\n", 0, exc.position) + 1
        raise error(f"{path}, line {line}: not valid YAML: the character U+{exc.character:04X} "
                    "is not allowed (a control character or NUL byte)",
                    file=str(path), row=line) from None
    finally:
        if loader is not None:
            loader.dispose()
