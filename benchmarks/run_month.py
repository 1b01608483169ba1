"""Benchmark: how long a month takes, by stage, on a synthetic extract of a given size.

    .venv/bin/python benchmarks/run_month.py --children 300 [--full]
    .venv/bin/python benchmarks/run_month.py --children 80000      # the size of England

Prints figures; asserts nothing (speed goals are read from its output, not tested).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from scrutiny.config.catalogue import load_catalogue
from scrutiny.data.periods import Period
from scrutiny.indicators.compute import compute_period, compute_series
from scrutiny.demo import write_demo_params, write_starter
from scrutiny.paper.document import Paper
from scrutiny.config.params import load_params
from scrutiny.data.synth import synthesise
from scrutiny.data.validate import load_extract

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
        write_starter(root)
        data = root / "data" / "demo"
        timed(f"synthesise ({args.children} children)", lambda: synthesise(data, args.children, 1, args.period))
        rows = {p.name: sum(1 for _ in p.open()) - 1 for p in sorted(data.glob("*.csv"))}
        print("rows:", ", ".join(f"{k} {v:,}" for k, v in rows.items()))
        extract = timed("load and validate", lambda: load_extract(data))
        timed("compute one period", lambda: compute_period(extract, args.period, 60000))
        months = Period.parse(args.period).trailing(37)
        timed("compute 37 month ends (baseline + shown)", lambda: compute_series(extract, months, 60000))
        params = load_params(write_demo_params(root, args.period, "data/demo"))
        catalogue = load_catalogue(params.catalogue)
        timed("paper: 37 month ends, rating, SPC, charts", lambda: (lambda p: (p.trends(), p.scorecard()))(
            Paper(params, extract, catalogue)))
        if args.full:
            from scrutiny.run.execute import run_period

            timed("scrutiny run (papermill + nbconvert)", lambda: run_period(args.period, root))


if __name__ == "__main__":
    main()
