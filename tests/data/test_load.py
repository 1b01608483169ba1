"""The data contract: structure errors stop the run, record errors are left out and listed."""

from __future__ import annotations

import pandas as pd
import pytest
from builders import episode, looked_after, write_table
from hypothesis import given, settings
from hypothesis import strategies as st

from scrutiny.data import checks
from scrutiny.data.schema import TABLES
from scrutiny.indicators.compute import compute_period
from scrutiny.errors import ExtractStructureError
from scrutiny.data.validate import load_extract


pytestmark = pytest.mark.usefixtures("read_or_mapped")  # (tests/data/conftest.py)


def problems(folder):
    with pytest.raises(ExtractStructureError) as info:
        load_extract(folder)
    return [str(p) for p in info.value.problems]


def test_both_date_forms_and_bom_and_spaces(tmp_path):
    (tmp_path / "header.csv").write_text("\ufeffCHILD,SEX,DOB,ETHNIC\n A ,1,01/02/2012,WBRI\n", encoding="utf-8")
    (tmp_path / "episodes.csv").write_text(
        "DECOM,CHILD,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,EXTRA\n"
        "2023-01-05,A, S ,C2,N1,U1,PR1,,,,ignored\n", encoding="utf-8")
    extract = load_extract(tmp_path)
    assert extract.records_left_out == 0
    ep = extract.tables["episodes"].iloc[0]
    assert (ep["CHILD"], ep["RNE"], str(ep["DECOM"].date()), str(ep["DOB"].date())) == ("A", "S", "2023-01-05",
                                                                                      "2012-02-01")


def test_structure_errors_name_file_row_and_column_and_are_all_reported(tmp_path):
    write_table(tmp_path, "header", [{"CHILD": "A", "DOB": "2012-01-01"}, {"CHILD": "A", "DOB": "2012-01-01"}])
    write_table(tmp_path, "episodes", [episode("A", "2023-01-05"), episode("A", "2023-02-31", rne="P")])
    write_table(tmp_path, "cp_plans", [{"CPPID": "1", "CPPstartDate": "05/01/2023"},
                                      {"CPPID": "2", "CPPstartDate": "2023-01-05"}])
    write_table(tmp_path, "oc3", [{"CHILD": "A"}], columns=("CHILD", "DOB", "IN_TOUCH", "ACTIV"))
    found = problems(tmp_path)
    assert "header.csv, row 3, column CHILD: duplicate CHILD 'A' (first at row 2)" in found
    assert "episodes.csv, row 3, column DECOM: '2023-02-31' is not a date (expected YYYY-MM-DD)" in found
    assert ("cp_plans.csv, row 3, column CPPstartDate: '2023-01-05' is not in this file's date form dd/mm/YYYY "
            "(one file uses one form)") in found
    assert "oc3.csv, row 1, column ACCOM: required column is missing from the header row" in found
    assert len(found) == 4


@pytest.mark.parametrize("blank_line", [False, True])  # read by Arrow, or (a short blank row) row by row
def test_rows_are_numbered_as_a_spreadsheet_shows_them_in_32_bits(tmp_path, blank_line):
    lines = ["period,worker_id,fte,cases", "2023-11,W1,1.0,5", "2023-11,W2,1.0,6", "2023-11,W3,0.5,2"]
    if blank_line:
        lines.insert(2, ",")
    (tmp_path / "caseloads.csv").write_text("\n".join(lines) + "\n")
    rows = load_extract(tmp_path).tables["caseloads"]["_row"]
    assert rows.tolist() == ([2, 4, 5] if blank_line else [2, 3, 4])
    assert rows.dtype == "int32"  # (millions of rows: half the memory, and half the cache, of 64-bit numbers)


def test_not_csv(tmp_path):
    (tmp_path / "caseloads.csv").write_bytes(b"\xff\xfe\x00garbage")
    assert problems(tmp_path) == ["caseloads.csv: is UTF-16 text, not UTF-8: save it as CSV UTF-8"]
    (tmp_path / "caseloads.csv").write_bytes(b"period,worker_id,fte,cases\n2023-11,Andr\xe9,1.0,5\n")
    assert problems(tmp_path) == ["caseloads.csv, row 2, column worker_id: byte 0xE9 is not UTF-8 text: "
                                  "save the file as CSV UTF-8"]
    (tmp_path / "caseloads.csv").write_text('period,worker_id,fte,cases\n2023-11,W1,1.0,5,9,9\n')
    assert problems(tmp_path) == ["caseloads.csv, row 2: has 6 fields where the header has 4: not valid CSV"]


def test_duplicate_cppid_within_a_child_is_structure_error(tmp_path):
    # as the census has it: a plan id is unique within the child, so two children may each have plan 7
    write_table(tmp_path, "cp_plans", [{"LAchildID": "A", "CPPID": "7", "CPPstartDate": "2023-01-01"},
                                      {"LAchildID": "B", "CPPID": "7", "CPPstartDate": "2023-01-01"},
                                      {"LAchildID": "A", "CPPID": "7", "CPPstartDate": "2023-03-01"}])
    assert problems(tmp_path) == ["cp_plans.csv, row 4, column CPPID: duplicate CPPID '7' for LAchildID 'A' "
                                  "(first at row 2)"]


def test_record_errors_are_left_out_counted_and_listed(tmp_path):
    looked_after(tmp_path, {"A": "2012-01-01", "B": "2012-01-01", "C": "2012-01-01", "D": ""}, [
        episode("A", "2022-01-01"),                                 # kept
        episode("A", "2022-06-01", rne="P"),                        # overlaps the open episode: left out
        episode("B", "2023-01-01", "2022-01-01"),                   # DEC before DECOM
        episode("C", "2023-01-01", place="Q9"),                     # unknown code
        episode("C", "2022-01-01", "2022-02-01", rec=""),           # closed without REC
        episode("D", "2023-01-01"),                                 # blank DOB
        episode("E", "2023-01-01"),                                 # no header row
        episode("A", "2021-01-01", "2021-02-01", ls="V3"),          # short break: set aside, not an error
    ])
    extract = load_extract(tmp_path)
    listed = {(r.row, r.column, r.message) for r in extract.record_errors.itertuples()}
    assert listed == {
        (3, "DECOM", "Episode overlaps an earlier episode of the same child (DECOM before that episode's DEC)"),
        (4, "DEC", "Episode ends before it starts (DEC before DECOM)"),
        (5, "PLACE", "Placement type is not a recognised code (unknown PLACE code 'Q9')"),
        (6, "REC", "Episode has ended but no reason is recorded (REC is blank on a closed episode)"),
        (7, "CHILD", "Child's date of birth is not recorded (DOB is blank in header.csv for this CHILD)"),
        (8, "CHILD", "Child is not in the list of children (no row for this CHILD in header.csv)"),
    }
    assert extract.records_left_out == 6
    (r,) = compute_period(extract, "2023-11", 1000, ["cla_rate"])
    assert r.numerator == 1


def test_overlap_rule_is_sequential(tmp_path):
    # b overlaps a and is left out; c overlaps only b, so c is kept
    looked_after(tmp_path, {"A": "2012-01-01"}, [
        episode("A", "2022-01-01", "2022-03-01"),
        episode("A", "2022-02-01", "2022-12-01"),
        episode("A", "2022-06-01"),
    ])
    extract = load_extract(tmp_path)
    assert list(extract.record_errors["row"]) == [3]
    assert len(extract.tables["episodes"]) == 2


def test_rec_disagreeing_with_dates_is_a_warning_only(tmp_path):
    looked_after(tmp_path, {"A": "2012-01-01"}, [
        episode("A", "2022-01-01", "2022-03-01", rec="X1"),     # nothing starts that day
        episode("A", "2022-05-01", "2022-06-01", rec="E13"),    # but the next starts that day
        episode("A", "2022-06-01", rne="P"),
    ])
    extract = load_extract(tmp_path)
    assert extract.records_left_out == 0
    assert [(w.row, w.column, w.message) for w in extract.warnings.itertuples()] == [
        (2, "REC", "Recorded as going on into a new episode, but none starts that day, so the period of care ends "
                   "here (REC X1 but no episode of this child has DECOM on this DEC)"),
        (3, "REC", "Recorded as leaving care, but the next episode starts that day, so the period of care continues "
                   "(REC E13 but the next episode's DECOM is this DEC)"),
    ]
    assert extract.tables["episodes"]["poc"].nunique() == 2


def _first_form_row_by_row(frame, table):
    """The rule as first written: the form of the first cell of either form, row by row, column by column."""
    for values in frame[list(table.dates)].itertuples(index=False):
        for value in values:
            if checks._ISO.match(value):
                return "YYYY-MM-DD"
            if checks._UK.match(value):
                return "dd/mm/YYYY"
    return "dd/mm/YYYY"


_cells = st.sampled_from(["", "01/02/2023", "2023-02-01", "1/2/2023", "2023-2-1", "x", "31/02/2023", "2023-02-01\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_cells, _cells, _cells), max_size=8), st.booleans(), st.sampled_from([1 << 16, 1, 3]))
def test_a_files_date_form_is_that_of_its_first_date_row_by_row(rows, as_categories, look):
    from scrutiny.data import _text

    table = TABLES["missing"]  # three date columns
    frame = pd.DataFrame(rows, columns=list(table.dates), dtype="category" if as_categories else "str")
    before, _text._LOOK = _text._LOOK, look  # (cells looked at a few at a time, as millions are)
    try:
        assert checks._file_date_form(frame, table) == _first_form_row_by_row(frame, table)
    finally:
        _text._LOOK = before


@pytest.mark.parametrize("padded", [" ", "2010-01-01 ", "\t2010-01-01"])
def test_a_padded_date_beside_the_same_date_unpadded_reads_as_that_date(tmp_path, padded):
    """Date columns are read dictionary-encoded, and trimmed text by text: texts that trim to one are one."""
    plain = padded.strip()
    (tmp_path / "header.csv").write_text(f"CHILD,SEX,DOB,ETHNIC\nA1,1,{plain},WBRI\nA2,1,{padded},WBRI\n")
    header = load_extract(tmp_path).tables["header"]
    assert header["DOB"].tolist() == [pd.Timestamp(plain) if plain else pd.NaT] * 2
