r"""Cells read as text, turned into dates and numbers a column at a time.

A column of dates holds few distinct values (a few thousand days in millions of rows), so
each distinct text is parsed once, by Python's ``datetime``, and the results are spread
back over the column by Arrow's dictionary encoding. That keeps Python's exact rules
(31/02/2023 is not a date; pyarrow's ``strptime`` would roll it over to 3 March) at the
cost of the distinct values only.

>>> import re, datetime, pyarrow as pa
>>> uk = re.compile(r"\d{2}/\d{2}/\d{4}", re.ASCII)
>>> found = dates_of_texts(pa.array(["31/01/2024", "29/02/2023", "31/12/9999", "", "31/01/2024"]),
...                        uk, "%d/%m/%Y", datetime.date(1900, 1, 1), datetime.date(2100, 12, 31))
>>> found.texts, found.not_dates().tolist()
(['31/01/2024', '29/02/2023', '31/12/9999', ''], [False, True, True, False, True])
>>> [str(d)[:10] for d in found.cells(found.days)], found.cells(found.implausible).tolist()
(['2024-01-31', 'NaT', 'NaT', 'NaT', '2024-01-31'], [False, False, True, False, False])
"""

from __future__ import annotations

import datetime
import re
from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def arrow_strings(values) -> pa.ChunkedArray:
    """A column's text as Arrow strings (a pandas ``str`` column's own chunks: nothing is copied)."""
    array = values if isinstance(values, (pa.Array, pa.ChunkedArray)) else pa.array(values, from_pandas=True)
    if isinstance(array, pa.Array):
        array = pa.chunked_array([array])
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        array = array.cast(pa.large_string())
    return array


# where the year, month and day stand in each form's ten characters
_PLACES = {"%d/%m/%Y": (slice(6, 10), slice(3, 5), slice(0, 2)), "%Y-%m-%d": (slice(0, 4), slice(5, 7), slice(8, 10))}


class DatesOfTexts(NamedTuple):
    """A column's distinct texts (then a null) as dates, and where each cell's text is among them."""

    texts: list
    days: np.ndarray  # a date for each text, then NaT for a null (``datetime64[ns]``)
    implausible: np.ndarray  # each text's date is real but outside the range (then False for a null)
    encoded: pa.ChunkedArray  # the column, :func:`encoded_once`

    def cells(self, per_text: np.ndarray) -> np.ndarray:
        """Each cell's value, of one value a text (then one for a null)."""
        return spread(per_text, self.encoded)

    def not_dates(self) -> np.ndarray:
        """Each text (then a null) that is filled but not a date in the range."""
        return np.isnat(self.days) & np.array([t != "" for t in self.texts] + [True], dtype=bool)


def dates_of_texts(values, shape: re.Pattern, fmt: str, first: datetime.date, last: datetime.date) -> DatesOfTexts:
    """Each distinct text as a date (``datetime64[ns]``, NaT where it is not one): text of the ``shape`` (two-digit
    day and month, four-digit year) that ``datetime.strptime(text, fmt)`` reads, from ``first`` to
    ``last``; and the mask of real dates outside that range (NaT too: years 1 and 9999 would overflow
    the nanoseconds pandas keeps). Year 0000 with a real day and month is outside the range too, not
    "not a date": it is a typing slip of the same kind as 0001.
    Each cell's: ``result.cells(result.days)`` and ``result.cells(result.implausible)``.
    """
    year, month, day_of = _PLACES[fmt]
    encoded = encoded_once(values)
    distinct = distinct_texts(encoded)
    real: dict[int, datetime.date] = {}
    year_zero: list[int] = []
    for i, text in enumerate(distinct):
        if not shape.fullmatch(text):
            continue
        y, m, d = int(text[year]), int(text[month]), int(text[day_of])
        try:  # (text of the shape holds its numbers in fixed places: strptime's rules, faster; year 0000's
            day = datetime.date(y or 2000, m, d)  # day and month are checked as 2000's, a leap year)
        except ValueError:
            continue
        if y:
            real[i] = day
        else:
            year_zero.append(i)
    found = np.fromiter(real, dtype=np.int64, count=len(real))
    on = np.array(list(real.values()), dtype="datetime64[D]").reshape(-1)
    plausible = (on >= np.datetime64(first, "D")) & (on <= np.datetime64(last, "D"))
    days = np.full(len(distinct) + 1, np.datetime64("NaT"), dtype="datetime64[ns]")  # (the last: a null cell)
    days[found[plausible]] = on[plausible]
    odd = np.zeros(len(distinct) + 1, dtype=bool)
    odd[found[~plausible]] = True
    odd[year_zero] = True
    return DatesOfTexts(distinct, days, odd, encoded)


def encoded_once(values) -> pa.ChunkedArray:
    """A column dictionary-encoded, one dictionary for all its chunks (a column read encoded is not encoded
    again: a pandas ``category`` column, or Arrow's own)."""
    array = values if isinstance(values, (pa.Array, pa.ChunkedArray)) else pa.array(values, from_pandas=True)
    if isinstance(array, pa.Array):
        array = pa.chunked_array([array])
    if not pa.types.is_dictionary(array.type):
        array = pc.dictionary_encode(arrow_strings(array))
    return array.unify_dictionaries()


def distinct_texts(encoded: pa.ChunkedArray) -> list:
    """The distinct texts of a column :func:`encoded_once`."""
    return encoded.chunk(0).dictionary.to_pylist() if encoded.num_chunks else []


def spread(per_text: np.ndarray, encoded: pa.ChunkedArray) -> np.ndarray:
    """Each cell's value, of ``per_text``: one value for each distinct text of a column :func:`encoded_once`
    (in the dictionary's order), then one for a null cell. A chunk at a time, with no array of places for
    millions of cells: memory touched for the first time is much of what reading a national extract costs.

    >>> spread(np.array([10, 20, -1]), encoded_once(pa.array(["b", "a", None, "b"])))
    array([10, 20, -1, 10])
    """
    out = np.empty(len(encoded), dtype=per_text.dtype)
    null, start = len(per_text) - 1, 0
    for chunk in encoded.chunks:
        places = chunk.indices.fill_null(null) if chunk.null_count else chunk.indices
        # (a dictionary's places are within it: "clip" checks nothing, where numpy's default, "raise", takes
        # into a buffer of its own and copies that out, touching twice the memory: 3.6 ms against 11.2 ms a
        # column of 3.6 million cells)
        np.take(per_text, places.to_numpy(zero_copy_only=False), out=out[start:start + len(chunk)], mode="clip")
        start += len(chunk)
    return out


_LOOK = 1 << 16  # cells looked at together by first_cell


def first_cell(per_text: np.ndarray, encoded: pa.ChunkedArray) -> tuple[int, int] | None:
    """(where, what): the first cell whose value (of ``per_text``, as :func:`spread` takes them) is not zero,
    or None; looked for a block of cells at a time, so that a column whose first cell has one is not spread
    whole.

    >>> first_cell(np.array([0, 7, 0]), encoded_once(pa.array(["a", None, "a", "b"])))
    (3, 7)
    >>> first_cell(np.array([0, 0]), encoded_once(pa.array(["a", None]))) is None
    True
    """
    null, start = len(per_text) - 1, 0
    for chunk in encoded.chunks:
        for at in range(0, len(chunk), _LOOK):
            part = chunk.indices.slice(at, _LOOK)
            places = (part.fill_null(null) if part.null_count else part).to_numpy(zero_copy_only=False)
            found = np.flatnonzero(per_text[places])
            if found.size:
                return start + at + int(found[0]), int(per_text[places[found[0]]])
        start += len(chunk)
    return None


def on_values(function, array: pa.ChunkedArray) -> pa.ChunkedArray:
    """``function`` of each cell's text; of each distinct text only, where the column is dictionary-encoded."""
    if not pa.types.is_dictionary(array.type):
        return function(array)

    def chunk(c):  # (two texts may become one, " 01/02/2023" and "01/02/2023": a dictionary's are distinct)
        distinct = pc.dictionary_encode(function(c.dictionary))
        return pa.DictionaryArray.from_arrays(pc.take(distinct.indices, c.indices), distinct.dictionary)

    return pa.chunked_array([chunk(c) for c in array.chunks], type=array.type)


def longest(values) -> int:
    """The most bytes in any cell (a cell's characters are never more than its bytes)."""
    if isinstance(values, pa.ChunkedArray) and pa.types.is_dictionary(values.type):  # (its distinct texts)
        return max([longest(c.dictionary) for c in values.chunks if len(c)], default=0)
    # a chunk at a time: the lengths of millions of cells are never held at once
    return max([int(pc.max(pc.binary_length(c)).as_py() or 0) for c in arrow_strings(values).chunks if len(c)],
               default=0)


_FEW = 4  # a column has few distinct texts where each is in this many cells or more, on average
_WORTH = 4096  # cells: a column shorter than this is looked at cell by cell


def by_text(function, values) -> np.ndarray:
    """``function`` (of an Arrow array of texts, giving a numpy array of one value a text) of each cell of
    ``values``: of each distinct text only, spread back over the cells, where the column holds few of them
    (numbers of cases, whole-time equivalents, months: tens of texts in hundreds of thousands of cells), and
    of every cell otherwise. What ``function`` makes of a text must not depend on the other texts, except
    through the set of them (which the distinct texts are).

    >>> by_text(lambda texts: pc.utf8_length(texts).to_numpy(), pa.array(["ab", "c"] * 4096)).tolist()[:3]
    [2, 1, 2]
    """
    array = arrow_strings(values)
    encoded = _few(array)
    if encoded is None:
        return np.asarray(function(array))
    per_text = np.asarray(function(encoded.chunk(0).dictionary))
    return spread(np.concatenate([per_text, per_text[:1]]), encoded)  # (no cell is null)


def _few(array: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """The column :func:`encoded_once`, where it is long, holds no null and has few distinct texts; or None."""
    if len(array) < _WORTH or array.null_count:
        return None
    encoded = encoded_once(array)  # (one hash a cell: a fifth of what a regular expression a cell costs)
    return encoded if encoded.num_chunks and len(encoded.chunk(0).dictionary) * _FEW <= len(array) else None


def to_number(values) -> np.ndarray:
    """Each cell as a number, NaN where blank or not a number, as ``pandas.to_numeric(errors="coerce")``
    gives them: whole numbers as integers when every cell is one, floats otherwise.

    Arrow parses a column whose every filled cell is a plain number; anything else (a space
    inside, a hexadecimal) is left to pandas, which decides cell by cell. A column of few distinct
    texts is read a distinct text at a time (:func:`by_text`): at 80,000 children caseloads.csv's two
    columns of 615,680 cells took 79 to 85 ms each, cell by cell.

    >>> to_number(pa.array(["3", "", "-1"])).tolist(), to_number(pa.array(["3", "0.5"])).tolist()
    ([3.0, nan, -1.0], [3.0, 0.5])
    >>> to_number(pa.array(["3", "+4"] * 4096)).dtype, to_number(pa.array(["1", "x"] * 4096)).tolist()[:2]
    (dtype('int64'), [1.0, nan])
    """
    return by_text(_to_number, values)


def _to_number(array) -> np.ndarray:
    """:func:`to_number` of every cell of an Arrow array of texts."""
    blanked = pc.if_else(pc.equal(array, ""), pa.scalar(None, array.type), array)
    # (Arrow reads "0x1" as 1: a whole number is digits and signs only; digits alone are found fastest)
    whole = (not pc.any(pc.invert(pc.ascii_is_decimal(blanked))).as_py()
             or not pc.any(pc.match_substring_regex(blanked, r"[^0-9+-]")).as_py())
    # pandas gives integers when every cell is a whole number, floats where one is blank or is not
    try:
        if whole:
            return pc.cast(blanked, pa.int64()).to_numpy(zero_copy_only=False)
        return pc.cast(blanked, pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    import pandas as pd

    return pd.to_numeric(pd.Series(blanked.to_pandas()), errors="coerce").to_numpy()


def matches(values, pattern: str) -> np.ndarray:
    """Which cells of a column (a pandas ``str`` Series) ``Series.str.match`` finds to match ``pattern``
    (Python's regular expressions, from each cell's start; a null cell does not), a distinct text at a time
    where there are few (as :func:`by_text`).

    >>> import pandas as pd
    >>> matches(pd.Series(["2023-11", "2023-13", None]), r"\\d{4}-(0[1-9]|1[0-2])$").tolist()
    [True, False, False]
    """
    encoded = _few(arrow_strings(values))
    if encoded is None:
        return values.str.match(pattern).fillna(False).to_numpy(dtype=bool)
    found = re.compile(pattern).match
    return spread(np.array([bool(found(text)) for text in distinct_texts(encoded)] + [False]), encoded)


def id_codes(ids, sort: bool = False) -> np.ndarray:
    """A number for each id: equal ids, equal numbers; a missing id -1 (``pandas.factorize``), numbered in
    the ids' own order with ``sort``. Ids already in order (as extracts are often sorted) are numbered by
    where they change, without hashing them.

    >>> import pandas as pd
    >>> id_codes(pd.Series(["A1", "A1", "B2"])).tolist(), id_codes(pd.Series(["B2", None, "A1", "B2"])).tolist()
    ([0, 0, 1], [0, -1, 1, 0])
    >>> id_codes(pd.Series(["B2", "A1", "B2"]), sort=True).tolist()
    [1, 0, 1]
    """
    import pandas as pd

    if pd.api.types.is_string_dtype(ids.dtype) and len(ids) > 1 and not ids.hasnans:
        text = arrow_strings(ids)
        if not pc.any(pc.less(text[1:], text[:-1])).as_py():
            codes = np.zeros(len(ids), dtype=np.int64)
            np.cumsum(pc.not_equal(text[1:], text[:-1]).to_numpy(zero_copy_only=False), out=codes[1:])
            return codes
    return pd.factorize(ids, sort=sort)[0].astype(np.int64)


# a text of up to this many 64-bit words (32 bytes: every id the contract names is shorter) is hashed whole
_WORDS = 4
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93], dtype=np.uint64)


def surely_distinct(columns) -> bool:
    """Whether no row repeats an earlier one's text in every one of ``columns`` (``str`` columns; the rows
    whose last column is empty aside), known from one 64-bit hash of each row's texts: True only where no
    two rows' hashes are equal. False is not sure: the caller then looks exactly, as pandas does (a null,
    another dtype or a text of more than 32 bytes is False too). At 80,000 children, header.csv's
    children and cp_plans.csv's plans within their children: 0.09 and 0.06 s, against pandas'
    ``duplicated``, which factorises each column, 0.24 and 0.19 s (each the first time in a process).

    >>> import pandas as pd
    >>> surely_distinct([pd.Series(["A1", "A2", "", ""])]), surely_distinct([pd.Series(["A1", "B", "A1"])])
    (True, False)
    >>> surely_distinct([pd.Series(["A", "A"]), pd.Series(["1", "2"])])
    True
    """
    import pandas as pd

    if not len(columns[0]):
        return True
    hashes, filled = np.zeros(len(columns[0]), dtype=np.uint64), None
    for values in columns:
        words = _words(values) if isinstance(values.dtype, pd.StringDtype) else None
        if words is None:
            return False
        padded, lengths = words
        hashes ^= lengths.astype(np.uint64)
        hashes *= _MIX[3]
        for j in range(padded.shape[1]):  # (arithmetic on unsigned 64 bits: modulo 2 ** 64)
            hashes ^= padded[:, j]
            hashes *= _MIX[j % 3]
            hashes ^= hashes >> np.uint64(29)
        filled = lengths > 0
    hashes = np.sort(hashes[filled])
    return not (hashes[1:] == hashes[:-1]).any()


def _words(values) -> tuple[np.ndarray, np.ndarray] | None:
    """Each cell's UTF-8 bytes as 64-bit words (zero after its end), and its length in bytes, read from the
    column's Arrow buffers; None where a cell is null or longer than :data:`_WORDS` words."""
    array = arrow_strings(values)
    array = array.chunk(0) if array.num_chunks == 1 else array.combine_chunks()
    if array.null_count:
        return None
    kind = np.dtype(np.int64 if pa.types.is_large_string(array.type) else np.int32)
    _, offsets, data = array.buffers()
    at = np.frombuffer(offsets, dtype=kind, count=len(array) + 1, offset=array.offset * kind.itemsize).astype(np.int64)
    lengths = np.diff(at)
    width = 8 * max(1, -(-int(lengths.max()) // 8))
    if width > 8 * _WORDS:
        return None
    size = int(at[-1] - at[0])
    text = np.zeros(size + width, dtype=np.uint8)  # (room for the last cell's words)
    if size:
        text[:size] = np.frombuffer(data, dtype=np.uint8, count=size, offset=int(at[0]))
    cells = np.lib.stride_tricks.sliding_window_view(text, width)[at[:-1] - at[0]]  # (a copy: width bytes a cell)
    cells[np.arange(width) >= lengths[:, None]] = 0
    return cells.view(np.uint64), lengths


def among(values, allowed) -> np.ndarray:
    """Which cells are one of ``allowed`` (``Series.isin``, without a Python object per allowed value)."""
    return pc.is_in(arrow_strings(values), value_set=pa.array(list(allowed) if isinstance(allowed, (set, frozenset))
                                                              else allowed, from_pandas=True).cast(pa.large_string())
                    ).to_numpy(zero_copy_only=False)
