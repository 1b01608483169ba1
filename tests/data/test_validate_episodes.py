"""Episodes in any order, checked by sorting numbers: the same episodes, periods of care and placements as the
rules give read one row at a time in child, start and file order (``spec/data.md``, ``spec/indicators.md``)."""

from __future__ import annotations

import datetime
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from scrutiny.data import schema
from scrutiny.data.load import ROW
from scrutiny.data.validate import validate

DAY0 = datetime.date(2020, 1, 1)
OVERLAP = "Episode overlaps an earlier episode of the same child (DECOM before that episode's DEC)"


def _day(n):
    return pd.NaT if n is None else pd.Timestamp(DAY0 + datetime.timedelta(days=n))


_episode = st.tuples(
    st.sampled_from(["A", "B", "C", "Z"]),  # Z is in no row of header.csv
    st.integers(0, 30),  # DECOM, days after DAY0
    st.one_of(st.none(), st.integers(0, 12)),  # days to DEC (None: open)
    st.sampled_from(["S", "L", "P", "T", "B", "U"]),
    st.sampled_from(["C2", "J1", "V3"]),  # V3: a short break, left out
    st.sampled_from(["X1", "E11", "E2"]),
)


def _frames(episodes, no_birth):
    rows = []
    for child, start, length, rne, ls, rec in episodes:
        rows.append({"CHILD": child, "DECOM": _day(start), "RNE": rne, "LS": ls, "CIN": "N1", "PLACE": "U1",
                     "PLACE_PROVIDER": "PR1", "DEC": _day(None if length is None else start + length),
                     "REC": "" if length is None else rec, "REASON_PLACE_CHANGE": ""})
    ep = pd.DataFrame(rows, columns=list(schema.TABLES["episodes"].columns))
    for c in ep.columns:
        ep[c] = ep[c].astype("datetime64[ns]" if c in ("DECOM", "DEC") else "str")  # as read
    ep[ROW] = np.arange(2, len(ep) + 2)
    header = pd.DataFrame({"CHILD": ["A", "B", "C"], "SEX": "1", "ETHNIC": "WBRI",
                           "DOB": [pd.NaT if c in no_birth else pd.Timestamp("2010-05-01") for c in "ABC"]})
    header["CHILD"] = header["CHILD"].astype("str")
    header[ROW] = np.arange(2, 5)
    return {"episodes": ep, "header": header[["CHILD", "SEX", "DOB", "ETHNIC", ROW]]}


def _one_row_at_a_time(ep: pd.DataFrame, header: pd.DataFrame):
    """The rules as a reader applies them: kept episodes with their numbering, the rows overlapping, and the
    rows whose REC disagrees with what follows."""
    births = dict(zip(header["CHILD"], header["DOB"]))
    rows = [r for r in ep.to_dict("records")
            if not pd.isna(births.get(r["CHILD"], pd.NaT)) and r["LS"] not in schema.SHORT_BREAK_LS]
    rows.sort(key=lambda r: (r["CHILD"], r["DECOM"], r[ROW]))
    far = pd.Timestamp("2200-01-01")
    kept, overlapping, kept_end, child = [], set(), None, None
    for r in rows:
        if r["CHILD"] != child:
            child, kept_end = r["CHILD"], None
        if kept_end is not None and kept_end > r["DECOM"]:
            overlapping.add(r[ROW])
            continue
        end = far if pd.isna(r["DEC"]) else r["DEC"]
        kept_end = end if kept_end is None else max(kept_end, end)
        kept.append(r)
    numbered, poc, placement, poc_start, placement_start = [], 0, 0, None, None
    for i, r in enumerate(kept):
        before = kept[i - 1] if i else None
        continues = before is not None and before["CHILD"] == r["CHILD"] and before["DEC"] == r["DECOM"]
        if not continues:
            poc, poc_start = poc + 1, r["DECOM"]
        if not continues or r["RNE"] in schema.NEW_PLACEMENT_RNE:
            placement, placement_start = placement + 1, r["DECOM"]
        numbered.append((r[ROW], births[r["CHILD"]], poc, placement, poc_start, placement_start))
    disagree = set()
    for i, r in enumerate(kept):
        after = kept[i + 1] if i + 1 < len(kept) else None
        followed = after is not None and after["CHILD"] == r["CHILD"] and r["DEC"] == after["DECOM"]
        if not pd.isna(r["DEC"]) and (r["REC"] == schema.REC_CONTINUES) != followed:
            disagree.add(r[ROW])
    return numbered, overlapping, disagree


@settings(max_examples=300, deadline=None)
@given(st.lists(_episode, max_size=14), st.sets(st.sampled_from("ABC"), max_size=1))
def test_episodes_in_any_order_are_numbered_as_the_rules_read_them(episodes, no_birth):
    frames = _frames(episodes, no_birth)
    extract = validate(Path("."), frames)
    kept = extract.tables["episodes"]
    got = list(zip(kept[ROW], kept["DOB"], kept["poc"], kept["placement"], kept["poc_start"],
                   kept["placement_start"]))
    numbered, overlapping, disagree = _one_row_at_a_time(frames["episodes"], frames["header"])
    assert got == numbered
    errors = extract.record_errors
    assert set(errors.loc[errors["message"] == OVERLAP, "row"]) == overlapping
    assert set(extract.warnings.loc[extract.warnings["column"] == "REC", "row"]) == disagree
    assert kept.index.isin(frames["episodes"].index).all()  # the rows as read, not renumbered


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2**20), st.integers(-40_000, 40_000), st.integers(0, 2**21),
                          st.sampled_from([0, 0, 0, 1, 3_600 * 10**9])), max_size=40),
       st.sampled_from([1, 2**40]))
def test_episodes_are_put_in_order_as_lexsort_orders_them(rows, scale):
    from scrutiny.data.validate import _in_order

    child = np.array([r[0] * scale for r in rows], dtype=np.int64)  # (codes too large to pack: lexsort's own)
    start = (np.datetime64("2000-01-01", "ns") + np.array([r[1] for r in rows], dtype="timedelta64[D]")
             + np.array([r[3] for r in rows], dtype="timedelta64[ns]"))  # (now and then a time within a day)
    row = np.array([r[2] for r in rows], dtype=np.int32)
    assert _in_order(child, start, row).tolist() == np.lexsort((row, start, child)).tolist()
