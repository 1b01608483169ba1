"""A run keeps the memory it frees for its next use (glibc's malloc told so), in every thread, Arrow's too."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

# the page faults of allocating a 16 MB block a second time, once it has been freed: by this process's
# main thread, then by another thread (which, by default, glibc gives a heap of its own)
_PROBE = r"""
import json, resource, sys, threading
from scrutiny.run.memory import keep_freed_memory

told = keep_freed_memory() if sys.argv[1] == "keep" else None

def faults_of_a_block():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    block = bytearray(16 << 20)  # (zeroed: each of its pages touched)
    del block
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

faults_of_a_block()  # the first: fresh memory, whatever malloc keeps
again = faults_of_a_block()
in_thread = []
worker = threading.Thread(target=lambda: in_thread.append(faults_of_a_block()))
worker.start(); worker.join()
print(json.dumps({"told": told, "again": again, "in_thread": in_thread[0]}))
"""

PAGES = (16 << 20) // 4096


def _probe(how: str) -> dict:
    return json.loads(subprocess.run([sys.executable, "-c", _PROBE, how], capture_output=True, text=True,
                                     check=True).stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc, on Linux")
def test_freed_memory_is_reused_by_the_next_block_in_any_thread_not_faulted_in_afresh():
    default, kept = _probe("default"), _probe("keep")
    assert kept["told"] is True
    assert default["again"] > PAGES / 2  # by default the first went back to the system: the second is fresh
    assert kept["again"] < PAGES / 20 and kept["in_thread"] < PAGES / 20  # kept: its pages are reused


_COLLECTIONS = r"""
import gc, json, sys
from scrutiny.run.memory import for_a_run

if sys.argv[1] == "run":
    for_a_run()
looks = []
gc.callbacks.append(lambda phase, info: phase == "start" and looks.append(info["generation"]))
kept = [[i] for i in range(30_000)]  # thirty thousand new lists, kept
print(json.dumps({"looks": len(looks), "deep": looks.count(2)}))
"""


def test_a_run_looks_for_cycles_less_often_than_python_does():
    default, run = (json.loads(subprocess.run([sys.executable, "-c", _COLLECTIONS, how], capture_output=True,
                                              text=True, check=True).stdout) for how in ("default", "run"))
    assert default["looks"] >= 30_000 // 700 - 1  # Python's own: a look every 700 new objects
    assert run["looks"] == 0  # the run's: none in 30,000


# where a run's Arrow memory comes from: for_a_run before pyarrow is imported, after it, or with the analyst's choice
_POOL = r"""
import json, os, sys
from scrutiny.run.memory import for_a_run

if sys.argv[1] == "imported first":
    import pyarrow
if sys.argv[1] == "chosen":
    os.environ["ARROW_DEFAULT_MEMORY_POOL"] = "mimalloc"
for_a_run()
import pyarrow as pa

print(json.dumps(pa.default_memory_pool().backend_name))
"""


@pytest.mark.parametrize("how, pool", [("fresh", "system"), ("imported first", "system"), ("chosen", "mimalloc")])
def test_a_runs_arrow_memory_comes_from_malloc_unless_the_analyst_chose(how, pool):
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    found = json.loads(subprocess.run([sys.executable, "-c", _POOL, how], capture_output=True, text=True,
                                      check=True, env=env).stdout)
    assert found == pool


# whether numpy's large arrays ask for huge pages in a run: for_a_run before numpy is imported, after, or chosen
_PAGES = r"""
import json, os, sys
from scrutiny.run.memory import for_a_run

if sys.argv[1] == "imported first":
    import numpy
if sys.argv[1] == "chosen":
    os.environ["NUMPY_MADVISE_HUGEPAGE"] = "1"
for_a_run()
import numpy as np

set_huge = np._core.multiarray._set_madvise_hugepage
before = set_huge(True)  # (returns what it was)
print(json.dumps(bool(before)))
"""


@pytest.mark.parametrize("how, huge", [("fresh", False), ("imported first", False), ("chosen", True)])
def test_a_runs_arrays_are_made_of_ordinary_pages_unless_the_analyst_chose(how, huge):
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    found = json.loads(subprocess.run([sys.executable, "-c", _PAGES, how], capture_output=True, text=True,
                                      check=True, env=env).stdout)
    assert found is huge
