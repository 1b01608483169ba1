"""Adoption (SSDA903): how long children waited to move in with the family who adopted them.

As the adoption scorecard measures it: from entering care (the start of the period of
care) to moving in with the adoptive family (the start of the placement holding the
episode that ended in adoption), so a foster carer who adopts counts from when the
child moved in with them.
"""

from __future__ import annotations

import numpy as np

from ..data._text import id_codes
from ..data.schema import REC_ADOPTED
from ._base import Context, derived, indicator
from .looked_after import CLA

ADOPTION_WINDOW_MONTHS = 36


@indicator("adoption_timeliness", needs=CLA, polarity="low", unit="days", history=36)
def adoption_timeliness(ctx: Context):
    """Mean days from entering care to moving in with the adoptive family, adoptions in W36."""
    child, dec, days = derived(ctx, "adoptions", _adoptions)
    start, end = (np.datetime64(d, "ns") for d in ctx.window(ADOPTION_WINDOW_MONTHS))
    adopted = (dec >= start) & (dec <= end)
    # a child adopted twice in W36 counts once, by the later adoption (rows in order of child, then DEC)
    who = child[adopted]
    latest = np.append(who[1:] != who[:-1], True) if len(who) else np.zeros(0, dtype=bool)
    return int(np.nansum(days[adopted][latest])), int(latest.sum())


def _adoptions(extract) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each episode that ended in adoption, in order of child then DEC (ties in the episodes' order): its
    child's code, its DEC, and the days from entering care to the adoptive placement (NaN where unknown)."""
    episodes = extract.tables["episodes"]
    adoptions = episodes.loc[episodes["REC"].isin(REC_ADOPTED), ["CHILD", "DEC", "placement_start", "poc_start"]]
    child = id_codes(adoptions["CHILD"])
    dec = adoptions["DEC"].to_numpy(dtype="datetime64[ns]")
    days = (adoptions["placement_start"] - adoptions["poc_start"]).dt.days.to_numpy(dtype=float, na_value=np.nan)
    order = np.lexsort((dec, child))  # (stable: equal keys keep their order)
    return child[order], dec[order], days[order]
