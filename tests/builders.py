"""Tiny hand-made extracts: write only the rows a test needs, blanks elsewhere."""

from __future__ import annotations

import csv
from pathlib import Path

from scrutiny.data.schema import TABLES
from scrutiny.demo import write_starter

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "params" / "catalogue" / "2023-24.yaml"

PARAMS = {
    "period": "2023-11", "data": "data/demo", "catalogue": "params/catalogue/2023-24.yaml", "population": 100,
    "cover": {"decision_maker": "Committee", "meeting_date": "2024-02-01", "decision_type": "Non-Key",
              "title": "Performance", "contact_officer": "A", "chief_officer": "B", "ward": "All Wards"},
    "report": {
        "reason": "To update the committee. The index is as at the end of {month}.",
        "recommendations": ["The committee note the {month} outturns."],
        "commentary_opening": ["The dataset is reviewed annually."],
        "implications": {"vulnerable_adults_and_children": "Scrutiny supports improvement.",
                         "transformation_policy": "Existing policy.", "financial": "Not Applicable",
                         "personnel": "Not Applicable", "legal": "Not Applicable", "procurement": "Not Applicable",
                         "property": "Not Applicable", "carbon_reduction_social_value": "Not Applicable",
                         "customer_impact": "Members can ask challenging questions.",
                         "ward_councillor_views": "Not Applicable"},
        "background_documents": ["Children's Performance Management Framework (2023)"],
    },
}


def new_project(root: Path) -> Path:
    """A project folder holding the real catalogues and benchmark tables, for runs with their own params."""
    write_starter(root)
    return root


def write_table(folder: Path, name: str, rows: list[dict], columns: tuple[str, ...] | None = None) -> Path:
    spec = TABLES[name]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / spec.file
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns or spec.columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in (columns or spec.columns)})
    return path


def episode(child, decom, dec="", rne="S", ls="C2", place="U1", rec=None, **extra):
    """One episode row (ISO dates); REC defaults to E13 for a closed episode, X1 never implied."""
    if rec is None:
        rec = "E13" if dec else ""
    return {"CHILD": child, "DECOM": decom, "DEC": dec, "RNE": rne, "LS": ls, "PLACE": place, "REC": rec,
            "CIN": "N1", "PLACE_PROVIDER": "PR1", **extra}


def looked_after(folder: Path, children: dict[str, str], episodes: list[dict]) -> Path:
    """header.csv from {CHILD: DOB} and episodes.csv from rows."""
    write_table(folder, "header", [{"CHILD": c, "SEX": "1", "DOB": d, "ETHNIC": "WBRI"} for c, d in children.items()])
    write_table(folder, "episodes", episodes)
    return folder


def cp_plan(child, start, end="", previous="0", cppid=None) -> dict:
    """A row of cp_plans.csv: a plan for ``child`` starting ``start``."""
    return {"LAchildID": child, "CINdetailsID": "R1", "CPPID": cppid or f"{child}-{start}", "CPPstartDate": start,
            "CPPendDate": end, "InitialCategoryOfAbuse": "NEG", "NumberOfPreviousCPP": previous}


def result(folder: Path, indicator: str, period: str = "2023-11", population: float | None = None):
    """One computed indicator for one period of the extract in ``folder``."""
    from scrutiny.indicators.compute import compute_period
    from scrutiny.data.validate import load_extract

    (r,) = compute_period(load_extract(folder), period, population, [indicator])
    return r


def figures(r) -> tuple:
    return r.numerator, r.denominator, r.value


def tree_digest(root: Path) -> dict[str, str]:
    """sha256 and mode of every file under ``outputs/`` and ``params/`` (links followed), by relative path."""
    import hashlib
    import stat

    found = {}
    for top in ("outputs", "params"):
        for path in sorted((Path(root) / top).rglob("*")):
            if path.is_file():
                found[str(path.relative_to(root))] = (
                    f"{hashlib.sha256(path.read_bytes()).hexdigest()} {stat.filemode(path.stat().st_mode)}")
    return found


def copy_project(source: Path, target: Path) -> Path:
    """A copy of a project that has already run (outputs included), for a case that must change nothing."""
    import shutil

    shutil.copytree(source, target, symlinks=True)
    return target


def refused(root: Path, argv: list[str], capsys) -> str:
    """Run ``scrutiny ARGV --root ROOT`` in-process; assert it is refused, with no traceback and nothing changed.

    Returns what it printed on stderr (the one clear message), for the caller to check names
    the file and the row, column or key.
    """
    from scrutiny import cli

    before = tree_digest(root)
    capsys.readouterr()
    code = cli.main([*argv, "--root", str(root)])
    err = capsys.readouterr().err
    assert code != 0, f"not refused: {argv}"
    assert "Traceback" not in err
    assert tree_digest(root) == before, "a refused run changed files under outputs/ or params/"
    return err


# a Children in Need census and an SSDA903 return as case-management systems export them (hand-written)
CIN_CENSUS = """<?xml version="1.0" encoding="utf-8"?>
<Message>
  <Header><CollectionDetails><Collection>CIN</Collection><Year>2024</Year></CollectionDetails></Header>
  <Children>
    <Child>
      <ChildIdentifiers>
        <LAchildID>A1</LAchildID>
        <PersonBirthDate>2015-03-02</PersonBirthDate>
        <GenderCurrent>1</GenderCurrent>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2023-06-01</CINreferralDate>
        <ReferralSource>1A</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode>
        <ReferralNFA>0</ReferralNFA>
        <Assessments>
          <AssessmentActualStartDate>2023-06-01</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>2023-06-20</AssessmentAuthorisationDate>
        </Assessments>
        <CINPlanDates><CINPlanStartDate>2023-06-21</CINPlanStartDate></CINPlanDates>
        <Section47>
          <S47ActualStartDate>2023-06-05</S47ActualStartDate>
          <DateOfInitialCPC>2023-06-20</DateOfInitialCPC>
          <ICPCnotRequired>false</ICPCnotRequired>
        </Section47>
        <ChildProtectionPlans>
          <CPPstartDate>2023-06-20</CPPstartDate>
          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
          <NumberOfPreviousCPP>0</NumberOfPreviousCPP>
          <Reviews><CPPreviewDate>2023-09-20</CPPreviewDate></Reviews>
        </ChildProtectionPlans>
      </CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers>
        <LAchildID>B2</LAchildID>
        <PersonBirthDate>2012-11-30</PersonBirthDate>
        <Sex>2</Sex>
      </ChildIdentifiers>
      <CINdetails>
        <CINreferralDate>2023-07-03</CINreferralDate>
        <ReferralSource>5A</ReferralSource>
        <PrimaryNeedCode>N2</PrimaryNeedCode>
        <ReferralNFA>0</ReferralNFA>
        <Assessments>
          <AssessmentActualStartDate>2023-07-03</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>2023-10-02</AssessmentAuthorisationDate>
        </Assessments>
        <Section47>
          <S47ActualStartDate>2023-07-04</S47ActualStartDate>
          <DateOfInitialCPC>2023-08-15</DateOfInitialCPC>
        </Section47>
        <ChildProtectionPlans>
          <CPPstartDate>2023-08-15</CPPstartDate>
          <InitialCategoryOfAbuse>EMO</InitialCategoryOfAbuse>
          <NumberOfPreviousCPP>1</NumberOfPreviousCPP>
        </ChildProtectionPlans>
      </CINdetails>
    </Child>
  </Children>
</Message>
"""

SSDA903 = """<?xml version="1.0" encoding="utf-8"?>
<EXPSSDA903>
  <CHILD>
    <HEADER>
      <CHILDID>C1</CHILDID><UPN>A123</UPN><SEX>1</SEX><DOB>01/02/2010</DOB><ETHNIC>WBRI</ETHNIC>
      <AREVIEW><REVIEW>01/09/2023</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW>
      <AMISSING><MISSING>M</MISSING><MIS_START>03/10/2023</MIS_START><MIS_END>04/10/2023</MIS_END></AMISSING>
    </HEADER>
    <EPISODE><DECOM>01/04/2023</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>U1</PL><PLACE_PROVIDER>PR1</PLACE_PROVIDER>
      <DEC>01/08/2023</DEC><REC>X1</REC><REASON_PLACE_CHANGE>CARPL</REASON_PLACE_CHANGE></EPISODE>
    <EPISODE><DECOM>01/08/2023</DECOM><RNE>P</RNE><LS>C2</LS><CIN>N1</CIN><PL>U3</PL><PLACE_PROVIDER>PR4</PLACE_PROVIDER>
    </EPISODE>
  </CHILD>
  <CHILD>
    <HEADER>
      <CHILDID>C2</CHILDID><SEX>2</SEX><DOB>15/06/2004</DOB><ETHNIC>BAFR</ETHNIC>
      <IN_TOUCH>YES</IN_TOUCH><ACTIV>F2</ACTIV><ACCOM>B1</ACCOM>
    </HEADER>
  </CHILD>
</EXPSSDA903>
"""


def every_problem_folder(tmp_path: Path) -> Path:
    """An extract folder with one of each record error and warning, in every table."""
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
    return tmp_path


def same_extract(a, b) -> None:
    """Two loaded extracts are the same, frame for frame (types, index and Python objects included)."""
    import pandas as pd

    assert list(a.tables) == list(b.tables)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], check_exact=True, check_index_type=True)
        assert type(a.tables[name].index) is type(b.tables[name].index), name
        for column in a.tables[name].columns[a.tables[name].dtypes == object]:  # None stays None, not NaN
            assert list(a.tables[name][column].map(type)) == list(b.tables[name][column].map(type)), (name, column)
    pd.testing.assert_frame_equal(a.record_errors, b.record_errors)
    pd.testing.assert_frame_equal(a.warnings, b.warnings)
    assert (a.supplied, a.read, a.not_read, a.combined, a.folder) == (b.supplied, b.read, b.not_read, b.combined,
                                                                      b.folder)
