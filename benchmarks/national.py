"""Benchmark: one month's papers at demo size and at the size of England, side by side in one run.

    .venv/bin/python benchmarks/national.py [--sizes 300 80000] [--period 2023-11] [--repeat 3]

For each size, in a fresh project: the synthetic extract (not timed), then by stage in one
process (load and validate; compute every month end the paper's trends and control charts
need; build the paper model with its charts), then `scrutiny run` from the extract to both
HTML papers: cold (nothing cached), and again with the extract and its month ends in the
project cache, repeated (``--repeat``, sizes in turn, so that both sizes meet this machine's
moods alike) and their medians compared; then, in one more cold run of each size (watching it
costs time, so it is not one of the timed runs), its peak memory (the largest resident set of
any process it ran, or of its processes together, whichever is more). Prints figures; asserts
nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BIN = Path(sys.executable).parent
PAGE = os.sysconf("SC_PAGE_SIZE")

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


COLD = "scrutiny run: extract to both HTML papers, cold"
CACHED = "scrutiny run again (extract and month ends cached)"


def project(children: int, period: str, tmp: Path) -> tuple[Path, dict]:
    """A fresh project of that size, and its stages timed in one process."""
    from scrutiny.demo import write_demo_params, write_starter

    root = tmp / f"size-{children}"
    write_starter(root)
    # in a process of its own: this one stays small, so the runs it starts measure their own peak memory
    subprocess.run([str(BIN / "scrutiny"), "synth", "--out", str(root / "data" / "demo"), "--children",
                    str(children), "--seed", "1", "--period", period], check=True, capture_output=True)
    write_demo_params(root, period, "data/demo")
    stages = json.loads(subprocess.run([sys.executable, "-c", STAGES, str(root), period], capture_output=True,
                                       text=True, check=True).stdout)
    return root, stages


def _tree_bytes(pid: int) -> int:
    """Resident bytes of a process and all its descendants now, summed (pages they share counted in each)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        each = todo.pop()
        todo += children.get(each, [])
        try:
            with open(f"/proc/{each}/statm") as statm:
                total += int(statm.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            pass
    return total


def _timed(command: list[str], *, watch: bool = False) -> tuple[float, float, float]:
    """Seconds; the largest resident set of the process or any it waited for (GB, its rusage); and, where
    ``watch``, the most its processes held at once (GB, their resident sets summed every 20 ms: the extract's
    readers run beside the run). The watching costs a scan of /proc every 20 ms, about 6 % of a core (1.2 ms
    of CPU a scan, measured): a run that is watched is not one whose time is reported."""
    with tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err)
        most, done = [0], threading.Event()

        def sample() -> None:
            while not done.wait(0.02):
                most[0] = max(most[0], _tree_bytes(process.pid))

        watcher = threading.Thread(target=sample) if watch else None
        if watcher:
            watcher.start()
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        if watcher:
            watcher.join()
        if status:
            err.seek(0)
            print(f"  ! {' '.join(command[1:3])} exited {os.waitstatus_to_exitcode(status)}: {err.read().strip()[-300:]}")
    return seconds, usage.ru_maxrss / 1024 / 1024, most[0] / 2**30


def _cold(root: Path, period: str, *, watch: bool = False) -> tuple[float, float, float]:
    """`scrutiny run` with no cache and no outputs (see :func:`_timed`)."""
    from scrutiny.run.staging import CACHE

    for folder in (root / CACHE, root / "outputs"):
        shutil.rmtree(folder, ignore_errors=True)
    return _timed(_command(root, period), watch=watch)


def _command(root: Path, period: str) -> list[str]:
    return [str(BIN / "scrutiny"), "run", period, "--root", str(root)]


def runs(root: Path, period: str) -> tuple[float, float]:
    """`scrutiny run` cold (no cache, no outputs), then again with the cache: seconds each."""
    cold = _cold(root, period)[0]
    return cold, _timed(_command(root, period))[0]


def peak_memory(root: Path, period: str) -> float:
    """GB: the most a cold `scrutiny run` held, in its largest process or its processes together."""
    _seconds, largest, together = _cold(root, period, watch=True)
    return max(largest, together)


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):8.2f} ({min(values):.2f} to {max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 80000])
    parser.add_argument("--period", default="2023-11")
    parser.add_argument("--repeat", type=int, default=3,
                        help="cold and cached runs of each size, taken in turn (this machine varies by seconds)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        projects = {n: project(n, args.period, Path(tmp)) for n in args.sizes}
        timed: dict[int, dict[str, list[float]]] = {n: {COLD: [], CACHED: []} for n in args.sizes}
        peaks: dict[int, float] = {}
        for _ in range(args.repeat):  # each size in turn: what the machine is doing is shared alike
            for n, (root, _stages) in projects.items():
                cold, cached = runs(root, args.period)
                timed[n][COLD].append(cold)
                timed[n][CACHED].append(cached)
        for n, (root, _stages) in projects.items():  # (a run of its own: watching it costs time)
            peaks[n] = peak_memory(root, args.period)
    stages = {n: s for n, (_root, s) in projects.items()}
    labels = list(next(iter(stages.values())))
    print(f"{'children':<56}" + "".join(f"{n:>12,}" for n in args.sizes))
    for label in labels:
        print(f"{label:<56}" + "".join(f"{stages[n][label]:>12.2f}" for n in args.sizes))
    print(f"{'scrutiny run peak memory (GB)':<56}" + "".join(f"{peaks[n]:>12.2f}" for n in args.sizes))
    print(f"\n`scrutiny run` {args.repeat} times each, sizes in turn: median (fastest to slowest), seconds")
    for n in args.sizes:
        print(f"  {n:>7,} children, cold   {_spread(timed[n][COLD])}")
        print(f"  {n:>7,} children, cached {_spread(timed[n][CACHED])}")
    if len(args.sizes) > 1:
        small, large = timed[args.sizes[0]], timed[args.sizes[-1]]
        for key, name in ((COLD, "cold"), (CACHED, "cached")):
            pairs = [b / a for a, b in zip(small[key], large[key])]
            print(f"{'national / demo, scrutiny run ' + name + ', medians':<56}"
                  f"{statistics.median(large[key]) / statistics.median(small[key]):>12.2f}"
                  f"   (run by run: {', '.join(f'{r:.2f}' for r in pairs)})")


if __name__ == "__main__":
    main()
