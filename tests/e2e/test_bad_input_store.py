"""Bad commentary stores, broken notebooks and file-system faults: one clear message, nothing changed."""

from __future__ import annotations

import json
import os

import pytest
from builders import copy_project, refused

pytestmark = pytest.mark.e2e
STORE = "params/commentary/2023-11.yaml"
NOTEBOOK = "outputs/2023-11/confidential/paper.ipynb"
GOOD = "period: '2023-11'\nentries:\n  summary:\n    text: Opening words.\n"


def write(path):
    return lambda root: (root / path).parent.mkdir(parents=True, exist_ok=True) or (root / path)


def store(text):
    def damage(root):
        path = write(STORE)(root)
        path.write_text(text)
    return damage


def notebook(text):
    def damage(root):
        (root / NOTEBOOK).write_text(text)
    return damage


def make_dir(path):
    def damage(root):
        target = root / path
        if target.exists():
            target.unlink()
        target.mkdir(parents=True)
    return damage


def make_file(path):
    def damage(root):
        import shutil

        target = root / path
        if target.is_dir():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("not a folder\n")
    return damage


def dangling(path):
    def damage(root):
        import shutil

        target = root / path
        if target.is_dir():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(root / "nowhere", target)
    return damage


CASES = [
    # the commentary store
    ("store: not YAML", store("entries: [unclosed\n"), [STORE, "not valid YAML"]),
    ("store: unknown top-level key", store(GOOD + "entires: {}\n"), [STORE, "entires: unknown key"]),
    ("store: unknown entry key", store(GOOD.replace("text:", "txt:")), [STORE, "entries.summary"]),
    ("store: text is a list", store("period: '2023-11'\nentries:\n  summary:\n    text: [a, b]\n"),
     [STORE, "entries.summary.text"]),
    ("store: another month's period", store(GOOD.replace("'2023-11'", "'2023-10'")), [STORE, "'2023-10'", "'2023-11'"]),
    ("store: a path as its period", store(GOOD.replace("'2023-11'", "'../catalogue/2023-24'")), [STORE, "period"]),
    ("store: carried_from not a month", store(GOOD + "    carried_from: October\n"), [STORE, "carried_from"]),
    ("store: a list, not a mapping", store("- a\n- b\n"), [STORE]),
    ("store: empty entries of the wrong type", store("period: '2023-11'\nentries: [1, 2]\n"), [STORE, "entries"]),
    ("store: acknowledged not a list", store(GOOD + "    acknowledged: 3\n"), [STORE, "acknowledged"]),
    ("store: unplaced text without text", store(GOOD + "unplaced:\n- after: x\n"), [STORE, "unplaced"]),
    ("last month's store broken", lambda root: write("params/commentary/2023-10.yaml")(root).write_text("period: [\n"),
     ["params/commentary/2023-10.yaml", "not valid YAML"]),
    ("last month's store for another month",
     lambda root: write("params/commentary/2023-10.yaml")(root).write_text(GOOD), ["2023-10.yaml", "'2023-11'"]),
    # the executed notebook, where the analyst writes
    ("notebook: not JSON", notebook("this is not a notebook"), [NOTEBOOK, "cannot be read as a notebook"]),
    ("notebook: cut off half-way", lambda root: (root / NOTEBOOK).write_bytes((root / NOTEBOOK).read_bytes()[:5000]),
     [NOTEBOOK, "cannot be read as a notebook"]),
    ("notebook: JSON but not a notebook", notebook(json.dumps({"a": 1})), [NOTEBOOK, "cannot be read as a notebook"]),
    ("notebook: cells not a list", notebook(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                                                        "cells": 7})), [NOTEBOOK]),
    ("notebook: a folder in its place", make_dir(NOTEBOOK), [NOTEBOOK]),
    # the file system
    ("outputs/2023-11 is a file", make_file("outputs/2023-11"), ["outputs/2023-11", "should be a folder"]),
    ("confidential/ is a file", make_file("outputs/2023-11/confidential"), ["confidential", "should be a folder"]),
    ("params/commentary is a file", make_file("params/commentary"), ["params/commentary", "should be a folder"]),
    ("params/commentary is a dangling link", dangling("params/commentary"), ["params/commentary"]),
    ("the month's params are a folder", make_dir("params/2023-11.yaml"), ["params/2023-11.yaml"]),
]


@pytest.mark.parametrize("name, damage, words", CASES, ids=[c[0] for c in CASES])
def test_refused_with_one_clear_message_and_nothing_changed(demo_project, tmp_path, capsys, name, damage, words):
    root = copy_project(demo_project[0], tmp_path / "p")
    if (root / "params" / "2023-11.yaml").is_dir():
        pass
    damage(root)
    err = refused(root, ["run", "2023-11"], capsys)
    for word in words:
        assert word in err, f"{name}: {word!r} not in {err!r}"


def test_a_second_run_of_the_same_month_is_refused_while_the_first_holds_it(demo_project, tmp_path, capsys):
    import fcntl

    root = copy_project(demo_project[0], tmp_path / "p")
    with open(root / "params" / "2023-11.yaml", "rb") as first:  # what a run in progress holds
        fcntl.flock(first, fcntl.LOCK_EX)
        err = refused(root, ["run", "2023-11"], capsys)
    assert "Another run of 2023-11 is in progress" in err
