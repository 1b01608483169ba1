"""`scrutiny backfill`: a range of months from defaults, a failed month spoiling none, up to date is free."""

from __future__ import annotations

import yaml
import pytest
from builders import new_project

from scrutiny import cli
from scrutiny.data.synth import synthesise
from scrutiny.demo import demo_params
from scrutiny.config.params import dump_params

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = new_project(tmp_path_factory.mktemp("backfill"))
    synthesise(root / "data" / "demo", children=120, seed=9, as_at="2023-11")
    defaults = yaml.safe_load(dump_params(demo_params("2023-11", "data/demo")))
    for key in ("period", "catalogue"):
        defaults.pop(key)
    (root / "params" / "defaults.yaml").write_text(yaml.safe_dump(defaults, sort_keys=False))
    (root / "params" / "2023-10.yaml").write_text("cover:\n  meeting_date: 2023-12-07\n  report_number: CSD23100\n")
    (root / "params" / "2023-09.yaml").write_text("cover:\n  meeting_dat: 2023-11-02\n")   # a typo: this month fails
    return root


def test_a_backfill_writes_every_month_it_can_and_says_why_one_failed(project, capsys):
    assert cli.main(["backfill", "2023-09", "2023-11", "--root", str(project), "--jobs", "2"]) == 1
    out = capsys.readouterr().out
    assert "3/3" in out and "Backfill 2023-09 to 2023-11: 2 month(s) written, 0 up to date, 1 failed" in out
    assert "  2023-09: " in out and "meeting_dat" in out and "Traceback" not in out
    for month in ("2023-10", "2023-11"):
        assert (project / "outputs" / month / "part1.html").is_file()
        assert (project / "outputs" / month / "confidential" / "part2.html").is_file()
    assert not (project / "outputs" / "2023-09").exists()   # nothing half-written for the failed month
    october = (project / "outputs" / "2023-10" / "part1.html").read_text()
    assert "CSD23100" in october and "7 December 2023" in (project / "outputs" / "index.html").read_text()


def test_up_to_date_months_are_skipped_and_a_changed_store_runs_its_month_again(project, capsys):
    (project / "params" / "2023-09.yaml").write_text("cover:\n  meeting_date: 2023-11-02\n")
    assert cli.main(["backfill", "2023-09", "2023-11", "--root", str(project), "--jobs", "2"]) == 0
    out = capsys.readouterr().out
    assert "1 month(s) written, 2 up to date, 0 failed" in out and "2023-10: skipped" in out
    store = project / "params" / "commentary" / "2023-11.yaml"   # an analyst writes in the store
    store.parent.mkdir(mode=0o700, exist_ok=True)
    store.write_text(yaml.safe_dump({"period": "2023-11", "entries": {"summary": {
        "text": "A quieter month.", "changed_by": "A", "changed_at": "2023-12-05T10:00:00+00:00"}}}))
    store.chmod(0o600)
    assert cli.main(["backfill", "2023-10", "2023-11", "--root", str(project), "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "1 month(s) written, 1 up to date" in out and "2023-10: skipped" in out
    assert "A quieter month." in (project / "outputs" / "2023-11" / "part1.html").read_text()


def test_a_backfill_range_is_checked_before_anything_runs(project, capsys):
    with pytest.raises(SystemExit):
        cli.main(["backfill", "2023-13", "2023-11", "--root", str(project)])
    assert cli.main(["backfill", "2023-11", "2023-09", "--root", str(project)]) == 2
    assert "the first month is after the last" in capsys.readouterr().err
