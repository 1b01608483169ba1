"""Published benchmarks read from the real DfE files in ../shared/data/dfe (never copied here)."""

from __future__ import annotations

import csv
import datetime
import os
import statistics

import pytest
from builders import CATALOGUE, ROOT

from scrutiny import cli
from scrutiny.assess.benchmarks import BenchmarkTable, extract_benchmarks, find_authority
from scrutiny.config.catalogue import load_catalogue

DFE = ROOT.parent / "shared" / "data" / "dfe"
COMMITTED = ROOT / "params" / "benchmarks" / "E09000006.csv"

if not DFE.is_dir():  # CI always has ../shared beside the clone; elsewhere say why these are skipped
    if os.environ.get("CI"):
        raise RuntimeError(f"{DFE} is missing: CI needs ../shared beside the clone")
    pytest.skip(f"{DFE} not present", allow_module_level=True)


@pytest.fixture(scope="module")
def bromley():
    return extract_benchmarks(DFE, "305", load_catalogue(CATALOGUE).ordered())


def row(table, indicator, year):
    (r,) = table.loc[(table["indicator"] == indicator) & (table["year"] == year)].to_dict("records")
    return r


@pytest.mark.parametrize("indicator, england", [
    ("cla_rate", "67"), ("cla_count", "81770"), ("cin_rereferrals", "22.6"), ("cp_repeat", "24.5"),
    ("cp_two_years_plus", "2.3"), ("cla_placement_stability_long", "69"), ("cla_placement_stability_short", "10"),
    ("caseload_average", "15.2"), ("adoption_timeliness", "578"),   # 1 year 7 months, in days
])
def test_england_2025_figures_are_the_published_ones(bromley, indicator, england):
    assert row(bromley, indicator, "2025")["england"] == england


def test_the_authority_its_region_and_its_own_published_figures(bromley):
    authority = find_authority(DFE, "E09000006")
    assert (authority.old_code, authority.name, authority.region_name) == ("305", "Bromley", "Outer London")
    assert len(authority.neighbours) == 10
    r = row(bromley, "cla_placement_stability_long", "2025")
    assert (r["authority"], r["authority_name"], r["region_name"]) == ("63", "Bromley", "Outer London")
    assert row(bromley, "cla_count", "2025")["authority"] == "343"


def test_statistical_neighbour_mean_and_quartile_match_a_direct_reading(bromley):
    # re-read the published rate per 10,000 for 2025 with the csv module, independently of pandas
    with open(DFE / "cla_number_and_rate_per_10k_children.csv", newline="", encoding="utf-8-sig") as handle:
        rates = {r["old_la_code"]: float(r["rate_per_10000"]) for r in csv.DictReader(handle)
                 if r["time_period"] == "2025" and r["geographic_level"] == "Local authority"
                 and r["population_type"] == "Children looked after on 31 March each year"
                 and r["rate_per_10000"].replace(".", "").isdigit()}
    neighbours = find_authority(DFE, "305").neighbours
    r = row(bromley, "cla_rate", "2025")
    assert float(r["statistical_neighbours"]) == round(statistics.mean(rates[n] for n in neighbours), 1)
    # neutral polarity: band 1 is the lowest quarter; Bromley's 47 is below at least 3 in 4 authorities
    below = sum(v < rates["305"] for v in rates.values())
    assert below / len(rates) < 0.25 and r["quartile"] == "1" and r["authorities_ranked"] == str(len(rates))


def test_polarity_decides_the_best_quarter(bromley):
    # long-term stability (higher is better): 63% is in the lowest quarter of authorities, so band 4
    r = row(bromley, "cla_placement_stability_long", "2025")
    assert r["quartile"] == "4"


def test_published_shorthand_is_kept(bromley):
    # adoption timings are published for England only: no region, neighbours or authority figure
    r = row(bromley, "adoption_timeliness", "2025")
    assert (r["region"], r["statistical_neighbours"], r["authority"], r["quartile"]) == ("x", "x", "x", "")


def test_the_committed_demo_table_is_what_the_command_makes(tmp_path, capsys):
    out = tmp_path / "bromley.csv"
    code = cli.main(["benchmarks", "--from", str(DFE), "--la", "E09000006", "--out", str(out), "--root", str(ROOT)])
    assert code == 0 and "Bromley" in capsys.readouterr().out
    assert out.read_text() == COMMITTED.read_text()


def test_unknown_authority_is_refused_clearly(tmp_path, capsys):
    code = cli.main(["benchmarks", "--from", str(DFE), "--la", "999", "--out", str(tmp_path / "x.csv"),
                     "--catalogue", str(CATALOGUE)])
    assert code == 2 and "LA code '999' is not an authority" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("day, year", [
    (datetime.date(2023, 11, 30), "2023"), (datetime.date(2023, 3, 31), "2023"), (datetime.date(2023, 2, 28), "2022"),
])
def test_a_paper_uses_the_latest_year_ending_31_march_on_or_before_its_month_end(day, year):
    assert BenchmarkTable.read(COMMITTED).latest("cla_rate", day).year == year


def test_population_is_the_latest_mid_year_estimate_in_force():
    table = BenchmarkTable.read(COMMITTED)
    with open(DFE / "ons_mid-year_population_estimates_2012_to_2024.csv", newline="", encoding="utf-8-sig") as f:
        published = {r["time_period"]: int(r["population_estimate"]) for r in csv.DictReader(f)
                     if r["old_la_code"] == "305"}
    assert table.population(datetime.date(2023, 11, 30)) == published["2023"]
    assert table.population(datetime.date(2023, 5, 31)) == published["2022"]
