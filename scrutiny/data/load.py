"""Read an extract folder and check its structure (``spec/data.md``).

Structure errors stop the run before anything is written: every problem is
collected first, then :class:`scrutiny.errors.ExtractStructureError` is raised carrying
one :class:`scrutiny.errors.Problem` per problem, each naming file, row and column.

Rows are numbered as a spreadsheet shows them: the header is row 1, so the first
record is row 2.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from ..errors import ExtractStructureError, Problem
from .schema import TABLES, Table

ROW = "_row"  # the spreadsheet row number of each record, kept on every frame
_UK = re.compile(r"^\d{2}/\d{2}/\d{4}$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FORMS = {"dd/mm/YYYY": (_UK, "%d/%m/%Y"), "YYYY-MM-DD": (_ISO, "%Y-%m-%d")}


def read_table(folder: Path, table: Table, problems: list[Problem]) -> pd.DataFrame | None:
    """Read one file as stripped strings with dates parsed; None if the file is absent.

    Problems are appended to ``problems``; the returned frame is only meaningful when
    no problem was added for this file.
    """
    path = Path(folder) / table.file
    if not path.exists():
        return None
    frame = _read_fast(path, table)
    if frame is None:
        frame = _read_exact(path, table, problems)
        if frame is None:
            return pd.DataFrame()
    _parse_dates(frame, table, problems)
    _check_unique(frame, table, problems)
    return frame


def _read_fast(path: Path, table: Table) -> pd.DataFrame | None:
    """A well-formed file, read by pyarrow's CSV reader: every cell a stripped string.

    Returns None for anything unusual (bad UTF-8, ragged or blank lines, a missing or
    repeated column); :func:`_read_exact` then reads it row by row and names each problem.
    """
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        first = handle.readline()
    names = next(csv.reader([first]), [])
    if not names or len(set(names)) != len(names):
        return None
    stripped = [n.strip() for n in names]
    if any(c not in stripped for c in table.columns) or len(set(stripped)) != len(stripped):
        return None
    try:
        data = pa_csv.read_csv(
            path,
            read_options=pa_csv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                  strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeDecodeError):
        return None
    columns = {n.strip(): pc.utf8_trim_whitespace(data.column(n)) for n in names if n.strip() in table.columns}
    frame = pd.DataFrame({c: columns[c].to_pandas() for c in table.columns})
    frame[ROW] = np.arange(2, len(frame) + 2)
    blank = np.ones(len(frame), dtype=bool)
    for c in table.columns:
        blank &= (frame[c] == "").to_numpy()
    return frame.loc[~blank].reset_index(drop=True) if blank.any() else frame


def _read_exact(path: Path, table: Table, problems: list[Problem]) -> pd.DataFrame | None:
    """Row by row with the csv module, naming every structural problem; None if there was one."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(Problem(table.file, None, None, f"is not UTF-8 text ({exc.reason} at byte {exc.start})"))
        return None
    if not text.strip():
        problems.append(Problem(table.file, None, None, "is empty: a CSV file needs at least a header row"))
        return None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        problems.append(Problem(table.file, None, None, f"is not valid CSV ({exc})"))
        return None
    header = [h.strip() for h in rows[0]]
    missing = [c for c in table.columns if c not in header]
    for column in missing:
        problems.append(Problem(table.file, 1, column, "required column is missing from the header row"))
    width = len(header)
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != width and any(cell.strip() for cell in row):
            problems.append(
                Problem(table.file, number, None, f"has {len(row)} fields where the header has {width}: not valid CSV")
            )
    if missing or any(p.file == table.file for p in problems):
        return None
    body = [r for r in rows[1:] if any(cell.strip() for cell in r)]
    numbers = [n for n, r in enumerate(rows[1:], start=2) if any(cell.strip() for cell in r)]
    frame = pd.DataFrame(body, columns=header, dtype=object)
    frame = frame.loc[:, ~frame.columns.duplicated()][list(table.columns)]
    frame = frame.apply(lambda s: s.str.strip()).astype(str)
    frame[ROW] = numbers
    return frame


def _parse_dates(frame: pd.DataFrame, table: Table, problems: list[Problem]) -> None:
    if not table.dates:
        return
    form = _file_date_form(frame, table)
    pattern, fmt = _FORMS[form]
    other_pattern = next(p for f, (p, _) in _FORMS.items() if f != form)
    for column in table.dates:
        values = frame[column]
        filled = values != ""
        ok_shape = values.str.match(pattern)
        parsed = _strptime(values.where(filled & ok_shape), fmt)
        bad = filled & parsed.isna()
        for row, value in zip(frame.loc[bad, ROW], values[bad]):
            if other_pattern.match(value):
                why = f"{value!r} is not in this file's date form {form} (one file uses one form)"
            else:
                why = f"{value!r} is not a date (expected {form})"
            problems.append(Problem(table.file, int(row), column, why))
        frame[column] = parsed.astype("datetime64[ns]")


def _strptime(values: pd.Series, fmt: str) -> pd.Series:
    """Dates in one form, strictly: a day that does not exist (31/02/2023) gives NaT, not 3 March.

    pyarrow parses in C++ and rolls impossible days over (31/02 becomes 03/03), so
    each parsed date's day of the month must be the day written. The text has
    already matched the form's pattern (two-digit day and month).
    """
    text = pa.array(values.to_numpy(dtype=object, na_value=None), type=pa.string())
    parsed = pc.strptime(text, format=fmt, unit="s", error_is_null=True)
    at = 0 if fmt.startswith("%d") else 8
    written = pc.cast(pc.utf8_slice_codeunits(text, at, at + 2), pa.int64(), safe=False)
    exact = pc.equal(pc.day(parsed), written)
    parsed = pc.if_else(pc.fill_null(exact, False), parsed, pa.scalar(None, parsed.type))
    return pd.Series(parsed.to_numpy(zero_copy_only=False), index=values.index).astype("datetime64[ns]")


def _file_date_form(frame: pd.DataFrame, table: Table) -> str:
    """The form of the first filled date in the file, reading row by row."""
    for values in frame[list(table.dates)].itertuples(index=False):
        for value in values:
            if _ISO.match(value):
                return "YYYY-MM-DD"
            if _UK.match(value):
                return "dd/mm/YYYY"
    return "dd/mm/YYYY"


def _check_unique(frame: pd.DataFrame, table: Table, problems: list[Problem]) -> None:
    for column in table.unique:
        values = frame[column]
        dup = values.duplicated(keep="first") & (values != "")
        if not dup.any():
            continue
        first_row = frame.loc[~values.duplicated(keep="first")].set_index(column)[ROW]
        for row, value in zip(frame.loc[dup, ROW], values[dup]):
            problems.append(
                Problem(table.file, int(row), column, f"duplicate {column} {value!r} (first at row {first_row[value]})")
            )


def read_extract(folder: str | Path) -> dict[str, pd.DataFrame]:
    """Read every contract file present in ``folder``; raise if any has a structure error."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ExtractStructureError(folder, [Problem(str(folder), None, None, "extract folder not found")])
    problems: list[Problem] = []
    frames = {}
    for table in TABLES.values():
        frame = read_table(folder, table, problems)
        if frame is not None:
            frames[table.name] = frame
    if problems:
        raise ExtractStructureError(folder, problems)
    return frames
