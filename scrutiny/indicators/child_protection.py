"""Child protection plans (Children in Need census): repeat plans, long plans."""

from __future__ import annotations

from ._base import Context, in_window, indicator

TWO_YEARS_DAYS = 729  # E - CPPstartDate >= 729 days: at least 730 days counting both ends


@indicator("cp_repeat", needs=("cp_plans",), polarity="low", unit="percent")
def cp_repeat(ctx: Context):
    """Plans starting in W12 that were a second or subsequent plan for the child."""
    plans = ctx.extract.tables["cp_plans"]
    first_start = plans.groupby("LAchildID")["CPPstartDate"].transform("min")
    starting = plans.loc[in_window(plans["CPPstartDate"], ctx.window(12))]
    earlier = first_start.loc[starting.index] < starting["CPPstartDate"]
    previous = starting["NumberOfPreviousCPP"].fillna(0) >= 1
    return int((earlier | previous).sum()), len(starting)


@indicator("cp_two_years_plus", needs=("cp_plans",), polarity="low", unit="percent")
def cp_two_years_plus(ctx: Context):
    """Plans open at E that had lasted two years or more."""
    plans = ctx.extract.tables["cp_plans"]
    end = ctx.end
    open_ = plans.loc[(plans["CPPstartDate"] <= end) & (plans["CPPendDate"].isna() | (plans["CPPendDate"] > end))]
    days = (end - open_["CPPstartDate"]).dt.days
    return int((days >= TWO_YEARS_DAYS).sum()), len(open_)
