"""The package installs as a wheel (not editable) and the demo runs from an empty folder."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.e2e
def test_wheel_carries_the_notebooks_and_runs_the_demo_from_an_empty_folder(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(wheels.glob("scrutiny-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in ("scrutiny/notebooks/paper.ipynb", "scrutiny/notebooks/plan.ipynb",
                    "scrutiny/run/templates/paper.css", "scrutiny/starter/catalogue/2023-24.yaml",
                    "scrutiny/starter/benchmarks/E09000006.csv"):
        assert shipped in names
    assert not [n for n in names if "commentary/" in n and n.endswith(".yaml")]  # no store ever ships
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}  # the wheel's copy comes before the editable one
    where = subprocess.run([sys.executable, "-c", "import scrutiny; print(scrutiny.__file__)"], cwd=empty, env=env,
                           capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(site))
    done = subprocess.run([sys.executable, "-m", "scrutiny", "demo"], cwd=empty, env=env, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (empty / "outputs" / "2023-11" / "part1.html").is_file()
    assert (empty / "outputs" / "2023-11" / "confidential" / "part2.html").is_file()
    assert (empty / "outputs" / "plan" / "2023-24" / "2024-03-31" / "plan.html").is_file()
