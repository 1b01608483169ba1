"""`scrutiny compute` and `scrutiny synth` as an analyst runs them, in a real subprocess."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from builders import write_table

from scrutiny.indicators import REGISTRY


def scrutiny(*args):
    return subprocess.run([sys.executable, "-m", "scrutiny", *args], capture_output=True, text=True)


def test_compute_json_reports_every_indicator_with_nulls(tmp_path):
    write_table(tmp_path, "cp_plans", [{"LAchildID": "A", "CPPID": "1", "CPPstartDate": "2023-06-01"}])
    out = scrutiny("compute", "--data", str(tmp_path), "--period", "2023-11", "--population", "1000",
                   "--format", "json")
    assert out.returncode == 0, out.stderr
    records = {r["id"]: r for r in json.loads(out.stdout)}
    assert set(records) == set(REGISTRY)
    assert records["cp_two_years_plus"] == {"id": "cp_two_years_plus", "period": "2023-11", "numerator": 0,
                                            "denominator": 1, "value": 0, "status": "ok"}
    assert records["cla_rate"]["value"] is None and records["cla_rate"]["status"] == "no data"


def test_compute_csv_on_a_synthetic_extract(synthetic_extract):
    out = scrutiny("compute", "--data", str(synthetic_extract), "--period", "2023-11", "--format", "csv")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [r["id"] for r in rows] == sorted(REGISTRY)
    assert all(r["status"] == "ok" for r in rows)
    stab = next(r for r in rows if r["id"] == "cla_placement_stability_short")
    assert 0 < float(stab["value"]) < 30


def test_structure_error_exits_non_zero_naming_file_row_column(tmp_path):
    (tmp_path / "header.csv").write_text("CHILD,SEX,DOB,ETHNIC\nA,1,2012-13-01,WBRI\n")
    out = scrutiny("compute", "--data", str(tmp_path), "--period", "2023-11")
    assert out.returncode == 2
    assert "header.csv, row 2, column DOB: '2012-13-01' is not a date" in out.stderr


def test_synth_is_deterministic_for_a_seed(tmp_path):
    for name in ("a", "b"):
        assert scrutiny("synth", "--out", str(tmp_path / name), "--children", "40", "--seed", "3").returncode == 0
    for f in sorted((tmp_path / "a").iterdir()):
        assert f.read_bytes() == (tmp_path / "b" / f.name).read_bytes(), f.name


def test_compute_with_the_catalogue_reports_manual_indicators_too(synthetic_extract):
    from builders import CATALOGUE

    from scrutiny.config.catalogue import load_catalogue

    out = scrutiny("compute", "--data", str(synthetic_extract), "--period", "2023-11", "--catalogue",
                   str(CATALOGUE), "--format", "json")
    assert out.returncode == 0, out.stderr
    records = {r["id"]: r for r in json.loads(out.stdout)}
    assert list(records) == [d.id for d in load_catalogue(CATALOGUE).ordered()]
    assert records["care_leavers_apprenticeships"]["status"] == "ok"
    # the synthetic leaving care service made no return for April 2023
    gap = scrutiny("compute", "--data", str(synthetic_extract), "--period", "2023-04", "--catalogue",
                   str(CATALOGUE), "--format", "json")
    apprenticeships = next(r for r in json.loads(gap.stdout) if r["id"] == "care_leavers_apprenticeships")
    assert (apprenticeships["value"], apprenticeships["status"]) == (None, "not supplied")
