"""The input data contract (``spec/data.md``) as data: tables, columns and code lists.

What each code means is in :mod:`scrutiny.data.codes`; ``tests/data/test_codes.py`` keeps the
two in step (every code accepted here has a label there, and nothing else has one).
"""

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

# National lists of coded columns the contract reads but does not check (spec/data.md checks
# only the lists above): a code not listed is read as given, and a breakdown shows it to
# members as "Not recorded".
CIN_CATEGORY = frozenset(f"N{k}" for k in range(1, 9))  # SSDA903 category of need
PLACE_PROVIDER = frozenset(f"PR{k}" for k in range(6))
REASON_PLACE_CHANGE = frozenset("CARPL CLOSE ALLEG STAND APPRR CREQB CREQO CHILD LAREQ PLACE CUSTOD OTHER".split())
SEX = frozenset({"1", "2"})
ETHNIC = frozenset(
    "WBRI WIRI WOTH WIRT WROM MWBC MWBA MWAS MOTH AIND APKN ABAN AOTH BCRB BAFR BOTH CHNE OOTH REFU NOBT".split()
)
REFERRAL_SOURCE = frozenset("1A 1B 1C 1D 2A 2B 3A 3B 3C 3D 3E 3F 4 5A 5B 5C 5D 6 7 8 9 10".split())
PRIMARY_NEED = frozenset(f"N{k}" for k in range(10))  # children in need census: N1 to N9, and N0 not stated
REASON_FOR_CLOSURE = frozenset(f"RC{k}" for k in range(1, 10))
CATEGORY_OF_ABUSE = frozenset("NEG PHY EMO SAB MUL".split())


@dataclass(frozen=True)
class Table:
    """One CSV file of the extract."""

    name: str
    file: str
    columns: tuple[str, ...]
    dates: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    codes: dict[str, frozenset[str] | str] = field(default_factory=dict)  # checked: a bad code is a record error
    unique: tuple[str | tuple[str, ...], ...] = ()  # a column, or (within, column)
    labelled: dict[str, frozenset[str]] = field(default_factory=dict)  # national lists, not checked


TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        Table("header", "header.csv", ("CHILD", "SEX", "DOB", "ETHNIC"), dates=("DOB",), unique=("CHILD",),
              labelled={"SEX": SEX, "ETHNIC": ETHNIC}),
        Table(
            "episodes",
            "episodes.csv",
            ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE"),
            dates=("DECOM", "DEC"),
            codes={"RNE": RNE, "LS": LS, "PLACE": PLACE, "REC": REC},
            labelled={"CIN": CIN_CATEGORY, "PLACE_PROVIDER": PLACE_PROVIDER,
                      "REASON_PLACE_CHANGE": REASON_PLACE_CHANGE},
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
            labelled={"ReferralSource": REFERRAL_SOURCE, "PrimaryNeedCode": PRIMARY_NEED,
                      "ReasonForClosure": REASON_FOR_CLOSURE},
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
            unique=(("LAchildID", "CPPID"),),  # as the census has it: a plan id is unique within the child
            labelled={"InitialCategoryOfAbuse": CATEGORY_OF_ABUSE},
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

# Every coded column and the codes the contract accepts in it (a pattern for ACCOM).
CODED: dict[str, frozenset[str] | str] = {
    column: allowed for t in TABLES.values() for column, allowed in {**t.codes, **t.labelled}.items()
}

# What each column holds, in words: record errors and warnings name the column in words
# first and by its field name in brackets, for the analyst.
COLUMN_NAMES: dict[str, str] = {
    "CHILD": "child's identifier",
    "SEX": "sex",
    "DOB": "date of birth",
    "ETHNIC": "ethnicity",
    "DECOM": "episode start date",
    "RNE": "reason for new episode",
    "LS": "legal status",
    "CIN": "category of need",
    "PLACE": "placement type",
    "PLACE_PROVIDER": "placement provider",
    "DEC": "episode end date",
    "REC": "reason episode ceased",
    "REASON_PLACE_CHANGE": "reason for placement change",
    "MISSING": "missing or away from placement",
    "MIS_START": "date the missing or away episode started",
    "MIS_END": "date the missing or away episode ended",
    "IN_TOUCH": "whether the local authority is in touch",
    "ACTIV": "care leaver's activity",
    "ACCOM": "care leaver's accommodation",
    "LAchildID": "child's identifier",
    "PersonBirthDate": "date of birth",
    "Sex": "sex",
    "CINdetailsID": "referral identifier",
    "CINreferralDate": "referral date",
    "ReferralSource": "referral source",
    "PrimaryNeedCode": "primary need",
    "CINclosureDate": "closure date",
    "ReasonForClosure": "reason for closure",
    "ReferralNFA": "referral with no further action",
    "AssessmentActualStartDate": "assessment start date",
    "AssessmentAuthorisationDate": "assessment authorisation date",
    "S47ActualStartDate": "section 47 enquiry start date",
    "DateOfInitialCPC": "date of the initial child protection conference",
    "ICPCnotRequired": "initial child protection conference not required",
    "CPPID": "child protection plan identifier",
    "CPPstartDate": "plan start date",
    "CPPendDate": "plan end date",
    "InitialCategoryOfAbuse": "initial category of abuse",
    "NumberOfPreviousCPP": "number of previous child protection plans",
    "period": "month",
    "worker_id": "social worker's identifier",
    "fte": "full-time equivalent (FTE)",
    "cases": "number of cases",
    "indicator": "indicator",
    "numerator": "numerator",
    "denominator": "denominator",
    "value": "value",
}
