"""Referrals and assessments (Children in Need census)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data._text import id_codes
from ..data.periods import shift_months
from ._base import Context, WindowCounts, derived, in_window, indicator, within_working_days
from .breakdowns import breakdown, by_label

ASSESSMENT_WORKING_DAYS = 45
REREFERRAL_MONTHS = 12


def referrals_in_w12(ctx: Context, columns: list[str]) -> pd.DataFrame:
    """``columns`` of the referrals (CIN episodes) with a referral date in W12 (only those: millions of rows)."""
    referrals = ctx.extract.tables["cin_details"]
    return referrals.loc[in_window(referrals["CINreferralDate"], ctx.window(12)), columns]


def _rereferrals(extract) -> WindowCounts:
    """Each referral, flagged where the child's nearest strictly earlier referral date is within 12 months.

    Sorted once by child and date: a referral's nearest strictly earlier date is the date just before
    the first referral of its child on its own date (numbers, not a merge of millions of rows).
    A child with no id (code -1) is never a re-referral.
    """
    referrals = extract.tables["cin_details"]
    child = id_codes(referrals["LAchildID"])
    dates = referrals["CINreferralDate"].to_numpy(dtype="datetime64[ns]")
    days = dates.astype("datetime64[D]").astype(np.int64)  # (dates are whole days)
    known = ~np.isnat(dates)
    low = days[known].min() if known.any() else 0
    days = np.where(known, days - low, (days[known].max() - low + 1) if known.any() else 0)  # no date: last
    key = child * (int(days.max()) + 1 if len(days) else 1) + days  # by child, then date: one number
    # (already in that order, often; referrals of one child on one day may fall in any order)
    order = np.arange(len(key)) if (key[1:] >= key[:-1]).all() else key.argsort()
    c, d = child[order], dates[order]
    first_of_day = np.ones(len(c), dtype=bool)
    first_of_day[1:] = (c[1:] != c[:-1]) | (d[1:] != d[:-1])
    before = np.full(len(c), np.datetime64("NaT", "ns"))
    same_child = np.zeros(len(c), dtype=bool)
    same_child[1:] = c[1:] == c[:-1]
    before[1:] = np.where(same_child[1:], d[:-1], np.datetime64("NaT", "ns"))
    # every referral of a child's day takes what its first referral that day found
    day = np.cumsum(first_of_day) - 1
    previous = np.empty(len(c), dtype="datetime64[ns]")
    previous[order] = before[first_of_day][day]
    previous = pd.Series(previous, index=referrals.index)
    within = (previous >= shift_months(referrals["CINreferralDate"], -REREFERRAL_MONTHS)) & (child >= 0)
    return WindowCounts(referrals["CINreferralDate"], within)


@indicator("cin_rereferrals", needs=("cin_details",), polarity="low", unit="percent", history=24)
def cin_rereferrals(ctx: Context):
    """Referrals in W12 within 12 months of an earlier referral of the same child."""
    return derived(ctx, "rereferrals", _rereferrals).count(ctx.window(12))


@indicator("cin_assessments_45wd", needs=("assessments",), polarity="high", unit="percent")
def cin_assessments_45wd(ctx: Context):
    """Assessments authorised in W12 within 45 working days of starting."""
    return within_working_days(ctx, "assessments", "AssessmentActualStartDate", "AssessmentAuthorisationDate", 12,
                               ASSESSMENT_WORKING_DAYS)


@breakdown("cin_rereferrals", "Referrals in the last 12 months by source")
def referrals_by_source(ctx: Context) -> pd.DataFrame:
    return by_label(referrals_in_w12(ctx, ["ReferralSource"])["ReferralSource"], "ReferralSource")
