"""Benchmark: how long a month takes, by stage, on a synthetic extract of a given size.

    .venv/bin/python benchmarks/run_month.py --children 300 [--full]
    .venv/bin/python benchmarks/run_month.py --children 80000      # the size of England

Prints figures; asserts nothing (speed goals are read from its output, not tested).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from scrutiny.catalogue import load_catalogue
from scrutiny.compute import compute_period
from scrutiny.demo import write_demo_params
from scrutiny.paper import Paper
from scrutiny.params import load_params
from scrutiny.synth import synthesise
from scrutiny.validate import load_extract

ROOT = Path(__file__).resolve().parent.parent


def timed(label, func):
    start = time.perf_counter()
    value = func()
    print(f"{label:<38} {time.perf_counter() - start:8.2f} s")
    return value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=300)
    parser.add_argument("--period", default="2023-11")
    parser.add_argument("--full", action="store_true", help="also run papermill and nbconvert")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for folder in ("catalogue", "benchmarks"):
            shutil.copytree(ROOT / "params" / folder, root / "params" / folder)
        data = root / "data" / "demo"
        timed(f"synthesise ({args.children} children)", lambda: synthesise(data, args.children, 1, args.period))
        rows = {p.name: sum(1 for _ in p.open()) - 1 for p in sorted(data.glob("*.csv"))}
        print("rows:", ", ".join(f"{k} {v:,}" for k, v in rows.items()))
        extract = timed("load and validate", lambda: load_extract(data))
        timed("compute one period", lambda: compute_period(extract, args.period, 60000))
        params = load_params(write_demo_params(root, args.period, "data/demo"))
        catalogue = load_catalogue(params.catalogue)
        timed("paper: 13 periods, rating, charts", lambda: (lambda p: (p.trends(), p.scorecard()))(
            Paper(params, extract, catalogue)))
        if args.full:
            from scrutiny.run import run_period

            timed("scrutiny run (papermill + nbconvert)", lambda: run_period(args.period, root))


if __name__ == "__main__":
    main()
