"""The demo project: after `scrutiny demo`, the year to date is one `scrutiny backfill`, nothing copied by hand."""

from __future__ import annotations

import datetime

import pytest
import yaml
from builders import new_project

from scrutiny import cli
from scrutiny.config.params import load_params
from scrutiny.demo import write_demo_params, write_demo_project, write_demo_year, year_to_date


@pytest.mark.parametrize("period, first, count", [
    ("2023-04", "2023-04", 1),
    ("2023-11", "2023-04", 8),
    ("2024-01", "2023-04", 10),
    ("2024-03", "2023-04", 12),
])
def test_the_year_to_date_runs_from_april_to_the_month(period, first, count):
    months = [str(m) for m in year_to_date(period)]
    assert (months[0], months[-1], len(months)) == (first, period, count)


def test_the_year_is_defaults_plus_each_months_own_meeting_date(tmp_path):
    root = new_project(tmp_path)
    (root / "data" / "demo").mkdir(parents=True)
    write_demo_params(root, "2023-11", "data/demo")
    written = write_demo_year(root, "2023-11", "data/demo")
    params = root / "params"
    assert [p.name for p in written] == ["defaults.yaml"] + [f"2023-{m:02d}.yaml" for m in range(4, 11)]
    defaults = yaml.safe_load((params / "defaults.yaml").read_text())
    assert not {"period", "catalogue"} & set(defaults) and "meeting_date" not in defaults["cover"]
    assert yaml.safe_load((params / "2023-06.yaml").read_text()) == {"cover": {"meeting_date": "2023-08-03"}}
    november = load_params(params / "2023-11.yaml")
    for month in range(4, 11):
        p = load_params(params / f"2023-{month:02d}.yaml")
        meeting = p.cover.meeting_date
        assert p.period == f"2023-{month:02d}" and p.catalogue.endswith("catalogue/2023-24.yaml")
        months_on = (meeting.year * 12 + meeting.month) - (2023 * 12 + month)
        assert meeting.weekday() == 3 and meeting.day <= 7 and months_on == 2   # the first Thursday, two months on
        assert p.cover.model_copy(update={"meeting_date": november.cover.meeting_date}) == november.cover
        assert p.report == november.report and p.data == november.data and p.benchmarks == november.benchmarks
    # written only where absent: an analyst's own values are never replaced
    (params / "2023-06.yaml").write_text("cover:\n  meeting_date: 2023-08-10\n  report_number: CSD23060\n")
    assert write_demo_year(root, "2023-11", "data/demo") == []
    assert load_params(params / "2023-06.yaml").cover.meeting_date == datetime.date(2023, 8, 10)


def test_a_project_with_its_own_month_gets_no_demo_defaults_under_its_other_months(tmp_path):
    root = new_project(tmp_path)
    own = root / "params" / "2023-11.yaml"
    own.write_text("period: 2023-11\ndata: data/real\n")   # the council's own (whatever it holds)
    assert write_demo_project(root, "2023-11", "data/demo") == []
    assert sorted(p.name for p in (root / "params").glob("*.yaml")) == ["2023-11.yaml"]
    assert own.read_text() == "period: 2023-11\ndata: data/real\n"
    fresh = new_project(tmp_path / "fresh")
    names = [p.name for p in write_demo_project(fresh, "2023-06", "data/demo")]
    assert names == ["2023-06.yaml", "defaults.yaml", "2023-04.yaml", "2023-05.yaml"]


@pytest.mark.parametrize("argv", [["--period", "2023-13"], ["--period", "November"]])
def test_the_demo_refuses_a_period_that_is_not_one_before_writing_anything(tmp_path, argv, capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["demo", *argv, "--root", str(tmp_path)])
    assert stopped.value.code == 2 and "--period" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.e2e
def test_after_the_demo_one_backfill_writes_the_year_to_date(tmp_path, capsys):
    project = tmp_path / "a project"   # the command printed is one to paste, a space and all
    assert cli.main(["demo", "--period", "2023-06", "--children", "80", "--root", str(project)]) == 0
    out = capsys.readouterr().out
    assert f"scrutiny backfill 2023-04 2023-06 --root '{project}'\n" in out
    assert cli.main(["backfill", "2023-04", "2023-06", "--root", str(project), "--jobs", "2"]) == 0
    out = capsys.readouterr().out
    assert "0 failed" in out and "Warning:" not in out   # every month has its own meeting date
    for month, meeting in [("2023-04", "Thursday 1 June 2023"), ("2023-05", "Thursday 6 July 2023"),
                           ("2023-06", "Thursday 3 August 2023")]:
        part1 = (project / "outputs" / month / "part1.html").read_text()
        assert meeting in part1
        assert (project / "outputs" / month / "confidential" / "part2.html").is_file()


@pytest.mark.e2e
def test_the_demo_run_where_the_project_is_prints_the_backfill_without_a_root_and_april_none(tmp_path, monkeypatch,
                                                                                             capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["demo", "--period", "2023-05", "--children", "60"]) == 0
    assert "scrutiny backfill 2023-04 2023-05\n" in capsys.readouterr().out
    assert cli.main(["demo", "--period", "2023-04", "--children", "60", "--root", "april"]) == 0
    out = capsys.readouterr().out
    assert "scrutiny backfill" not in out   # April is the year to date already run
    assert [p.name for p in (tmp_path / "april" / "params").glob("20*.yaml")] == ["2023-04.yaml"]
