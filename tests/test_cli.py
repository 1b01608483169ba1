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


def test_spc_prints_the_limits_types_variation_and_assurance_as_json():
    values = ",".join(["10", "11"] * 6 + ["30"])
    out = scrutiny("spc", "--values", values, "--improvement", "decrease", "--target", "12", "--fix-after", "12",
                   "--format", "json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert set(result) == {"mean", "lpl", "upl", "trial", "points", "variation", "assurance"}
    assert (result["mean"], round(result["lpl"], 2), round(result["upl"], 2), result["trial"]) == (10.5, 7.84, 13.16,
                                                                                                  False)
    assert [p["type"] for p in result["points"]] == ["common_cause"] * 12 + ["special_cause_concern"]
    assert (result["variation"], result["assurance"]) == ("special_cause_concern", "inconsistent")
    # screening off widens the limits; a gap is a point with no value; no target, no assurance
    raw = json.loads(scrutiny("spc", "--values", values + ",,11", "--improvement", "increase", "--no-screen-outliers",
                              "--run-length", "6", "--format", "json").stdout)
    assert raw["upl"] > result["upl"] and raw["points"][-2] == {"value": None, "type": None}
    assert raw["assurance"] is None and raw["trial"] is False


def test_spc_with_few_values_gives_trial_limits_and_bad_values_are_refused():
    out = json.loads(scrutiny("spc", "--values", "1,2,3", "--improvement", "neutral", "--format", "json").stdout)
    assert out["trial"] is True
    for args, message in ((["--values", "1,x,3"], "value 2 ('x') is not a number"),
                          (["--values", "1"], "at least two values"),
                          (["--values", "1,2", "--fix-after", "0"], "not a number of points"),
                          (["--values", "1,2", "--run-length", "5"], "invalid choice")):
        bad = scrutiny("spc", "--improvement", "increase", *args)
        assert bad.returncode == 2 and message in bad.stderr and "Traceback" not in bad.stderr
