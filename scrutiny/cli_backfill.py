"""``scrutiny backfill``: its arguments, the project folders it is given, and its summary."""

from __future__ import annotations

import os
from pathlib import Path

from .arguments import _jobs, _period, _scheduler
from .errors import ConfigError


def add_backfill(sub, engine_option) -> None:
    p = sub.add_parser("backfill", help="every month's papers from one month to another (each as `run` makes it)")
    p.add_argument("first", type=_period, help="the first month, YYYY-MM")
    p.add_argument("last", type=_period, help="the last month, YYYY-MM")
    p.add_argument("--root", default=".", help="project folder (holds params/ and outputs/)")
    p.add_argument("--jobs", type=_jobs, default=os.cpu_count() or 1,
                   help="months run side by side on this machine (default: the number of cores)")
    p.add_argument("--final", action="store_true", help="final papers (each month refused while not ready)")
    p.add_argument("--pdf", action="store_true", help="print each month's papers to PDF as well")
    p.add_argument("--project", action="append", metavar="DIR",
                   help="a project folder (repeat for several authorities; default: --root)")
    p.add_argument("--batch", metavar="FILE", help="a YAML file listing project folders under `projects:`")
    p.add_argument("--scheduler", metavar="ADDRESS", type=_scheduler,
                   help="a Dask distributed scheduler (tcp://host:port): months run on its workers, which must "
                        "see the project folders at the same paths")
    p.add_argument("--force", action="store_true", help="run every month, even those up to date")
    engine_option(p)
    p.set_defaults(func=_cmd_backfill)


def _cmd_backfill(args) -> int:
    from .run.backfill import backfill
    from .run.memory import for_a_run

    for_a_run()  # (the pool's workers are forked from this process, and keep it)
    def progress(done, total, outcome):
        bar = "#" * round(20 * done / total)
        where = f"{Path(outcome.project).name} " if len(projects) > 1 else ""
        print(f"[{bar:<20}] {done}/{total} {where}{outcome.period}: {outcome.status}", flush=True)

    projects = _projects(args)
    outcomes = backfill(args.first, args.last, projects, jobs=args.jobs, final=args.final, pdf=args.pdf,
                        progress=progress, engine=args.engine, scheduler=args.scheduler, force=args.force)
    count = {s: sum(o.status == s for o in outcomes) for s in ("written", "re-rendered", "up to date", "failed")}
    print(f"Backfill {args.first} to {args.last}{f' of {len(projects)} projects' if len(projects) > 1 else ''}: "
          f"{count['written']} month(s) written, {count['re-rendered']} re-rendered (commentary only), "
          f"{count['up to date']} up to date, {count['failed']} failed")
    for o in outcomes:
        detail = {"written": f"{'FINAL' if o.final else 'DRAFT'} papers, {o.exceptions} indicator(s) below "
                             "expectation",
                  "re-rendered": f"{'FINAL' if o.final else 'DRAFT'} papers with the new commentary, "
                                 f"{o.exceptions} indicator(s) below expectation (figures unchanged)",
                  "up to date": "skipped: nothing it is made from has changed",
                  "failed": o.reason}[o.status]
        print(f"  {f'{o.project}: ' if len(projects) > 1 else ''}{o.period}: {detail}")
    _warn_shared_meeting_dates(outcomes)
    return 1 if count["failed"] else 0


def _warn_shared_meeting_dates(outcomes) -> None:
    """Months written now whose covers give the defaults' meeting date, because no file of their own gives one
    (a month up to date was warned about when it was written)."""
    written = [o for o in outcomes if o.status in ("written", "re-rendered")]
    if not written:
        return
    from .config.params import DEFAULTS, meeting_from_defaults

    shared: dict[tuple[str, str], list[str]] = {}
    for o in written:
        try:
            date = meeting_from_defaults(Path(o.project) / "params" / f"{o.period}.yaml")
        except ConfigError:
            continue
        if date is not None:
            shared.setdefault((o.project, date), []).append(o.period)
    for (project, date), periods in shared.items():
        where = Path(project) / "params"
        print(f"Warning: {len(periods)} month(s) give the meeting date of {where / DEFAULTS} ({date}) on their "
              f"covers, having none of their own: {', '.join(periods)}. Give each its own in "
              f"{where}/YYYY-MM.yaml (cover: meeting_date: YYYY-MM-DD), then run the backfill again.")


def _projects(args) -> list[Path]:
    """The project folders of a backfill: ``--project`` (repeated), the folders a ``--batch`` file lists
    (relative to it), or ``--root``; each must be a folder holding params/."""
    named = [Path(p) for p in args.project or []]
    if args.batch:
        from .config.yaml_files import read_yaml

        batch = Path(args.batch)
        content = read_yaml(batch, ConfigError, "batch file not found")
        listed = content.get("projects") if isinstance(content, dict) else None
        if not isinstance(listed, list) or not listed or not all(isinstance(p, str) and p for p in listed):
            raise ConfigError(f"{batch}: a batch file lists its project folders under `projects:` "
                              "(one folder per line, relative to the batch file)", file=str(batch), key="projects")
        named += [batch.parent / p for p in listed]
    named = named or [Path(args.root)]
    for folder in named:
        if not (folder / "params").is_dir():
            raise ConfigError(f"{folder}: not a project folder (it holds no params/ folder)", file=str(folder),
                              key="project")
    return list(dict.fromkeys(p.resolve() for p in named))
