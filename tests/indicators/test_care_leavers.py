"""care_leavers_eet and care_leavers_suitable_accommodation: who is in the cohort, and birthdays."""

from __future__ import annotations

import pytest
from builders import figures, result, write_table


def leaver(child, dob, activ="F1", accom="B1", in_touch="YES"):
    return {"CHILD": child, "DOB": dob, "IN_TOUCH": in_touch, "ACTIV": activ, "ACCOM": accom}


@pytest.fixture
def oc3(tmp_path):
    write_table(tmp_path, "oc3", [
        leaver("A", "2004-06-15", "F1", "B1"),              # 19th birthday in W12
        leaver("B", "2002-12-01", "G4", "B2"),              # 20th birthday on W12's first day
        leaver("C", "2001-11-30", "F1", "B1"),              # 21st birthday the day before W12
        leaver("D", "2004-02-29", "P2", "0"),               # 19th birthday on 1 March 2023
        leaver("E", "2004-06-15", "F1", "B1", "DIED"),
        leaver("F", "2004-06-15", "F1", "B1", "RHOM"),      # returned home
        leaver("G", "2003-07-01", "0", "Z1", "REFU"),       # refused contact: still counted
        leaver("H", "2004-06-15", "", "B1"),                # blank ACTIV: a record error, left out
        leaver("I", "2005-12-01", "F1", "B1"),              # 18th birthday after E
    ])
    return tmp_path


def test_care_leavers_eet(oc3):
    assert figures(result(oc3, "care_leavers_eet")) == (2, 4, 50.0)


def test_care_leavers_suitable_accommodation(oc3):
    assert figures(result(oc3, "care_leavers_suitable_accommodation")) == (2, 4, 50.0)


@pytest.mark.parametrize("period, in_cohort", [("2023-02", False), ("2023-03", True), ("2024-02", True),
                                                ("2026-02", True), ("2026-03", False)])
def test_29_february_birthday_falls_on_1_march_in_other_years(tmp_path, period, in_cohort):
    # born 29 February 2004: 19th birthday 1 March 2023, 20th 29 February 2024, 21st 1 March 2025
    write_table(tmp_path, "oc3", [leaver("D", "2004-02-29")])
    assert result(tmp_path, "care_leavers_eet", period=period).denominator == (1 if in_cohort else 0)


def test_empty_oc3_gives_no_value(tmp_path):
    write_table(tmp_path, "oc3", [])
    assert figures(result(tmp_path, "care_leavers_eet")) == (0, 0, None)
