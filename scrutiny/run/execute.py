"""``scrutiny run`` and ``scrutiny plan``: execute a notebook with papermill, then render its papers.

Order for a month: validate the params, compute (a structure error stops here, before
anything is written), harvest and reconcile the commentary, prepare the notebook,
execute it, render both papers through the public-paper gate, then the disclosure
record, the ledger (final runs), the summary and the index.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import nbformat
import papermill

from .. import __version__
from ..assess.across_time import ledger_with, read_ledger
from ..config.params import load_params
from ..config.plan import load_plan
from ..errors import RunFailed
from ..files import PRIVATE_MODE, write_atomic
from ..paper.document import open_paper
from ..paper.parts import PART1, PART2
from ..paper.plan import PlanPaper
from . import commentary
from .index import write_index, write_summary
from .layout import paths
from .notebook import NOTEBOOK, PLAN_NOTEBOOK, prepare
from .render import TEMPLATES, render_html, render_papers


@dataclass(frozen=True)
class RunResult:
    period: str
    notebook: Path
    part1: Path
    part2: Path
    exceptions: tuple[str, ...]
    kept: tuple[str, ...] = ()  # commentary kept in the store, not shown (no longer below expectation)
    carried: tuple[str, ...] = ()  # commentary carried forward from last month this run
    final: bool = False
    warnings: tuple[tuple[str, str], ...] = ()  # small numbers next to words about children, in public commentary


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def provenance(params_file: Path, data: Path, catalogue: Path) -> dict:
    """What produced the paper: package version and a fingerprint of every input."""
    return {
        "scrutiny_version": __version__,
        "params": {"file": params_file.name, "sha256": _sha256(params_file)},
        "catalogue": {"file": catalogue.name, "sha256": _sha256(catalogue)},
        "extract": {p.name: _sha256(p) for p in sorted(data.glob("*.csv"))},
    }


def run_period(period: str, root: Path | None = None, template: Path = NOTEBOOK, final: bool = False) -> RunResult:
    """Run one month: commentary harvested and kept safe, notebook executed, both papers rendered.

    ``final`` refuses (before anything is written) while an exception lacks commentary
    or still carries a carried-forward mark; otherwise the papers say DRAFT.
    """
    root = Path(root or Path.cwd()).resolve()
    params_file = root / "params" / f"{period}.yaml"
    params = load_params(params_file)
    where = paths(root, params.period)
    # compute first: a structure error stops the run before anything is written
    paper = open_paper(**params.notebook_parameters())
    exceptions = paper.exceptions(PART2)
    # the analyst's words: harvested into the store before anything is overwritten
    public_ids = paper.public_ids()
    planned = commentary.prepare_commentary(root, params.period, exceptions, where["notebook"], final, public_ids,
                                            previous=str(params.period_obj.shift(-1)))
    known = {o.definition.id for o in paper.outturns}  # a retired indicator's text stays in the store only
    cells = {k: v for k, v in planned.cells.items() if k == commentary.SUMMARY or k in known}
    if final and cells.get(commentary.SUMMARY) == commentary.SUMMARY_PLACEHOLDER:
        del cells[commentary.SUMMARY]
    shown = [k for k in cells if k != commentary.SUMMARY]
    labels = {i: f"Management commentary on indicator {paper.outturn(i).definition.number}" for i in shown}
    labels[commentary.SUMMARY] = "Opening remarks on this month's performance"
    public = {i for i in shown if i in public_ids}
    nb = prepare(template, cells, shown, public, labels, planned.by_exception,
                 commentary.record_store(planned.store))
    where["input"].parent.mkdir(parents=True, exist_ok=True)
    where["input"].parent.chmod(0o700)  # confidential/: only the owner may list or read it
    nbformat.write(nb, where["input"])
    try:
        papermill.execute_notebook(
            str(where["input"]), str(where["running"]), parameters=params.notebook_parameters(),
            kernel_name="python3", cwd=str(root), progress_bar=False, log_output=False,
        )
    except papermill.PapermillExecutionError as exc:
        os.replace(where["running"], where["failed"])
        raise RunFailed(
            f"The notebook for {params.period} failed ({exc.ename}: {exc.evalue}). No paper was written; "
            f"the failed notebook is {where['failed']}"
        ) from None
    finally:
        where["input"].unlink(missing_ok=True)
    executed = nbformat.read(where["running"], as_version=4)
    audit = paper.disclosure_audit()
    executed.metadata["scrutiny"] = {**provenance(params_file, Path(params.data), Path(params.catalogue)),
                                     "disclosure_audit": audit, "final": final}
    nbformat.write(executed, where["running"])
    where["running"].chmod(PRIVATE_MODE)
    render_papers(where["running"], where["part1"], where["part2"], params.cover.title, draft=not final)
    os.replace(where["running"], where["notebook"])
    write_atomic(where["notebook"].parent / "disclosure.json", json.dumps(
        {"period": params.period, "tables": audit, "passed": all(t["passed"] for t in audit)}, indent=1) + "\n",
        PRIVATE_MODE)
    if final:  # what the public has now seen: later papers never give a small revision away
        ledger = ledger_with(read_ledger(params.published), params.period, paper.public_latest())
        write_atomic(Path(params.published), json.dumps(ledger, indent=1, sort_keys=True) + "\n")
    write_summary(where["part1"].parent, params.period, params.cover.title,
                  [o.rag(PART1) for o in paper.outturns])
    write_index(root / "outputs", (TEMPLATES / "paper.css").read_text())
    where["failed"].unlink(missing_ok=True)
    return RunResult(params.period, where["notebook"], where["part1"], where["part2"], tuple(exceptions),
                     kept=planned.kept, carried=planned.carried, final=final,
                     warnings=commentary.status(planned.store, exceptions, public_ids).small_numbers)


@dataclass(frozen=True)
class PlanResult:
    html: Path
    notebook: Path
    at_risk: tuple[str, ...]


def run_plan(year: str, as_at: str, root: Path | None = None, template: Path = PLAN_NOTEBOOK) -> PlanResult:
    """The improvement plan paper as at a date: its own notebook through papermill, one public HTML paper.

    Commentary on the areas at risk is written inline and kept in the same store as the
    performance paper's (``params/commentary/plan-<year>-<date>.yaml``), the same way.
    """
    root = Path(root or Path.cwd()).resolve()
    plan_file = root / "params" / "improvement_plan" / f"{year}.yaml"
    day = datetime.date.fromisoformat(as_at)
    paper = PlanPaper(load_plan(plan_file), day)
    out = root / "outputs" / "plan" / year / day.isoformat()
    notebook, running = out / "plan.ipynb", out / "plan.running.ipynb"
    risk = [a.key for a in paper.at_risk()]
    planned = commentary.prepare_commentary(root, f"plan-{year}-{day.isoformat()}", risk, notebook)
    cells = {k: v for k, v in planned.cells.items() if k in risk}
    labels = {a.key: f"Commentary on {a.name}" for a in paper.at_risk()}
    nb = prepare(template, cells, list(cells), set(cells), labels, (), commentary.record_store(planned.store))
    out.mkdir(parents=True, exist_ok=True)
    source = out / "plan.input.ipynb"
    nbformat.write(nb, source)
    try:
        papermill.execute_notebook(str(source), str(running), parameters={"plan": str(plan_file), "as_at": as_at},
                                   kernel_name="python3", cwd=str(root), progress_bar=False, log_output=False)
    except papermill.PapermillExecutionError as exc:
        raise RunFailed(f"The plan notebook failed ({exc.ename}: {exc.evalue}); no paper was written: {running}") \
            from None
    finally:
        source.unlink(missing_ok=True)
    html = render_html(nbformat.read(running, as_version=4), PART1, paper.plan.title)
    write_atomic(out / "plan.html", html)
    os.replace(running, notebook)
    return PlanResult(out / "plan.html", notebook, tuple(risk))
