"""Disclosure across time: differencing of year-to-date counts, revisions against the ledger, the ledger itself."""

from __future__ import annotations

import copy
import json
from types import SimpleNamespace as N

import pytest

from scrutiny.assess.across_time import differencing_withheld, ledger_with, read_ledger, revision_withheld
from scrutiny.data.periods import Period

T, F = True, False
YTD = N(year_to_date=True, unit="count")


def months(*texts):
    return [Period.parse(t) for t in texts]


def counts(*values):
    return [N(value=v, numerator=v, denominator=None) for v in values]


# --- differencing of year-to-date counts -----------------------------------------------------------

@pytest.mark.parametrize("values, withheld", [
    ((0, 2, 9, 11), [F, T, F, T]),        # 2 is small; 11 - 9 = 2 tells of 2 added
    ((0,), [F]),                          # a true zero is shown
    ((1,), [T]),
    ((5,), [T]),
    ((6,), [F]),
    ((10, 10), [F, F]),                   # no change: a difference of 0 tells nothing
    ((10, 11), [F, T]),                   # a difference of 1
    ((10, 15), [F, T]),                   # ... of 5
    ((10, 16), [F, F]),                   # ... of 6
    ((20, 17), [F, T]),                   # a fall is a difference too
    ((10, 13, 16), [F, T, F]),            # the 13 is withheld, so only the 10 is compared with the 16
    ((10, 16, 13), [F, F, T]),
    ((10, 20, 14), [F, F, T]),            # compared with every month shown, not only the last
    ((10, None, 13), [F, F, T]),          # a missing month is skipped
])
def test_differencing_within_a_financial_year(values, withheld):
    periods = months(*[f"2023-{m:02d}" for m in range(4, 4 + len(values))])
    assert differencing_withheld(YTD, periods, counts(*values)) == withheld


def test_differencing_starts_again_each_financial_year():
    periods = months("2024-02", "2024-03", "2024-04", "2024-05")
    assert differencing_withheld(YTD, periods, counts(30, 40, 42, 44)) == [F, F, F, T]


@pytest.mark.parametrize("definition", [N(year_to_date=False, unit="count"), N(unit="percent")])
def test_differencing_applies_only_to_year_to_date_counts(definition):
    periods = months("2023-04", "2023-05", "2023-06")
    assert differencing_withheld(definition, periods, counts(10, 12, 3)) == [F, F, F]


# --- revisions against the ledger ------------------------------------------------------------------

@pytest.mark.parametrize("unit, before, now, withheld", [
    ("count", (10, None), (10, None), F),        # unchanged
    ("count", (10, None), (11, None), T),        # revised by 1
    ("count", (10, None), (15, None), T),        # ... by 5
    ("count", (10, None), (16, None), F),        # ... by 6
    ("count", (10, None), (7, None), T),         # revised down by 3
    ("count", (None, None), (13, None), F),      # the paper withheld it: no difference to take
    ("count", (10, None), (None, None), F),
    ("percent", (10, 40), (10, 43), T),          # the denominator is a count of children
    ("percent", (10, 40), (10, 46), F),
    ("percent", (10, 40), (12, 40), T),
    ("days", (2000, 40), (2000, 44), T),         # the denominator is a count of children
    ("days", (2000, 40), (2000, 46), F),
    ("per_10000", (10, 60000), (10, 60003), F),  # the population is not a count of children
    ("per_10000", (10, 60000), (13, 60003), T),
    ("per_fte", (40, 10), (40, 12), F),          # nor are FTE
])
def test_revision_withheld(unit, before, now, withheld):
    published = {"2023-10": {"numerator": before[0], "denominator": before[1], "value": None}}
    results = [N(numerator=now[0], denominator=now[1], value=1.0)]
    assert revision_withheld(N(unit=unit), months("2023-10"), results, published) == [withheld]


def test_revision_withheld_month_by_month():
    published = {"2023-09": {"numerator": 20, "denominator": None}, "2023-10": {"numerator": 30, "denominator": None}}
    periods = months("2023-08", "2023-09", "2023-10", "2023-11")
    results = counts(50, 22, 30, 31)                                   # 2023-08 and 2023-11 were never published
    assert revision_withheld(N(unit="count"), periods, results, published) == [F, T, F, F]


# --- the ledger -----------------------------------------------------------------------------------

def test_ledger_with_adds_this_months_public_figures():
    got = ledger_with({}, "2023-11", {"cp_repeat": {"numerator": None, "denominator": 40, "value": None},
                                      "cla_rate": {"numerator": 70, "denominator": 60000, "value": 11.7}})
    assert got == {"cp_repeat": {"2023-11": {"numerator": None, "denominator": 40, "value": None}},
                   "cla_rate": {"2023-11": {"numerator": 70, "denominator": 60000, "value": 11.7}}}


def test_ledger_with_first_publication_wins():
    ledger = {"cp_repeat": {"2023-10": {"numerator": 10, "denominator": 40, "value": 25.0}}}
    before = copy.deepcopy(ledger)
    got = ledger_with(ledger, "2023-10", {"cp_repeat": {"numerator": 12, "denominator": 40, "value": 30.0}})
    assert got == before                       # a re-run of a published month changes nothing
    got = ledger_with(ledger, "2023-11", {"cp_repeat": {"numerator": 14, "denominator": 41, "value": 34.1}})
    assert got == {"cp_repeat": {"2023-10": {"numerator": 10, "denominator": 40, "value": 25.0},
                                 "2023-11": {"numerator": 14, "denominator": 41, "value": 34.1}}}
    assert ledger == before                    # the ledger passed in is not changed


def test_read_ledger(tmp_path):
    assert read_ledger(None) == {} and read_ledger(str(tmp_path / "missing.json")) == {}
    path = tmp_path / "published.json"
    path.write_text(json.dumps({"x": {"2023-10": {"numerator": 10}}}), encoding="utf-8")
    assert read_ledger(str(path)) == {"x": {"2023-10": {"numerator": 10}}}


def test_the_ledger_is_read_from_every_final_month_and_the_first_publication_wins(tmp_path):
    import json

    for period, numerator in [("2023-10", 10), ("2023-11", 12)]:
        path = tmp_path / period / "confidential" / "published.json"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps({"cp_repeat": {period: {"numerator": numerator, "denominator": 40,
                                                           "value": None}}}))
    (tmp_path / "published.json").write_text(json.dumps({"cp_repeat": {
        "2023-10": {"numerator": 99, "denominator": 99, "value": None},
        "2023-09": {"numerator": 8, "denominator": 40, "value": None}}}))
    ledger = read_ledger(str(tmp_path / "published.json"))
    assert ledger["cp_repeat"]["2023-10"]["numerator"] == 10       # the month's own file, written with its papers
    assert ledger["cp_repeat"]["2023-11"]["numerator"] == 12
    assert ledger["cp_repeat"]["2023-09"]["numerator"] == 8        # an older single-file ledger still counts
    assert read_ledger(None) == {} and read_ledger(str(tmp_path / "nowhere" / "published.json")) == {}
