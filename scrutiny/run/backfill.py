"""``scrutiny backfill FROM TO``: every month's papers in a range, for one project or several, each month with
the guarantees of ``scrutiny run``.

A month that fails never stops or spoils the others: each is its own :func:`run_period`
(commentary harvested and kept, both papers switched into place together or not at all, the
disclosure gate, the ledger).

**Up to date is free.** A month whose papers' inputs are unchanged since its last complete run is
skipped before any worker starts; one whose commentary alone changed is re-rendered from the
figures already computed (:mod:`.uptodate` says which, and how).

**Load once, compute together.** Before the months run, each project's extract is read and
validated once into the project cache, and every month end the range's papers need (each
paper's trend and control-chart baseline) is computed once, in chunks side by side, into the
cache every month then reads (:mod:`scrutiny.indicators.compute`).

**Where months run:** in this process (``jobs=1``), on a local process pool (``jobs``), or on a
Dask distributed cluster (``scheduler``): the project folders, extracts included, must then be
on storage the workers share, at the same paths. Each worker executes notebooks in its own warm
process (:mod:`.engine`), one at a time.
"""

from __future__ import annotations

import json
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..data.periods import Period
from ..errors import PeriodError, RunFailed, ScrutinyError
from ..files import PRIVATE_MODE, write_atomic
from .layout import ENGINE, TEMPLATES, paths
from .uptodate import _record_path, _recorded, _sha256, changed, fingerprints, inputs

MAX_MONTHS = 120


@dataclass(frozen=True)
class MonthOutcome:
    period: str
    status: str  # "written", "re-rendered" (commentary only), "up to date" or "failed"
    exceptions: int = 0
    reason: str = ""
    final: bool = False
    project: str = ""  # the project folder


def months(first: str, last: str) -> list[Period]:
    """The months from ``first`` to ``last`` inclusive, oldest first (at most ten years)."""
    a, b = Period.parse(first), Period.parse(last)
    if b < a:
        raise PeriodError(f"backfill {a} {b}: the first month is after the last; give them oldest first", key="from")
    out = [a]
    while out[-1] < b:
        out.append(out[-1].shift(1))
        if len(out) > MAX_MONTHS:
            raise PeriodError(f"backfill {a} {b}: more than {MAX_MONTHS} months; split the range", key="to")
    return out


_ONE_AT_A_TIME = threading.Lock()  # a Dask worker's threads: notebooks run in its process, one by one


def run_month(period: str, root: str, final: bool = False, pdf: bool = False, force: bool = False,
              engine: str = ENGINE) -> MonthOutcome:
    """One month, as a worker runs it: skipped when up to date, re-rendered when only its commentary
    changed, else run; a failure is an outcome, not a raise."""
    from .execute import run_period

    root_path, p = Path(root), Period.parse(period)
    with _ONE_AT_A_TIME:
        try:
            named = inputs(root_path, p)  # (the params read once before the run, and once after it)
            before, now = _recorded(root_path, p), fingerprints(root_path, p, final, pdf, named=named)
            if not force and before and before[:2] == now:
                return MonthOutcome(str(p), "up to date", final=final, project=root)
            reuse = before[2] if not force and before and before[0] == now[0] else None
            used = fingerprints(root_path, p, final, pdf, own_ledger=False, named=named)[0]
            result = run_period(str(p), root_path, final=final, pdf=pdf, engine=engine, reuse_figures=reuse,
                                index=False)
            # recorded only when nothing but what the run wrote itself (its notebook, its ledger) changed meanwhile:
            # a new extract, another month's ledger, a link moved or a save in JupyterLab during the run runs the
            # month again
            executed = paths(root_path, str(p))["notebook"]
            if (inputs(root_path, p) == named and fingerprints(root_path, p, final, pdf, own_ledger=False,
                                                                named=named)[0] == used
                    and executed.is_file() and _sha256(executed) == result.notebook_sha256):
                write_atomic(_record_path(root_path, p), "\n".join(
                    (*fingerprints(root_path, p, final, pdf, named=named), result.figures_sha256,
                     json.dumps(named, sort_keys=True))) + "\n", PRIVATE_MODE)
            return MonthOutcome(str(p), "re-rendered" if result.reused else "written", len(result.exceptions),
                                final=final, project=root)
        except ScrutinyError as exc:
            lines = [line.strip() for line in exc.describe().splitlines() if line.strip()]
            return MonthOutcome(str(p), "failed", reason=" ".join(lines[:4]) + (" ..." if len(lines) > 4 else ""),
                                project=root)
        except Exception as exc:  # noqa: BLE001 - a bug or a dead kernel in one month must not stop the others
            return MonthOutcome(str(p), "failed", reason=f"internal error ({type(exc).__name__}: {str(exc)[:200]}); "
                                                          f"run `scrutiny run {p}` to see it in full", project=root)


def month_ends(root: str, month: str, periods: list[str] | None = None) -> int:
    """Compute (into the project cache) the month ends ``month``'s paper needs, or those of ``periods``, as
    that month's params, extract and catalogue define them; how many there were. Nothing is raised: a month
    whose inputs are wrong says so when it runs."""
    from ..config.catalogue import load_catalogue
    from ..config.params import load_params
    from ..data.validate import load_extract
    from ..indicators.compute import compute_series
    from ..paper.model import month_ends as needed, population_of
    from .staging import project_cache

    with _ONE_AT_A_TIME, project_cache(Path(root)):
        try:
            params = load_params(Path(root) / "params" / f"{month}.yaml")
            catalogue = load_catalogue(params.catalogue)
            every, specs = needed(Period.parse(month), catalogue)
            benchmarks = None
            if params.population == "ons":
                from ..assess.benchmarks import BenchmarkTable

                benchmarks = BenchmarkTable.read(params.benchmarks)
            chosen = [Period.parse(p) for p in periods] if periods is not None else list(every)
            compute_series(load_extract(params.data), chosen, population_of(params, benchmarks), specs=specs)
            return len(chosen)
        except Exception:  # noqa: BLE001
            return 0


def _computation(root: Path, month: Period):
    """What decides a month's month ends: its extract, catalogue and population (months alike share them)."""
    from ..config.params import load_params

    params = load_params(root / "params" / f"{month}.yaml")
    return (str(Path(params.data).resolve()), str(Path(params.catalogue).resolve()), params.population,
            params.benchmarks)


def _read_once(root: Path, todo: list[Period]) -> None:
    """Read and validate each extract the months use, once, into the project cache (the workers then read the
    cache, rather than each parse the same files side by side); a month whose extract is wrong says so itself."""
    from ..config.params import load_params
    from ..data.cache import settle
    from ..data.validate import load_extract
    from .staging import project_cache

    folders = set()
    for month in todo:
        try:
            folders.add(str(Path(load_params(root / "params" / f"{month}.yaml").data).resolve()))
        except ScrutinyError:
            continue
    with project_cache(root):
        for folder in sorted(folders):
            try:
                load_extract(folder)
            except Exception:  # noqa: BLE001
                continue
        settle()  # (the workers read the entries: written, not still being written behind)


def _chunks(root: Path, todo: list[Period], parts: int) -> list[tuple[str, str, list[str]]]:
    """The month ends the months to run need, each once, in ``parts`` runs of months per computation."""
    from ..config.catalogue import load_catalogue
    from ..config.params import load_params
    from ..paper.model import month_ends as needed

    groups: dict[tuple, tuple[Period, set[Period]]] = {}
    for month in todo:
        try:
            key = _computation(root, month)
            every, _ = needed(month, load_catalogue(load_params(root / "params" / f"{month}.yaml").catalogue))
        except ScrutinyError:
            continue  # the month itself will say what is wrong
        first, union = groups.setdefault(key, (month, set()))
        union.update(every)
    out = []
    for first, union in groups.values():
        ordered = sorted(union)
        size = -(-len(ordered) // max(parts, 1))
        out += [(str(root), str(first), [str(p) for p in ordered[k:k + size]]) for k in range(0, len(ordered), size)]
    return out


def _result(future, func, args):
    """A task's outcome; a worker that died (killed for memory, say) fails its month, not the backfill."""
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - BrokenProcessPool, Dask's KilledWorker, ...
        if func is run_month:  # (month ends not computed ahead are computed by the month itself)
            return MonthOutcome(args[0], "failed", project=args[1],
                                reason=f"its worker stopped ({type(exc).__name__}: {str(exc)[:200]}); run "
                                       f"`scrutiny run {args[0]}` to see why")
        return 0


class _Local:
    """Months in this process, one after another."""

    def __init__(self, jobs: int):
        pass

    def map(self, func, calls):
        for args in calls:
            yield func(*args)

    def close(self):
        pass


class _Pool(_Local):
    """Months side by side on this machine, each worker process warm for the months after its first."""

    def __init__(self, jobs: int):
        self.pool = ProcessPoolExecutor(max_workers=jobs)

    def map(self, func, calls):
        from concurrent.futures import as_completed

        futures = {self.pool.submit(func, *args): args for args in calls}
        for future in as_completed(futures):
            yield _result(future, func, futures[future])

    def close(self):
        self.pool.shutdown()


class _Dask(_Local):
    """Months on a Dask distributed cluster (the projects on storage its workers share)."""

    def __init__(self, address: str):
        import socket
        from urllib.parse import urlsplit

        from distributed import Client

        try:
            where = urlsplit(address)
            socket.create_connection((where.hostname, where.port), timeout=10).close()  # refused: at once
            self.client = Client(address, set_as_default=False, timeout="30s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise RunFailed(f"Could not reach the Dask scheduler at {address} ({type(exc).__name__}: {exc}). "
                            "Nothing was run: start the cluster, or leave out --scheduler to run here.",
                            key="scheduler") from None

    def map(self, func, calls):
        from distributed import as_completed

        futures = {self.client.submit(func, *args, pure=False): args for args in calls}
        with self.client.as_current():
            for future in as_completed(list(futures)):
                yield _result(future, func, futures[future])

    def close(self):
        self.client.close()


def backfill(first: str, last: str, roots: Path | list[Path], jobs: int = 1, final: bool = False,
             pdf: bool = False, progress=None, engine: str = ENGINE, scheduler: str | None = None,
             force: bool = False) -> list[MonthOutcome]:
    """Every month from ``first`` to ``last`` of each project; ``progress(done, total, outcome)`` is told of
    each month as it ends. Months up to date are told first, without starting a worker."""
    roots = [Path(r).resolve() for r in ([roots] if isinstance(roots, (str, Path)) else roots)]
    periods = months(first, last)
    total = len(roots) * len(periods)
    outcomes: list[MonthOutcome] = []

    def told(outcome):
        outcomes.append(outcome)
        if progress:
            progress(len(outcomes), total, outcome)

    todo: list[tuple[Path, Period]] = []
    recompute: list[tuple[Path, Period]] = []  # the months whose figures changed: their month ends first
    for root in roots:
        for p in periods:
            try:
                what = "figures" if force else changed(root, p, final, pdf)
            except (ScrutinyError, OSError):
                what = "figures"  # its run says what is wrong
            if not what:
                told(MonthOutcome(str(p), "up to date", final=final, project=str(root)))
            else:
                todo.append((root, p))
                if what == "figures":
                    recompute.append((root, p))
    if todo:
        runner = (_Dask(scheduler) if scheduler else _Pool(jobs) if jobs > 1 and len(todo) > 1 else _Local(jobs))
        try:
            parts = jobs if not scheduler else max(len(runner.client.scheduler_info().get("workers", {})), 1)
            chunks = []
            if len(recompute) > 1:  # (one month alone reads and computes its own)
                for root in roots:
                    mine = [p for r, p in recompute if r == root]
                    _read_once(root, mine)
                    chunks += _chunks(root, mine, parts)
            for _ in runner.map(month_ends, chunks):  # every month end once, side by side, before the months
                pass
            for outcome in runner.map(run_month, [(str(p), str(root), final, pdf, force, engine)
                                                  for root, p in todo]):
                told(outcome)
        finally:
            runner.close()
        from .index import write_index  # months finished side by side: each project's index lists them all

        for root in {r for r, _ in todo}:
            write_index(root / "outputs", (TEMPLATES / "paper.css").read_text())
    order = {str(r): k for k, r in enumerate(roots)}
    return sorted(outcomes, key=lambda o: (order.get(o.project, 0), o.period))
