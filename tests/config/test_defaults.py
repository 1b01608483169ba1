"""A month's params from params/defaults.yaml plus its own overrides; the catalogue chosen by financial year."""

from __future__ import annotations

import pytest
import yaml
from builders import PARAMS, new_project

from scrutiny.config.params import load_params
from scrutiny.errors import ParamsError


def project(tmp_path, defaults: dict, months: dict[str, object]):
    root = new_project(tmp_path)
    (root / "data" / "demo").mkdir(parents=True)
    (root / "params" / "defaults.yaml").write_text(yaml.safe_dump(defaults))
    for month, content in months.items():
        (root / "params" / f"{month}.yaml").write_text(content if isinstance(content, str) else yaml.safe_dump(content))
    return root


DEFAULTS = {k: v for k, v in PARAMS.items() if k not in ("period", "catalogue")}


def test_a_month_holds_only_its_own_overrides_and_the_rest_comes_from_the_defaults(tmp_path):
    root = project(tmp_path, DEFAULTS, {"2023-11": {"cover": {"meeting_date": "2024-01-04", "report_number": "R1"}}})
    p = load_params(root / "params" / "2023-11.yaml")
    assert (p.period, p.cover.report_number, str(p.cover.meeting_date)) == ("2023-11", "R1", "2024-01-04")
    assert p.cover.title == PARAMS["cover"]["title"]   # mappings merge key by key
    assert p.catalogue.endswith("2023-24.yaml")        # the month's financial year's catalogue


def test_a_month_with_no_file_is_made_from_the_defaults_with_its_years_catalogue(tmp_path):
    root = project(tmp_path, DEFAULTS, {})
    assert load_params(root / "params" / "2023-03.yaml").catalogue.endswith("2022-23.yaml")
    assert load_params(root / "params" / "2023-04.yaml").catalogue.endswith("2023-24.yaml")


def test_a_complete_month_file_still_works_and_wins_over_the_defaults(tmp_path):
    root = project(tmp_path, DEFAULTS, {"2023-11": {**PARAMS, "population": 999}})
    assert load_params(root / "params" / "2023-11.yaml").population == 999


@pytest.mark.parametrize("defaults, month, message", [
    ({**DEFAULTS, "period": "2023-11"}, {}, "defaults.yaml: the defaults name no period"),
    (["a list"], {}, "defaults.yaml: should be a mapping"),
    (DEFAULTS, {"2023-11": {"cover": {"meeting_dat": "2024-01-04"}}}, "meeting_dat"),
    (DEFAULTS, {"2023-11": {"period": "2023-10"}}, "the period is 2023-10 but the file is for 2023-11"),
])
def test_bad_defaults_or_overrides_are_refused_naming_the_file_and_key(tmp_path, defaults, month, message):
    root = project(tmp_path, defaults, month)
    with pytest.raises(ParamsError) as caught:
        load_params(root / "params" / "2023-11.yaml")
    assert message in caught.value.describe()
    if message == "meeting_dat":   # a month with a file of its own, invalid under the defaults
        assert "(on top of " in caught.value.describe() and "no file of its own" not in caught.value.describe()


def test_a_month_the_defaults_alone_cannot_make_says_it_has_no_file_of_its_own(tmp_path):
    no_meeting = {**DEFAULTS, "cover": {k: v for k, v in DEFAULTS["cover"].items() if k != "meeting_date"}}
    root = project(tmp_path, no_meeting, {"2023-10": {"cover": {"meeting_date": "2023-12-07"}}})
    assert str(load_params(root / "params" / "2023-10.yaml").cover.meeting_date) == "2023-12-07"
    with pytest.raises(ParamsError) as caught:
        load_params(root / "params" / "2023-11.yaml")
    message = caught.value.describe()
    assert "2023-11.yaml (no file of its own, so from " in message and "defaults.yaml alone" in message
    assert "cover.meeting_date" in message and "Traceback" not in message


def test_a_figures_cell_finds_a_month_made_from_the_defaults_alone(tmp_path, synthetic_extract, monkeypatch):
    import shutil

    from scrutiny.paper import document

    root = project(tmp_path, DEFAULTS, {})
    shutil.rmtree(root / "data" / "demo")
    shutil.copytree(synthetic_extract, root / "data" / "demo")
    notebook_folder = root / "outputs" / "2023-12" / "confidential"
    notebook_folder.mkdir(parents=True)
    monkeypatch.chdir(notebook_folder)   # where JupyterLab starts the kernel
    monkeypatch.setattr(document, "_OPENED", {})
    assert document.paper_for("2023-12").period.label == "December 2023"


def test_one_months_unexpected_failure_is_its_outcome_and_the_others_go_on(tmp_path, monkeypatch):
    from scrutiny.run import backfill, execute

    def broken(period, root, **_):
        raise RuntimeError("the kernel died")

    root = project(tmp_path, DEFAULTS, {})
    monkeypatch.setattr(execute, "run_period", broken)
    outcome = backfill.run_month("2023-11", str(root), force=True)
    assert outcome.status == "failed" and "internal error (RuntimeError: the kernel died)" in outcome.reason
