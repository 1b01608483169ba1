"""Care leavers aged 19 to 21 (SSDA903 OC3): activity and accommodation.

``oc3.csv`` holds one row per young person, the contact around their most recent
birthday. The cohort is those whose 19th, 20th or 21st birthday falls in W12,
leaving out those who have died or returned home (IN_TOUCH ``DIED``, ``RHOM``),
as the Department for Education's care leaver tables do.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data.periods import birthday
from ..data.schema import ACTIV_EET
from ._base import Context, derived, indicator
from .breakdowns import breakdown, by_group

COHORT_AGES = (19, 20, 21)
LEFT_OUT_IN_TOUCH = frozenset({"DIED", "RHOM"})
OC3 = ("oc3",)


def cohort(ctx: Context) -> pd.DataFrame:
    """Care leavers with a 19th, 20th or 21st birthday in W12, not died or returned home."""
    return ctx.extract.tables["oc3"].loc[_in_cohort(ctx)]


def _in_cohort(ctx: Context) -> np.ndarray:
    """Which rows of ``oc3.csv`` are in the cohort (:func:`cohort`)."""
    def make():
        leavers = derived(ctx, "care leavers", _leavers)
        start, end = (np.datetime64(d, "ns") for d in ctx.window(12))
        return ((leavers["birthdays"] >= start) & (leavers["birthdays"] <= end)).any(axis=1) & leavers["counted"]

    return ctx.shared("care leaver cohort", make)


def _leavers(extract) -> dict[str, np.ndarray]:
    """Each young person's 19th, 20th and 21st birthdays (a column each), whether they are counted at all,
    whether in education, employment or training, and whether in suitable accommodation (ACCOM ending in 1)."""
    oc3 = extract.tables["oc3"]
    days = np.column_stack([birthday(oc3["DOB"], age).to_numpy(dtype="datetime64[ns]") for age in COHORT_AGES]
                           ).reshape(len(oc3), len(COHORT_AGES))
    return {"birthdays": days, "counted": ~oc3["IN_TOUCH"].isin(LEFT_OUT_IN_TOUCH).to_numpy(dtype=bool),
            "eet": oc3["ACTIV"].isin(ACTIV_EET).to_numpy(dtype=bool),
            "suitable": oc3["ACCOM"].str.endswith("1").fillna(False).to_numpy(dtype=bool)}


@indicator("care_leavers_eet", needs=OC3, polarity="high", unit="percent")
def care_leavers_eet(ctx: Context):
    """Care leavers aged 19 to 21 in education, employment or training."""
    group = _in_cohort(ctx)
    return int((group & derived(ctx, "care leavers", _leavers)["eet"]).sum()), int(group.sum())


@indicator("care_leavers_suitable_accommodation", needs=OC3, polarity="high", unit="percent")
def care_leavers_suitable_accommodation(ctx: Context):
    """Care leavers aged 19 to 21 in accommodation considered suitable (ACCOM ending in 1)."""
    group = _in_cohort(ctx)
    return int((group & derived(ctx, "care leavers", _leavers)["suitable"]).sum()), int(group.sum())


@breakdown("care_leavers_eet", "Care leavers aged 19 to 21 by activity")
def leavers_by_activity(ctx: Context) -> pd.DataFrame:
    return by_group(cohort(ctx)["ACTIV"], "ACTIV")


@breakdown("care_leavers_suitable_accommodation", "Care leavers aged 19 to 21 by suitability of accommodation")
def leavers_by_accommodation(ctx: Context) -> pd.DataFrame:
    return by_group(cohort(ctx)["ACCOM"], "ACCOM")
