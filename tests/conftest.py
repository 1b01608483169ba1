from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def synthetic_extract(tmp_path_factory) -> Path:
    from scrutiny.data.synth import synthesise

    return synthesise(tmp_path_factory.mktemp("extract"), children=120, seed=7, as_at="2023-11")


@pytest.fixture(scope="session")
def demo_project(tmp_path_factory):
    """One real run of the demo month (papermill, real kernel, nbconvert), shared by the e2e tests."""
    from builders import new_project

    from scrutiny.demo import write_demo_params
    from scrutiny.run.execute import run_period
    from scrutiny.data.synth import synthesise

    root = new_project(tmp_path_factory.mktemp("project"))
    synthesise(root / "data" / "demo", children=200, seed=11, as_at="2023-11")
    write_demo_params(root, "2023-11", "data/demo")
    return root, run_period("2023-11", root)


@pytest.fixture
def never_hang():
    """A refusal is quick: a case that blocks (a FIFO opened for reading, say) fails instead of hanging."""
    import signal

    def timeout(*_):
        raise TimeoutError("the refusal blocked")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(120)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)
