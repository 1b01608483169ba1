"""Benchmark: cold `scrutiny run`s of two versions of the package, taken in turn, at demo size and England's.

    .venv/bin/python benchmarks/versions.py BASE [OTHER] [--sizes 300 80000] [--repeat 5]

``BASE`` and ``OTHER`` (default: the working tree) are git revisions; each is checked out in a
worktree of its own and run from there (``PYTHONPATH``), on the same projects (the synthetic extract
of each size made once, by the working tree's package). The runs alternate, version by version
within each size, so that both versions meet this machine's moods alike (the same work here takes
from one to several times as long from one minute to the next): a change is judged by the medians
of the pairs, not by two runs of ``benchmarks/national.py`` minutes apart. Prints figures; asserts
nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import national  # noqa: E402 - this folder's own script: its projects and cold runs

REPO = Path(__file__).resolve().parent.parent


def _worktree(revision: str, where: Path) -> Path:
    """``revision`` checked out at ``where`` (a detached worktree of this repository)."""
    subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-f", str(where), revision], check=True,
                   capture_output=True)
    return where


def _cold(source: Path, root: Path, period: str) -> float:
    os.environ["PYTHONPATH"] = str(source)  # (the run, and the processes it starts, import this version)
    return national._cold(root, period)[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base", help="a git revision: the version compared against")
    parser.add_argument("other", nargs="?", help="another git revision (default: the working tree)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 80000])
    parser.add_argument("--period", default="2023-11")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        versions = {args.base: _worktree(args.base, Path(tmp) / "base")}
        versions[args.other or "working tree"] = _worktree(args.other, Path(tmp) / "other") if args.other else REPO
        try:
            projects = {n: national.project(n, args.period, Path(tmp))[0] for n in args.sizes}
            timed = {(v, n): [] for v in versions for n in args.sizes}
            for _ in range(args.repeat):
                for n, root in projects.items():
                    for v, source in versions.items():
                        timed[(v, n)].append(_cold(source, root, args.period))
        finally:
            for v, source in versions.items():
                if source != REPO:
                    subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(source)],
                                   capture_output=True)
    print(f"cold `scrutiny run`, {args.repeat} times each, versions in turn: median (fastest to slowest), seconds")
    for n in args.sizes:
        for v in versions:
            print(f"  {n:>7,} children  {v:<14} {national._spread(timed[(v, n)])}")
    if len(args.sizes) > 1:
        small, large = args.sizes[0], args.sizes[-1]
        for v in versions:
            ratio = statistics.median(timed[(v, large)]) / statistics.median(timed[(v, small)])
            print(f"  {v:<14} {large:,} / {small:,} children, ratio of medians {ratio:.2f}")


if __name__ == "__main__":
    main()
