"""Workforce (local caseloads table): average caseload per social worker."""

from __future__ import annotations

from ._base import Context, indicator


@indicator("caseload_average", needs=("caseloads",), polarity="low", unit="per_fte")
def caseload_average(ctx: Context):
    """Cases per FTE among social workers holding at least one case at E's month-end snapshot."""
    c = ctx.extract.tables["caseloads"]
    holding = c.loc[(c["period"] == str(ctx.period)) & (c["cases"] >= 1)]
    return float(holding["cases"].sum()), float(holding["fte"].sum())
