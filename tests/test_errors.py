"""One error family: every error a user can cause is a ScrutinyError; the CLI prints exactly those."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys

import pytest

import scrutiny
from scrutiny import cli
from scrutiny.errors import ScrutinyError


def test_every_error_class_the_package_defines_is_a_scrutiny_error():
    found = []
    for info in pkgutil.walk_packages(scrutiny.__path__, "scrutiny."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, BaseException) and obj.__module__ == info.name:
                found.append(obj)
                assert issubclass(obj, ScrutinyError), f"{info.name}.{name} is not a ScrutinyError"
    assert len(found) >= 10


@pytest.mark.parametrize("args, words", [
    (["run", "2023-11"], "no parameters for this period"),
    (["compute", "--data", "nowhere", "--period", "2023-11"], "extract folder not found"),
    (["compute", "--data", ".", "--period", "2023-13"], "'2023-13' is not a period"),
    (["plan", "2098-99", "--as-at", "2024-03-31"], "no improvement plan for this year"),
    (["plan", "2023-24", "--as-at", "31/03/2024"], "is not a date"),
    (["run", "../../tmp/x"], "is not a period"),
    (["compute", "--data", ".", "--period", "2262-04"], "is not a plausible period"),
    (["compute", "--data", ".", "--period", "2023-11", "--population", "nan"], "is not a population"),
    (["compute", "--data", ".", "--period", "2023-11", "--population", "-5"], "is not a population"),
    (["synth", "--out", "x", "--children", "-5"], "is not a number of children"),
    (["synth", "--out", "afile"], "is a file, not a folder"),
    (["check-disclosure", "missing.html"], "cannot be read as a rendered paper"),
    (["check-disclosure", "."], "cannot be read as a rendered paper"),
])
def test_a_user_error_is_one_message_and_exit_2_never_a_traceback(tmp_path, args, words):
    (tmp_path / "afile").write_text("not a folder\n")
    done = subprocess.run([sys.executable, "-m", "scrutiny", *args, *(["--root", str(tmp_path)]
                                                                       if args[0] in ("run", "plan") else [])],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 2
    assert words in done.stderr
    assert "Traceback" not in done.stderr


def test_a_bug_is_not_dressed_as_a_user_error(monkeypatch):
    def broken(args):
        raise KeyError("a bug")

    monkeypatch.setattr(cli, "_cmd_synth", broken)
    with pytest.raises(KeyError):
        cli.main(["synth", "--out", "x"])
