"""Read an extract folder and check its structure (``spec/data.md``).

Structure errors stop the run before anything is written: every problem is
collected first, then :class:`scrutiny.errors.ExtractStructureError` is raised carrying
one :class:`scrutiny.errors.Problem` per problem, each naming file, row and column.

Rows are numbered as a spreadsheet shows them: the header is row 1, so the first
record is row 2.

Hostile files are refused the same way (the dates, numbers and keys by :mod:`.checks`), before
anything is opened that could hang or overflow: a contract name that is a folder, a named pipe or a dangling link; a file
that cannot be read, is not UTF-8 text, holds a value longer than any CSV field may
be, names a contract column twice, or has a date outside 1900 to 2100 or a number
that is infinite or NaN. A folder holding no contract file at all is refused too.
"""

from __future__ import annotations

import csv
import io
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from ..errors import ExtractStructureError, Problem, ScrutinyError
from .reading import COPIED, Streamed, _read_bytes  # noqa: F401 (returns read their files the same way)
from ._text import longest, on_values
from .checks import ROW, finish_frame  # noqa: F401 (ROW: named here too, as it always was)
from .schema import TABLES, Table

# the csv module's own limit on one value: far beyond any code, identifier or date in the contract
FIELD_LIMIT = 131_072
_NOT_UTF8 = re.compile("[\udc80-\udcff]")  # undecodable bytes, as surrogateescape keeps them
_SPACES = frozenset(b" \t\x0b\x0c\x1c\x1d\x1e\x1f")  # ASCII spaces, line ends apart
_DATE_TEXT = pa.dictionary(pa.int32(), pa.large_string())  # (read encoded, kept so until parsed: _as_read)
_NOTED = _SPACES | {ord('"'), 0, *range(0x80, 0x100)}  # the bytes a file is looked through for, in one pass
_UNNOTED = bytes(b for b in range(256) if b not in _NOTED)
_ASCII_NOTED = sorted(b for b in _NOTED if b < 0x80)
_NOT_ASCII_TEXT = frozenset({0, *range(0x80, 0x100)})  # a file holding one is decoded, or refused
_UNASSUMED = _NOT_ASCII_TEXT | {ord('"')}  # a streamed file holding one is read again, as it is (read_table)
_BLOCK = 8 << 20  # a mapped or streamed file is looked through this many bytes at a time


def _decode(data: bytes, table: Table, problems: list[Problem]) -> str | None:
    """UTF-8 text (a byte-order mark allowed), or None with a problem naming where it is not."""
    name = table.file
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(Problem(name, None, None, "is UTF-16 text, not UTF-8: save it as CSV UTF-8"))
        return None
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        problems.append(Problem(name, None, None,
                                "is a spreadsheet workbook or an archive, not CSV: save it as CSV UTF-8"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row, column, rows = _locate(data.decode("utf-8-sig", errors="surrogateescape"), _NOT_UTF8)
        byte = data[exc.start:exc.start + 1].hex().upper()
        more = f"; {rows} rows have such bytes" if rows > 1 else ""
        problems.append(Problem(name, row, column,
                                f"byte 0x{byte} is not UTF-8 text{more}: save the file as CSV UTF-8"))
        return None
    if "\x00" in text:
        row, column, _ = _locate(text, re.compile("\x00"))
        problems.append(Problem(name, row, column, "holds a NUL byte: this is not a text file"))
        return None
    return text


def _locate(text: str, pattern: re.Pattern) -> tuple[int | None, str | None, int]:
    """(row, column, rows affected) of the first cell matching ``pattern``, reading the text as CSV."""
    header: list[str] = []
    found, rows = None, 0
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if number == 1:
                header = [h.strip() for h in row]
            cells = [i for i, cell in enumerate(row) if pattern.search(cell)]
            if cells:
                rows += 1
                if found is None:
                    i = cells[0]
                    found = (number, header[i] if number > 1 and i < len(header) else None)
    except csv.Error:
        pass
    if found is None:  # not even CSV: the line it is on
        match = pattern.search(text)
        return (text.count("\n", 0, match.start()) + 1 if match else None), None, 1
    return found[0], found[1], rows


def read_table(folder: Path, table: Table, problems: list[Problem], how: str = COPIED) -> pd.DataFrame | None:
    """Read one file as stripped strings with dates parsed; None if the file is absent.

    Problems are appended to ``problems``; the returned frame is only meaningful when
    no problem was added for this file. ``how`` a large file is read: copied into memory, mapped, or
    streamed (see :func:`~scrutiny.data.reading._read_bytes`).
    """
    path = Path(folder) / table.file
    if not os.path.lexists(path):
        return None
    data = _read_bytes(path, table.file, problems, how=how)
    if data is None:
        return pd.DataFrame()
    if isinstance(data, Streamed):  # looked through as pyarrow reads it (one read of the file, not two) ...
        found: set[int] = set()
        try:
            frame = _read_fast(data, None, table, found, look=lambda block: _look(block, found, stop=True))
        except (UnicodeDecodeError, _Unassumed):  # (a header line not ASCII; a block with a quote, say)
            frame = None
        if frame is not None and not found & _UNASSUMED:  # ... as the ASCII text with no quote it mostly is
            return finish_frame(frame, table, problems)
    # ASCII text is UTF-8 already: nothing to decode unless it is read row by row
    # which of the bytes that matter are there at all (spaces, quotes, NUL, non-ASCII): one pass over the file
    present = _present(data)
    ascii_text = not present & _NOT_ASCII_TEXT and data[:4] != b"PK\x03\x04"
    if not ascii_text and not isinstance(data, bytes):
        data = data[:]  # (text to decode, or not CSV at all: read as bytes after all)
    text = None if ascii_text else _decode(data, table, problems)
    if text is None and not ascii_text:
        return pd.DataFrame()
    frame = _read_fast(data, text, table, present)
    if frame is None:
        frame = _read_exact(bytes(data).decode("ascii") if text is None else text, table, problems)
        if frame is None:
            return pd.DataFrame()
    return finish_frame(frame, table, problems)


def _present(data) -> frozenset[int]:
    """Which of the bytes that matter (spaces, the quote, NUL, the non-ASCII) ``data`` holds; a mapped or
    streamed file is looked through a block at a time (a streamed one read into the memory the last used).

    Each byte is looked for by ``in`` (C's ``memchr``, stopping where it is found) and the non-ASCII by
    ``isascii``, a word at a time: at 80,000 children 0.10 s for cin_details.csv's 220 MB, against 0.26 to
    0.35 s for one pass deleting every other byte (``bytes.translate``); only a block that is not ASCII is
    looked through byte by byte, for which bytes it holds.

    >>> sorted(_present(b'a,"b c"\\n')), sorted(_present(b"a,b\\n")), sorted(_present("é,\\x00".encode()))
    ([32, 34], [], [0, 169, 195])
    """
    found: set[int] = set()
    if isinstance(data, bytes):
        blocks = [data]
    elif isinstance(data, Streamed):
        blocks = data.blocks()  # (each read into the same memory)
    else:  # mapped: looked through where it is, a block at a time (its largest byte says whether it is ASCII)
        return _present_mapped(data)
    for block in blocks:
        _look(block, found)
    return frozenset(found)


class _Unassumed(ScrutinyError):
    """A streamed file holds what it was read as not holding: it is read again, as it is (never raised out
    of :func:`read_table`; a :class:`~scrutiny.errors.ScrutinyError`, as every error the package defines is)."""

    def __init__(self):
        super().__init__("the file holds a quote, NUL or a byte that is not ASCII: it is read again, as it is")


def _look(block, found: set[int], stop: bool = False) -> None:
    """The bytes that matter in ``block`` (as :func:`_present` finds them) added to ``found``; with ``stop``,
    raises :class:`_Unassumed` once they hold a quote, NUL or a byte not ASCII (a file quoted throughout is
    then not parsed whole before it is read again)."""
    if not block.isascii():
        found.update(block.translate(None, _UNNOTED))
    else:
        _ascii_noted(found, lambda b: block.find(b) >= 0)
    if stop and found & _UNASSUMED:
        raise _Unassumed


def _ascii_noted(found: set[int], holds) -> None:
    """The ASCII bytes that matter that ``holds`` (a byte: whether the block holds it) says are there, added to
    ``found`` (one ``memchr`` each, none for a byte already found)."""
    found.update(b for b in _ASCII_NOTED if b not in found and holds(b))


def _present_mapped(data) -> frozenset[int]:
    """:func:`_present` of a mapped file, looked through where it is mapped, nothing copied."""
    found: set[int] = set()
    every = np.frombuffer(data, dtype=np.uint8)
    try:
        for start in range(0, len(data), _BLOCK):
            stop = min(start + _BLOCK, len(data))
            if every[start:stop].max() >= 0x80:  # (copied, and looked through byte by byte, only then)
                _look(data[start:stop], found)
            else:
                _ascii_noted(found, lambda b: data.find(bytes((b,)), start, stop) >= 0)
    finally:
        del every  # (a mapping cannot be closed while an array is made of it)
    return frozenset(found)


def _read_fast(data: bytes, text: str | None, table: Table, present, look=None) -> pd.DataFrame | None:
    """A well-formed file, read by pyarrow's CSV reader: every cell a stripped string.

    ``text`` is the file decoded, or None when it is ASCII (and so read as it is); ``present``, which
    of the spaces, the quote, NUL and the non-ASCII bytes the file holds (a streamed file: a set ``look``
    fills as each block is read, the file read as if it held no quote; the caller reads it again if it does).
    Returns None for anything unusual (ragged or blank lines, a missing or repeated
    column, a value longer than a CSV field may be); :func:`_read_exact` then reads it
    row by row and names each problem.
    """
    if text is None:  # (ASCII)
        end = data.find(b"\n")
        first = data[:len(data) if end < 0 else end + 1].decode("ascii")
    else:
        end = text.find("\n")
        first = text if end < 0 else text[:end + 1]
    try:
        names = next(csv.reader([first]), [])
    except csv.Error:  # a header line longer than a field may be, say
        return None
    if not names or len(set(names)) != len(names):
        return None
    stripped = [n.strip() for n in names]
    if any(c not in stripped for c in table.columns) or len(set(stripped)) != len(stripped):
        return None
    quoted = ord('"') in present  # without a quote no value can hold a line break: the reader splits blocks freely
    try:
        source = data.stream(look) if isinstance(data, Streamed) else pa.BufferReader(data)
        with source:
            read = _parsed(source, names, table, quoted)
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeDecodeError):
        return None
    if read.num_rows and any(longest(read.column(n)) > FIELD_LIMIT for n in names):
        return None
    # a value can end in a space only if the file holds one: in a quoted value, a line end is one too
    spaced = quoted or text is not None or bool(present & _SPACES)
    columns = {n.strip(): read.column(n) for n in names if n.strip() in table.columns}
    if spaced:
        columns = {c: on_values(pc.utf8_trim_whitespace, v) for c, v in columns.items()}
    rows = pa.array(np.arange(2, read.num_rows + 2, dtype=np.int32))  # (a sheet's rows: far fewer than 2**31)
    kept = pa.table({**{c: columns[c] for c in table.columns}, ROW: rows})
    blank = None  # a row blank in every contract column (a spreadsheet's empty line), left out
    for c in table.columns:
        empty = pc.equal(columns[c], "")
        if not pc.any(empty).as_py():  # (a column filled throughout: no row is blank, whatever the others hold)
            blank = None
            break
        blank = empty if blank is None else pc.and_(blank, empty)
    if blank is not None and pc.any(blank).as_py():
        kept = kept.filter(pc.invert(blank))
    # (dates as Arrow keeps them, encoded, until they are parsed: as pandas categories they cost twice a copy)
    return kept.to_pandas(types_mapper=_as_read)


def _as_read(kind: pa.DataType):
    """The pandas type of a column of dates as read (encoded): Arrow's own, nothing copied."""
    return pd.ArrowDtype(kind) if pa.types.is_dictionary(kind) else None


def _parsed(source, names: list[str], table: Table, quoted: bool) -> pa.Table:
    """Every cell of the file a string, as pyarrow's CSV reader reads ``source`` (dates encoded as read)."""
    return pa_csv.read_csv(
        source,
        read_options=pa_csv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
        parse_options=pa_csv.ParseOptions(newlines_in_values=quoted, ignore_empty_lines=False),
        # text as pandas keeps it; dates (a few thousand distinct days in millions of cells) encoded as read
        convert_options=pa_csv.ConvertOptions(column_types={n: _DATE_TEXT if n.strip() in table.dates
                                                            else pa.large_string() for n in names},
                                              strings_can_be_null=False, quoted_strings_can_be_null=False,
                                              check_utf8=False),  # (ASCII, or decoded above already)
    )


def _read_exact(text: str, table: Table, problems: list[Problem]) -> pd.DataFrame | None:
    """Row by row with the csv module, naming every structural problem; None if there was one."""
    if not text.strip():
        problems.append(Problem(table.file, None, None, "is empty: a CSV file needs at least a header row"))
        return None
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            rows.append(row)
    except csv.Error as exc:
        number = len(rows) + 1  # the row being read: rows already read are rows 1 to len(rows)
        if "field larger than field limit" in str(exc):
            why = (f"holds a value longer than {FIELD_LIMIT:,} characters: not a CSV file this contract "
                   "expects (is it the right file?)")
        else:
            why = f"is not valid CSV ({exc})"
        problems.append(Problem(table.file, number, None, why))
        return None
    header = [h.strip() for h in rows[0]]
    missing = [c for c in table.columns if c not in header]
    for column in missing:
        problems.append(Problem(table.file, 1, column, "required column is missing from the header row"))
    first_at: dict[str, int] = {}
    repeated = False
    for place, name in enumerate(header, start=1):
        if name not in table.columns:
            continue  # an extra column, ignored however often it appears
        if name in first_at:
            repeated = True
            problems.append(Problem(table.file, 1, name, f"appears more than once in the header row (fields "
                                                         f"{first_at[name]} and {place}): which one holds the data?"))
        else:
            first_at[name] = place
    width = len(header)
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != width and any(cell.strip() for cell in row):
            problems.append(
                Problem(table.file, number, None, f"has {len(row)} fields where the header has {width}: not valid CSV")
            )
    if missing or repeated or any(p.file == table.file for p in problems):
        return None
    body = [r for r in rows[1:] if any(cell.strip() for cell in r)]
    numbers = [n for n, r in enumerate(rows[1:], start=2) if any(cell.strip() for cell in r)]
    frame = pd.DataFrame(body, columns=header, dtype=object)
    frame = frame.loc[:, ~frame.columns.duplicated()][list(table.columns)]
    frame = frame.apply(lambda s: s.str.strip()).astype(str)
    frame[ROW] = np.array(numbers, dtype=np.int32)  # (as the fast path numbers them)
    return frame


SOURCE = "_file"  # the file a row came from, where a table is read from more than one file
READ_LOG: dict[str, object] = {}  # folder -> the Sources its last read found (what was read, what was not)


def read_tables(folder: Path, tables, at_once: int = 2,
                how: str = COPIED) -> list[tuple[Table, list[Problem], pd.DataFrame | None]]:
    """(table, its problems, its frame or None if absent) for each of ``tables``, in their order.

    ``at_once`` files at a time: one is parsed by pyarrow (outside the GIL) while another's dates are read;
    each file's problems are kept apart, to be listed in the contract's order, as one at a time gives them.
    ``how`` large files are read: copied, mapped or streamed (see :func:`~scrutiny.data.reading._read_bytes`).
    """
    found = [(table, []) for table in tables]
    with ThreadPoolExecutor(max_workers=at_once) as pool:
        read = list(pool.map(lambda job: read_table(folder, job[0], job[1], how), found))
    return [(table, its_problems, frame) for (table, its_problems), frame in zip(found, read)]


def read_extract(folder: str | Path) -> dict[str, pd.DataFrame]:
    """Read every contract file present in ``folder``; raise if any has a structure error, or none is there."""
    folder = Path(folder)
    if not folder.is_dir():
        why = "is not a folder" if folder.exists() else "extract folder not found"
        raise ExtractStructureError(folder, [Problem(str(folder), None, None, f"{why}: is the path right?")])
    try:
        present = sorted(os.listdir(folder))
    except OSError as exc:
        raise ExtractStructureError(folder, [Problem(str(folder), None, None,
                                                     f"extract folder cannot be read ({exc.strerror or exc})")])
    problems: list[Problem] = []
    frames = {}
    for table, its_problems, frame in read_tables(folder, TABLES.values()):
        problems.extend(its_problems)
        if frame is not None:
            frames[table.name] = frame
    from .returns.folder import read_sources  # the returns read with this module's helpers

    sources = read_sources(folder, present, problems, frames)
    frames = dict(sources.tables)
    READ_LOG[str(folder)] = sources
    if not frames and not problems:
        expected = ", ".join(t.file for t in TABLES.values())
        found = [n for n in present if not n.startswith(".")]
        seen = (f" (it holds {', '.join(found[:5])}{', ...' if len(found) > 5 else ''})" if found
                else " (it is empty)")
        reasons = "; ".join(f"{f}: {why}" for f, why in sources.not_read[:5])
        problems.append(Problem(str(folder), None, None, f"no contract file found in {folder}{seen}: "
                                                         f"expected one of {expected}, or a Children in Need census "
                                                         f"or SSDA903 XML return{f' (not read: {reasons})' if reasons else ''}"
                                                         "; is the path right?"))
    if problems:
        raise ExtractStructureError(folder, problems)
    return frames
