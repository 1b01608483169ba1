"""Benchmark: a year of papers by `scrutiny backfill` against the naive loop a hand-made workbook uses, then
an unchanged re-run and a commentary-only re-run against a cold run; side by side, in one run.

    .venv/bin/python benchmarks/backfill.py [--months 12] [--children 300] [--jobs 2]

The naive loop is, per month: `papermill` (the CLI) on the same notebook with that month's
parameters (the complete set, as a hand-copied params file holds them), then
`jupyter nbconvert --to html`. Each way starts from its own fresh copy of the same project
(synthetic extract, params/defaults.yaml, no month files). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import yaml

from scrutiny.config.params import load_params
from scrutiny.data.periods import Period
from scrutiny.data.synth import synthesise
from scrutiny.demo import demo_defaults, write_starter
from scrutiny.run.layout import NOTEBOOK, paths

BIN = Path(sys.executable).parent


def project(root: Path, children: int, last: str) -> Path:
    write_starter(root)
    synthesise(root / "data" / "demo", children, 1, last)
    defaults = demo_defaults(last, "data/demo")
    (root / "params" / "defaults.yaml").write_text(yaml.safe_dump(defaults, sort_keys=False))
    return root


def timed(label: str, commands: list[list[str]], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    for command in commands:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
        if done.returncode not in (0, 1):  # backfill exits 1 when a month fails: still timed, and said
            print(f"  ! {' '.join(command[:3])} exited {done.returncode}: {done.stderr.strip()[-300:]}")
    seconds = time.perf_counter() - start
    print(f"{label:<58} {seconds:8.1f} s")
    return seconds


def naive_loop(root: Path, months: list[str]) -> list[list[str]]:
    """papermill then nbconvert per month, with the month's complete parameters in a file of its own."""
    commands = []
    for month in months:
        params = load_params(root / "params" / f"{month}.yaml").notebook_parameters()
        month_file = root / f"naive-{month}.yaml"
        month_file.write_text(yaml.safe_dump(params))
        out = root / f"naive-{month}.ipynb"
        commands += [[str(BIN / "papermill"), str(NOTEBOOK), str(out), "-f", str(month_file), "--cwd", str(root),
                      "--no-progress-bar"],
                     [str(BIN / "jupyter"), "nbconvert", "--to", "html", str(out)]]
    return commands


def edit_commentary(root: Path, months: list[str], words: str) -> int:
    """As an analyst does in JupyterLab: new words in each month's first commentary box, saved."""
    edited = 0
    for month in months:
        path = paths(root, month)["notebook"]
        if not path.is_file():
            continue
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "markdown" and any(str(t).startswith("commentary:") and t != "commentary:summary"
                                                    for t in cell.metadata.get("tags", [])):
                cell.source = words
                edited += 1
                break
        nbformat.write(nb, path)
    return edited


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--children", type=int, default=300)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--last", default="2024-03")
    args = parser.parse_args()
    months = [str(p) for p in Period.parse(args.last).trailing(args.months)]
    scrutiny = [str(BIN / "scrutiny")]
    with tempfile.TemporaryDirectory() as tmp:
        base = project(Path(tmp) / "base", args.children, args.last)
        copies = {}
        for name in ("naive", "backfill", "one"):
            copies[name] = Path(tmp) / name
            shutil.copytree(base, copies[name])
        print(f"{args.months} months, {months[0]} to {months[-1]}, {args.children} children, --jobs {args.jobs}")
        naive = timed(f"naive loop: papermill + nbconvert, {args.months} months", naive_loop(copies["naive"], months))
        backfill = [*scrutiny, "backfill", months[0], months[-1], "--root", str(copies["backfill"]), "--jobs",
                    str(args.jobs)]
        cold = timed(f"scrutiny backfill, {args.months} months, cold", [backfill])
        print(f"{'  backfill / naive loop':<58} {cold / naive:8.3f}")
        same = timed(f"scrutiny backfill again, {args.months} months unchanged", [backfill])
        print(f"{'  unchanged / cold':<58} {same / cold:8.3f}")
        edited = edit_commentary(copies["backfill"], months, "Words changed since the last run.")
        words = timed(f"scrutiny backfill, commentary changed in {edited} months", [backfill])
        print(f"{'  commentary only / cold':<58} {words / cold:8.3f}")
        one = [*scrutiny, "backfill", months[-1], months[-1], "--root", str(copies["one"])]
        cold1 = timed(f"one month ({months[-1]}), cold", [one])
        same1 = timed("one month, unchanged", [one])
        print(f"{'  unchanged / cold':<58} {same1 / cold1:8.3f}")
        edit_commentary(copies["one"], months[-1:], "Words changed since the last run.")
        words1 = timed("one month, commentary changed", [one])
        print(f"{'  commentary only / cold':<58} {words1 / cold1:8.3f}")


if __name__ == "__main__":
    main()
