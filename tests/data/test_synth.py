"""The synthetic authority looks like England: its outturns sit near the published England figures."""

from __future__ import annotations

import datetime

import pytest
from builders import ROOT

from scrutiny.assess.benchmarks import BenchmarkTable
from scrutiny.indicators.compute import compute_period
from scrutiny.data.synth import synthesise
from scrutiny.data.validate import load_extract

ENGLAND = BenchmarkTable.read(ROOT / "params" / "benchmarks" / "E09000006.csv")
LATEST = datetime.date(2025, 11, 30)


@pytest.fixture(scope="module")
def outturns(tmp_path_factory):
    extract = load_extract(synthesise(tmp_path_factory.mktemp("synth"), children=4000, seed=5, as_at="2025-03"))
    population = 4000 * 10_000 / ENGLAND.latest("cla_rate", LATEST).number("england")
    return {r.id: r for r in compute_period(extract, "2025-03", population)}


@pytest.mark.parametrize("indicator, tolerance", [
    ("cla_rate", 6.0),                      # per 10,000
    ("cin_rereferrals", 3.0),               # percentage points
    ("cp_repeat", 4.0),
    ("cp_two_years_plus", 2.0),
    ("cla_placement_stability_long", 6.0),
    ("cla_placement_stability_short", 3.0),
    ("care_leavers_eet", 6.0),
    ("care_leavers_suitable_accommodation", 5.0),
    ("caseload_average", 1.5),              # cases per FTE
    ("adoption_timeliness", 90.0),          # days
])
def test_synthetic_outturns_are_near_the_published_england_figures(outturns, indicator, tolerance):
    england = ENGLAND.latest(indicator, LATEST).number("england")
    assert outturns[indicator].value == pytest.approx(england, abs=tolerance)


def test_size_follows_the_children_asked_for(outturns):
    assert outturns["cla_count"].value == pytest.approx(4000, rel=0.08)
    # England has about 7.7 referrals a year for every child looked after
    assert outturns["cin_rereferrals"].denominator == pytest.approx(4000 * 7.7, rel=0.12)
