"""Referrals and assessments (Children in Need census)."""

from __future__ import annotations


from ..data.periods import shift_months
import pandas as pd

from ._base import Context, in_window, indicator, within_working_days
from .breakdowns import breakdown, by_label

ASSESSMENT_WORKING_DAYS = 45
REREFERRAL_MONTHS = 12


def referrals_in_w12(ctx: Context) -> pd.DataFrame:
    """Referrals (CIN episodes) with a referral date in W12."""
    referrals = ctx.extract.tables["cin_details"]
    return referrals.loc[in_window(referrals["CINreferralDate"], ctx.window(12))]


@indicator("cin_rereferrals", needs=("cin_details",), polarity="low", unit="percent", history=24)
def cin_rereferrals(ctx: Context):
    """Referrals in W12 within 12 months of an earlier referral of the same child."""
    referrals = ctx.extract.tables["cin_details"]
    # each child's distinct referral dates; the nearest strictly earlier one decides
    dates = referrals[["LAchildID", "CINreferralDate"]].drop_duplicates().sort_values(["LAchildID", "CINreferralDate"])
    dates["previous"] = dates.groupby("LAchildID")["CINreferralDate"].shift()
    in_w12 = referrals_in_w12(ctx)[["LAchildID", "CINreferralDate"]]
    joined = in_w12.merge(dates, on=["LAchildID", "CINreferralDate"], how="left")
    within = joined["previous"] >= shift_months(joined["CINreferralDate"], -REREFERRAL_MONTHS)
    return int(within.sum()), len(in_w12)


@indicator("cin_assessments_45wd", needs=("assessments",), polarity="high", unit="percent")
def cin_assessments_45wd(ctx: Context):
    """Assessments authorised in W12 within 45 working days of starting."""
    a = ctx.extract.tables["assessments"]
    return within_working_days(a, "AssessmentActualStartDate", "AssessmentAuthorisationDate", ctx.window(12),
                               ASSESSMENT_WORKING_DAYS)


@breakdown("cin_rereferrals", "Referrals in the last 12 months by source")
def referrals_by_source(ctx: Context) -> pd.DataFrame:
    return by_label(referrals_in_w12(ctx)["ReferralSource"], "ReferralSource")
