"""The national returns as councils hold them: hand-written CIN census and SSDA903 XML, read into the contract."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from builders import CIN_CENSUS, SSDA903

from scrutiny import cli
from scrutiny.data.load import ROW, SOURCE, read_extract
from scrutiny.data.validate import load_extract
from scrutiny.errors import ExtractStructureError
from scrutiny.indicators.compute import compute_period

def strings(frame: pd.DataFrame, columns) -> list[dict]:
    out = frame[list(columns)].copy()
    for c in out:
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = out[c].dt.strftime("%Y-%m-%d").fillna("")
    return out.to_dict("records")


def test_a_cin_census_reads_into_the_contracts_tables_exactly(tmp_path):
    (tmp_path / "cin-2024.xml").write_text(CIN_CENSUS)
    t = read_extract(tmp_path)
    assert set(t) == {"child_identifiers", "cin_details", "assessments", "section47", "cp_plans"}
    assert strings(t["child_identifiers"], ["LAchildID", "PersonBirthDate", "Sex"]) == [
        {"LAchildID": "A1", "PersonBirthDate": "2015-03-02", "Sex": "1"},   # GenderCurrent, before Sex
        {"LAchildID": "B2", "PersonBirthDate": "2012-11-30", "Sex": "2"}]
    assert strings(t["cin_details"], ["LAchildID", "CINdetailsID", "CINreferralDate", "ReferralSource",
                                      "PrimaryNeedCode", "CINclosureDate", "ReasonForClosure", "ReferralNFA"]) == [
        {"LAchildID": "A1", "CINdetailsID": "A1:2023-06-01", "CINreferralDate": "2023-06-01", "ReferralSource": "1A",
         "PrimaryNeedCode": "N1", "CINclosureDate": "", "ReasonForClosure": "", "ReferralNFA": "0"},
        {"LAchildID": "B2", "CINdetailsID": "B2:2023-07-03", "CINreferralDate": "2023-07-03", "ReferralSource": "5A",
         "PrimaryNeedCode": "N2", "CINclosureDate": "", "ReasonForClosure": "", "ReferralNFA": "0"}]
    assert strings(t["assessments"], ["CINdetailsID", "AssessmentActualStartDate", "AssessmentAuthorisationDate"]) == [
        {"CINdetailsID": "A1:2023-06-01", "AssessmentActualStartDate": "2023-06-01",
         "AssessmentAuthorisationDate": "2023-06-20"},
        {"CINdetailsID": "B2:2023-07-03", "AssessmentActualStartDate": "2023-07-03",
         "AssessmentAuthorisationDate": "2023-10-02"}]
    assert strings(t["section47"], ["LAchildID", "S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"]) == [
        {"LAchildID": "A1", "S47ActualStartDate": "2023-06-05", "DateOfInitialCPC": "2023-06-20",
         "ICPCnotRequired": "false"},
        {"LAchildID": "B2", "S47ActualStartDate": "2023-07-04", "DateOfInitialCPC": "2023-08-15",
         "ICPCnotRequired": ""}]
    assert strings(t["cp_plans"], ["LAchildID", "CINdetailsID", "CPPID", "CPPstartDate", "CPPendDate",
                                   "InitialCategoryOfAbuse", "NumberOfPreviousCPP"]) == [
        {"LAchildID": "A1", "CINdetailsID": "A1:2023-06-01", "CPPID": "2023-06-20", "CPPstartDate": "2023-06-20",
         "CPPendDate": "", "InitialCategoryOfAbuse": "NEG", "NumberOfPreviousCPP": "0"},
        {"LAchildID": "B2", "CINdetailsID": "B2:2023-07-03", "CPPID": "2023-08-15", "CPPstartDate": "2023-08-15",
         "CPPendDate": "", "InitialCategoryOfAbuse": "EMO", "NumberOfPreviousCPP": "1"}]
    # each row says where it came from: the file, and the line its element starts on
    assert set(t["cp_plans"][SOURCE]) == {"cin-2024.xml"} and list(t["cp_plans"][ROW]) == [27, 54]


def test_two_children_give_exactly_the_figures_worked_out_by_hand(tmp_path):
    (tmp_path / "cin-2024.xml").write_text(CIN_CENSUS)
    got = {r.id: (r.numerator, r.denominator) for r in compute_period(load_extract(tmp_path), "2023-11")
           if r.status == "ok"}
    # A: assessment in 13 working days, conference 11 working days after the enquiry, first plan;
    # B: assessment in 65 working days, conference in 30, a plan with one before it; nobody referred twice
    assert got == {"cin_assessments_45wd": (1, 2), "cp_icpc_15wd": (1, 2), "cp_repeat": (1, 2),
                   "cp_two_years_plus": (0, 2), "cin_rereferrals": (0, 2)}


def test_an_ssda903_return_reads_with_its_element_names_mapped(tmp_path):
    (tmp_path / "903-2024.xml").write_text(SSDA903)
    t = read_extract(tmp_path)
    assert strings(t["header"], ["CHILD", "SEX", "DOB", "ETHNIC"]) == [
        {"CHILD": "C1", "SEX": "1", "DOB": "2010-02-01", "ETHNIC": "WBRI"},
        {"CHILD": "C2", "SEX": "2", "DOB": "2004-06-15", "ETHNIC": "BAFR"}]
    assert strings(t["episodes"], ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                                   "REASON_PLACE_CHANGE"]) == [
        {"CHILD": "C1", "DECOM": "2023-04-01", "RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": "U1",
         "PLACE_PROVIDER": "PR1", "DEC": "2023-08-01", "REC": "X1", "REASON_PLACE_CHANGE": "CARPL"},
        {"CHILD": "C1", "DECOM": "2023-08-01", "RNE": "P", "LS": "C2", "CIN": "N1", "PLACE": "U3",
         "PLACE_PROVIDER": "PR4", "DEC": "", "REC": "", "REASON_PLACE_CHANGE": ""}]
    assert strings(t["missing"], ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"]) == [
        {"CHILD": "C1", "DOB": "2010-02-01", "MISSING": "M", "MIS_START": "2023-10-03", "MIS_END": "2023-10-04"}]
    assert strings(t["oc3"], ["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"]) == [   # care leavers only
        {"CHILD": "C2", "DOB": "2004-06-15", "IN_TOUCH": "YES", "ACTIV": "F2", "ACCOM": "B1"}]


@pytest.mark.parametrize("xml", [CIN_CENSUS, SSDA903])
def test_the_same_indicators_from_the_xml_and_from_its_converted_csvs(tmp_path, xml, capsys):
    source, out = tmp_path / "extract", tmp_path / "converted"
    source.mkdir()
    (source / "return.xml").write_text(xml)
    assert cli.main(["convert", "--from", str(source), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "read return.xml: " in printed and "wrote " in printed
    from_xml = compute_period(load_extract(source), "2023-11", 1000)
    from_csv = compute_period(load_extract(out), "2023-11", 1000)
    assert [r.as_record() for r in from_xml] == [r.as_record() for r in from_csv]
    assert any(r.status == "ok" for r in from_xml)
    assert oct(out.stat().st_mode & 0o777) == "0o700"


def test_every_file_is_read_or_said_not_to_be(tmp_path, capsys):
    (tmp_path / "extract").mkdir()
    (tmp_path / "extract" / "cin.xml").write_text(CIN_CENSUS)
    (tmp_path / "extract" / "notes.txt").write_text("hello")
    (tmp_path / "extract" / "other.xml").write_text("<Report><Row/></Report>")
    assert cli.main(["convert", "--from", str(tmp_path / "extract"), "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "read cin.xml: Children in Need census XML for 2024: 2 child_identifiers, 2 cin_details" in printed
    assert "not read notes.txt: not a contract file name" in printed
    assert "not read other.xml: XML, but neither a Children in Need census (Message) nor an SSDA903" in printed


def test_a_folder_of_files_the_workbook_cannot_read_is_refused_saying_why(tmp_path):
    (tmp_path / "other.xml").write_text("<Report/>")
    with pytest.raises(ExtractStructureError) as caught:
        read_extract(tmp_path)
    assert "(not read: other.xml: XML, but neither" in caught.value.describe()


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{k} "{("&lol" + str(k - 1) + ";") * 10 if k > 1 else "&lol;" * 10}">'
                            for k in range(1, 10))
                  + ']><Message><Children><Child><ChildIdentifiers><LAchildID>&lol9;</LAchildID>'
                    "</ChildIdentifiers></Child></Children></Message>")
EXTERNAL = ('<?xml version="1.0"?><!DOCTYPE m [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            "<Message><Children><Child><ChildIdentifiers><LAchildID>&xxe;</LAchildID></ChildIdentifiers></Child>"
            "</Children></Message>")


@pytest.mark.parametrize("text, message", [
    (BILLION_LAUGHS, "declares a DOCTYPE or entities"),
    (EXTERNAL, "declares a DOCTYPE or entities"),
    ("<Message><Children><Child></Children></Message>", "is not well-formed XML at line 1: Opening and ending tag "
                                                        "mismatch: Child"),
])
def test_malicious_or_malformed_xml_is_refused_quickly_with_nothing_written(tmp_path, text, message, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "cin.xml").write_text(text)
    start = time.perf_counter()
    assert cli.main(["convert", "--from", str(tmp_path / "in"), "--out", str(tmp_path / "out")]) == 2
    assert time.perf_counter() - start < 5
    err = capsys.readouterr().err
    assert f"cin.xml" in err and message in err and "root:" not in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_a_200_mb_return_is_refused_before_it_is_read(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    with open(tmp_path / "in" / "cin.xml", "wb") as handle:
        handle.truncate(200 * 2**20)   # sparse: 200 MB that take no disk
    start = time.perf_counter()
    assert cli.main(["convert", "--from", str(tmp_path / "in"), "--out", str(tmp_path / "out")]) == 2
    assert time.perf_counter() - start < 2
    assert "cin.xml: is 200 MB: a return of more than 100 MB is not read" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_cppid_is_unique_within_the_child_not_across_the_file(tmp_path):
    two = CIN_CENSUS.replace("2023-08-15</CPPstartDate>", "2023-06-20</CPPstartDate>")  # same start, two children
    (tmp_path / "cin.xml").write_text(two)
    plans = read_extract(tmp_path)["cp_plans"]
    assert list(plans["CPPID"]) == ["2023-06-20", "2023-06-20"]


EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE\n"
HEADER = "CHILD,SEX,DOB,ETHNIC\n"


def test_stacked_yearly_returns_give_the_same_indicators_as_the_combined_return(tmp_path):
    stacked, combined = tmp_path / "stacked", tmp_path / "combined"
    stacked.mkdir(), combined.mkdir()
    # 2022's return: D1's episode open at its year end; 2023's: the same episode closed, and a new child
    (stacked / "2022-episodes.csv").write_text(EPISODES + "D1,01/06/2022,S,C2,N1,U1,PR1,,,\n"
                                                          "D2,01/01/2022,S,C2,N1,U1,PR1,01/03/2022,E13,\n")
    (stacked / "2023_episodes.csv").write_text(EPISODES + "D1,01/06/2022,S,C2,N1,U1,PR1,01/09/2023,E13,\n"
                                                          "D3,01/05/2023,S,V2,N2,U4,PR1,,,\n")
    (stacked / "header-2022.csv").write_text(HEADER + "D1,1,01/01/2012,WBRI\nD2,2,01/01/2009,WBRI\n")
    (stacked / "header-2023.csv").write_text(HEADER + "D1,1,01/01/2012,WBRI\nD3,1,01/01/2008,BAFR\n")
    (combined / "episodes.csv").write_text(EPISODES + "D2,01/01/2022,S,C2,N1,U1,PR1,01/03/2022,E13,\n"
                                                      "D1,01/06/2022,S,C2,N1,U1,PR1,01/09/2023,E13,\n"
                                                      "D3,01/05/2023,S,V2,N2,U4,PR1,,,\n")
    (combined / "header.csv").write_text(HEADER + "D2,2,01/01/2009,WBRI\nD1,1,01/01/2012,WBRI\n"
                                                  "D3,1,01/01/2008,BAFR\n")
    for period in ("2023-08", "2023-11"):
        a = compute_period(load_extract(stacked), period, 1000)
        b = compute_period(load_extract(combined), period, 1000)
        assert [r.as_record() for r in a] == [r.as_record() for r in b]
    from scrutiny.data.load import READ_LOG
    said = dict(READ_LOG[str(stacked)].combined)
    assert said["episodes"] == ("episodes.csv combined from 2022-episodes.csv (2), 2023_episodes.csv (2); 1 record(s) "
                                "of 2022-episodes.csv superseded by 2023_episodes.csv")


def test_the_same_record_in_two_returns_of_one_year_cannot_be_resolved(tmp_path):
    (tmp_path / "2023-episodes.csv").write_text(EPISODES + "D1,01/06/2022,S,C2,N1,U1,PR1,,,\n")
    (tmp_path / "episodes_2023.csv").write_text(EPISODES + "D1,01/06/2022,S,C2,N1,U1,PR1,01/09/2023,E13,\n")
    with pytest.raises(ExtractStructureError) as caught:
        read_extract(tmp_path)
    assert "CHILD D1, DECOM 2022-06-01 is also in another 2023 return" in caught.value.describe()


def test_two_years_of_census_xml_combine_the_later_superseding_the_earlier(tmp_path):
    earlier = CIN_CENSUS.replace("<Year>2024</Year>", "<Year>2023</Year>").replace(
        "<ReferralNFA>0</ReferralNFA>", "<ReferralNFA>1</ReferralNFA>", 1)
    (tmp_path / "cin-a.xml").write_text(earlier)
    (tmp_path / "cin-b.xml").write_text(CIN_CENSUS)
    t = read_extract(tmp_path)
    assert list(t["cin_details"]["ReferralNFA"]) == ["0", "0"] and set(t["cin_details"][SOURCE]) == {"cin-b.xml"}
    from scrutiny.data.load import READ_LOG
    said = dict(READ_LOG[str(tmp_path)].combined)["cin_details"]
    assert said.endswith("2 record(s) of cin-a.xml superseded by cin-b.xml")


def test_a_doctype_in_utf16_is_refused_too(tmp_path):
    (tmp_path / "cin.xml").write_bytes(EXTERNAL.replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
                                       .encode("utf-16"))
    with pytest.raises(ExtractStructureError) as caught:
        read_extract(tmp_path)
    assert "cin.xml: declares a DOCTYPE or entities" in caught.value.describe()


def test_broken_yearly_files_are_reported_not_combined(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    for year in (2022, 2023):
        (tmp_path / "in" / f"{year}-episodes.csv").write_text("CHILD,DECOM\nD1,01/06/2022\n")
    assert cli.main(["convert", "--from", str(tmp_path / "in"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "2022-episodes.csv" in err and "2023-episodes.csv" in err and "Traceback" not in err


def test_convert_into_a_folder_that_cannot_be_made_is_one_message(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "cin.xml").write_text(CIN_CENSUS)
    (tmp_path / "afile").write_text("x")
    assert cli.main(["convert", "--from", str(tmp_path / "in"), "--out", str(tmp_path / "afile" / "x")]) == 2
    err = capsys.readouterr().err
    assert "cannot be made" in err and "Traceback" not in err
