"""Breakdowns behind an indicator, for the confidential paper: counts by a category that helps explain it.

Each function takes the same :class:`~scrutiny.indicators.Context` as the indicator
and returns a frame of ``category`` and ``count``, largest first. They are shown in
Part 2 only: a public breakdown would need secondary suppression (issue 6).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from .indicators import Context
from .indicators._base import in_window
from .indicators.care_leavers import cohort
from .indicators.looked_after import looked_after_at, overlapping
from .periods import age_at
from .schema import ACTIV_EET

BREAKDOWNS: dict[str, tuple[str, Callable[[Context], pd.DataFrame]]] = {}

PLACE_GROUPS = {
    "Foster care": ("U1", "U2", "U3", "U4", "U5", "U6"),
    "Placed for adoption": ("A3", "A4", "A5", "A6"),
    "Children's homes and secure units": ("K1", "K2", "K3", "R1", "S1"),
    "Placed with parents or others with parental responsibility": ("P1",),
    "Independent and semi-independent living": ("H5", "P2", "P3"),
    "Other": ("R2", "R3", "R5", "Z1", "T0", "T1", "T2", "T3", "T4"),
}
ABUSE_NAMES = {"NEG": "Neglect", "EMO": "Emotional abuse", "PHY": "Physical abuse", "SAB": "Sexual abuse",
               "MUL": "Multiple"}
CHANGE_NAMES = {"CARPL": "Change to care plan", "CLOSE": "Provider closed", "ALLEG": "Allegation",
                "STAND": "Standards of care concern", "APPRR": "Approval of carer ended", "CREQB": "Carer requested (behaviour)",
                "CREQO": "Carer requested (other)", "CHILD": "Child requested", "LAREQ": "Local authority requested",
                "OTHER": "Other reason"}


def breakdown(indicator_id: str, caption: str):
    def wrap(func):
        BREAKDOWNS[indicator_id] = (caption, func)
        return func

    return wrap


def _counts(values: pd.Series, names: dict[str, str] | None = None) -> pd.DataFrame:
    labelled = values.map(lambda v: (names or {}).get(v, v or "Not recorded"))
    counts = labelled.value_counts()
    return (pd.DataFrame({"category": counts.index.astype(str), "count": counts.to_numpy()})
            .sort_values(["count", "category"], ascending=[False, True], kind="stable").reset_index(drop=True))


def _place_group(code: str) -> str:
    return next((g for g, codes in PLACE_GROUPS.items() if code in codes), "Other")


@breakdown("cla_count", "Children looked after at the month end by type of placement")
def cla_by_placement(ctx: Context) -> pd.DataFrame:
    return _counts(looked_after_at(ctx)["PLACE"].map(_place_group))


@breakdown("cla_rate", "Children looked after at the month end by legal status")
def cla_by_legal_status(ctx: Context) -> pd.DataFrame:
    return _counts(looked_after_at(ctx)["LS"])


@breakdown("cla_placement_stability_short", "Placement moves in the last 12 months by reason")
def moves_by_reason(ctx: Context) -> pd.DataFrame:
    episodes = ctx.extract.tables["episodes"]
    start, end = ctx.window(12)
    moves = episodes.loc[episodes["RNE"].isin(["P", "T", "B", "U"]) & in_window(episodes["DECOM"], (start, end))]
    return _counts(moves["REASON_PLACE_CHANGE"], CHANGE_NAMES)


@breakdown("cla_missing", "Children looked after in the last 12 months by type of placement at the month end "
                          "or when they left care")
def missing_by_placement(ctx: Context) -> pd.DataFrame:
    episodes = ctx.extract.tables["episodes"]
    start, end = ctx.window(12)
    during = overlapping(episodes, start, end).sort_values("DECOM").drop_duplicates("CHILD", keep="last")
    return _counts(during["PLACE"].map(_place_group))


@breakdown("cla_s20_older_starters", "Children starting care in the last 12 months by age on starting")
def starters_by_age(ctx: Context) -> pd.DataFrame:
    episodes = ctx.extract.tables["episodes"]
    starting = episodes.loc[(episodes["RNE"] == "S") & in_window(episodes["DECOM"], ctx.window(12))]
    age = age_at(starting["DOB"], starting["DECOM"])
    bands = pd.cut(age, [-1, 0, 4, 9, 13, 17, 200], labels=["Under 1", "1 to 4", "5 to 9", "10 to 13", "14 to 17",
                                                            "18 and over"])
    return _counts(bands.astype(str))


@breakdown("cp_repeat", "Child protection plans starting in the last 12 months by initial category of abuse")
def repeat_by_category(ctx: Context) -> pd.DataFrame:
    plans = ctx.extract.tables["cp_plans"]
    return _counts(plans.loc[in_window(plans["CPPstartDate"], ctx.window(12)), "InitialCategoryOfAbuse"],
                   ABUSE_NAMES)


@breakdown("cp_two_years_plus", "Child protection plans open at the month end by initial category of abuse")
def open_plans_by_category(ctx: Context) -> pd.DataFrame:
    plans = ctx.extract.tables["cp_plans"]
    end = ctx.end
    open_ = plans.loc[(plans["CPPstartDate"] <= end) & (plans["CPPendDate"].isna() | (plans["CPPendDate"] > end))]
    return _counts(open_["InitialCategoryOfAbuse"], ABUSE_NAMES)


@breakdown("cin_rereferrals", "Referrals in the last 12 months by source")
def referrals_by_source(ctx: Context) -> pd.DataFrame:
    referrals = ctx.extract.tables["cin_details"]
    return _counts(referrals.loc[in_window(referrals["CINreferralDate"], ctx.window(12)), "ReferralSource"])


@breakdown("care_leavers_eet", "Care leavers aged 19 to 21 by activity")
def leavers_by_activity(ctx: Context) -> pd.DataFrame:
    activ = cohort(ctx)["ACTIV"]
    group = activ.map(lambda a: "In education, employment or training" if a in ACTIV_EET else
                      ("Not known" if a == "0" else "Not in education, employment or training"))
    return _counts(group)


@breakdown("care_leavers_suitable_accommodation", "Care leavers aged 19 to 21 by suitability of accommodation")
def leavers_by_accommodation(ctx: Context) -> pd.DataFrame:
    accom = cohort(ctx)["ACCOM"]
    return _counts(accom.map(lambda a: "Suitable" if a.endswith("1") else "Not suitable" if a.endswith("2")
                             else "Not known"))


@breakdown("caseload_average", "Social workers holding cases at the month end by caseload")
def workers_by_caseload(ctx: Context) -> pd.DataFrame:
    c = ctx.extract.tables["caseloads"]
    holding = c.loc[(c["period"] == str(ctx.period)) & (c["cases"] >= 1)]
    bands = pd.cut(holding["cases"], [0, 10, 15, 20, 25, 10_000], labels=["1 to 10", "11 to 15", "16 to 20",
                                                                           "21 to 25", "More than 25"])
    return _counts(bands.astype(str))


def breakdown_for(indicator_id: str, ctx: Context) -> tuple[str, pd.DataFrame] | None:
    """The caption and counts for an indicator, or None (none defined, or its tables not supplied)."""
    from .indicators import REGISTRY

    if indicator_id not in BREAKDOWNS or indicator_id not in REGISTRY:
        return None
    if not ctx.extract.has(*REGISTRY[indicator_id].needs):
        return None
    caption, func = BREAKDOWNS[indicator_id]
    return caption, func(ctx)
