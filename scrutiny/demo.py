"""The demo project for a fictional authority: starter files and parameters (each written only if absent).

The starter files (the catalogues, the benchmark table and the improvement plan) ship
inside the package (``scrutiny/starter/``), so ``scrutiny demo`` works from an empty
folder after ``pip install``. In this repository ``params/`` links to them.
"""

from __future__ import annotations

import datetime
import os
import shutil
from pathlib import Path

import yaml

from .config import DEFAULTS
from .config.params import Cover, Implications, PeriodParams, Report, dump_params
from .data.periods import Period
from .files import write_atomic

STARTER = Path(__file__).resolve().parent / "starter"  # copied into params/ where missing
DEMO_LA = "E09000006"  # the fictional borough is benchmarked as Bromley, whose papers are the seeds
DEMO_BENCHMARKS = f"params/benchmarks/{DEMO_LA}.csv"  # made by `scrutiny benchmarks`


NA = "Not Applicable"
DEMO_REPORT = Report(
    reason=("To provide the Scrutiny Committee with a regular update on the performance of services for "
            "children. The performance index provided in appendix one is as at the end of {month}."),
    recommendations=("The Children, Education and Families PDS Committee note and comment on the {month} outturns "
                     "of key performance indicators and associated management commentary.",),
    commentary_opening=(
        "A Children's Performance Management Framework, agreed in 2018 and updated in 2023, stipulates that the "
        "Children's PDS Committee should receive a regular update on a suite of performance measures in respect of "
        "children's services. Reports should enable Members to 'ask challenging questions about areas of "
        "underperformance and make recommendations accordingly to the Executive'.",
        "The 'Children's Scrutiny Dataset' is selected from a much wider set of data collected and reported both "
        "internally and externally in respect of children's services; it acts as a regular 'health check' on key "
        "areas of service delivery to enable scrutiny and enquiry from elected members.",
        "The Committee agrees the suite of indicators each year. A narrative on \"why this indicator is important\" "
        "is provided so that scrutiny is well informed and effective.",
        "Directors have attributed either a target or a range of acceptable performance alongside trend and "
        "benchmarking data, so that Members are alerted to issues needing further exploration. Management "
        "commentary is provided against the indicators performing below expectation; Directors may also report "
        "other indicators by exception, for concern or for particularly good performance.",
        "Directors provide number and percentage outturns so that the Committee can gain a sense of scale and "
        "relativity.",
    ),
    implications=Implications(
        vulnerable_adults_and_children=(
            "Examination of performance by elected members holding scrutiny roles is part of a broader performance "
            "management framework which supports improvement of services delivered to children, including those "
            "vulnerable to poorer outcomes."),
        transformation_policy=(
            "Existing policy: the monitoring of key performance measures is part of the performance management "
            "framework developed to ensure strong leadership and management oversight of children's services."),
        financial=NA, personnel=NA, legal=NA, procurement=NA, property=NA, carbon_reduction_social_value=NA,
        customer_impact=(
            "The dataset enables Members to ask challenging questions about areas of underperformance and make "
            "recommendations accordingly to the Executive."),
        ward_councillor_views=NA,
    ),
    background_documents=(
        "Children's Scrutiny Dataset, agreement of regular performance monitoring (March 2018)",
        "Children's Performance Management Framework (updated January 2023)",
    ),
)


def demo_meeting(period: str | Period) -> datetime.date:
    """The demo committee's meeting for a month's papers: the first Thursday two months on.

    >>> str(demo_meeting("2023-11"))
    '2024-01-04'
    """
    first = Period.parse(period).shift(2).start
    return first + datetime.timedelta(days=(3 - first.weekday()) % 7)


def demo_params(period: str, data: str) -> PeriodParams:
    p = Period.parse(period)
    return PeriodParams(
        period=str(p),
        data=data,
        catalogue=f"params/catalogue/{p.financial_year}.yaml",
        population="ons",
        benchmarks=DEMO_BENCHMARKS,
        cover=Cover(
            decision_maker="CHILDREN, EDUCATION AND FAMILIES POLICY DEVELOPMENT AND SCRUTINY COMMITTEE",
            meeting_date=demo_meeting(p),
            decision_type="Non-Urgent Non-Executive Non-Key",
            title="PERFORMANCE REPORTING – CHILDREN'S SCRUTINY DATASET",
            contact_officer="Alex Morgan, Assistant Director Strategy, Performance and Corporate Transformation",
            contact_email="alex.morgan@fictional-borough.example",
            chief_officer="Sam Patel, Director Children's Services",
            ward="All Wards",
        ),
        report=DEMO_REPORT,
    )


def demo_defaults(period: str, data: str, meeting: bool = True) -> dict:
    """What the demo's months share, as ``params/defaults.yaml`` holds it: ``period``'s params less the period
    and the catalogue (each month's own: from its file name, and its financial year), and, with
    ``meeting=False``, less the meeting date too (then each month's file must give its own)."""
    shared = demo_params(period, data).model_dump(mode="json")
    for key in ("period", "catalogue"):
        shared.pop(key)
    if not meeting:
        shared["cover"].pop("meeting_date")
    return shared


def _month_file(root: Path, period: str | Period) -> Path:
    return Path(root) / "params" / f"{Period.parse(period)}.yaml"


def write_demo_params(root: Path, period: str, data: str) -> Path:
    path = _month_file(root, period)
    if not os.path.lexists(path):
        write_atomic(path, dump_params(demo_params(period, data)))
    return path


DEFAULTS_HEAD = ("# What every month shares. A month's own file, params/YYYY-MM.yaml, gives its meeting date (and\n"
                 "# report number) and may override anything here; the catalogue in force is the month's\n"
                 "# financial year's, params/catalogue/<YYYY-YY>.yaml. Written by `scrutiny demo`.\n")
MONTH_HEAD = "# {month}'s own parameters: the rest comes from params/defaults.yaml.\n"


def year_to_date(period: str) -> list[Period]:
    """The months of ``period``'s financial year from April up to ``period`` itself.

    >>> [str(m) for m in year_to_date("2023-06")]
    ['2023-04', '2023-05', '2023-06']
    >>> [str(m) for m in year_to_date("2024-01")][0], len(year_to_date("2024-01"))
    ('2023-04', 10)
    """
    p = Period.parse(period)
    return p.trailing((p.month - 4) % 12 + 1)


def write_demo_year(root: Path, period: str, data: str) -> list[Path]:
    """``params/defaults.yaml`` and, for the year's earlier months, files giving only their meeting dates.

    Each is written only if absent, so ``scrutiny backfill <April> <period>`` produces the
    demo's year to date with nothing copied by hand. ``period``'s own file is
    ``write_demo_params``'s, complete, as a project's first month is.
    """
    params = Path(root) / "params"
    defaults = yaml.safe_dump(demo_defaults(period, data, meeting=False), sort_keys=False, allow_unicode=True)
    files = {params / DEFAULTS: DEFAULTS_HEAD + defaults}
    for month in year_to_date(period)[:-1]:
        own = {"cover": {"meeting_date": demo_meeting(month).isoformat()}}
        files[_month_file(root, month)] = MONTH_HEAD.format(month=month.label) + yaml.safe_dump(own, sort_keys=False)
    written = [path for path in files if not os.path.lexists(path)]
    for path in written:
        write_atomic(path, files[path])
    return written


def write_demo_project(root: Path, period: str, data: str) -> list[Path]:
    """The demo's params: ``period``'s file and, where that is new (not a project's own), its year to date
    (:func:`write_demo_year`). A project that already has the month keeps its params as they are: no demo
    defaults are slipped under its other months."""
    if os.path.lexists(_month_file(root, period)):
        return []
    return [write_demo_params(root, period, data), *write_demo_year(root, period, data)]


PROJECT_GITIGNORE = """# written by scrutiny: children's data never enters a repository
# the project cache: the extract as Arrow files and its month ends (record-level data; delete it with the extract)
/.cache/
# the papers and executed notebooks (the confidential ones hold Part 2)
/outputs/
# extracts
/data/
*.csv
!/params/benchmarks/*.csv
"""


def write_starter(root: Path) -> list[Path]:
    """Copy the starter catalogues, benchmark table and plan into ``root/params`` where missing, and a
    ``.gitignore`` that keeps the cache, the outputs and the extracts out of any repository."""
    written = []
    ignore = Path(root) / ".gitignore"
    if not ignore.exists():
        ignore.parent.mkdir(parents=True, exist_ok=True)
        ignore.write_text(PROJECT_GITIGNORE)
        written.append(ignore)
    for source in sorted(p for p in STARTER.rglob("*") if p.is_file()):
        target = Path(root) / "params" / source.relative_to(STARTER)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            written.append(target)
    return written
