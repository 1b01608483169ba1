"""The package's shape: imports point one way down the data path (contracts in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_imports_follow_the_data_path():
    done = subprocess.run([str(Path(sys.executable).parent / "lint-imports"), "--no-cache"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_every_sub_package_says_what_it_owns_and_may_import():
    for init in sorted((ROOT / "scrutiny").glob("*/__init__.py")):
        doc = init.read_text().split('"""')[1]
        assert "Imports" in doc, f"{init.parent.name}: the docstring must say what it may import"
