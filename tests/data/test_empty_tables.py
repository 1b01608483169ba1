"""A contract file with only its header row is an empty table: every definition applies as written.

``spec/indicators.md``: a table present with a header row only is simply empty, so a
cohort built from it is empty, giving numerator 0 and denominator 0 (no value) for a
percentage; ``cla_rate`` is 0 over the population; ``cla_missing`` with an empty
``missing.csv`` is 0 over the children looked after. The same holds when every record
of a table is left out as a record error. (Under pandas 3 an empty table once crashed
``scrutiny compute`` with "Cannot cast DatetimeArray to dtype float64".)
"""

from __future__ import annotations

import shutil

import pytest
from builders import CATALOGUE, write_table

from scrutiny import cli
from scrutiny.config.catalogue import load_catalogue
from scrutiny.data.schema import TABLES
from scrutiny.data.validate import load_extract
from scrutiny.indicators import REGISTRY
from scrutiny.indicators._base import Context
from scrutiny.indicators.breakdowns import BREAKDOWNS, breakdown_for
from scrutiny.indicators.compute import compute_period
from scrutiny.data.periods import Period

PERIOD, POPULATION = "2023-11", 61_500
CLA = {i for i, s in REGISTRY.items() if "episodes" in s.needs}
# which indicators an empty table empties (the spec's "which tables each indicator needs")
EMPTIED = {
    "header": CLA,  # every episode's child then has no header row: all left out
    "episodes": CLA,
    "missing": {"cla_missing"},
    "oc3": {"care_leavers_eet", "care_leavers_suitable_accommodation"},
    "child_identifiers": set(),  # breakdowns only
    "cin_details": {"cin_rereferrals"},
    "assessments": {"cin_assessments_45wd"},
    "section47": {"cp_icpc_15wd"},
    "cp_plans": {"cp_repeat", "cp_two_years_plus"},
    "caseloads": {"caseload_average"},
    "manual_outturns": set(),  # only manual indicators read it: not supplied (see below)
}


def test_every_contract_table_is_covered():
    assert set(EMPTIED) == set(TABLES)


@pytest.fixture(scope="module")
def extract_folder(tmp_path_factory):
    from scrutiny.data.synth import synthesise

    return synthesise(tmp_path_factory.mktemp("synth"), children=60, seed=1, as_at=PERIOD)


@pytest.fixture(scope="module")
def baseline(extract_folder):
    return {r.id: r for r in compute_period(load_extract(extract_folder), PERIOD, POPULATION)}


def copy_of(extract_folder, tmp_path):
    return shutil.copytree(extract_folder, tmp_path / "extract")


def expected_empty(indicator_id: str, before) -> tuple:
    """(numerator, denominator, value) of an indicator whose cohort is empty."""
    unit = REGISTRY[indicator_id].unit
    if indicator_id == "cla_rate":
        return 0, POPULATION, 0.0
    if unit == "count":
        return 0, None, 0.0
    if indicator_id == "cla_missing" and before is not None:  # an empty missing.csv: 0 over those looked after
        return 0, before.denominator, 0.0
    return 0, 0, None


def figures_of(r) -> tuple:
    return r.numerator, r.denominator, r.value


@pytest.mark.parametrize("name", list(TABLES))
def test_a_header_only_table_is_empty_and_the_definitions_apply(extract_folder, baseline, tmp_path, name):
    folder = copy_of(extract_folder, tmp_path)
    write_table(folder, name, [])
    extract = load_extract(folder)
    assert len(extract.tables[name]) == 0
    results = {r.id: r for r in compute_period(extract, PERIOD, POPULATION)}
    assert set(results) == set(REGISTRY)
    for indicator_id, r in results.items():
        assert r.status == "ok", (indicator_id, r)
        if indicator_id in EMPTIED[name]:
            keep = baseline[indicator_id] if name == "missing" else None
            assert figures_of(r) == expected_empty(indicator_id, keep), indicator_id
        else:
            assert figures_of(r) == figures_of(baseline[indicator_id]), indicator_id
    # the cohorts behind the breakdowns are empty too: each gives a table, never an error
    ctx = Context(extract, Period.parse(PERIOD), POPULATION)
    for indicator_id in BREAKDOWNS:
        shown = breakdown_for(indicator_id, ctx)
        if indicator_id in EMPTIED[name] and name != "missing":  # cla_missing's is by placement
            assert shown is not None and shown[1]["count"].sum() == 0, indicator_id


def test_cla_missing_with_an_empty_missing_table_is_zero_over_those_looked_after(extract_folder, baseline, tmp_path):
    folder = copy_of(extract_folder, tmp_path)
    write_table(folder, "missing", [])
    (r,) = compute_period(load_extract(folder), PERIOD, POPULATION, ["cla_missing"])
    assert baseline["cla_missing"].denominator > 0
    assert figures_of(r) == (0, baseline["cla_missing"].denominator, 0.0)


def test_manual_indicators_with_a_header_only_table_are_not_supplied(extract_folder, tmp_path):
    folder = copy_of(extract_folder, tmp_path)
    write_table(folder, "manual_outturns", [])
    manual = [d.spec() for d in load_catalogue(CATALOGUE).ordered() if d.manual]
    assert manual
    for r in compute_period(load_extract(folder), PERIOD, POPULATION, specs=manual):
        assert (r.numerator, r.denominator, r.value, r.status) == (None, None, None, "not supplied")


def test_every_table_header_only_at_once(tmp_path):
    for name in TABLES:
        write_table(tmp_path, name, [])
    results = {r.id: r for r in compute_period(load_extract(tmp_path), PERIOD, POPULATION)}
    for indicator_id, r in results.items():
        assert figures_of(r) == expected_empty(indicator_id, None) and r.status == "ok", indicator_id
    (rate,) = compute_period(load_extract(tmp_path), PERIOD, 0, ["cla_rate"])
    assert figures_of(rate) == (0, 0, None)  # a population of 0 gives no value


def test_every_episode_left_out_as_a_record_error(extract_folder, tmp_path):
    folder = copy_of(extract_folder, tmp_path)
    episodes = folder / "episodes.csv"
    lines = episodes.read_text().splitlines()
    header = lines[0].split(",")
    place = header.index("PLACE")
    broken = [",".join(f if i != place else "Q9" for i, f in enumerate(line.split(","))) for line in lines[1:]]
    episodes.write_text("\n".join([lines[0], *broken]) + "\n")
    extract = load_extract(folder)
    assert len(extract.tables["episodes"]) == 0
    assert extract.records_left_out == len(broken)
    for r in compute_period(extract, PERIOD, POPULATION, sorted(CLA)):
        assert figures_of(r) == expected_empty(r.id, None), r.id


@pytest.mark.parametrize("name", ["episodes", "header"])
def test_scrutiny_compute_on_a_header_only_table(extract_folder, tmp_path, capsys, name):
    folder = copy_of(extract_folder, tmp_path)
    write_table(folder, name, [])
    capsys.readouterr()
    code = cli.main(["compute", "--data", str(folder), "--period", PERIOD, "--population", str(POPULATION),
                     "--format", "csv"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Traceback" not in err
    rows = {line.split(",")[0]: line.split(",") for line in out.splitlines()[1:]}
    assert rows["cla_rate"][2:6] == ["0.0", f"{POPULATION:.1f}", "0.0", "ok"]
    assert rows["cla_placement_stability_long"][2:6] == ["0.0", "0.0", "", "ok"]
