from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def synthetic_extract(tmp_path_factory) -> Path:
    from scrutiny.synth import synthesise

    return synthesise(tmp_path_factory.mktemp("extract"), children=120, seed=7, as_at="2023-11")


@pytest.fixture()
def project(tmp_path) -> Path:
    """A throwaway project folder: the real notebook and catalogue, its own params and outputs."""
    (tmp_path / "params" / "catalogue").mkdir(parents=True)
    shutil.copy(ROOT / "params" / "catalogue" / "2023-24.yaml", tmp_path / "params" / "catalogue")
    return tmp_path
