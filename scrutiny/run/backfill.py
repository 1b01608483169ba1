"""``scrutiny backfill FROM TO``: every month's papers in a range, each with the guarantees of ``scrutiny run``.

A month that fails never stops or spoils the others: each is its own :func:`run_period`
(commentary harvested and kept, both papers switched into place together or not at all, the
disclosure gate, the ledger). A month whose inputs are unchanged since its last run is
skipped as up to date: the fingerprint covers the month's params and the defaults under them,
every catalogue, the benchmarks table, every file of the extract, the month's commentary
store and last month's (carried forward), the published ledger, the package version, the
notebook and templates, the executed notebook as the run left it (so words saved in
JupyterLab since are harvested), and whether the papers were final or had PDFs.
Months run in parallel on a local process pool (``jobs``).
"""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..assess.across_time import MONTH_LEDGER
from ..config.params import DEFAULTS, load_params
from ..data.periods import Period
from ..errors import PeriodError, ScrutinyError
from ..files import PRIVATE_MODE, write_atomic
from .layout import paths
from .notebook import NOTEBOOK
from .render import TEMPLATES

MAX_MONTHS = 120
FINGERPRINT = "inputs.sha256"  # in the month's confidential folder: what its last complete run was made from


@dataclass(frozen=True)
class MonthOutcome:
    period: str
    status: str  # "written", "up to date" or "failed"
    exceptions: int = 0
    reason: str = ""
    final: bool = False


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


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else []


def fingerprint(root: Path, period: Period, final: bool, pdf: bool) -> str:
    """What the month's papers are made from, as one sha256 (see the module's docstring)."""
    params_file = root / "params" / f"{period}.yaml"
    params = load_params(params_file)
    where = paths(root, str(period))
    parts: list[tuple[str, Path]] = []
    for label, path in [("defaults", root / "params" / DEFAULTS), ("params", params_file),
                        ("catalogues", Path(params.catalogue).parent), ("extract", Path(params.data)),
                        ("store", root / "params" / "commentary" / f"{period}.yaml"),
                        ("previous store", root / "params" / "commentary" / f"{period.shift(-1)}.yaml"),
                        ("ledger", root / "outputs" / "published.json"), ("notebook", NOTEBOOK),
                        ("templates", TEMPLATES), ("executed", where["notebook"])]:
        parts += [(label, p) for p in _files(path)]
    if params.benchmarks:
        parts.append(("benchmarks", Path(params.benchmarks)))
    # every final month's ledger, as read_ledger reads them: a re-published month changes what others withhold
    parts += [("ledger", p) for p in sorted((root / "outputs").glob(f"*/confidential/{MONTH_LEDGER}"))]
    digest = hashlib.sha256(json.dumps({"version": __version__, "final": final, "pdf": pdf}).encode())
    for label, path in parts:
        digest.update(f"\n{label} {path.name}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _recorded(root: Path, period: Period) -> str | None:
    path = paths(root, str(period))["notebook"].parent / FINGERPRINT
    return path.read_text().strip() if path.is_file() else None


def run_month(period: str, root: str, final: bool = False, pdf: bool = False, force: bool = False) -> MonthOutcome:
    """One month, as a worker runs it: skipped when up to date, else run; a failure is an outcome, not a raise."""
    from .execute import run_period

    root_path, p = Path(root), Period.parse(period)
    try:
        if not force and _recorded(root_path, p) == fingerprint(root_path, p, final, pdf):
            return MonthOutcome(str(p), "up to date", final=final)
        result = run_period(str(p), root_path, final=final, pdf=pdf)
        record = paths(root_path, str(p))["notebook"].parent / FINGERPRINT
        write_atomic(record, fingerprint(root_path, p, final, pdf) + "\n", PRIVATE_MODE)
        return MonthOutcome(str(p), "written", len(result.exceptions), final=final)
    except ScrutinyError as exc:
        lines = [line.strip() for line in exc.describe().splitlines() if line.strip()]
        return MonthOutcome(str(p), "failed", reason=" ".join(lines[:4]) + (" ..." if len(lines) > 4 else ""))
    except Exception as exc:  # noqa: BLE001 - a bug or a dead kernel in one month must not stop the others
        return MonthOutcome(str(p), "failed", reason=f"internal error ({type(exc).__name__}: {str(exc)[:200]}); "
                                                      f"run `scrutiny run {p}` to see it in full")


def backfill(first: str, last: str, root: Path, jobs: int = 1, final: bool = False, pdf: bool = False,
             progress=None) -> list[MonthOutcome]:
    """Every month from ``first`` to ``last``; ``progress(done, total, outcome)`` is told of each as it ends."""
    todo = [str(p) for p in months(first, last)]
    outcomes: list[MonthOutcome] = []

    def told(outcome):
        outcomes.append(outcome)
        if progress:
            progress(len(outcomes), len(todo), outcome)

    if jobs <= 1 or len(todo) == 1:
        for period in todo:
            told(run_month(period, str(root), final, pdf))
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(run_month, period, str(root), final, pdf) for period in todo]
            for future in as_completed(futures):
                told(future.result())
        from .execute import write_index  # months finished side by side: the index lists them all

        write_index(Path(root) / "outputs", (TEMPLATES / "paper.css").read_text())
    return sorted(outcomes, key=lambda o: o.period)
