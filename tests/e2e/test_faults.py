"""A run killed at any stage, or out of disk space, leaves the previous month exactly as it was."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from builders import copy_project

pytestmark = pytest.mark.e2e
PERIOD = "2023-11"
STAGES = ["staged", "executed", "part2-written", "rendered"]


def month_files(root: Path) -> dict[str, bytes]:
    folder = root / "outputs" / PERIOD
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(root: Path, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scrutiny", "run", PERIOD, "--root", str(root)],
                          capture_output=True, text=True, env={**os.environ, **env}, timeout=600)


def retitle(root: Path, title: str) -> None:
    path = root / "params" / f"{PERIOD}.yaml"
    params = yaml.safe_load(path.read_text())
    params["cover"]["title"] = title
    path.write_text(yaml.safe_dump(params, sort_keys=False, allow_unicode=True))


def test_a_run_killed_at_each_stage_leaves_the_previous_papers_and_the_next_run_works(demo_project, tmp_path):
    root = copy_project(demo_project[0], tmp_path / "p")
    before = month_files(root)
    retitle(root, "A NEW TITLE THAT MUST NOT APPEAR HALF-WAY")
    for stage in STAGES:
        done = run(root, SCRUTINY_KILL_AT=stage)
        assert done.returncode == -9, (stage, done.returncode, done.stderr[-1500:])
        assert month_files(root) == before, f"killed at {stage}: the previous month changed"
        assert not list((root / "outputs" / PERIOD).rglob("*.tmp"))
    done = run(root)
    assert done.returncode == 0, done.stderr[-2000:]
    after = month_files(root)
    assert "A NEW TITLE" in after["part1.html"].decode() and "A NEW TITLE" in after["confidential/part2.html"].decode()
    assert not [p.name for p in (root / "outputs").iterdir() if p.name.startswith((".stage-", ".old-"))]


def test_a_final_run_killed_before_the_switch_records_nothing_as_published(demo_project, tmp_path):
    from scrutiny.assess.across_time import read_ledger

    root, first = copy_project(demo_project[0], tmp_path / "p"), demo_project[1]
    store = root / "params" / "commentary" / f"{PERIOD}.yaml"
    entries = {key: {"text": "Commentary written for the final paper."} for key in first.exceptions}
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_text(yaml.safe_dump({"period": PERIOD, "entries": entries}))
    before = month_files(root)
    ledger = str(root / "outputs" / "published.json")
    for stage in ("ledger", "pdf"):
        extra = ["--pdf"] if stage == "pdf" else []
        done = subprocess.run([sys.executable, "-m", "scrutiny", "run", PERIOD, "--root", str(root), "--final",
                               *extra], capture_output=True, text=True, timeout=600,
                              env={**os.environ, "SCRUTINY_KILL_AT": stage})
        assert done.returncode == -9, (stage, done.stderr[-1500:])
        assert month_files(root) == before and read_ledger(ledger) == {}, f"killed at {stage}"
    done = subprocess.run([sys.executable, "-m", "scrutiny", "run", PERIOD, "--root", str(root), "--final", "--pdf"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert PERIOD in read_ledger(ledger)["cp_repeat"]
    month = root / "outputs" / PERIOD
    assert (month / "part1.pdf").is_file() and (month / "confidential" / "part2.pdf").is_file()
    assert "DRAFT" not in (month / "part1.html").read_text()


def test_a_full_disk_is_one_clear_line_and_changes_nothing(demo_project, tmp_path):
    root = copy_project(demo_project[0], tmp_path / "p")
    before = month_files(root)
    retitle(root, "WRITTEN ONLY WHEN THERE IS ROOM")

    def small_disk():  # every file this run (and its kernel) writes stops at 300 kB: as a full disk does
        resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))

    done = subprocess.run([sys.executable, "-m", "scrutiny", "run", PERIOD, "--root", str(root)],
                          capture_output=True, text=True, preexec_fn=small_disk, timeout=600)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert "Could not write" in done.stderr and "previous papers are as they were" in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines  # one line: no kernel warning either
    assert month_files(root) == before
    assert not [p.name for p in (root / "outputs").iterdir() if p.name.startswith((".stage-", ".old-"))]
    assert run(root).returncode == 0


@pytest.mark.skipif(shutil.which("mount") is None or os.geteuid() != 0, reason="needs a tmpfs mount")
def test_a_really_full_small_disk_changes_nothing(demo_project, tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("this machine does not allow a tmpfs mount")
    try:
        root = copy_project(demo_project[0], disk / "p")
        before = month_files(root)
        retitle(root, "WRITTEN ONLY WHEN THERE IS ROOM")
        free = shutil.disk_usage(disk).free
        filler = disk / "filler"
        with open(filler, "wb") as handle:  # leave 400 kB: less than one paper needs
            handle.write(b"\0" * max(0, free - 400_000))
        done = run(root)
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr[-2000:]
        assert "No space left on device" in done.stderr
        assert month_files(root) == before
        filler.unlink()
        assert run(root).returncode == 0
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


def test_a_save_in_jupyter_during_a_run_loses_no_words(demo_project, tmp_path):
    import time

    import nbformat

    root = copy_project(demo_project[0], tmp_path / "p")
    before = month_files(root)
    notebook = root / "outputs" / PERIOD / "confidential" / "paper.ipynb"
    run_ = subprocess.Popen([sys.executable, "-m", "scrutiny", "run", PERIOD, "--root", str(root)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while not list((root / "outputs").glob(f".stage-{PERIOD}-*")) and time.time() < deadline:
        time.sleep(0.05)
    nb = nbformat.read(notebook, as_version=4)  # the analyst saves while the kernel is running
    cell = next(c for c in nb.cells if c.cell_type == "markdown" and "commentary:summary" in c.metadata.get("tags", []))
    cell.source = "Saved in Jupyter while the run was going."
    nbformat.write(nb, notebook)
    out, err = run_.communicate(timeout=600)
    assert run_.returncode == 2, err[-2000:]
    assert "was saved while the run was going" in err and "Traceback" not in err
    assert "Saved in Jupyter while the run was going." in notebook.read_text()
    assert {k: v for k, v in month_files(root).items() if k != "confidential/paper.ipynb"} == \
        {k: v for k, v in before.items() if k != "confidential/paper.ipynb"}
    done = run(root)
    assert done.returncode == 0, done.stderr[-2000:]
    store = root / "params" / "commentary" / f"{PERIOD}.yaml"
    assert "Saved in Jupyter while the run was going." in store.read_text()
    assert "Saved in Jupyter while the run was going." in (root / "outputs" / PERIOD / "part1.html").read_text()
