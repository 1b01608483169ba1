"""The data-quality section's reasons read as words: a plain sentence, then the fields in brackets."""

from __future__ import annotations

import re

import pytest
from builders import cp_plan, episode, looked_after, write_table

from scrutiny.data.validate import load_extract

# a sentence in words (no field names), then the fields for the analyst in one closing bracket
PLAIN_FIRST = re.compile(r"^[A-Z][^()]*[a-z)] \((?:[^()]|\([^()]*\))+\)$")


@pytest.fixture
def every_problem(tmp_path):
    looked_after(tmp_path, {"A": "2012-01-01", "B": "2012-01-01", "C": "", "D": "2012-01-01"}, [
        episode("A", "2022-01-01"),
        episode("A", "2022-06-01", rne="P"),                            # overlaps the open episode
        episode("B", "2023-01-01", "2022-01-01"),                       # ends before it starts
        episode("B", "2020-01-01", "2020-02-01", place="Q9"),           # unknown code
        episode("B", "2019-01-01", "2019-02-01", ls=""),                # blank code
        episode("B", "2018-01-01", "2018-02-01", rec=""),               # ended, no reason
        episode("B", "2017-01-01", rec="E13"),                          # a reason, not ended
        episode("C", "2023-01-01"),                                     # blank DOB in header.csv
        episode("E", "2023-01-01"),                                     # no header row
        episode("", "2023-01-01"),                                      # no child
        episode("D", "2021-01-01", "2021-03-01", rec="X1"),             # warning: nothing follows
        episode("D", "2021-05-01", "2021-06-01", rec="E13"),            # warning: the next starts that day
        episode("D", "2021-06-01", rne="P"),
    ])
    write_table(tmp_path, "missing", [{"CHILD": "A", "DOB": "2012-01-01", "MISSING": "M", "MIS_START": ""},
                                      {"CHILD": "A", "DOB": "2012-01-01", "MISSING": "X", "MIS_START": "2023-01-01"}])
    write_table(tmp_path, "oc3", [{"CHILD": "L", "DOB": "", "IN_TOUCH": "YES", "ACTIV": "F1", "ACCOM": "B1"},
                                  {"CHILD": "M", "DOB": "2004-01-01", "IN_TOUCH": "YES", "ACTIV": "F1",
                                   "ACCOM": "B3"}])
    write_table(tmp_path, "cin_details", [{"LAchildID": "", "CINreferralDate": "2023-01-01"},
                                          {"LAchildID": "K", "CINreferralDate": ""}])
    write_table(tmp_path, "assessments", [{"LAchildID": "K", "AssessmentActualStartDate": "2023-02-01",
                                           "AssessmentAuthorisationDate": "2023-01-01"}])
    write_table(tmp_path, "section47", [{"LAchildID": "K", "S47ActualStartDate": "2023-02-01",
                                         "DateOfInitialCPC": "2023-01-01"}])
    write_table(tmp_path, "cp_plans", [cp_plan("K", "2023-02-01", "2023-01-01"),
                                       {**cp_plan("J", "2023-02-01", previous="two"), "CPPID": ""}])
    write_table(tmp_path, "caseloads", [{"period": "2023/11", "worker_id": "W1", "fte": "-1", "cases": ""}])
    write_table(tmp_path, "manual_outturns", [{"indicator": "", "period": "2023-11", "value": "1"},
                                              {"indicator": "x", "period": "2023-11"},
                                              {"indicator": "y", "period": "2023-11", "value": "1"},
                                              {"indicator": "y", "period": "2023-11", "value": "2"}])
    return load_extract(tmp_path)


def test_every_record_error_and_warning_says_what_is_wrong_in_words_first(every_problem):
    found = [*every_problem.record_errors.itertuples(), *every_problem.warnings.itertuples()]
    assert len(found) >= 25
    for r in found:
        assert PLAIN_FIRST.match(r.message), r.message
        words, fields = r.message.split(" (", 1)
        assert r.column in fields, r.message             # the field is named for the analyst, in brackets
        assert r.file.endswith(".csv") and r.row >= 2    # and the file, row and column stay as they were


def test_the_messages_members_and_analysts_read(every_problem):
    errors = {(r.file, r.row, r.column): r.message for r in every_problem.record_errors.itertuples()}
    assert errors["episodes.csv", 4, "DEC"] == "Episode ends before it starts (DEC before DECOM)"
    assert errors["episodes.csv", 5, "PLACE"] == "Placement type is not a recognised code (unknown PLACE code 'Q9')"
    assert errors["episodes.csv", 6, "LS"] == "Legal status is not recorded (LS is blank)"
    assert errors["episodes.csv", 8, "REC"] == \
        "Episode has a reason for ending but has not ended (REC given on an open episode)"
    assert errors["episodes.csv", 11, "CHILD"] == "Child's identifier is not recorded (CHILD is blank)"
    assert errors["missing.csv", 2, "MIS_START"] == \
        "Date the missing or away episode started is not recorded (MIS_START is blank)"
    assert errors["missing.csv", 3, "MISSING"] == \
        "Missing or away from placement is not a recognised code (unknown MISSING code 'X')"
    assert errors["oc3.csv", 3, "ACCOM"] == \
        "Care leaver's accommodation is not a recognised code (unknown ACCOM code 'B3')"
    assert errors["assessments.csv", 2, "AssessmentAuthorisationDate"] == \
        "Assessment is authorised before it starts (AssessmentAuthorisationDate before AssessmentActualStartDate)"
    assert errors["section47.csv", 2, "DateOfInitialCPC"] == (
        "Initial child protection conference is before the enquiry starts (DateOfInitialCPC before S47ActualStartDate)")
    assert errors["cp_plans.csv", 2, "CPPendDate"] == "Plan ends before it starts (CPPendDate before CPPstartDate)"
    assert errors["cp_plans.csv", 3, "NumberOfPreviousCPP"] == ("Number of previous child protection plans is not a "
                                                                "number (NumberOfPreviousCPP 'two' is not a number)")
    assert errors["caseloads.csv", 2, "period"] == "Month is not a year and month (period '2023/11' is not YYYY-MM)"
    assert errors["caseloads.csv", 2, "cases"] == "Number of cases is not recorded (cases is blank)"
    assert errors["caseloads.csv", 2, "fte"] == "FTE or number of cases is below zero (fte or cases is negative)"
    assert errors["manual_outturns.csv", 3, "value"] == "No figure is given (value and numerator are both blank)"
    assert errors["manual_outturns.csv", 5, "period"] == \
        "The same indicator and month are given twice (a second row for indicator y and period 2023-11)"
