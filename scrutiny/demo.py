"""The demo project for a fictional authority: starter files and parameters (each written only if absent).

The starter files (the catalogues, the benchmark table and the improvement plan) ship
inside the package (``scrutiny/starter/``), so ``scrutiny demo`` works from an empty
folder after ``pip install``. In this repository ``params/`` links to them.
"""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

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


def demo_params(period: str, data: str) -> PeriodParams:
    p = Period.parse(period)
    first = p.shift(2).start
    meeting = first + datetime.timedelta(days=(3 - first.weekday()) % 7)  # first Thursday
    return PeriodParams(
        period=str(p),
        data=data,
        catalogue=f"params/catalogue/{p.financial_year}.yaml",
        population="ons",
        benchmarks=DEMO_BENCHMARKS,
        cover=Cover(
            decision_maker="CHILDREN, EDUCATION AND FAMILIES POLICY DEVELOPMENT AND SCRUTINY COMMITTEE",
            meeting_date=meeting,
            decision_type="Non-Urgent Non-Executive Non-Key",
            title="PERFORMANCE REPORTING – CHILDREN'S SCRUTINY DATASET",
            contact_officer="Alex Morgan, Assistant Director Strategy, Performance and Corporate Transformation",
            contact_email="alex.morgan@fictional-borough.example",
            chief_officer="Sam Patel, Director Children's Services",
            ward="All Wards",
        ),
        report=DEMO_REPORT,
    )


def write_demo_params(root: Path, period: str, data: str) -> Path:
    path = Path(root) / "params" / f"{Period.parse(period)}.yaml"
    if not path.exists():
        write_atomic(path, dump_params(demo_params(period, data)))
    return path


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
