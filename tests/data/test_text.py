"""Columns of text read as dates, numbers and codes: the same answers as Python and pandas give cell by cell."""

from __future__ import annotations

import datetime
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scrutiny.data import _text
from scrutiny.data._text import among, arrow_strings, dates_of_texts, longest, matches, on_values, surely_distinct, to_number

FIRST, LAST = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)
FORMS = {"%d/%m/%Y": re.compile(r"\d{2}/\d{2}/\d{4}", re.ASCII), "%Y-%m-%d": re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)}


def parse_dates(values, shape, fmt, first, last):
    """Each cell's date, and whether it is a real one out of range (as the reader spreads them over a column)."""
    found = dates_of_texts(values, shape, fmt, first, last)
    return found.cells(found.days), found.cells(found.implausible)


def _one_by_one(text: str, fmt: str):
    """What one cell is, by ``datetime.strptime`` alone: a date, "implausible", or None."""
    if not FORMS[fmt].fullmatch(text):
        return None
    try:
        day = datetime.datetime.strptime(text, fmt).date()
    except ValueError:  # year 0000 of a real day and month: implausible (as 0001), not "not a date"
        zero = text.replace("0000", "2000", 1) if ("/0000" in text or text.startswith("0000-")) else None
        try:
            return "implausible" if zero and datetime.datetime.strptime(zero, fmt) else None
        except ValueError:
            return None
    return day if FIRST <= day <= LAST else "implausible"


_digits = st.text("0123456789", min_size=1, max_size=4)
_dates = st.one_of(
    st.dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31)).map(lambda d: d.strftime("%d/%m/%Y")),
    st.dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31)).map(lambda d: f"{d.year:04d}-{d:%m-%d}"),
    st.tuples(_digits, _digits, _digits).map("/".join),  # 31/02/2023, 00/13/0000, 1/2/3 ...
    st.tuples(_digits, _digits, _digits).map("-".join),
    st.sampled_from(["", " ", "\t01/02/2023", " 01/02/2023", "01/02/2023", "29/02/2024", "29/02/2023", "29/02/1900", "29/02/2000", "31/12/9999", "01/01/0001",
                     "0000-01-01", "29/02/0000", "31/02/0000", "0000-13-01", "٠١/٠١/٢٠٢٠", "01/01/2023 ", "01-01-2023"]),
    st.text(max_size=12),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_dates, max_size=40), st.sampled_from(sorted(FORMS)))
def test_dates_are_what_strptime_makes_of_each_cell(cells, fmt):
    found = dates_of_texts(pd.Series(cells, dtype="str"), FORMS[fmt], fmt, FIRST, LAST)
    dates, implausible = found.cells(found.days), found.cells(found.implausible)
    # a text that is filled but not a date, the cells the reader names one by one (and only those)
    assert found.cells(found.not_dates()).tolist() == [c != "" and np.isnat(d) for c, d in zip(cells, dates)]
    for text, date, odd in zip(cells, dates, implausible):
        expected = _one_by_one(text, fmt)
        if isinstance(expected, datetime.date):
            assert pd.Timestamp(date).date() == expected and not odd, text
        else:
            assert np.isnat(date) and odd == (expected == "implausible"), text


def test_a_column_read_in_chunks_and_one_with_no_cells():
    import pyarrow as pa

    chunked = pa.chunked_array([pa.array(["01/02/2023", "31/02/2023"]), pa.array(["", "01/02/2023", "31/12/9999"])])
    dates, implausible = parse_dates(chunked, FORMS["%d/%m/%Y"], "%d/%m/%Y", FIRST, LAST)
    assert [None if np.isnat(d) else str(d)[:10] for d in dates] == ["2023-02-01", None, None, "2023-02-01", None]
    assert implausible.tolist() == [False, False, False, False, True]
    dates, implausible = parse_dates(pd.Series([], dtype="str"), FORMS["%d/%m/%Y"], "%d/%m/%Y", FIRST, LAST)
    assert len(dates) == len(implausible) == 0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_dates, max_size=12), min_size=1, max_size=3), st.sampled_from(sorted(FORMS)))
def test_a_column_read_encoded_is_read_as_its_text_is(chunks, fmt):
    """Dates read as dictionaries (as the CSV reader gives them, or pandas categories): the same dates, lengths
    and trimmed texts as the plain text gives."""
    import pyarrow as pa
    import pyarrow.compute as pc

    plain = pa.chunked_array([pa.array(c, pa.large_string()) for c in chunks], type=pa.large_string())
    encoded = pa.chunked_array([c.dictionary_encode() for c in plain.chunks])
    expected = parse_dates(plain, FORMS[fmt], fmt, FIRST, LAST)
    for same in (encoded, pd.Series(sum(chunks, []), dtype="category")):
        got = parse_dates(same, FORMS[fmt], fmt, FIRST, LAST)
        assert np.array_equal(got[0], expected[0], equal_nan=True) and np.array_equal(got[1], expected[1])
    assert longest(encoded) == longest(plain)
    trimmed = on_values(pc.utf8_trim_whitespace, encoded)
    assert trimmed.cast(pa.large_string()).equals(pc.utf8_trim_whitespace(plain))
    for c in trimmed.chunks:  # each dictionary's texts distinct, as pandas categories must be
        assert len(set(c.dictionary.to_pylist())) == len(c.dictionary)
    pa.table({"x": trimmed}).to_pandas()


_numbers = st.one_of(st.integers(-10**20, 10**20).map(str), st.floats(allow_nan=True).map(repr),
                     st.integers(0, 99).map(lambda n: f"+{n}"),
                     st.sampled_from(["", "inf", "-Infinity", "NaN", "1e999", " 1", "0x1", "1_0", "1.", ".5", "x"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(_numbers, max_size=30), st.booleans())
def test_numbers_are_what_pandas_to_numeric_makes_of_them(cells, many):
    if many and cells:  # (a column of few distinct texts in many cells: read a distinct text at a time)
        cells = cells * (_text._WORTH // len(cells) + 1)
    text = pd.Series(cells, dtype="str")
    expected = pd.to_numeric(text.where(text != ""), errors="coerce").to_numpy()
    got = to_number(text)
    assert got.dtype == expected.dtype
    assert np.array_equal(got, expected, equal_nan=got.dtype.kind == "f")


@pytest.mark.parametrize("allowed", [["A", "B"], {"A", "B"}, pd.Index(["A", "B", "A"]), []])
def test_codes_among_the_allowed_are_found_as_isin_finds_them(allowed):
    text = pd.Series(["A", "", "b", "B", "A "], dtype="str")
    assert among(text, allowed).tolist() == text.isin(list(allowed)).tolist()


_months = st.sampled_from(["2023-11", "2023-13", "2023-1", "", "x2023-11", "2023-11x", "2023-01", "１２３４-11"])


@settings(max_examples=100, deadline=None)
@given(st.lists(_months, min_size=1, max_size=12), st.booleans())
def test_texts_match_a_pattern_as_series_str_match_finds_them(cells, many):
    if many:
        cells = cells * (_text._WORTH // len(cells) + 1)
    text = pd.Series(cells, dtype="str")
    for pattern in (r"^\d{4}-(0[1-9]|1[0-2])$", r"\d{4}", "[A-Z]"):
        assert matches(text, pattern).tolist() == text.str.match(pattern).tolist()


def test_a_column_of_many_distinct_texts_is_read_cell_by_cell(monkeypatch):
    seen = []
    monkeypatch.setattr(_text, "_to_number", lambda texts: seen.append(len(texts)) or np.zeros(len(texts)))
    few, many = pd.Series(["1", "2"] * _text._WORTH, dtype="str"), pd.Series([str(n) for n in range(_text._WORTH)], dtype="str")
    to_number(few), to_number(many), to_number(few[:10])
    assert seen == [2, _text._WORTH, 10]


@settings(max_examples=100, deadline=None)
@given(st.lists(_numbers, min_size=1, max_size=20))
def test_infinite_and_nan_numbers_are_found_alike_a_distinct_text_at_a_time(cells):
    from scrutiny.data import checks

    text = pa.chunked_array([pa.array(cells * (_text._WORTH // len(cells) + 1), pa.large_string())])
    assert _text._few(text) is not None
    assert np.array_equal(_text.by_text(checks._not_finite, text), checks._not_finite(text))


# ids as files hold them: short, of every length up to past what one hash takes whole, some not ASCII, some blank
_ids = st.text(st.sampled_from("AB0é\x00"), max_size=34)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_ids, _ids), max_size=40), st.booleans(), st.booleans())
def test_rows_are_surely_distinct_only_where_pandas_finds_no_repeat(rows, pair, sliced):
    frame = pd.DataFrame(rows, columns=["within", "id"], dtype="str")
    if sliced:  # (columns whose Arrow arrays start part-way into their buffers, as a frame's rows taken are)
        frame = pd.DataFrame([("x", "y"), *rows], columns=["within", "id"], dtype="str").iloc[1:]
        assert not rows or arrow_strings(frame["id"]).chunk(0).offset == 1
    columns = ["within", "id"] if pair else ["id"]
    repeats = (frame.duplicated(subset=columns) & (frame["id"] != "")).any()
    sure = surely_distinct([frame[c] for c in columns])
    assert not (sure and repeats)
    # and sure wherever it could be: no repeat, every id of 32 bytes or fewer (a hash's collision aside)
    if not repeats and all(len(i.encode()) <= 32 and len(w.encode()) <= 32 for w, i in rows):
        assert sure


def test_rows_not_surely_distinct_are_looked_at_exactly():
    from scrutiny.data import checks
    from scrutiny.data.schema import TABLES

    table = TABLES["cp_plans"]
    long_id = "P" * 40  # (too long to hash whole: pandas looks)
    frame = pd.DataFrame({"LAchildID": ["C1", "C1", "C2", "C2"], "CPPID": [long_id, long_id, "P1", "P2"],
                          "_row": [2, 3, 4, 5]}, dtype="str").astype({"_row": int})
    problems = []
    checks._check_unique(frame, table, problems)
    assert [(p.row, p.column) for p in problems] == [(3, "CPPID")]
    assert not surely_distinct([frame["LAchildID"], frame["CPPID"]])
    assert surely_distinct([frame["LAchildID"][2:], frame["CPPID"][2:]])
