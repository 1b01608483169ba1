"""Workforce (local caseloads table): average caseload per social worker."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._base import Context, derived, indicator
from .breakdowns import breakdown, counts


def _holding_rows(ctx: Context) -> np.ndarray:
    """The rows of ``caseloads.csv`` (in file order) of the social workers holding at least one case at E's
    month-end snapshot."""
    months, cases, _fte = derived(ctx, "caseload arrays", _arrays)
    rows = months.get(str(ctx.period), np.zeros(0, dtype=np.int64))
    return rows[cases[rows] >= 1]


def holding(ctx: Context) -> pd.DataFrame:
    """Social workers holding at least one case at E's month-end snapshot."""
    return ctx.extract.tables["caseloads"].iloc[_holding_rows(ctx)]


@indicator("caseload_average", needs=("caseloads",), polarity="low", unit="per_fte")
def caseload_average(ctx: Context):
    """Cases per FTE among social workers holding at least one case at E's month-end snapshot."""
    _each_month, cases, fte = derived(ctx, "caseload arrays", _arrays)
    rows = _holding_rows(ctx)  # (summed in file order, as pandas sums, blanks left out)
    return float(np.nansum(cases[rows])), float(np.nansum(fte[rows]))


def _arrays(extract) -> tuple[dict, np.ndarray, np.ndarray]:
    """Each month-end snapshot's rows (in file order), and every row's cases and FTE as numbers."""
    caseloads = extract.tables["caseloads"]
    return (caseloads.groupby("period", sort=False).indices, caseloads["cases"].to_numpy(dtype=float),
            caseloads["fte"].to_numpy(dtype=float))


@breakdown("caseload_average", "Social workers holding cases at the month end by caseload")
def workers_by_caseload(ctx: Context) -> pd.DataFrame:
    bands = pd.cut(holding(ctx)["cases"], [0, 10, 15, 20, 25, 10_000],
                   labels=["1 to 10", "11 to 15", "16 to 20", "21 to 25", "More than 25"])
    return counts(bands.astype(str))
