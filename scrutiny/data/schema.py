"""The input data contract (``spec/data.md``) as data: tables, columns and code lists."""

from __future__ import annotations

from dataclasses import dataclass, field

# --- code lists (national return specifications) -------------------------------------

RNE = frozenset("S L P T B U".split())
LS = frozenset("C1 C2 D1 E1 V2 V3 V4 L1 L2 L3 J1 J2 J3".split())
SHORT_BREAK_LS = frozenset({"V3", "V4"})
PLACE = frozenset(
    "A3 A4 A5 A6 U1 U2 U3 U4 U5 U6 K1 K2 K3 H5 P1 P2 P3 R1 R2 R3 R5 S1 Z1 T0 T1 T2 T3 T4".split()
)
PLACED_FOR_ADOPTION = frozenset("A3 A4 A5 A6".split())
REC_ADOPTED = frozenset({"E11", "E12"})
REC_CONTINUES = "X1"
REC = frozenset(
    "E11 E12 X1 E13 E2 E3 E41 E45 E46 E47 E48 E4A E4B E5 E6 E7 E8 E9 E14 E15 E16 E17".split()
)
NEW_PLACEMENT_RNE = frozenset({"S", "P", "B"})
MISSING = frozenset({"M", "A"})
IN_TOUCH = frozenset("YES NO DIED REFU NREQ RHOM".split())
ACTIV_EET = frozenset("F1 P1 F2 P2 F3 P3 F4 P4 F5 P5".split())
ACTIV = ACTIV_EET | frozenset({"G4", "G5", "G6", "0"})
ACCOM_PATTERN = r"^(?:[A-Z][12]|0)$"


@dataclass(frozen=True)
class Table:
    """One CSV file of the extract."""

    name: str
    file: str
    columns: tuple[str, ...]
    dates: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    codes: dict[str, frozenset[str] | str] = field(default_factory=dict)
    unique: tuple[str, ...] = ()


TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        Table("header", "header.csv", ("CHILD", "SEX", "DOB", "ETHNIC"), dates=("DOB",), unique=("CHILD",)),
        Table(
            "episodes",
            "episodes.csv",
            ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE"),
            dates=("DECOM", "DEC"),
            codes={"RNE": RNE, "LS": LS, "PLACE": PLACE, "REC": REC},
        ),
        Table(
            "missing",
            "missing.csv",
            ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
            dates=("DOB", "MIS_START", "MIS_END"),
            codes={"MISSING": MISSING},
        ),
        Table(
            "oc3",
            "oc3.csv",
            ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
            dates=("DOB",),
            codes={"IN_TOUCH": IN_TOUCH, "ACTIV": ACTIV, "ACCOM": ACCOM_PATTERN},
            unique=("CHILD",),
        ),
        Table(
            "child_identifiers",
            "child_identifiers.csv",
            ("LAchildID", "PersonBirthDate", "Sex"),
            dates=("PersonBirthDate",),
        ),
        Table(
            "cin_details",
            "cin_details.csv",
            (
                "LAchildID",
                "CINdetailsID",
                "CINreferralDate",
                "ReferralSource",
                "PrimaryNeedCode",
                "CINclosureDate",
                "ReasonForClosure",
                "ReferralNFA",
            ),
            dates=("CINreferralDate", "CINclosureDate"),
        ),
        Table(
            "assessments",
            "assessments.csv",
            ("LAchildID", "CINdetailsID", "AssessmentActualStartDate", "AssessmentAuthorisationDate"),
            dates=("AssessmentActualStartDate", "AssessmentAuthorisationDate"),
        ),
        Table(
            "section47",
            "section47.csv",
            ("LAchildID", "CINdetailsID", "S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"),
            dates=("S47ActualStartDate", "DateOfInitialCPC"),
        ),
        Table(
            "cp_plans",
            "cp_plans.csv",
            (
                "LAchildID",
                "CINdetailsID",
                "CPPID",
                "CPPstartDate",
                "CPPendDate",
                "InitialCategoryOfAbuse",
                "NumberOfPreviousCPP",
            ),
            dates=("CPPstartDate", "CPPendDate"),
            numbers=("NumberOfPreviousCPP",),
            unique=("CPPID",),
        ),
        Table("caseloads", "caseloads.csv", ("period", "worker_id", "fte", "cases"), numbers=("fte", "cases")),
        Table(
            "manual_outturns",
            "manual_outturns.csv",
            ("indicator", "period", "numerator", "denominator", "value"),
            numbers=("numerator", "denominator", "value"),
        ),
    ]
}
