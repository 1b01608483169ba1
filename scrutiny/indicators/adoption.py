"""Adoption (SSDA903): how long children waited to move in with the family who adopted them.

As the adoption scorecard measures it: from entering care (the start of the period of
care) to moving in with the adoptive family (the start of the placement holding the
episode that ended in adoption), so a foster carer who adopts counts from when the
child moved in with them.
"""

from __future__ import annotations

from ..data.schema import REC_ADOPTED
from ._base import Context, derived, in_window, indicator
from .looked_after import CLA

ADOPTION_WINDOW_MONTHS = 36


@indicator("adoption_timeliness", needs=CLA, polarity="low", unit="days", history=36)
def adoption_timeliness(ctx: Context):
    """Mean days from entering care to moving in with the adoptive family, adoptions in W36."""
    adoptions = derived(ctx, "adoptions", lambda e: e.tables["episodes"].loc[
        e.tables["episodes"]["REC"].isin(REC_ADOPTED), ["CHILD", "DEC", "placement_start", "poc_start"]])
    adopted = adoptions.loc[in_window(adoptions["DEC"], ctx.window(ADOPTION_WINDOW_MONTHS))]
    # a child adopted twice in W36 counts once, by the later adoption
    latest = adopted.sort_values(["CHILD", "DEC"], kind="stable").drop_duplicates("CHILD", keep="last")
    days = (latest["placement_start"] - latest["poc_start"]).dt.days
    return int(days.sum()), len(latest)
