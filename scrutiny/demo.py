"""The demo's parameters for a fictional authority (written only if absent)."""

from __future__ import annotations

import datetime
from pathlib import Path

from .params import Cover, PeriodParams, dump_params
from .periods import Period
from ._files import write_atomic

DEMO_LA = "E09000006"  # the fictional borough is benchmarked as Bromley, whose papers are the seeds
DEMO_BENCHMARKS = f"params/benchmarks/{DEMO_LA}.csv"  # made by `scrutiny benchmarks`


def demo_params(period: str, data: str) -> PeriodParams:
    p = Period.parse(period)
    first = p.shift(2).start
    meeting = first + datetime.timedelta(days=(3 - first.weekday()) % 7)  # first Thursday
    return PeriodParams(
        period=str(p),
        data=data,
        catalogue=f"params/catalogue/{p.financial_year}.yaml",
        population="ons",
        authority="Fictional Borough Council",
        la_code=DEMO_LA,
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
    )


def write_demo_params(root: Path, period: str, data: str) -> Path:
    path = Path(root) / "params" / f"{Period.parse(period)}.yaml"
    if not path.exists():
        write_atomic(path, dump_params(demo_params(period, data)))
    return path
