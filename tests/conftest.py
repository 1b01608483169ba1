from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def synthetic_extract(tmp_path_factory) -> Path:
    from scrutiny.synth import synthesise

    return synthesise(tmp_path_factory.mktemp("extract"), children=120, seed=7, as_at="2023-11")
