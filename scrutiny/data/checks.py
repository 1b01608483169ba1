"""The checks every file's rows get once read, whatever the file's form (CSV or a return): dates, numbers,
unique keys.

Each problem is appended to the caller's list, naming file, row and column (see :mod:`.load`).
"""

from __future__ import annotations

import datetime
import re

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from ..errors import Problem
from ._text import (_to_number, arrow_strings, by_text, dates_of_texts, distinct_texts, encoded_once, first_cell,
                    surely_distinct)
from .schema import Table

ROW = "_row"  # the spreadsheet row number of each record, kept on every frame
_UK = re.compile(r"^\d{2}/\d{2}/\d{4}$", re.ASCII)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_FORMS = {"dd/mm/YYYY": (_UK, "%d/%m/%Y"), "YYYY-MM-DD": (_ISO, "%Y-%m-%d")}
# dates outside these are typing slips or "never" sentinels (31/12/9999); pandas cannot even hold 0001 or 9999
FIRST_DATE, LAST_DATE = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)
_NOT_FINITE = re.compile(r"^[+-]?(?:nan|inf|infinity)$", re.IGNORECASE | re.ASCII)  # (also as RE2, in Arrow)


def finish_frame(frame: pd.DataFrame, table: Table, problems: list[Problem]) -> pd.DataFrame:
    """The checks every file's rows get, whatever the file's form: dates, numbers, unique keys."""
    _parse_dates(frame, table, problems)
    _check_numbers(frame, table, problems)
    _check_unique(frame, table, problems)
    return frame


def _parse_dates(frame: pd.DataFrame, table: Table, problems: list[Problem]) -> None:
    if not table.dates:
        return
    form = _file_date_form(frame, table)
    pattern, fmt = _FORMS[form]
    other_pattern = next(p for f, (p, _) in _FORMS.items() if f != form)
    for column in table.dates:
        values = frame[column]
        found = dates_of_texts(values, pattern, fmt, FIRST_DATE, LAST_DATE)
        not_dates = found.not_dates()  # (a text at a time: millions of cells are looked at only if one is)
        if not_dates.any():
            bad = found.cells(not_dates)
            for row, value, odd in zip(frame[ROW].to_numpy()[bad], values[bad], found.cells(found.implausible)[bad]):
                problems.append(Problem(table.file, int(row), column, _not_a_date(value, odd, form, other_pattern)))
        frame[column] = pd.Series(found.cells(found.days), index=frame.index)


def _not_a_date(value: str, implausible: bool, form: str, other_pattern: re.Pattern) -> str:
    """Why a filled date cell is not read as a date."""
    if implausible:
        why = f"{value!r} is not a plausible date (expected {FIRST_DATE:%d/%m/%Y} to {LAST_DATE:%d/%m/%Y})"
        if _written_year(value) > LAST_DATE.year:  # 31/12/9999 for "never", say
            why = why[:-1] + "; leave it blank if it has not happened yet)"
        return why
    if other_pattern.match(value):
        return f"{value!r} is not in this file's date form {form} (one file uses one form)"
    return f"{value!r} is not a date (expected {form})"


def _written_year(value: str) -> int:
    """The year written in a date of either form (already known to be a real date)."""
    return int(value[:4]) if _ISO.match(value) else int(value[-4:])


def _file_date_form(frame: pd.DataFrame, table: Table) -> str:
    """The form of the first date in the file, reading row by row (a cell of neither form is passed over):
    each column's distinct texts are looked at once, and the first row holding one of either form found."""
    first = None  # (row, column's place, form)
    for place, column in enumerate(table.dates):
        cells = encoded_once(frame[column])
        forms = np.array([1 if _ISO.match(v) else 2 if _UK.match(v) else 0 for v in distinct_texts(cells)] + [0],
                         dtype=np.int8)
        found = first_cell(forms, cells)
        if found is not None and (first is None or (found[0], place) < first[:2]):
            first = (found[0], place, found[1])
    return "YYYY-MM-DD" if first is not None and first[2] == 1 else "dd/mm/YYYY"


def _check_numbers(frame: pd.DataFrame, table: Table, problems: list[Problem]) -> None:
    """Infinite and NaN numbers are a broken export, not a figure: refused where they stand.

    Anything else that is not a number is a record error, left out by validation.
    """
    for column in table.numbers:
        values = frame[column]
        bad = by_text(_not_finite, arrow_strings(values))
        if not bad.any():
            continue
        for row, value in zip(frame[ROW].to_numpy()[bad], values[bad]):
            problems.append(Problem(table.file, int(row), column, f"{value!r} is not a finite number"))


def _not_finite(texts) -> np.ndarray:
    """Which texts are infinite or NaN numbers, written as such or too large for a float."""
    named = pc.fill_null(pc.match_substring_regex(texts, _NOT_FINITE.pattern, ignore_case=True), False)
    return named.to_numpy(zero_copy_only=False) | np.isinf(_to_number(texts).astype(float))


def _check_unique(frame: pd.DataFrame, table: Table, problems: list[Problem]) -> None:
    """A key column (or a key within another, as ``(LAchildID, CPPID)``: a plan id is unique within the child)."""
    for key in table.unique:
        within, column = (key[:-1], key[-1]) if isinstance(key, tuple) else ((), key)
        columns = [*within, column]
        if surely_distinct([frame[c] for c in columns]):  # (as most files are: no column factorised)
            continue
        values = frame[column]
        dup = frame.duplicated(subset=columns, keep="first") & (values != "")
        if not dup.any():
            continue
        firsts = frame.loc[~frame.duplicated(subset=columns, keep="first"), [*columns, ROW]]
        found = frame.loc[dup, [*columns, ROW]].merge(firsts.rename(columns={ROW: "_first"}), on=columns,
                                                      how="left")
        scope = f" for {within[0]} {{}}" if within else ""
        for row, value, owner, first in zip(found[ROW], found[column], found[within[0] if within else column],
                                            found["_first"]):
            problems.append(Problem(table.file, int(row), column, f"duplicate {column} {value!r}"
                                    + scope.format(repr(owner)) + f" (first at row {int(first)})"))


__all__ = ["FIRST_DATE", "LAST_DATE", "finish_frame"]
