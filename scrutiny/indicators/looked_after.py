"""Children looked after (SSDA903): rate, placement stability.

Episodes arrive from :mod:`scrutiny.validate` already cleaned: short breaks and
record errors set aside, overlaps removed, and each episode numbered with its
period of care (``poc``, ``poc_start``) and placement (``placement``,
``placement_start``) as ``spec/indicators.md`` defines them.
"""

from __future__ import annotations

import pandas as pd

from ..load import ROW
from ..periods import age_at
from ..schema import PLACED_FOR_ADOPTION
from ._base import Context, in_window, indicator

CLA = ("episodes", "header")


def open_at(episodes: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """Episodes open at ``day``: DECOM <= d and (DEC blank or DEC > d)."""
    return episodes.loc[(episodes["DECOM"] <= day) & (episodes["DEC"].isna() | (episodes["DEC"] > day))]


def overlapping(episodes: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Episodes overlapping [start, end]: DECOM <= end and (DEC blank or DEC >= start)."""
    return episodes.loc[(episodes["DECOM"] <= end) & (episodes["DEC"].isna() | (episodes["DEC"] >= start))]


def looked_after_at(ctx: Context) -> pd.DataFrame:
    """One row per child looked after at E: the episode open at E (at most one: no overlaps)."""
    return open_at(ctx.extract.tables["episodes"], ctx.end)


def adult_warnings(ctx: Context) -> pd.DataFrame:
    """Open episodes at E of someone aged 18 or over: counted by cla_rate, and listed as warnings."""
    current = looked_after_at(ctx)
    adults = current.loc[age_at(current["DOB"], ctx.period.end) >= 18]
    return pd.DataFrame({"file": "episodes.csv", "row": adults[ROW].astype(int), "column": "DOB",
                         "message": f"open at {ctx.period.end:%d/%m/%Y} for someone aged 18 or over"})


@indicator("cla_rate", needs=CLA, polarity="neutral", unit="per_10000")
def cla_rate(ctx: Context):
    """Children looked after at E per 10,000 of the population aged 0-17."""
    return looked_after_at(ctx)["CHILD"].nunique(), (ctx.population if ctx.population is not None else None)


@indicator("cla_placement_stability_long", needs=CLA, polarity="high", unit="percent")
def cla_placement_stability_long(ctx: Context):
    """Under 16s looked after 2.5 years or more who have been in their placement 2 years or more."""
    episodes = ctx.extract.tables["episodes"]
    current = looked_after_at(ctx)
    current = current.loc[
        (age_at(current["DOB"], ctx.period.end) < 16) & (current["poc_start"] <= ctx.months_before_end(30))
    ]
    two_years = ctx.months_before_end(24)
    stable = current["placement_start"] <= two_years
    # placed for adoption: the previous placement in the same period of care counts
    previous_start = (
        episodes.drop_duplicates("placement").set_index("placement").groupby("poc")["placement_start"].shift()
    )
    prev = current["placement"].map(previous_start)
    adoption = current["PLACE"].isin(PLACED_FOR_ADOPTION) & (prev <= two_years)
    return int((stable | adoption).sum()), len(current)


@indicator("cla_placement_stability_short", needs=CLA, polarity="low", unit="percent")
def cla_placement_stability_short(ctx: Context):
    """Children looked after at E with 3 or more placements during the 12 months to E."""
    episodes = ctx.extract.tables["episodes"]
    children = looked_after_at(ctx)["CHILD"]
    start, end = ctx.window(12)
    during = overlapping(episodes.loc[episodes["CHILD"].isin(children)], start, end)
    placements = during.groupby("CHILD")["placement"].nunique()
    return int((placements >= 3).sum()), children.nunique()


@indicator("cla_count", needs=CLA, polarity="neutral", unit="count")
def cla_count(ctx: Context):
    """Children looked after at E: the number behind cla_rate, for a sense of scale."""
    return looked_after_at(ctx)["CHILD"].nunique(), None


@indicator("cla_missing", needs=CLA + ("missing",), polarity="low", unit="percent")
def cla_missing(ctx: Context):
    """Children looked after during W12 who went missing (not just away) while looked after, in W12."""
    episodes = ctx.extract.tables["episodes"]
    start, end = ctx.window(12)
    during = overlapping(episodes, start, end)
    missing = ctx.extract.tables["missing"]
    missing = missing.loc[(missing["MISSING"] == "M") & in_window(missing["MIS_START"], (start, end)),
                          ["CHILD", "MIS_START"]]
    # looked after at MIS_START: one of the child's episodes is open that day
    pairs = missing.merge(episodes[["CHILD", "DECOM", "DEC"]], on="CHILD")
    open_then = (pairs["DECOM"] <= pairs["MIS_START"]) & (pairs["DEC"].isna() | (pairs["DEC"] > pairs["MIS_START"]))
    return pairs.loc[open_then, "CHILD"].nunique(), during["CHILD"].nunique()


def _s20_older_starters(ctx: Context) -> tuple[int, int]:
    episodes = ctx.extract.tables["episodes"]
    starting = episodes.loc[(episodes["RNE"] == "S") & in_window(episodes["DECOM"], ctx.window(12))]
    older = (starting["LS"] == "V2") & age_at(starting["DOB"], starting["DECOM"]).between(14, 17)
    return int(older.sum()), len(starting)


@indicator("cla_s20_older_starters", needs=CLA, polarity="neutral", unit="percent")
def cla_s20_older_starters(ctx: Context):
    """Episodes starting care in W12 that were of a 14 to 17 year old under section 20 (LS V2)."""
    return _s20_older_starters(ctx)


@indicator("cla_s20_older_starters_count", needs=CLA, polarity="neutral", unit="count")
def cla_s20_older_starters_count(ctx: Context):
    """The number of those starts (the committee asks for the number as well as the share)."""
    return _s20_older_starters(ctx)[0], None
