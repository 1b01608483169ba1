"""The performance improvement plan: validation, the seeds' summary table with halves, change since last update."""

from __future__ import annotations

import datetime
import re

import pytest
import yaml
from builders import ROOT

from scrutiny.errors import PlanError
from scrutiny.config.plan import load_plan
from scrutiny.paper.plan import PlanPaper

DEMO = ROOT / "params" / "improvement_plan" / "2023-24.yaml"

# the seeds' table (../shared/seeds/004): actions, achieved, significant progress, limited progress / risk
SEED = [("Strategic Vision and Leadership", 10, 2, 7, 1), ("Building a Quality Service", 14, 6.5, 6.5, 1),
        ("Assuring Quality", 9, 9, 0, 0), ("Listening to Children", 7, 2, 3, 2),
        ("Improving Outcomes for LAC", 16, 2, 12, 2)]


def seed_plan(tmp_path, day="2013-02-28"):
    raw = yaml.safe_load(DEMO.read_text())
    raw.update(starts="2012-09-01", ends="2013-08-31", year="2012-13")
    raw["cover"]["meeting_date"] = "2013-03-12"
    raw["areas"] = []
    for a, (name, n, achieved, significant, limited) in enumerate(SEED, start=1):
        statuses = (["achieved"] * int(achieved) + ["significant progress"] * int(significant)
                    + ["limited progress / risk"] * int(limited))
        if achieved % 1:
            statuses.append({"achieved": 0.5, "significant progress": 0.5})
        assert len(statuses) == n
        raw["areas"].append({"name": name, "actions": [
            {"number": f"{a}.{k}", "action": f"Action {a}.{k}", "desired_outcome": "o", "owner": "AD",
             "updates": [{"date": "2012-12-31", "status": "significant progress"}, {"date": day, "status": s}]}
            for k, s in enumerate(statuses, start=1)]})
    path = tmp_path / "2012-13.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    return path


def rows(html):
    table = re.search(r'<table class="plan-summary">.*?</table>', html, re.S).group(0)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r)]
            for r in table.split("<tr>")[2:]]


def test_summary_table_is_exactly_the_seeds(tmp_path):
    paper = PlanPaper(load_plan(seed_plan(tmp_path)), datetime.date(2013, 2, 28))
    assert rows(paper.progress().part1) == [
        ["Strategic Vision and Leadership", "10", "2", "7", "1"],
        ["Building a Quality Service", "14", "6 ½", "6 ½", "1"],
        ["Assuring Quality", "9", "9", "", ""],
        ["Listening to Children", "7", "2", "3", "2"],
        ["Improving Outcomes for LAC", "16", "2", "12", "2"],
        ["TOTAL", "56", "21 ½", "28 ½", "6"],
    ]
    assert [a.name for a in paper.at_risk()] == ["Strategic Vision and Leadership", "Building a Quality Service",
                                                 "Listening to Children", "Improving Outcomes for LAC"]


def test_as_at_an_earlier_date_uses_the_updates_then_and_shows_what_moved(tmp_path):
    plan = load_plan(seed_plan(tmp_path))
    earlier = PlanPaper(plan, datetime.date(2013, 1, 15))
    assert rows(earlier.progress().part1)[-1] == ["TOTAL", "56", "", "56", ""]
    later = PlanPaper(plan, datetime.date(2013, 2, 28))
    assert later.previous == datetime.date(2012, 12, 31)
    # between updates, the change shown is still the latest update's against the one before
    assert PlanPaper(plan, datetime.date(2013, 3, 15)).moved() == later.moved()
    moved = later.moved()
    assert len(moved) == 56 - 28   # every action not still at significant progress (28 of them, with half of one)
    assert "Actions whose status changed since the update of 31 December 2012" in later.changes().part1


@pytest.mark.parametrize("change, message", [
    (lambda r: r["areas"][0]["actions"][0]["updates"][0].update(status="nearly done"), "action 1.1"),
    (lambda r: r["areas"][0]["actions"][0]["updates"][0].update(status={"achieved": 0.5, "significant progress": 0.25}),
     "a split must share one whole action between statuses (these add up to 0.75)"),
    (lambda r: r["areas"][1]["actions"][0].update(number="1.1"), "action 1.1: number used twice"),
    (lambda r: r["areas"][0]["actions"][0]["milestones"].append({"date": "2025-01-01", "milestone": "late"}),
     "milestone 2025-01-01: outside the plan's period"),
    (lambda r: r["areas"][0]["actions"][0].update(owner_name="x"), "unknown key"),
])
def test_bad_plans_are_refused_clearly(tmp_path, change, message):
    raw = yaml.safe_load(DEMO.read_text())
    change(raw)
    path = tmp_path / "2023-24.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    with pytest.raises(PlanError, match=re.escape(message)):
        load_plan(path)


def test_demo_plan_loads_and_keeps_its_history():
    plan = load_plan(DEMO)
    assert len(plan.areas) == 5 and plan.update_dates() == [datetime.date(2023, 12, 31), datetime.date(2024, 3, 31)]


def test_plan_notebook_parameters_are_what_scrutiny_plan_passes():
    import papermill

    from scrutiny.run.notebook import PLAN_NOTEBOOK

    assert set(papermill.inspect_notebook(str(PLAN_NOTEBOOK))) == {"plan", "as_at"}


def test_the_plan_papers_placeholder_speaks_of_outcome_areas_not_indicators(tmp_path):
    from builders import new_project

    from scrutiny.run import commentary

    root = new_project(tmp_path)
    notebook = root / "outputs" / "plan" / "2023-24" / "2024-03-31" / "plan.ipynb"
    planned = commentary.prepare_commentary(root, "plan-2023-24-2024-03-31", ["area-x"], notebook, known={"area-x"},
                                            placeholder=commentary.AREA_PLACEHOLDER)
    assert planned.cells["area-x"] == "*Commentary to be written for this outcome area.*"
    assert commentary.status(planned.store, ["area-x"]).missing == ("area-x",)  # still counts as not written


def test_the_progress_column_keeps_halves():
    paper = PlanPaper(load_plan(DEMO), datetime.date(2024, 3, 31))
    appendix = paper.appendix().part1
    assert "½ achieved and ½ significant progress" in appendix


def test_missed_milestones_are_flagged_under_the_summary_and_in_the_action_table():
    paper = PlanPaper(load_plan(DEMO), datetime.date(2024, 3, 31))
    missed = paper.missed()
    for _, action, milestone in missed:
        update = action.as_at(paper.as_at)
        assert milestone.date < paper.as_at and (update is None or update.shares().get("achieved", 0) < 1)
    progress, appendix = paper.progress().part1, paper.appendix().part1
    if missed:
        assert f"{len(missed)} milestone(s) missed" in progress and appendix.count("(missed)") == len(missed)
    early = PlanPaper(load_plan(DEMO), datetime.date(2023, 4, 2))  # nothing was due yet
    assert early.missed() == [] and "has been missed" in early.progress().part1


def test_implications_follow_the_seeds_form_each_with_its_text_or_listed_as_not_applicable(tmp_path):
    raw = yaml.safe_load(DEMO.read_text())
    raw["report"]["implications"] = {"policy": "Within the council's priorities.", "financial": "Not Applicable",
                                     "legal": "Children Act 1989 <s.17>."}
    raw["report"]["non_applicable"] = ["Procurement implications"]
    path = tmp_path / "2023-24.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    html = PlanPaper(load_plan(path), datetime.date(2024, 3, 31)).closing().part1
    assert re.findall(r"<h2[^>]*>([^<]+)</h2>", html) == ["5. POLICY IMPLICATIONS", "6. LEGAL IMPLICATIONS"]
    assert "Children Act 1989 &lt;s.17&gt;." in html
    assert ("Non-Applicable Sections:</dt><dd>Financial implications; Personnel implications; Procurement "
            "implications.</dd>") in html
