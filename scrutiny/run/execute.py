"""``scrutiny run`` and ``scrutiny plan``: execute a notebook with papermill, then render its papers.

Order for a month: validate the params, compute (a structure error stops here, before
anything is written), harvest and reconcile the commentary, prepare the notebook, then
in a staged folder beside the month's: execute it, render both papers through the
public-paper gate, the disclosure record and the summary; the ledger (final runs);
then the staged folder switches into place whole, and the index is rebuilt.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..assess.across_time import MONTH_LEDGER, ledger_with
from ..config.params import load_params
from ..errors import RunFailed
from ..files import PRIVATE_DIR_MODE, PRIVATE_MODE, checkpoint, recover, swap_into_place, write_atomic
from ..paper.parts import PART1, PART2
from . import commentary
from .layout import ENGINE, ENGINES, KERNEL
from .index import SUMMARY, write_index, write_summary
from .layout import paths
from .notebook import NOTEBOOK, PLAN_NOTEBOOK, _with_prompts, guide, prepare  # noqa: F401
from .provenance import _kernelspec_as_installed, _project_relative, notebook_parameters, provenance  # noqa: F401
from .pdf import pdfs_for
from .reuse import figures_sha256, last_run, reuse_outputs
from .staging import (_check_folders, _fingerprint, _keep_what_is_not_ours, _month_lock, _stage, _written_failure,
                      project_cache)
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
    harvested: int = 0  # commentary texts taken from the executed notebook into the store this run
    unplaced: int = 0  # texts kept in the store that sit in no commentary cell
    unknown: tuple[str, ...] = ()  # commentary tags or store entries naming no indicator
    missing: tuple[str, ...] = ()  # exceptions still without commentary
    names: dict = field(default_factory=dict)  # id -> 'Indicator 16: Children becoming subject to ...'
    pdf: bool = False
    reused: bool = False  # the figures cells' outputs were taken from the last run (only commentary changed)
    notebook_sha256: str = ""  # the executed notebook as this run switched it into place
    figures_sha256: str = ""  # its figures cells' outputs (what a commentary-only run may reuse)

    def name(self, key: str) -> str:
        return self.names.get(key, f"commentary:{key}")


# the kernel's start-up chatter ("running over TCP without encryption": it listens on 127.0.0.1 only)
# is not the analyst's business; errors still reach the executed notebook and the run's one-line message
QUIET_KERNEL = ["--IPKernelApp.log_level=ERROR"]


def _engine_arguments(engine: str, paper=None) -> dict:
    """papermill's arguments for the engine: the warm one takes the paper already built, a kernel is quiet."""
    from . import engine as _registered  # noqa: F401 (registers the warm engine with papermill)

    if engine == ENGINE:
        return {"engine_name": ENGINE, "paper": paper}
    if engine == KERNEL:
        return {"engine_name": ENGINES[KERNEL], "extra_arguments": QUIET_KERNEL}
    raise ValueError(f"unknown engine {engine!r}: {', '.join(ENGINES)}")


def run_period(period: str, root: Path | None = None, template: Path = NOTEBOOK, final: bool = False,
               pdf: bool = False, engine: str = ENGINE, reuse_figures: str | None = None,
               index: bool = True) -> RunResult:
    """Run one month: commentary harvested and kept safe, notebook executed, both papers rendered.

    ``final`` refuses (before anything is written) while an exception lacks commentary
    or still carries a carried-forward mark; otherwise the papers say DRAFT. Everything
    the month writes under ``outputs/<period>/`` is written to a staged folder first and
    switched into place whole: a failure at any point leaves the previous month as it was.
    ``engine`` executes the notebook: ``scrutiny`` (in this process, see :mod:`.engine`) or
    ``kernel`` (a Jupyter kernel); the papers are the same. ``reuse_figures`` (the caller has
    checked that nothing but commentary changed since the last run, see :mod:`.backfill`) takes
    the figures cells' outputs from the last executed notebook instead of executing it again,
    where its figures cells are the same cells and their outputs are still the ones that run
    wrote (``reuse_figures`` is their sha256, :func:`figures_sha256`: outputs made again in
    JupyterLab since are never put into a paper). ``index=False`` leaves ``outputs/index.html``
    to the caller (a backfill writes it once for all its months).
    """
    root = Path(root or Path.cwd()).resolve()
    params_file = root / "params" / f"{period}.yaml"
    params = load_params(params_file)
    outputs = root / "outputs"
    where = paths(root, params.period)
    month = where["part1"].parent
    _check_folders(root, outputs, month, month / "confidential", root / "params" / "commentary")
    with _month_lock(params_file, params.period), project_cache(root):
        recover(month)
        commentary.check_readable(root, params.period, where["notebook"], str(params.period_obj.shift(-1)))
        # the last run's figures, where only commentary changed since (its paper's facts recorded with them)
        last = last_run(where["notebook"], reuse_figures) if reuse_figures else None
        paper = None if last else _opened(params, hash_first=True)  # (a structure error stops here)
        facts = last[1] if last else paper.facts(commentary.known_ids(root, paper.catalogue))
        exceptions = facts.exceptions(PART2)
        # the analyst's words: harvested into the store before anything is overwritten
        public_ids = facts.public_ids()
        harvested_from = _fingerprint(where["notebook"])
        try:
            planned = commentary.prepare_commentary(root, params.period, exceptions, where["notebook"], final,
                                                    public_ids, previous=str(params.period_obj.shift(-1)),
                                                    known=set(facts.known), names=facts.names())
        except OSError as exc:
            raise _written_failure(exc, str(commentary.store_path(root, params.period))) from None
        known = {s.id for s in facts.indicators}  # a retired indicator's text stays in the store only
        cells = {k: v for k, v in planned.cells.items() if k == commentary.SUMMARY or k in known}
        if final and cells.get(commentary.SUMMARY) == commentary.SUMMARY_PLACEHOLDER:
            del cells[commentary.SUMMARY]
        shown = [k for k in cells if k != commentary.SUMMARY]
        labels = {i: f"Management commentary on indicator {facts.shown(i).number}" for i in shown}
        labels[commentary.SUMMARY] = "Opening remarks on this month's performance"
        public = {i for i in shown if i in public_ids}
        cells = _with_prompts(cells, facts, public, params.period)
        nb = prepare(template, cells, shown, public, labels, planned.by_exception,
                     commentary.record_store(planned.store), period=params.period,
                     guide=guide(params.period_obj, len(shown), len(shown) - len(public)))
        try:
            staged = _stage(month)
        except OSError as exc:
            raise _written_failure(exc, str(month)) from None
        try:
            checkpoint("staged")
            reused = _execute_month(root, params, params_file, paper, facts, nb, staged, where, final, engine,
                                    last[0] if last else None)
            checkpoint("rendered")
            if final:  # what the public is about to see: later papers never give a small revision away
                earlier = month / MONTH_LEDGER  # a month published before keeps its first figures
                before = json.loads(earlier.read_text(encoding="utf-8")) if earlier.is_file() else {}
                write_atomic(staged / MONTH_LEDGER, json.dumps(
                    ledger_with(before, params.period, facts.public_latest()), indent=1, sort_keys=True) + "\n",
                    PRIVATE_MODE)
                checkpoint("ledger")
            if pdf:
                pdfs_for(staged / "part1.html", staged / "confidential" / "part2.html")
                checkpoint("pdf")
            _keep_what_is_not_ours(month, staged)
            if _fingerprint(where["notebook"]) != harvested_from:
                raise RunFailed(
                    f"{where['notebook']} was saved while the run was going. Nothing was replaced and no words were "
                    "lost: they are in that notebook. Run again to take them into the store and the papers.",
                    file=str(where["notebook"]))
            swap_into_place(staged, month)
            checkpoint("switched")
            written = _fingerprint(where["notebook"]) or ""
            figures = figures_sha256(nbformat.read(where["notebook"], as_version=4))
        except OSError as exc:
            raise _written_failure(exc, str(month)) from None
        finally:
            shutil.rmtree(staged, ignore_errors=True)
        try:
            if index:  # (a backfill writes the index once, when its months are done)
                write_index(outputs, (TEMPLATES / "paper.css").read_text())
        except OSError as exc:
            raise _written_failure(exc, str(outputs / "index.html")) from None
    _settled()  # (the extract's cache entry, if it is still being written behind the run: the month is done)
    status = commentary.status(planned.store, exceptions, public_ids, known=planned.known)
    return RunResult(params.period, where["notebook"], where["part1"], where["part2"], tuple(exceptions),
                     kept=tuple(k for k in planned.kept if k not in status.unknown), carried=planned.carried,
                     final=final, warnings=status.small_numbers,
                     harvested=planned.harvested, unplaced=len(planned.store.unplaced), unknown=status.unknown,
                     missing=status.missing, names=facts.names(), pdf=pdf, reused=reused,
                     notebook_sha256=written, figures_sha256=figures)


def _execute(nb, parameters: dict, source: Path, executed_path: Path, conf: Path, params, paper, where: dict,
             engine: str) -> None:
    """papermill executes the notebook in the staged confidential folder (a failure keeps the failed notebook)."""
    import papermill  # (a commentary-only run never imports it)

    if engine != ENGINE:
        _settled()  # a kernel opens the extract from the cache: the entry written behind the run, written
    nbformat.write(nb, source)
    source.chmod(PRIVATE_MODE)
    try:
        # the kernel runs in the staged confidential folder, at the same depth as the month's own: the paths it
        # is given are relative to the notebook, so they hold where it ends up (and in JupyterLab, whose
        # kernel starts beside the notebook), and the notebook names no folder of this machine
        # the notebook is written once, at the end (or when a cell fails), not after every cell
        papermill.execute_notebook(
            str(source), str(executed_path), parameters=parameters,
            kernel_name="python3", cwd=str(conf), progress_bar=False, log_output=False,
            request_save_on_cell_execute=False, **_engine_arguments(engine, paper),
        )
    except papermill.PapermillExecutionError as exc:
        failed = where["failed"]
        failed.parent.mkdir(parents=True, exist_ok=True)
        failed.parent.chmod(PRIVATE_DIR_MODE)
        executed_path.chmod(PRIVATE_MODE)
        os.replace(executed_path, failed)
        raise RunFailed(
            f"The notebook for {params.period} failed ({exc.ename}: {exc.evalue}). No paper was written; "
            f"the failed notebook is {failed}", file=str(failed)
        ) from None
    finally:
        source.unlink(missing_ok=True)


def _settled() -> None:
    """Wait for the extract's cache entry where it is still being written (:func:`scrutiny.data.cache.settle`)."""
    import sys

    if "scrutiny.data.cache" in sys.modules:  # (a commentary-only run never read an extract)
        sys.modules["scrutiny.data.cache"].settle()


def _opened(params, hash_first: bool = False):
    """The month's paper, computed (the extract's cache entry, if it is written behind, written after it).

    ``hash_first``: the extract is hashed for its fingerprint by a process of its own while what makes a
    paper is imported, on the core that leaves idle (:func:`scrutiny.data.fingerprint.hash_ahead`), and that
    process is stopped however the computing ends."""
    from ..data.cache import after_this
    from ..data.fingerprint import hash_ahead, stop_hashing

    if hash_first:
        hash_ahead(Path(params.data))
    try:
        from ..paper.document import open_paper  # (a commentary-only run never imports it, nor pandas)

        with after_this():
            return open_paper(**params.notebook_parameters())
    finally:
        stop_hashing()


def _execute_month(root: Path, params, params_file: Path, paper, facts, nb, staged: Path, where: dict, final: bool,
                   engine: str = ENGINE, last=None) -> bool:
    """Execute the prepared notebook, or give it the figures of ``last`` (the last run's notebook), and render
    both papers, all inside the staged folder; whether the last run's figures were reused."""
    conf = staged / "confidential"
    conf.mkdir()
    conf.chmod(PRIVATE_DIR_MODE)  # confidential/: only the owner may list or read it
    source, executed_path = conf / ".paper.input.ipynb", conf / "paper.ipynb"
    parameters = notebook_parameters(params, where["notebook"].parent)
    reused = False
    if last is not None:  # the prepared notebook, given the last run's figures
        prepared = nbformat.reads(nbformat.writes(nb), as_version=4)  # (each cell's source one string, as read)
        audit = reuse_outputs(prepared, last)  # the figures, and the disclosure audit made from them
        reused = audit is not False
        if reused:
            prepared.metadata.setdefault("papermill", {}).update(input_path=str(source), output_path=str(executed_path))
            nbformat.write(prepared, executed_path)
    if not reused:
        paper = paper or _opened(params)  # (the last run's figures cells were not these: computed after all)
        _execute(nb, parameters, source, executed_path, conf, params, paper, where, engine)
        audit = paper.disclosure_audit()
    checkpoint("executed")
    executed = nbformat.read(executed_path, as_version=4)
    _project_relative(executed, root, staged, where["notebook"].parent.parent)
    _kernelspec_as_installed(executed)
    executed.metadata["scrutiny"] = {**provenance(params_file, Path(params.data), Path(params.catalogue)),
                                     "disclosure_audit": audit, "facts": facts.as_record(), "final": final}
    nbformat.write(executed, executed_path)
    executed_path.chmod(PRIVATE_MODE)
    render_papers(executed_path, staged / "part1.html", conf / "part2.html", params.cover.title, draft=not final)
    write_atomic(conf / "disclosure.json", json.dumps(
        {"period": params.period, "tables": audit, "passed": all(t["passed"] for t in audit)}, indent=1,
        sort_keys=True) + "\n",
        PRIVATE_MODE)
    write_summary(staged, params.period, params.cover.title, [s.rag(PART1) for s in facts.indicators], final=final,
                  meeting_date=str(params.cover.meeting_date), report_number=params.cover.report_number)
    return reused


@dataclass(frozen=True)
class PlanResult:
    html: Path
    notebook: Path
    at_risk: tuple[str, ...]
    final: bool = False
    missing: tuple[str, ...] = ()  # areas at risk still without commentary


def run_plan(year: str, as_at: str, root: Path | None = None, template: Path = PLAN_NOTEBOOK,
             final: bool = False) -> PlanResult:
    """The improvement plan paper as at a date: its own notebook through papermill, one public HTML paper.

    Commentary on the areas at risk is written inline and kept in the same store as the
    performance paper's (``params/commentary/plan-<year>-<date>.yaml``), the same way. The paper
    says DRAFT until it is run with ``final``, which is refused (nothing written) while an area
    at risk has no commentary.
    """
    from ..config.plan import load_plan
    from ..paper.plan import PlanPaper  # (what a month's run needs not import)

    root = Path(root or Path.cwd()).resolve()
    plan_file = root / "params" / "improvement_plan" / f"{year}.yaml"
    day = datetime.date.fromisoformat(as_at)
    plan = load_plan(plan_file)
    if not plan.starts <= day <= plan.ends + datetime.timedelta(days=366):
        raise RunFailed(f"{plan_file}: --as-at {day} is outside the plan's period ({plan.starts} to {plan.ends})",
                        file=str(plan_file), key="as_at")
    paper = PlanPaper(plan, day)
    out = root / "outputs" / "plan" / year / day.isoformat()
    notebook = out / "plan.ipynb"
    _check_folders(root, root / "outputs", out.parent.parent, out.parent, out, root / "params" / "commentary")
    with _month_lock(plan_file, f"the plan {year} as at {day.isoformat()}"):
        recover(out)
        risk = [a.key for a in paper.at_risk()]
        harvested_from = _fingerprint(notebook)
        try:
            planned = commentary.prepare_commentary(root, f"plan-{year}-{day.isoformat()}", risk, notebook,
                                                    final, set(risk), known=set(risk),
                                                    names={a.key: a.name for a in paper.at_risk()},
                                                    placeholder=commentary.AREA_PLACEHOLDER)
        except OSError as exc:
            raise _written_failure(exc, str(root / "params" / "commentary")) from None
        cells = {k: v for k, v in planned.cells.items() if k in risk}
        labels = {a.key: f"Commentary on {a.name}" for a in paper.at_risk()}
        nb = prepare(template, cells, list(cells), set(cells), labels, (), commentary.record_store(planned.store))
        try:
            staged = _stage(out)
        except OSError as exc:
            raise _written_failure(exc, str(out)) from None
        try:
            import papermill

            source, running = staged / ".plan.input.ipynb", staged / "plan.ipynb"
            nbformat.write(nb, source)
            source.chmod(PRIVATE_MODE)
            try:
                papermill.execute_notebook(str(source), str(running),
                                           parameters={"plan": str(plan_file), "as_at": day.isoformat()},
                                           kernel_name="python3", cwd=str(root), progress_bar=False,
                                           log_output=False, extra_arguments=QUIET_KERNEL)
            except papermill.PapermillExecutionError as exc:
                raise RunFailed(f"The plan notebook failed ({exc.ename}: {exc.evalue}); no paper was written.") \
                    from None
            finally:
                source.unlink(missing_ok=True)
            executed = nbformat.read(running, as_version=4)
            _kernelspec_as_installed(executed)
            nbformat.write(executed, running)
            running.chmod(PRIVATE_MODE)
            html = render_html(executed, PART1, ("" if final else "DRAFT: ") + paper.plan.title, draft=not final)
            write_atomic(staged / "plan.html", html)
            write_atomic(staged / SUMMARY, json.dumps({"year": year, "as_at": day.isoformat(), "title": paper.plan.title,
                                                       "final": final}, indent=1) + "\n")
            if _fingerprint(notebook) != harvested_from:
                raise RunFailed(f"{notebook} was saved while the run was going. Nothing was replaced and no words "
                                "were lost: they are in that notebook. Run again.", file=str(notebook))
            swap_into_place(staged, out)
        except OSError as exc:
            raise _written_failure(exc, str(out)) from None
        finally:
            shutil.rmtree(staged, ignore_errors=True)
        try:
            write_index(root / "outputs", (TEMPLATES / "paper.css").read_text())
        except OSError as exc:
            raise _written_failure(exc, str(root / "outputs" / "index.html")) from None
    missing = commentary.status(planned.store, risk, set(risk), known=set(risk)).missing
    return PlanResult(out / "plan.html", notebook, tuple(risk), final, tuple(missing))
