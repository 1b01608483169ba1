"""Repository rules: notebooks without outputs, no data committed, environments in step, doctests."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
import subprocess
import tomllib
from pathlib import Path

import nbformat
import pytest
import yaml

import scrutiny
from scrutiny.run.notebook import NOTEBOOK, check_interface

ROOT = Path(__file__).resolve().parent.parent


def test_committed_notebooks_carry_no_outputs():
    notebooks = sorted((ROOT / "scrutiny" / "notebooks").rglob("*.ipynb"))
    assert notebooks
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None, f"{path} has outputs: strip them"


def test_no_csv_or_output_is_tracked_by_git():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    if not tracked:
        pytest.skip("not a git checkout")
    # the only CSV files allowed are published aggregate figures made by `scrutiny benchmarks`
    tables = [f for f in tracked if f.startswith("scrutiny/starter/benchmarks/") and f.endswith(".csv")]
    for table in tables:
        assert (ROOT / table).read_text().splitlines()[1].startswith("indicator,year,england,"), table
    assert not [f for f in tracked if f.endswith(".csv") and not f.startswith("tests/fixtures/") and f not in tables]
    assert not [f for f in tracked if f.startswith("outputs/") and f != "outputs/.gitkeep"]
    assert not [f for f in tracked if f.startswith("data/")]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ ]", requirement.strip(), maxsplit=1)[0].lower()


def test_environment_yml_lists_the_same_packages_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_side = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]}
    conda = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    pip_only = next((d["pip"] for d in conda if isinstance(d, dict) and "pip" in d), [])
    conda_side = ({_name(d) for d in conda if isinstance(d, str)} | {_name(d) for d in pip_only if not d.startswith("-e")}
                  ) - {"python", "pip"}
    assert pip_side == conda_side


def test_notebook_parameters_cell_is_the_period_parameters():
    check_interface(NOTEBOOK)


def test_docstring_examples_run():
    failures = 0
    for info in pkgutil.walk_packages(scrutiny.__path__, "scrutiny."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        failures += doctest.testmod(module, optionflags=doctest.ELLIPSIS).failed
    assert failures == 0
