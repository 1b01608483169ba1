"""The ``scrutiny`` command: demo, run, commentary, pdf, plan, compute, spc, synth, benchmarks."""

from __future__ import annotations

import argparse
import csv
import json
import os
import shlex
import sys
from pathlib import Path

from .cli_backfill import add_backfill
from .errors import ConfigError, ScrutinyError

DEMO_PERIOD = "2023-11"


from .arguments import (_children, _date, _number, _period, _points, _population, _values,  # noqa: E402,F401
                        _year)


DEMO_DATA = "data/demo"
DEMO_PLAN_YEAR, DEMO_PLAN_AS_AT = "2023-24", "2024-03-31"


def _cmd_compute(args) -> int:
    from .indicators.compute import compute_period
    from .data.validate import load_extract

    extract = load_extract(args.data)
    specs = None
    if args.catalogue:  # the catalogue's indicators, manual ones included, in display order
        from .config.catalogue import load_catalogue

        specs = [d.spec() for d in load_catalogue(args.catalogue).ordered()]
    results = compute_period(extract, args.period, args.population, specs=specs)
    records = [r.as_record() for r in results]
    if args.format == "json":
        json.dump(records, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(records[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: ("" if v is None else v) for k, v in r.items()} for r in records)
    for r in results:
        if r.note:
            print(f"{r.id}: {r.status}: {r.note}", file=sys.stderr)
    if extract.records_left_out:
        print(f"{extract.records_left_out} record(s) left out as errors", file=sys.stderr)
    _say_what_was_read(extract)
    return 0


def _say_what_was_read(extract) -> None:
    """Every file in the extract folder: what it was read as, or why it was not (returns beside the CSVs)."""
    if all(name == what.removeprefix("the contract's ") for name, what in extract.read) and not extract.not_read:
        return  # only the contract's own files: nothing to say
    for name, what in extract.read:
        print(f"read {name}: {what}", file=sys.stderr)
    for name, why in extract.not_read:
        print(f"not read {name}: {why}", file=sys.stderr)
    for _, words in extract.combined:
        print(words, file=sys.stderr)


def _cmd_benchmarks(args) -> int:
    from .assess.benchmarks import extract_benchmarks, write_benchmarks
    from .config.catalogue import load_catalogue

    paths = [Path(c) for c in args.catalogue] or sorted((Path(args.root) / "params" / "catalogue").glob("*.yaml"))
    if not paths:
        raise ConfigError("no catalogue found: give --catalogue, or run from the project folder")
    # newest catalogue first, so its benchmark source wins for an id in several years
    definitions = [d for p in sorted(paths, reverse=True) for d in load_catalogue(p).indicators]
    table = extract_benchmarks(args.source, args.la, definitions)
    write_benchmarks(table, args.out)
    out = args.out
    authority = table.attrs["authority"]
    years = sorted(set(table["year"]))
    print(f"{len(table)} published figures for {authority.name} ({authority.new_code}, LA {authority.old_code}), "
          f"{len(set(table['indicator']))} measures, years {years[0]} to {years[-1]}: {out}")
    return 0


def _cmd_synth(args) -> int:
    from .data.synth import synthesise

    if Path(args.out).exists() and not Path(args.out).is_dir():
        raise ConfigError(f"{args.out}: is a file, not a folder to write the synthetic extract into",
                          file=args.out)
    out = synthesise(args.out, children=args.children, seed=args.seed, as_at=args.period)
    print(f"Synthetic extract written to {out}")
    return 0


def _cmd_run(args) -> int:
    from .run.execute import run_period
    from .run.memory import for_a_run

    for_a_run()
    result = run_period(args.period, Path(args.root), final=args.final, pdf=args.pdf, engine=args.engine)
    _report(result)
    if args.pdf:
        print(f"  PDFs printed from the same HTML: {result.part1.with_suffix('.pdf')}, "
              f"{result.part2.with_suffix('.pdf')}")
    return 0


def _cmd_commentary(args) -> int:
    from .config.params import load_params
    from .paper.document import open_paper
    from .paper.parts import PART2
    from .run import commentary

    root = Path(args.root).resolve()
    params = load_params(root / "params" / f"{args.period}.yaml")
    paper = open_paper(**params.notebook_parameters())
    exceptions = paper.exceptions(PART2)
    store = commentary.load_store(root, params.period)
    state = commentary.status(store, exceptions, paper.public_ids(), commentary.known_ids(root, paper.catalogue))
    names = paper.names()

    def block(title, keys):
        print(f"{title} ({len(keys)})")
        for key in keys:
            entry = store.entries.get(key)
            who = f"  [{entry.changed_by}, {entry.changed_at}]" if entry and entry.changed_by else ""
            print(f"  {names.get(key, key)}{who}")

    print(f"Commentary for {params.period_obj.label}: {len(exceptions)} indicator(s) below expectation "
          f"({commentary.store_path(root, params.period)})")
    block("Written", state.written)
    block("Carried forward, to update", state.carried)
    block("Missing", state.missing)
    block("Reported by exception (not below expectation)", state.by_exception)
    block("Kept, not shown (no longer below expectation)", state.kept)
    block("Not about any indicator (a mistyped tag?)", state.unknown)
    if state.unplaced:
        print(f"Text from cells that are not commentary cells, kept in the store ({len(state.unplaced)})")
        for item in state.unplaced:
            first = item.text.strip().splitlines()[0][:70]
            print(f"  after {item.after}: {first!r}  [{item.changed_by}, {item.changed_at}]")
    summary = store.entries.get(commentary.SUMMARY)
    print(f"Opening remarks: {'written' if summary and summary.text.strip() else 'none'}")
    problems = state.problems_for_final(paper.names())
    if not problems:
        print("Ready for --final.")
        return 0
    print(f"Not ready for --final: {len(problems)} problem(s):")
    for problem in problems:
        print(f"  {problem}")
    return 1


def _report(result) -> None:
    """One summary of the run: papers written, exceptions, commentary harvested, carried forward, missing, warnings."""
    from .assess.suppress import SMALL_RANGE

    print(f"Period {result.period}: {'FINAL' if result.final else 'DRAFT'} papers written")
    print(f"  public paper (Part 1):        {result.part1}")
    print(f"  confidential paper (Part 2):  {result.part2}")
    if result.pdf:
        print("  (each with its PDF beside it)")
    print(f"  executed notebook:            {result.notebook}")
    print(f"  indicators below expectation: {len(result.exceptions)}")
    print(f"  commentary harvested:         {result.harvested} text(s) from the executed notebook into "
          f"params/commentary/{result.period}.yaml")
    print(f"  carried forward:              {len(result.carried)}"
          + "".join(f"\n    {result.name(k)} (update it, then delete the carried-forward line)" for k in result.carried))
    print(f"  missing:                      {len(result.missing)}"
          + "".join(f"\n    {result.name(k)}" for k in result.missing))
    warnings = [f"{result.name(key)}: {phrase!r}: a number from {SMALL_RANGE} about children in the public paper"
                for key, phrase in result.warnings]
    warnings += [f"commentary:{key}: no indicator has this id (a mistyped tag?); the text is kept in the store"
                 for key in result.unknown]
    if result.unplaced:
        warnings.append(f"{result.unplaced} text(s) from cells that are not commentary cells are kept in the store "
                        f"(see `scrutiny commentary {result.period}`)")
    print(f"  warnings:                     {len(warnings)}" + "".join(f"\n    {w}" for w in warnings))
    if result.kept:
        print("  kept in the store, not shown (no longer below expectation): "
              + ", ".join(result.name(k) for k in result.kept))


def _cmd_check_disclosure(args) -> int:
    from .run.gate import check_html

    try:
        html = Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{args.file}: cannot be read as a rendered paper ({getattr(exc, 'strerror', None) or exc})",
                          file=args.file) from None
    problems = check_html(html)
    for problem in problems:
        print(f"{args.file}: {problem}")
    print(f"{len(problems)} problem(s) found" if problems else f"{args.file}: no disclosure problem found")
    return 1 if problems else 0


def _cmd_plan(args) -> int:
    from .run.execute import run_plan

    result = run_plan(args.year, args.as_at, Path(args.root), final=args.final)
    print(f"Improvement plan {args.year} as at {args.as_at}: {'FINAL' if result.final else 'DRAFT'} paper written; "
          f"{len(result.at_risk)} area(s) at risk, {len(result.missing)} without commentary")
    print(f"  paper:             {result.html}")
    print(f"  executed notebook: {result.notebook}")
    return 0


def _cmd_pdf(args) -> int:
    from .run.pdf import pdf_period

    for pdf in pdf_period(args.period, Path(args.root)):
        print(f"  {pdf}")
    return 0


def _cmd_spc(args) -> int:
    from .assess.spc import POLARITY, spc

    result = spc(args.values, POLARITY[args.improvement], args.target, fix_after=args.fix_after,
                 run_length=args.run_length, screen_outliers=args.screen_outliers)
    lim = result.limits
    out = {"mean": lim.mean, "lpl": lim.lower, "upl": lim.upper, "trial": lim.trial,
           "points": [{"value": p.value, "type": p.type} for p in result.points],
           "variation": result.variation, "assurance": result.assurance}
    if args.format == "json":
        print(json.dumps(out, indent=2))
    else:
        print(f"mean {lim.mean:.4g}, process limits {lim.lower:.4g} to {lim.upper:.4g}"
              f"{' (trial limits)' if lim.trial else ''}; variation {result.variation}; "
              f"assurance {result.assurance}")
        for p in result.points:
            print(f"  {'' if p.value is None else f'{p.value:g}':>10}  {p.type or ''}")
    return 0


def _engine_option(p) -> None:
    p.add_argument("--engine", choices=["scrutiny", "kernel"], default="scrutiny",
                   help="what executes the notebook: this process, warm (default), or a Jupyter kernel per month; "
                        "the papers are the same")


def _cmd_convert(args) -> int:
    from .data.returns.convert import convert, read_report

    written = convert(Path(args.source), Path(args.out))
    read, not_read = read_report(Path(args.source))
    for name, what in read:
        print(f"read {name}: {what}")
    for name, why in not_read:
        print(f"not read {name}: {why}")
    for name, rows in written:
        print(f"wrote {Path(args.out) / name}: {rows:,} row(s)")
    return 0


def _cmd_demo(args) -> int:
    from .data.synth import synthesise
    from .config import DEFAULTS
    from .demo import write_demo_project, write_starter, year_to_date
    from .run.execute import run_period, run_plan

    root = Path(args.root).resolve()
    for path in write_starter(root):
        print(f"Starter file: {path}")
    data = root / DEMO_DATA
    synthesise(data, children=args.children, seed=args.seed, as_at=args.period)
    print(f"Synthetic extract for a fictional authority: {data}")
    for path in write_demo_project(root, args.period, DEMO_DATA):
        print(f"Parameters: {path}")
    _report(run_period(args.period, root))
    print(f"  index of public papers:       {root / 'outputs' / 'index.html'}")
    plan = run_plan(DEMO_PLAN_YEAR, DEMO_PLAN_AS_AT, root)
    print(f"Improvement plan {DEMO_PLAN_YEAR} as at {DEMO_PLAN_AS_AT}: {plan.html}")
    year = year_to_date(args.period)
    if len(year) > 1 and os.path.lexists(root / "params" / DEFAULTS):
        print(f"The year to date, every month's papers: scrutiny backfill {year[0]} {args.period}"
              + ("" if root == Path.cwd().resolve() else f" --root {shlex.quote(args.root)}"))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scrutiny", description="Children's services scrutiny papers")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("compute", help="print every indicator for a period (no notebook)")
    p.add_argument("--data", required=True, help="extract folder")
    p.add_argument("--period", required=True, type=_period, help="YYYY-MM")
    p.add_argument("--population", type=_population, default=None, help="population aged 0-17, for cla_rate")
    p.add_argument("--format", choices=["json", "csv"], default="json")
    p.add_argument("--catalogue", help="report the catalogue's indicators (manual ones too) instead of all computed")
    p.set_defaults(func=_cmd_compute)

    p = sub.add_parser("benchmarks", help="extract one authority's published figures from DfE CSV files")
    p.add_argument("--from", dest="source", required=True, help="folder of explore-education-statistics CSV files")
    p.add_argument("--la", required=True, help="the authority's old (305) or new (E09000006) LA code")
    p.add_argument("--out", required=True, help="CSV file to write (for the params' `benchmarks`)")
    p.add_argument("--catalogue", action="append", default=[], help="catalogue YAML (default: params/catalogue/*)")
    p.add_argument("--root", default=".", help="project folder")
    p.set_defaults(func=_cmd_benchmarks)

    p = sub.add_parser("synth", help="write a synthetic extract")
    p.add_argument("--out", required=True)
    p.add_argument("--children", type=_children, default=300, help="about how many children looked after at the end")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--period", default=DEMO_PERIOD, help="the extract's last month, YYYY-MM")
    p.set_defaults(func=_cmd_synth)

    p = sub.add_parser("run", help="execute a period's notebook and render both papers")
    p.add_argument("period", type=_period, help="YYYY-MM (reads params/YYYY-MM.yaml)")
    p.add_argument("--root", default=".", help="project folder (holds params/ and outputs/)")
    p.add_argument("--final", action="store_true",
                   help="the final papers: refused while an exception lacks commentary or is still carried forward")
    p.add_argument("--pdf", action="store_true",
                   help="also print both papers to tagged A4 PDF from the same HTML, switched into place with them")
    _engine_option(p)
    p.set_defaults(func=_cmd_run)

    add_backfill(sub, _engine_option)

    p = sub.add_parser("commentary", help="print a period's commentary status (opens nothing)")
    p.add_argument("period", type=_period, help="YYYY-MM")
    p.add_argument("--root", default=".", help="project folder")
    p.set_defaults(func=_cmd_commentary)

    p = sub.add_parser("check-disclosure", help="scan a rendered public paper for disclosure problems")
    p.add_argument("file", help="the public paper's HTML")
    p.set_defaults(func=_cmd_check_disclosure)

    p = sub.add_parser("plan", help="the performance improvement plan paper as at a date")
    p.add_argument("year", type=_year, help="YYYY-YY (reads params/improvement_plan/YYYY-YY.yaml)")
    p.add_argument("--as-at", required=True, type=_date, help="YYYY-MM-DD: progress as at this date")
    p.add_argument("--root", default=".", help="project folder")
    p.add_argument("--final", action="store_true",
                   help="the final paper: refused while an area at risk has no commentary (otherwise it says DRAFT)")
    p.set_defaults(func=_cmd_plan)

    p = sub.add_parser("pdf", help="print a period's two papers to A4 PDF with headless Chromium")
    p.add_argument("period", type=_period, help="YYYY-MM (run it first)")
    p.add_argument("--root", default=".", help="project folder (holds outputs/)")
    p.set_defaults(func=_cmd_pdf)

    p = sub.add_parser("convert", help="write the contract's CSV files from what an extract folder holds "
                                       "(CIN census XML, SSDA903 XML, contract CSVs)")
    p.add_argument("--from", dest="source", required=True, help="the extract folder")
    p.add_argument("--out", required=True, help="a new or empty folder for the CSV files")
    p.set_defaults(func=_cmd_convert)

    p = sub.add_parser("spc", help="XmR limits, point types, variation and assurance for a series of values")
    p.add_argument("--values", required=True, type=_values, help="numbers separated by commas, oldest first")
    p.add_argument("--improvement", required=True, choices=["increase", "decrease", "neutral"],
                   help="which way is better")
    p.add_argument("--target", type=_number, default=None, help="the target, for assurance")
    p.add_argument("--fix-after", type=_points, default=None,
                   help="fix the limits on the first N points (default: all); fewer than 12 gives trial limits")
    p.add_argument("--run-length", type=int, choices=[6, 7], default=7,
                   help="points in a run or trend (Making Data Count: 7, or 6)")
    p.add_argument("--screen-outliers", action=argparse.BooleanOptionalAction, default=True,
                   help="leave moving ranges of 3.267 x the mean moving range out of the limits (default: on)")
    p.add_argument("--format", choices=["json", "text"], default="text")
    p.set_defaults(func=_cmd_spc)

    p = sub.add_parser("demo", help="synthetic extract, parameters, run, both papers")
    p.add_argument("--period", type=_period, default=DEMO_PERIOD, help="the month to run, YYYY-MM")
    p.add_argument("--children", type=_children, default=300)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--root", default=".")
    p.set_defaults(func=_cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ScrutinyError as exc:  # something the user can put right; anything else is a bug
        print(exc.describe(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
