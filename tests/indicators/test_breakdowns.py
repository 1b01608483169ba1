"""Breakdowns show members words, never data codes: exact categories on tiny extracts, and over a synthetic one."""

from __future__ import annotations

import pytest
from builders import cp_plan, episode, looked_after, write_table

from scrutiny.data import codes, schema
from scrutiny.data.periods import Period
from scrutiny.data.validate import load_extract
from scrutiny.indicators import Context
from scrutiny.indicators.breakdowns import BREAKDOWNS, PLACE_GROUPS, breakdown_for

E = "2023-11"  # W12 runs from 1 December 2022 to 30 November 2023
NOT_RECORDED = "Not recorded"


def shown(folder, indicator_id: str) -> list[tuple[str, int]]:
    caption, frame = breakdown_for(indicator_id, Context(load_extract(folder), Period.parse(E)))
    return list(zip(frame["category"], frame["count"].astype(int)))


def test_legal_status_is_the_national_description(tmp_path):
    looked_after(tmp_path, {k: "2012-01-01" for k in "ABCDEF"}, [
        episode("A", "2023-01-01", ls="C2"), episode("B", "2022-01-01", ls="C2"), episode("C", "2023-05-01", ls="C1"),
        episode("D", "2021-01-01", ls="E1"), episode("E", "2023-10-01", ls="V2"),
        episode("F", "2020-01-01", "2023-01-01", ls="C2"),   # left care before E: not counted
    ])
    assert shown(tmp_path, "cla_rate") == [
        ("Full care order", 2), ("Interim care order", 1), ("Placement order granted", 1),
        ("Single period of accommodation under section 20 (Children Act 1989)", 1)]


def test_placement_type_is_the_dfe_published_category(tmp_path):
    places = {"A": "U1", "B": "U6", "C": "K2", "D": "H5", "E": "P2", "F": "A5", "G": "R5", "H": "S1", "I": "Z1",
              "J": "P1", "K": "K1"}
    looked_after(tmp_path, {k: "2012-01-01" for k in places},
                 [episode(k, "2023-01-01", place=p) for k, p in places.items()])
    assert shown(tmp_path, "cla_count") == [
        ("Foster placements", 2),
        ("Independent and semi-independent living arrangements/supported accommodation", 2),
        ("Secure homes and children's homes", 2),
        ("Other placements", 1), ("Other residential settings", 1), ("Placed for adoption", 1),
        ("Placed with parents or other person with parental responsibility", 1), ("Residential schools", 1)]


def test_placement_groups_are_built_from_the_code_list():
    assert PLACE_GROUPS == dict(codes.groups("PLACE"))
    assert sorted(c for cs in PLACE_GROUPS.values() for c in cs) == sorted(schema.PLACE)


def test_missing_breakdown_is_by_the_last_placement_in_the_year(tmp_path):
    looked_after(tmp_path, {"A": "2010-01-01", "B": "2010-01-01"}, [
        episode("A", "2022-01-01", "2023-03-01", place="U4", rec="X1"),
        episode("A", "2023-03-01", "2023-06-01", rne="P", place="K2"),   # left care in the year, last in K2
        episode("B", "2022-06-01", place="U1"),
    ])
    write_table(tmp_path, "missing", [])
    assert shown(tmp_path, "cla_missing") == [("Foster placements", 1), ("Secure homes and children's homes", 1)]


def test_reason_for_placement_change_is_the_national_description(tmp_path):
    looked_after(tmp_path, {"A": "2010-01-01"}, [
        episode("A", "2022-01-01", "2023-01-01", rec="X1"),
        episode("A", "2023-01-01", "2023-03-01", rne="P", rec="X1", REASON_PLACE_CHANGE="CLOSE"),
        episode("A", "2023-03-01", "2023-05-01", rne="T", rec="X1", REASON_PLACE_CHANGE="CLOSE"),
        episode("A", "2023-05-01", "2023-07-01", rne="B", rec="X1", REASON_PLACE_CHANGE="CREQB"),
        episode("A", "2023-07-01", "2023-08-01", rne="U", rec="X1", REASON_PLACE_CHANGE=""),
        episode("A", "2023-08-01", "2023-09-01", rne="P", rec="X1", REASON_PLACE_CHANGE="WHIM"),  # not a code
        episode("A", "2023-09-01", rne="L", REASON_PLACE_CHANGE="CARPL"),     # legal status only: not a move
    ])
    assert shown(tmp_path, "cla_placement_stability_short") == [
        ("Not recorded", 2), ("Resignation/closure of provision", 2),
        ("Carer(s) requests placement end due to child's behaviour", 1)]


def test_referral_source_is_the_national_description(tmp_path):
    write_table(tmp_path, "cin_details", [
        {"LAchildID": k, "CINdetailsID": f"R{n}", "CINreferralDate": date, "ReferralSource": source}
        for n, (k, date, source) in enumerate([
            ("A", "2023-01-01", "1B"), ("B", "2023-02-01", "6"), ("C", "2023-03-01", "6"), ("D", "2023-04-01", ""),
            ("E", "2023-05-01", "10"), ("F", "2022-01-01", "6")])])   # F: before W12
    assert shown(tmp_path, "cin_rereferrals") == [
        ("Police", 2), ("Individual – acquaintance (including neighbours and child minders)", 1),
        ("Not recorded", 1), ("Unknown", 1)]


def test_category_of_abuse_is_the_national_description(tmp_path):
    write_table(tmp_path, "cp_plans", [
        {**cp_plan("A", "2023-01-01"), "InitialCategoryOfAbuse": "NEG"},
        {**cp_plan("B", "2023-02-01"), "InitialCategoryOfAbuse": "NEG"},
        {**cp_plan("C", "2023-03-01", "2023-06-01"), "InitialCategoryOfAbuse": "SAB"},
        {**cp_plan("D", "2023-04-01"), "InitialCategoryOfAbuse": "MUL"},
        {**cp_plan("E", "2021-04-01"), "InitialCategoryOfAbuse": "PHY"},
    ])
    assert shown(tmp_path, "cp_repeat") == [("Neglect", 2), ("Multiple", 1), ("Sexual abuse", 1)]
    assert shown(tmp_path, "cp_two_years_plus") == [("Neglect", 2), ("Multiple", 1), ("Physical abuse", 1)]


def leaver(child, activ, accom):
    return {"CHILD": child, "DOB": "2004-06-15", "IN_TOUCH": "YES", "ACTIV": activ, "ACCOM": accom}


def test_care_leavers_activity_and_accommodation_are_the_dfe_published_categories(tmp_path):
    write_table(tmp_path, "oc3", [leaver("A", "F1", "U1"), leaver("B", "P1", "Z1"), leaver("C", "F4", "W2"),
                                  leaver("D", "G6", "0"), leaver("E", "0", "A1"), leaver("F", "F2", "B2")])
    assert shown(tmp_path, "care_leavers_eet") == [
        ("Higher education i.e. studies beyond A level", 2), ("Education other than higher education", 1),
        ("In an apprenticeship", 1), ("Information not known", 1),
        ("Not in education, training or employment, owing to pregnancy or parenting", 1)]
    assert shown(tmp_path, "care_leavers_suitable_accommodation") == [
        ("Accommodation considered suitable", 3), ("Accommodation considered unsuitable", 2), ("No information", 1)]


def test_bands_are_words_already(tmp_path):
    looked_after(tmp_path, {"A": "2023-06-01", "B": "2016-01-01", "C": "2008-01-01"}, [
        episode("A", "2023-07-01"), episode("B", "2023-02-01"), episode("C", "2023-03-01", ls="V2")])
    assert shown(tmp_path, "cla_s20_older_starters") == [("14 to 17", 1), ("5 to 9", 1), ("Under 1", 1)]
    write_table(tmp_path, "caseloads", [{"period": E, "worker_id": f"W{k}", "fte": "1", "cases": str(cases)}
                                        for k, cases in enumerate([4, 12, 12, 30, 0])])
    assert shown(tmp_path, "caseload_average") == [("11 to 15", 2), ("1 to 10", 1), ("More than 25", 1)]


# -- over a synthetic extract ----------------------------------------------------------------------

EVERY_CODE = {c for allowed in schema.CODED.values() if not isinstance(allowed, str) for c in allowed} | {
    c for c in codes.labels("ACCOM")}
WORDS = ({t for f in codes.fields() for t in codes.labels(f).values()}
         | {g for f in codes.fields() for g in codes.groups(f)}
         | {NOT_RECORDED, "Under 1", "1 to 4", "5 to 9", "10 to 13", "14 to 17", "18 and over",
            "1 to 10", "11 to 15", "16 to 20", "21 to 25", "More than 25"})


@pytest.fixture(scope="module")
def synthetic(synthetic_extract):
    return Context(load_extract(synthetic_extract), Period.parse(E))


@pytest.mark.parametrize("indicator_id", sorted(BREAKDOWNS))
def test_every_breakdown_category_is_a_label_not_a_code(synthetic, indicator_id):
    found = breakdown_for(indicator_id, synthetic)
    assert found is not None, indicator_id
    caption, frame = found
    categories = set(frame["category"])
    assert categories and frame["count"].sum() > 0, indicator_id
    assert not categories & EVERY_CODE, (indicator_id, categories & EVERY_CODE)
    assert categories <= WORDS, (indicator_id, categories - WORDS)
