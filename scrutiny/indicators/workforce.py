"""Workforce (local caseloads table): average caseload per social worker."""

from __future__ import annotations

import pandas as pd

from ._base import Context, derived, indicator
from .breakdowns import breakdown, counts


def holding(ctx: Context) -> pd.DataFrame:
    """Social workers holding at least one case at E's month-end snapshot."""
    c = ctx.extract.tables["caseloads"]
    months = derived(ctx, "caseload months", lambda e: e.tables["caseloads"].groupby("period", sort=False).indices)
    month = c.iloc[months.get(str(ctx.period), [])]  # (its rows in file order)
    return month.loc[month["cases"] >= 1]


@indicator("caseload_average", needs=("caseloads",), polarity="low", unit="per_fte")
def caseload_average(ctx: Context):
    """Cases per FTE among social workers holding at least one case at E's month-end snapshot."""
    workers = holding(ctx)
    return float(workers["cases"].sum()), float(workers["fte"].sum())


@breakdown("caseload_average", "Social workers holding cases at the month end by caseload")
def workers_by_caseload(ctx: Context) -> pd.DataFrame:
    bands = pd.cut(holding(ctx)["cases"], [0, 10, 15, 20, 25, 10_000],
                   labels=["1 to 10", "11 to 15", "16 to 20", "21 to 25", "More than 25"])
    return counts(bands.astype(str))
