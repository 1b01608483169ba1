"""The data-quality section's reasons read as words: a plain sentence, then the fields in brackets."""

from __future__ import annotations

import re

import pytest
from builders import every_problem_folder

from scrutiny.data.validate import load_extract

# a sentence in words (no field names), then the fields for the analyst in one closing bracket
PLAIN_FIRST = re.compile(r"^[A-Z][^()]*[a-z)] \((?:[^()]|\([^()]*\))+\)$")


@pytest.fixture
def every_problem(tmp_path):
    return load_extract(every_problem_folder(tmp_path))


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
