"""Child protection (Children in Need census): repeat plans, long plans, timely conferences."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._base import Context, WindowCounts, derived, ends, in_window, indicator, within_working_days
from .breakdowns import breakdown, by_label

TWO_YEARS_DAYS = 729  # E - CPPstartDate >= 729 days: at least 730 days counting both ends
ICPC_WORKING_DAYS = 15  # Working Together: initial conference within 15 working days of the strategy discussion


def plans_starting(ctx: Context) -> pd.DataFrame:
    """Child protection plans starting in W12."""
    plans = ctx.extract.tables["cp_plans"]
    return plans.loc[in_window(plans["CPPstartDate"], ctx.window(12))]


def plans_open(ctx: Context) -> pd.DataFrame:
    """Child protection plans open at E."""
    plans = ctx.extract.tables["cp_plans"]
    end = ctx.end
    return plans.loc[(plans["CPPstartDate"] <= end) & (plans["CPPendDate"].isna() | (plans["CPPendDate"] > end))]


@indicator("cp_repeat", needs=("cp_plans",), polarity="low", unit="percent", history=24)
def cp_repeat(ctx: Context):
    """Plans starting in W12 that were a second or subsequent plan for the child."""
    return derived(ctx, "repeat plans", _repeat_plans).count(ctx.window(12))


def _repeat_plans(extract) -> WindowCounts:
    """Each plan, flagged where the child had an earlier plan in the extract, or the census says so."""
    plans = extract.tables["cp_plans"]
    first_start = plans.groupby("LAchildID")["CPPstartDate"].transform("min")
    earlier = first_start < plans["CPPstartDate"]
    previous = plans["NumberOfPreviousCPP"].fillna(0) >= 1
    return WindowCounts(plans["CPPstartDate"], earlier | previous)


@indicator("cp_two_years_plus", needs=("cp_plans",), polarity="low", unit="percent", history=24)
def cp_two_years_plus(ctx: Context):
    """Plans open at E that had lasted two years or more."""
    start, end = derived(ctx, "plan dates", _plan_dates)
    at = np.datetime64(ctx.end, "ns")
    open_ = (start <= at) & (end > at)
    return int((open_ & (start <= at - np.timedelta64(TWO_YEARS_DAYS, "D"))).sum()), int(open_.sum())


def _plan_dates(extract) -> tuple[np.ndarray, np.ndarray]:
    """Each plan's start and end as numbers (an open plan ends never; no start is never open)."""
    plans = extract.tables["cp_plans"]
    return plans["CPPstartDate"].to_numpy(dtype="datetime64[ns]"), ends(plans["CPPendDate"])


@indicator("cp_icpc_15wd", needs=("section47",), polarity="high", unit="percent")
def cp_icpc_15wd(ctx: Context):
    """Section 47 enquiries whose initial child protection conference in W12 was within 15 working days."""
    return within_working_days(ctx, "section47", "S47ActualStartDate", "DateOfInitialCPC", 12, ICPC_WORKING_DAYS)


# -- breakdowns ---------------------------------------------------------------------------------

@breakdown("cp_repeat", "Child protection plans starting in the last 12 months by initial category of abuse")
def repeat_by_category(ctx: Context) -> pd.DataFrame:
    return by_label(plans_starting(ctx)["InitialCategoryOfAbuse"], "InitialCategoryOfAbuse")


@breakdown("cp_two_years_plus", "Child protection plans open at the month end by initial category of abuse")
def open_plans_by_category(ctx: Context) -> pd.DataFrame:
    return by_label(plans_open(ctx)["InitialCategoryOfAbuse"], "InitialCategoryOfAbuse")
