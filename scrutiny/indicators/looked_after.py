"""Children looked after (SSDA903): rate, placement stability.

Episodes arrive from :mod:`scrutiny.data.validate` already cleaned: short breaks and
record errors set aside, overlaps removed, and each episode numbered with its
period of care (``poc``, ``poc_start``) and placement (``placement``,
``placement_start``) as ``spec/indicators.md`` defines them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from ..data._text import arrow_strings, id_codes
from ..data.load import ROW
from ..data.periods import age_at
from ..data.schema import PLACED_FOR_ADOPTION
from ._base import Context, WindowCounts, by_end, derived, ending_after, ends, in_window, indicator
from .breakdowns import breakdown, by_group, by_label, counts

CLA = ("episodes", "header")


def open_at(episodes: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """Episodes open at ``day``: DECOM <= d and (DEC blank or DEC > d)."""
    return episodes.loc[(episodes["DECOM"] <= day) & (episodes["DEC"].isna() | (episodes["DEC"] > day))]


def overlapping(episodes: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Episodes overlapping [start, end]: DECOM <= end and (DEC blank or DEC >= start)."""
    return episodes.loc[(episodes["DECOM"] <= end) & (episodes["DEC"].isna() | (episodes["DEC"] >= start))]


AT_END = ["CHILD", "DECOM", "DEC", "LS", "PLACE", "DOB", ROW]  # what is read of the episodes open at E


def looked_after_at(ctx: Context) -> pd.DataFrame:
    """One row per child looked after at E: the episode open at E (at most one: no overlaps), its
    :data:`AT_END` columns (copies of those alone: at 80,000 children, every column of the month's
    episodes cost more than the breakdowns that read them)."""
    return ctx.shared("looked after", lambda: open_at(ctx.extract.tables["episodes"][AT_END], ctx.end))


def adult_warnings(ctx: Context) -> pd.DataFrame:
    """Open episodes at E of someone aged 18 or over: counted by cla_rate, and listed as warnings."""
    current = looked_after_at(ctx)
    adults = current.loc[age_at(current["DOB"], ctx.period.end) >= 18]
    return pd.DataFrame({"file": "episodes.csv", "row": adults[ROW].astype(int), "column": "DOB",
                         "message": f"open at {ctx.period.end:%d/%m/%Y} for someone aged 18 or over"})


@indicator("cla_rate", needs=CLA, polarity="neutral", unit="per_10000")
def cla_rate(ctx: Context):
    """Children looked after at E per 10,000 of the population aged 0-17."""
    return int(_looked_after_children(ctx).sum()), (ctx.population if ctx.population is not None else None)


@indicator("cla_placement_stability_long", needs=CLA, polarity="high", unit="percent", history=30)
def cla_placement_stability_long(ctx: Context):
    """Under 16s looked after 2.5 years or more who have been in their placement 2 years or more."""
    e = derived(ctx, "stability arrays", _stability_arrays)
    at, two_years = (np.datetime64(d, "ns") for d in (ctx.end, ctx.months_before_end(24)))
    rows = ending_after(e["dec"], ctx.end)  # (open at E needs an end after E)
    e = {k: v[rows] for k, v in e.items()}
    # open at E, under 16 at E (the 16th birthday still to come), in care since 30 months before E
    current = ((e["decom"] <= at) & (e["sixteen"] > np.datetime64(ctx.period.end, "ns"))
               & (e["poc_start"] <= np.datetime64(ctx.months_before_end(30), "ns")))
    stable = e["placement_start"] <= two_years
    # placed for adoption: the previous placement in the same period of care counts
    adoption = e["for_adoption"] & (e["previous_start"] <= two_years)
    return int((current & (stable | adoption)).sum()), int(current.sum())


def _stability_arrays(extract) -> dict[str, np.ndarray]:
    """What long-term stability reads of each episode, as numbers (NaT compares false, as pandas has it)."""
    from ..data.periods import birthday

    episodes = extract.tables["episodes"]
    # (the three columns this step reads: a copy of every column of every episode cost more than all the rest)
    previous = (episodes[["placement", "poc", "placement_start"]].drop_duplicates("placement").set_index("placement")
                .groupby("poc")["placement_start"].shift())
    dates = lambda s: pd.Series(s).to_numpy(dtype="datetime64[ns]")  # noqa: E731
    return by_end({
        "decom": dates(episodes["DECOM"]), "dec": ends(episodes["DEC"]),
        "sixteen": dates(birthday(episodes["DOB"], 16)), "poc_start": dates(episodes["poc_start"]),
        "placement_start": dates(episodes["placement_start"]),
        "for_adoption": episodes["PLACE"].isin(PLACED_FOR_ADOPTION).to_numpy(dtype=bool),
        # (reindex, not Series.map: pandas 3 cannot map through an empty Series of dates, which is what an
        # extract with no episodes left, a header-only episodes.csv or header.csv, gives)
        "previous_start": dates(previous.reindex(episodes["placement"]).to_numpy()),
    }, "dec")


@indicator("cla_placement_stability_short", needs=CLA, polarity="low", unit="percent")
def cla_placement_stability_short(ctx: Context):
    """Children looked after at E with 3 or more placements during the 12 months to E."""
    e = derived(ctx, "episode arrays", _episode_arrays)
    start, end = (np.datetime64(d, "ns") for d in ctx.window(12))
    looked_after = _looked_after_children(ctx)
    rows = ending_after(e["dec"], start, inclusive=True)  # (an episode overlapping W12 ends in it or after)
    child = e["child"][rows]
    during = (e["decom"][rows] <= end) & looked_after[child]
    # each placement is numbered on from the last, and is one child's: its placements during W12, counted once
    seen = np.zeros(len(e["placement_child"]), dtype=bool)
    seen[e["placement"][rows][during]] = True
    per_child = np.bincount(e["placement_child"][seen], minlength=e["children"])
    return int((per_child >= 3).sum()), int(looked_after.sum())


def _looked_after_children(ctx: Context) -> np.ndarray:
    """For each child (by code), whether an episode is open at E: as ``looked_after_at``, counted as numbers."""
    def make():
        e = derived(ctx, "episode arrays", _episode_arrays)
        rows = ending_after(e["dec"], ctx.end)  # dec: far in the future while the episode is open
        mask = np.zeros(e["children"], dtype=bool)
        mask[e["child"][rows][e["decom"][rows] <= np.datetime64(ctx.end, "ns")]] = True
        return mask

    return ctx.shared("looked after children", make)


def _episode_arrays(extract) -> dict:
    """Episodes as numbers, in order of their end (:func:`by_end`): each child's and placement's code, start
    and end (an open episode ends never); and the child of each placement number, the code of each episode's
    child in the episodes' own order, and how many children there are."""
    episodes = extract.tables["episodes"]
    # (validation leaves none without one; the columns read here only, not a copy of every one)
    episodes = episodes.loc[episodes["CHILD"].notna(), ["CHILD", "placement", "DECOM", "DEC"]]
    child = id_codes(episodes["CHILD"])
    placement = episodes["placement"].to_numpy(dtype=np.int64)
    placement_child = np.zeros(int(placement.max()) + 1 if len(placement) else 0, dtype=np.int64)
    placement_child[placement] = child
    arrays = by_end({"child": child, "placement": placement, "decom": episodes["DECOM"].to_numpy(dtype="datetime64[ns]"),
                     "dec": ends(episodes["DEC"])}, "dec")
    return {**arrays, "codes": child, "children": int(child.max()) + 1 if len(child) else 0,
            "placement_child": placement_child}


@indicator("cla_count", needs=CLA, polarity="neutral", unit="count")
def cla_count(ctx: Context):
    """Children looked after at E: the number behind cla_rate, for a sense of scale."""
    return int(_looked_after_children(ctx).sum()), None


def looked_after_during(ctx: Context, columns: list[str]) -> pd.DataFrame:
    """``columns`` of the episodes of care overlapping W12: the children looked after at some time in the
    last 12 months."""
    start, end = ctx.window(12)
    return overlapping(ctx.extract.tables["episodes"][["DECOM", "DEC", *columns]], start, end)


@indicator("cla_missing", needs=CLA + ("missing",), polarity="low", unit="percent")
def cla_missing(ctx: Context):
    """Children looked after during W12 who went missing (not just away) while looked after, in W12."""
    e = derived(ctx, "episode arrays", _episode_arrays)
    start, end = (np.datetime64(d, "ns") for d in ctx.window(12))
    rows = ending_after(e["dec"], start, inclusive=True)  # as looked_after_during: an episode overlapping W12
    during = np.zeros(e["children"], dtype=bool)
    during[e["child"][rows][e["decom"][rows] <= end]] = True
    who, when = derived(ctx, "missing while looked after", lambda x: _missing_while_looked_after(x, e["codes"]))
    went = np.zeros(e["children"], dtype=bool)  # (a child missing while looked after has episodes: has a code)
    went[who[(when >= start) & (when <= end)]] = True
    return int(went.sum()), int(during.sum())


def _missing_while_looked_after(extract, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each missing (not away) episode that began while one of the child's episodes of care was open: the
    child's code (``codes``: each episode's, from the episode arrays) and the day it began.

    Each missing episode is paired with every episode of care of its child (as a merge on the child pairs
    them), by the children's codes: the episodes of care sorted by code, a child's are one run of them.
    """
    missing = extract.tables["missing"]
    missing = missing.loc[missing["MISSING"] == "M", ["CHILD", "MIS_START"]]
    episodes = extract.tables["episodes"]
    episodes = episodes.loc[episodes["CHILD"].notna(), ["CHILD", "DECOM", "DEC"]]  # (as _episode_arrays)
    order = np.argsort(codes, kind="stable")
    code = codes[order]
    decom, dec = episodes["DECOM"].to_numpy(dtype="datetime64[ns]")[order], ends(episodes["DEC"])[order]
    firsts = np.flatnonzero(np.append(True, code[1:] != code[:-1])) if len(code) else np.zeros(0, dtype=np.int64)
    bounds = np.append(firsts, len(code))  # child i's episodes of care: rows bounds[i] to bounds[i + 1]
    # each missing episode's child, as the place of its run (-1: the child has no episode of care)
    at = pc.index_in(arrow_strings(missing["CHILD"]), value_set=arrow_strings(episodes["CHILD"].iloc[order[firsts]]))
    child = pc.fill_null(at, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    start = missing["MIS_START"].to_numpy(dtype="datetime64[ns]")[child >= 0]
    child = child[child >= 0]
    low, many = bounds[child], bounds[child + 1] - bounds[child]
    pairs = np.repeat(np.arange(len(child)), many)  # each missing episode once per episode of care of its child
    care = low[pairs] + np.arange(len(pairs)) - np.repeat(np.cumsum(many) - many, many)
    when = start[pairs]
    open_then = (decom[care] <= when) & (dec[care] > when)  # (an open episode ends never)
    kid = code[care]
    return kid[open_then], when[open_then]


def starters(ctx: Context, columns: tuple[str, ...] = ("DOB",)) -> pd.DataFrame:
    """Episodes starting a period of care (RNE S) in W12: their DECOM and ``columns``."""
    episodes = ctx.extract.tables["episodes"]
    chosen = (episodes["RNE"] == "S") & in_window(episodes["DECOM"], ctx.window(12))
    return episodes.loc[chosen, ["DECOM", *columns]]


def _s20_older_starters(ctx: Context) -> tuple[int, int]:
    def make(extract):  # each start of care, flagged where a 14 to 17 year old under section 20 (LS V2)
        episodes = extract.tables["episodes"]
        starting = episodes.loc[episodes["RNE"] == "S", ["LS", "DOB", "DECOM"]]
        older = (starting["LS"] == "V2") & age_at(starting["DOB"], starting["DECOM"]).between(14, 17)
        return WindowCounts(starting["DECOM"], older)

    return derived(ctx, "older section 20 starts", make).count(ctx.window(12))


@indicator("cla_s20_older_starters", needs=CLA, polarity="neutral", unit="percent")
def cla_s20_older_starters(ctx: Context):
    """Episodes starting care in W12 that were of a 14 to 17 year old under section 20 (LS V2)."""
    return _s20_older_starters(ctx)


@indicator("cla_s20_older_starters_count", needs=CLA, polarity="neutral", unit="count")
def cla_s20_older_starters_count(ctx: Context):
    """The number of those starts (the committee asks for the number as well as the share)."""
    return _s20_older_starters(ctx)[0], None


# -- breakdowns ---------------------------------------------------------------------------------

@breakdown("cla_count", "Children looked after at the month end by type of placement")
def cla_by_placement(ctx: Context) -> pd.DataFrame:
    return by_group(looked_after_at(ctx)["PLACE"], "PLACE")


@breakdown("cla_rate", "Children looked after at the month end by legal status")
def cla_by_legal_status(ctx: Context) -> pd.DataFrame:
    return by_label(looked_after_at(ctx)["LS"], "LS")


@breakdown("cla_placement_stability_long", "Placement moves in the last 12 months by reason")  # seeds/000 asked
@breakdown("cla_placement_stability_short", "Placement moves in the last 12 months by reason")
def moves_by_reason(ctx: Context) -> pd.DataFrame:
    episodes = ctx.extract.tables["episodes"]
    start, end = ctx.window(12)
    moves = episodes.loc[episodes["RNE"].isin(["P", "T", "B", "U"]) & in_window(episodes["DECOM"], (start, end)),
                         "REASON_PLACE_CHANGE"]
    return by_label(moves, "REASON_PLACE_CHANGE")


@breakdown("cla_missing", "Children looked after in the last 12 months by type of placement at the month end "
                          "or when they left care")
def missing_by_placement(ctx: Context) -> pd.DataFrame:
    during = looked_after_during(ctx, ["CHILD", "PLACE"]).sort_values("DECOM").drop_duplicates("CHILD", keep="last")
    return by_group(during["PLACE"], "PLACE")


@breakdown("cla_s20_older_starters", "Children starting care in the last 12 months by age on starting")
def starters_by_age(ctx: Context) -> pd.DataFrame:
    starting = starters(ctx)
    age = age_at(starting["DOB"], starting["DECOM"])
    bands = pd.cut(age, [-1, 0, 4, 9, 13, 17, 200], labels=["Under 1", "1 to 4", "5 to 9", "10 to 13", "14 to 17",
                                                            "18 and over"])
    return counts(bands.astype(str))
