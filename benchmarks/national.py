"""Benchmark: one month's papers at demo size and at the size of England, side by side in one run.

    .venv/bin/python benchmarks/national.py [--sizes 300 80000] [--period 2023-11]

For each size, in a fresh project: the synthetic extract (not timed), then by stage in one
process (load and validate; compute every month end the paper's trends and control charts
need; build the paper model with its charts), then `scrutiny run` from the extract to both
HTML papers: cold (nothing cached), with its peak memory (the largest resident set of any
process it ran), and again with the extract and its month ends in the project cache. Prints
figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent

STAGES = r"""
import json, resource, sys, time
from pathlib import Path
from scrutiny.config.catalogue import load_catalogue
from scrutiny.config.params import load_params
from scrutiny.data.validate import load_extract
from scrutiny.indicators.compute import compute_series
from scrutiny.paper.document import Paper
from scrutiny.paper.model import month_ends, population_of
from scrutiny.assess.benchmarks import BenchmarkTable

root, period = Path(sys.argv[1]), sys.argv[2]
params = load_params(root / "params" / f"{period}.yaml")
catalogue = load_catalogue(params.catalogue)
out = {}
start = time.perf_counter()
extract = load_extract(params.data)
out["load and validate"] = time.perf_counter() - start
every, specs = month_ends(params.period_obj, catalogue)
start = time.perf_counter()
benchmarks = BenchmarkTable.read(params.benchmarks) if params.benchmarks else None
compute_series(extract, every, population_of(params, benchmarks), specs=specs)
out[f"compute {len(every)} month ends x {len(specs)} indicators"] = time.perf_counter() - start
start = time.perf_counter()
paper = Paper(params, extract, catalogue)
paper.appendix(), paper.scorecard()
out["paper model, rating, SPC, charts (month ends again)"] = time.perf_counter() - start
out["peak memory (GB)"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
print(json.dumps(out))
"""


def one_size(children: int, period: str, tmp: Path) -> dict:
    from scrutiny.data.synth import synthesise
    from scrutiny.demo import write_demo_params, write_starter

    root = tmp / f"size-{children}"
    write_starter(root)
    synthesise(root / "data" / "demo", children, 1, period)
    write_demo_params(root, period, "data/demo")
    stages = json.loads(subprocess.run([sys.executable, "-c", STAGES, str(root), period], capture_output=True,
                                       text=True, check=True).stdout)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run([str(BIN / "scrutiny"), "run", period, "--root", str(root)], capture_output=True, text=True)
    stages["scrutiny run: extract to both HTML papers, cold"] = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    stages["scrutiny run peak memory (GB)"] = max(peak, before) / 1024 / 1024
    if done.returncode:
        print(f"  ! scrutiny run exited {done.returncode}: {done.stderr.strip()[-300:]}")
    start = time.perf_counter()
    subprocess.run([str(BIN / "scrutiny"), "run", period, "--root", str(root)], capture_output=True, text=True)
    stages["scrutiny run again (extract and month ends cached)"] = time.perf_counter() - start
    return stages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 80000])
    parser.add_argument("--period", default="2023-11")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = {n: one_size(n, args.period, Path(tmp)) for n in args.sizes}
    labels = list(next(iter(results.values())))
    print(f"{'children':<56}" + "".join(f"{n:>12,}" for n in results))
    for label in labels:
        print(f"{label:<56}" + "".join(f"{r[label]:>12.2f}" for r in results.values()))
    if len(results) > 1:
        small, large = list(results.values())[0], list(results.values())[-1]
        key = "scrutiny run: extract to both HTML papers, cold"
        print(f"{'national / demo, scrutiny run cold':<56}{large[key] / small[key]:>12.2f}")
        key = "scrutiny run again (extract and month ends cached)"
        print(f"{'national / demo, scrutiny run cached':<56}{large[key] / small[key]:>12.2f}")


if __name__ == "__main__":
    main()
