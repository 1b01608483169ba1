"""Benchmark: a range of months by a loop of `scrutiny run` against `scrutiny backfill`, side by side in one run.

    .venv/bin/python benchmarks/backfill.py --months 3 [--children 300]

Each way starts from a fresh copy of the same project (synthetic extract, params/defaults.yaml,
no month files); the last line times a second backfill, where every month is up to date.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from scrutiny.config.params import dump_params
from scrutiny.data.periods import Period
from scrutiny.data.synth import synthesise
from scrutiny.demo import demo_params, write_starter


def project(root: Path, children: int) -> Path:
    write_starter(root)
    synthesise(root / "data" / "demo", children, 1, "2023-11")
    defaults = yaml.safe_load(dump_params(demo_params("2023-11", "data/demo")))
    for key in ("period", "catalogue"):
        defaults.pop(key)
    (root / "params" / "defaults.yaml").write_text(yaml.safe_dump(defaults, sort_keys=False))
    return root


def timed(label: str, argv: list[list[str]]) -> float:
    start = time.perf_counter()
    for args in argv:
        subprocess.run([sys.executable, "-m", "scrutiny", *args], check=False, capture_output=True)
    seconds = time.perf_counter() - start
    print(f"{label:<44} {seconds:8.1f} s")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--children", type=int, default=300)
    args = parser.parse_args()
    last = Period(2023, 11)
    months = [str(p) for p in last.trailing(args.months)]
    with tempfile.TemporaryDirectory() as tmp:
        base = project(Path(tmp) / "base", args.children)
        copies = {}
        for name in ("loop", "jobs1", "jobs2"):
            copies[name] = Path(tmp) / name
            shutil.copytree(base, copies[name])
        print(f"{args.months} months, {months[0]} to {months[-1]}, {args.children} children")
        timed(f"loop of {args.months} `scrutiny run`s", [["run", m, "--root", str(copies["loop"])] for m in months])
        timed("scrutiny backfill --jobs 1", [["backfill", months[0], months[-1], "--root", str(copies["jobs1"]),
                                              "--jobs", "1"]])
        timed("scrutiny backfill --jobs 2", [["backfill", months[0], months[-1], "--root", str(copies["jobs2"]),
                                              "--jobs", "2"]])
        timed("scrutiny backfill again (all up to date)", [["backfill", months[0], months[-1], "--root",
                                                              str(copies["jobs2"]), "--jobs", "2"]])


if __name__ == "__main__":
    main()
