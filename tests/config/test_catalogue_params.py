"""Catalogue and period parameters: validated on load, typos refused with the field named."""

from __future__ import annotations

import pytest
import yaml
from builders import CATALOGUE, PARAMS, new_project

from scrutiny.config.catalogue import CatalogueError, load_catalogue
from scrutiny.config.params import ParamsError, load_params, validate_params



def test_shipped_catalogue_is_valid_and_ordered_by_number():
    catalogue = load_catalogue(CATALOGUE)
    numbers = [d.number for d in catalogue.ordered()]
    assert numbers == sorted(numbers) and len(numbers) >= 7
    assert all(d.why_important and d.definition for d in catalogue.indicators)


def _broken(tmp_path, change) -> str:
    raw = yaml.safe_load(CATALOGUE.read_text())
    change(raw["indicators"])
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(raw))
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    return str(info.value)


@pytest.mark.parametrize("change, expected", [
    (lambda e: e[1].update(tolerence=5), "indicator cla_placement_stability_long, field tolerence: unknown key"),
    (lambda e: e[1].update(polarity="up"), "indicator cla_placement_stability_long, field polarity"),
    (lambda e: e[1].update(polarity="low"), "polarity: cla_placement_stability_long is 'high'"),
    (lambda e: e[1].update(decimals=-1), "indicator cla_placement_stability_long, field decimals"),
    (lambda e: e[1].update(range={"low": 1, "high": 2}), "target and range"),
    (lambda e: e[0].update(range={"low": 60, "high": 40}), "indicator cla_rate, field range"),
    (lambda e: e[2].update(number=20), "field number: 20 is used twice"),
    (lambda e: e[2].update(id="cla_stabilty"), "unknown indicator id 'cla_stabilty'"),
    (lambda e: e[3].pop("title"), "indicator cp_repeat, field title: Field required"),
])
def test_catalogue_errors_name_indicator_and_field(tmp_path, change, expected):
    assert expected in _broken(tmp_path, change)


def test_params_resolve_paths_from_the_project_folder(tmp_path):
    new_project(tmp_path)  # the catalogues the params name
    (tmp_path / "data" / "demo").mkdir(parents=True)
    (tmp_path / "params" / "2023-11.yaml").write_text(yaml.safe_dump(PARAMS))
    params = load_params(tmp_path / "params" / "2023-11.yaml")
    assert params.data == str(tmp_path / "data" / "demo")
    assert params.notebook_parameters()["cover"]["meeting_date"] == "2024-02-01"


@pytest.mark.parametrize("change, expected", [
    ({"populaton": 5}, "populaton: unknown key"),
    ({"period": "2023-13"}, "period: '2023-13' is not a period"),
    ({"cover": {**PARAMS["cover"], "ward ": "x"}}, "cover.ward : unknown key"),
    ({"cover": {k: v for k, v in PARAMS["cover"].items() if k != "title"}}, "cover.title: Field required"),
    ({"population": -1}, "population: the population cannot be negative"),
    ({"population": "ons"}, "population 'ons' reads the mid-year estimates from the benchmarks table"),
    ({"la_code": "E09000006"}, "la_code: unknown key"),  # retired: it was never read
])
def test_params_errors(change, expected):
    with pytest.raises(ParamsError) as info:
        validate_params({**PARAMS, **change}, "params/2023-11.yaml")
    assert expected in str(info.value)
