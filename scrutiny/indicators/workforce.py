"""Workforce (local caseloads table): average caseload per social worker."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._base import Context, derived, indicator
from .breakdowns import breakdown, counts


def _months(extract) -> dict:
    """Each month-end snapshot's rows of ``caseloads.csv``, in file order."""
    return extract.tables["caseloads"].groupby("period", sort=False).indices


def holding(ctx: Context) -> pd.DataFrame:
    """Social workers holding at least one case at E's month-end snapshot."""
    c = ctx.extract.tables["caseloads"]
    months = derived(ctx, "caseload months", _months)
    month = c.iloc[months.get(str(ctx.period), [])]  # (its rows in file order)
    return month.loc[month["cases"] >= 1]


@indicator("caseload_average", needs=("caseloads",), polarity="low", unit="per_fte")
def caseload_average(ctx: Context):
    """Cases per FTE among social workers holding at least one case at E's month-end snapshot."""
    months, cases, fte = derived(ctx, "caseload arrays", _arrays)
    rows = months.get(str(ctx.period), np.zeros(0, dtype=np.int64))
    rows = rows[cases[rows] >= 1]  # (as holding: in file order, summed as pandas sums, blanks left out)
    return float(np.nansum(cases[rows])), float(np.nansum(fte[rows]))


def _arrays(extract) -> tuple[dict, np.ndarray, np.ndarray]:
    """Each snapshot's rows (:func:`_months`), and every row's cases and FTE as numbers."""
    caseloads = extract.tables["caseloads"]
    return _months(extract), caseloads["cases"].to_numpy(dtype=float), caseloads["fte"].to_numpy(dtype=float)


@breakdown("caseload_average", "Social workers holding cases at the month end by caseload")
def workers_by_caseload(ctx: Context) -> pd.DataFrame:
    bands = pd.cut(holding(ctx)["cases"], [0, 10, 15, 20, 25, 10_000],
                   labels=["1 to 10", "11 to 15", "16 to 20", "21 to 25", "More than 25"])
    return counts(bands.astype(str))
