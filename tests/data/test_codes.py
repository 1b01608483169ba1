"""The code lists' labels and the contract's accepted codes cannot drift apart (scrutiny/data/codes.yaml)."""

from __future__ import annotations

import itertools
import re
import string

import pytest

from scrutiny.data import codes, schema

# every string of one or two upper-case letters or digits: all that the ACCOM pattern could accept
CANDIDATES = [a + b for a in string.ascii_uppercase + string.digits for b in ["", *string.ascii_uppercase,
                                                                           *string.digits]]


def accepted(column: str) -> set[str]:
    allowed = schema.CODED[column]
    if isinstance(allowed, str):
        assert all(len(c) <= 2 for c in CANDIDATES)
        return {c for c in CANDIDATES if re.match(allowed, c)}
    return set(allowed)


def test_a_list_for_every_coded_column_and_for_nothing_else():
    assert set(codes.fields()) == set(schema.CODED)
    every_column = {c for t in schema.TABLES.values() for c in t.columns}
    assert set(codes.fields()) <= every_column


@pytest.mark.parametrize("column", sorted(schema.CODED))
def test_every_accepted_code_has_a_label_and_no_other_code_has_one(column):
    assert set(codes.labels(column)) == accepted(column)


def test_the_accom_pattern_is_checked_over_every_code_it_could_accept():
    assert len(accepted("ACCOM")) == 26 * 2 + 1
    assert codes.label("ACCOM", "W2") == "Bed and breakfast, considered unsuitable"
    assert codes.label("ACCOM", "Z1") == "With former foster carers, considered suitable"
    # a letter the national list does not have is accepted by the contract: its words say only what is known
    assert codes.label("ACCOM", "A1") == "Accommodation of a type not in the national list, considered suitable"
    assert codes.label("ACCOM", "A3") == codes.NOT_RECORDED


@pytest.mark.parametrize("column", sorted(schema.CODED))
def test_labels_are_words_not_codes(column):
    every_code = set().union(*(accepted(c) for c in schema.CODED))
    for code, text in codes.labels(column).items():
        assert text and text[0].isupper() and text == text.strip(), (column, code, text)
        assert text not in every_code, (column, code, text)
        assert text != codes.NOT_RECORDED


@pytest.mark.parametrize("column", sorted(set(schema.CODED) - {"ACCOM"}))
def test_no_two_codes_of_a_list_share_a_description(column):
    texts = list(codes.labels(column).values())
    assert len(texts) == len(set(texts)), column


def test_the_examples_the_issue_names():
    assert codes.label("LS", "C2") == "Full care order"
    assert codes.label("ReferralSource", "1B") == "Individual – acquaintance (including neighbours and child minders)"
    assert codes.label("REASON_PLACE_CHANGE", "CLOSE") == "Resignation/closure of provision"
    assert codes.label("InitialCategoryOfAbuse", "NEG") == "Neglect"
    assert codes.label("PrimaryNeedCode", "N0") == "Not stated"
    assert codes.label("REC", "E11") == "Adopted – application for an adoption order unopposed"
    assert codes.label("ACTIV", "G6") == "Not in education, training or employment, owing to pregnancy or parenting"


@pytest.mark.parametrize("code", ["", "   ", None, "c2", "Q9"])
def test_blank_and_unknown_codes_are_not_recorded(code):
    assert codes.label("LS", code) == codes.NOT_RECORDED
    assert codes.group("PLACE", code) == codes.NOT_RECORDED


def test_a_column_without_a_list_is_a_mistake_not_a_label():
    with pytest.raises(KeyError, match="no code list for column 'DECOM'"):
        codes.label("DECOM", "2023-01-01")


def test_the_ssda903_category_of_need_reads_as_the_census_primary_need():
    cin = codes.labels("CIN")
    assert cin == {c: codes.label("PrimaryNeedCode", c) for c in cin}


@pytest.mark.parametrize("column", [c for c in sorted(schema.CODED) if codes.groups(c)])
def test_groups_hold_each_accepted_code_exactly_once(column):
    grouped = list(itertools.chain.from_iterable(codes.groups(column).values()))
    assert sorted(grouped) == sorted(accepted(column))
    assert all(codes.group(column, c) in codes.groups(column) for c in grouped)


def test_groups_agree_with_the_codes_the_indicators_use():
    place, activ = codes.groups("PLACE"), codes.groups("ACTIV")
    assert set(place["Placed for adoption"]) == schema.PLACED_FOR_ADOPTION
    in_eet = {"Higher education i.e. studies beyond A level", "Education other than higher education",
              "In an apprenticeship", "In training or employment (excl. apprenticeship)", "In training or employment"}
    assert set().union(*(activ[g] for g in in_eet)) == schema.ACTIV_EET
    # care_leavers_suitable_accommodation counts an ACCOM code ending in 1 as suitable
    suitable = set(codes.groups("ACCOM")["Accommodation considered suitable"])
    assert suitable == {c for c in accepted("ACCOM") if c.endswith("1")}


def test_every_list_says_where_it_is_published():
    for column in codes.fields():
        assert re.match(r"^(SSDA903 guide|Children in need census guide), ", codes.source(column)), column


def test_every_column_of_the_contract_has_words_for_the_data_quality_section():
    every_column = {c for t in schema.TABLES.values() for c in t.columns}
    assert every_column <= set(schema.COLUMN_NAMES)
    assert set(schema.COLUMN_NAMES) <= every_column
