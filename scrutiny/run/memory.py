"""A run's memory: once freed, kept for its next use (memory first touched is much of what a national run
costs), and Python's collector of cycles run less often.

Each month end's arrays, a file's columns, a chart's buffers are allocated, used and freed. By
default glibc's malloc gives a freed block of more than a few MB straight back to the system, and
each thread its own heap; the next such block is fresh memory, zeroed by the kernel page by page
(on a virtual machine, slower still the first time the host backs it). Told to keep what is freed
(blocks up to 32 MB from the heap, its free top given back only beyond 2 GB, every thread
sharing one heap), the process reuses its own pages: the most it held is what it holds.

At 80,000 children (the re-referral flags of 3.6 million referrals, the first time they are derived
in a process; four pairs of fresh processes): 0.19 to 0.76 s (median 0.29), system time 0.03 to
0.62 s, against 0.48 to 0.87 s (median 0.68), system time 0.35 to 0.76 s. Every month end of a
paper, in its two threads: 0.78 to 1.23 s (median 0.89) against 1.12 to 1.42 s (median 1.20), five
pairs. Nothing changes where the C library is not glibc.

Arrow (which parses the extract and does much of the month ends' work) takes its memory from
mimalloc by default, which gives freed memory back to the system within milliseconds, often as
huge pages, each of them fresh again when next used. A run's Arrow memory comes from malloc instead
(:func:`arrow_from_malloc`), and so is kept as the rest is. At 80,000 children, every month end of a
paper from a cached extract (six pairs of fresh processes, taken in turn): 1.46 to 2.13 s, system
time 0.23 to 1.24 s (median 0.25), against 2.15 to 2.60 s, system time 1.67 to 2.17 s; a cold
``scrutiny run`` of both papers (four pairs) 10.9 to 14.0 s (median 12.7) against 12.7 to 14.6 s
(median 14.0).

numpy asks for huge pages (2 MB) for each array of 4 MB or more. On this project's virtual machine a
huge page touched for the first time costs more than the 512 pages it stands for (glibc's malloc told
to ask for them too made a cold national month 0.8 s slower), so a run's arrays are made of ordinary
pages (:func:`ordinary_pages`). At 80,000 children, cold runs of both papers, taken in turn: faster in
10 of 10 pairs with ``NUMPY_MADVISE_HUGEPAGE=0`` set by hand (by 0.04 to 0.31 s); by
``benchmarks/versions.py``, medians of 6.10 against 5.83 s (seven pairs) and once 5.88 against 5.96 s
(five pairs); and the setting made by the run itself against ``=1``, faster in 4 of 6 pairs: a gain of
about a tenth of a second, within this machine's noise run by run. The
300-child month is no different.

Python looks for cycles of garbage every 700 new objects by default, and every so often through
every object the process holds (164,000 once pandas, pyarrow, matplotlib, IPython and the package
are imported): a tenth of a second a time, four times in a 300-child month. A run's cycles are
mostly its charts' figures (about 3,200 objects left to the collector each), so it looks every
50,000 (:data:`COLLECT_EVERY`), every fifteen charts or so: a 300-child month took 2.70 to 2.92 s
(three runs) against 2.80 to 3.44 s, in this process, its largest memory no larger (294 to 312 MB
against 301 to 315 MB); with the collector off altogether, 2.66 to 2.89 s.
"""

from __future__ import annotations

import ctypes
import gc
import os
import sys

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD, _M_ARENA_MAX = -1, -3, -8  # mallopt's options (glibc's malloc.h)
_LARGEST_FROM_HEAP = 32 << 20  # the most glibc lets M_MMAP_THRESHOLD be on a 64-bit machine
COLLECT_EVERY = (50_000, 20, 20)  # gc.set_threshold's: new objects between looks, and looks between deeper ones
_TRIM_AT = 2**31 - 1  # (mallopt takes an int): the heap's free top given back only beyond 2 GB


def keep_freed_memory() -> bool:
    """Tell glibc's malloc to keep freed memory for reuse (see the module's docstring); True if it was told.

    Called by ``scrutiny run`` and ``scrutiny backfill`` before any other thread starts (the data
    readers and the backfill's worker processes are forked from it, and keep the setting).
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None)  # this process's own C library
        libc.gnu_get_libc_version.restype = ctypes.c_char_p
        libc.gnu_get_libc_version()  # (glibc's alone: musl's mallopt does nothing)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    settings = ((_M_MMAP_THRESHOLD, _LARGEST_FROM_HEAP), (_M_TRIM_THRESHOLD, _TRIM_AT),
                (_M_ARENA_MAX, 1))
    return all(mallopt(option, value) == 1 for option, value in settings)


ARROW_POOL = "ARROW_DEFAULT_MEMORY_POOL"  # Arrow's own setting: where its memory comes from


def arrow_from_malloc() -> None:
    """Arrow's memory from malloc (see the module's docstring), unless the analyst chose otherwise (by
    ``ARROW_DEFAULT_MEMORY_POOL``). Read by pyarrow when it first allocates; a pyarrow already imported is
    told directly. Processes started from this one (a kernel, the data readers) take the same."""
    if os.environ.setdefault(ARROW_POOL, "system") == "system" and "pyarrow" in sys.modules:
        import pyarrow as pa

        pa.set_memory_pool(pa.system_memory_pool())


HUGE_PAGES = "NUMPY_MADVISE_HUGEPAGE"  # numpy's own setting: whether its large arrays ask for huge pages


def ordinary_pages() -> None:
    """numpy's large arrays in ordinary pages (see the module's docstring), unless the analyst chose otherwise
    (by ``NUMPY_MADVISE_HUGEPAGE``). Read by numpy when it is imported; a numpy already imported is told
    directly. Processes started from this one (a kernel, the data readers) take the same."""
    if os.environ.setdefault(HUGE_PAGES, "0") == "0" and "numpy" in sys.modules:
        multiarray = getattr(getattr(sys.modules["numpy"], "_core", None), "multiarray", None)
        getattr(multiarray, "_set_madvise_hugepage", lambda enabled: None)(False)


def collect_less_often() -> None:
    """Python's collector of cycles run less often (see the module's docstring)."""
    gc.set_threshold(*COLLECT_EVERY)


def for_a_run() -> None:
    """What ``scrutiny run`` and ``scrutiny backfill`` set first: :func:`keep_freed_memory`,
    :func:`arrow_from_malloc`, :func:`ordinary_pages` and :func:`collect_less_often` (the processes forked
    from it keep them all)."""
    keep_freed_memory()
    arrow_from_malloc()
    ordinary_pages()
    collect_less_often()


__all__ = ["ARROW_POOL", "COLLECT_EVERY", "HUGE_PAGES", "arrow_from_malloc", "collect_less_often", "for_a_run",
           "keep_freed_memory", "ordinary_pages"]
