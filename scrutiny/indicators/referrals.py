"""Referrals and assessments (Children in Need census)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data._text import id_codes
from ..data.periods import day_numbers, shift_months
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

    Sorted once by child and day: a referral's nearest strictly earlier day is the day just before
    the first referral of its child on its own day (numbers, not a merge of millions of rows), and
    "12 months before" is looked up for each of the few thousand days there are, not each referral.
    A child with no id (code -1) is never a re-referral.
    """
    referrals = extract.tables["cin_details"]
    child = id_codes(referrals["LAchildID"])
    dates = referrals["CINreferralDate"].to_numpy(dtype="datetime64[ns]")
    known = ~np.isnat(dates)
    # (millions of referrals: each step makes as few arrays of their length as it can, and none larger than it
    # need be, as day numbers; memory first touched costs more than the work done on it)
    day = day_numbers(dates)
    low, high = ((int(day.min(where=known, initial=np.iinfo(np.int32).max)),
                  int(day.max(where=known, initial=np.iinfo(np.int32).min))) if known.any() else (0, 0))
    day -= low  # days from the first; no date: after every date
    day[~known] = high - low + 1
    # by child, then day (already in that order, often; referrals of one child on one day may fall in any order)
    same = child[1:] == child[:-1]
    in_order = bool(((child[1:] > child[:-1]) | (same & (day[1:] >= day[:-1]))).all())
    if in_order:
        order = None
    else:
        key = child * (high - low + 2)
        key += day  # by child, then day: one number
        order = key.argsort(kind="stable")
        del key
    c, d = (child, day) if order is None else (child[order], day[order])
    n = len(c)
    same_child = np.zeros(n, dtype=bool)  # the referral before is the same child's
    same_child[1:] = same if order is None else c[1:] == c[:-1]
    del same
    new = np.ones(n, dtype=bool)  # the first referral of each child's day
    np.not_equal(d[1:], d[:-1], out=new[1:])
    new[1:] |= ~same_child[1:]
    before = np.zeros(n, dtype=np.int32)  # the day of the referral before: for a day's first, the child's last
    before[1:] = d[:-1]
    span = pd.Series(pd.to_datetime(np.arange(low, high + 1), unit="D"))
    back = np.append(day_numbers(shift_months(span, -REREFERRAL_MONTHS).to_numpy(dtype="datetime64[ns]")) - low,
                     high - low + 2).astype(np.int32)  # each day's 12 months before (no date: never within)
    # a child's referrals on one day share its day and its earlier referral: flagged a day at a time
    firsts = slice(None) if new.all() else new  # (each child's day one referral, as most are: nothing copied)
    flagged = same_child[firsts] & (before[firsts] >= back[d[firsts]]) & (c >= 0)[firsts]
    if isinstance(firsts, slice):
        within = flagged
    else:  # each referral the flag of its day's first
        group = np.cumsum(new, dtype=np.int32)
        group -= 1
        within = flagged[group]
    if order is not None:
        unsorted = np.empty(n, dtype=bool)
        unsorted[order] = within
        within = unsorted
    del child, day, c, d, same_child, new, before, flagged  # (freed before the counts are made)
    return WindowCounts(referrals["CINreferralDate"], pd.Series(within, index=referrals.index))


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
