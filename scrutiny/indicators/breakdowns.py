"""Breakdowns behind an indicator: counts by a category that helps explain it.

Each breakdown sits in its family's module beside the indicator it explains and
reuses that indicator's cohort; it registers itself here with :func:`breakdown`. It
takes the same :class:`~scrutiny.indicators.Context` and returns a frame of
``category`` and ``count``, largest first. Part 2 shows them in full; Part 1 shows
them with secondary suppression (:func:`scrutiny.assess.disclosure.protect`).

A category is always words a member can read, never a data code: a coded column is
counted by its national code list's description (:func:`by_label`) or by the DfE's
published grouping of its codes (:func:`by_group`), both from :mod:`scrutiny.data.codes`;
a blank or unknown code is "Not recorded".
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ..data import codes
from ._base import REGISTRY, Context

BREAKDOWNS: dict[str, tuple[str, Callable[[Context], pd.DataFrame]]] = {}

# Placement types as the DfE publishes them (children looked after at 31 March), from the
# PLACE code list: {published category: (codes, ...)}.
PLACE_GROUPS = dict(codes.groups("PLACE"))


def breakdown(indicator_id: str, caption: str):
    def wrap(func):
        BREAKDOWNS[indicator_id] = (caption, func)
        return func

    return wrap


def counts(categories: pd.Series) -> pd.DataFrame:
    """Counts by category (words a member reads), largest first; a blank is "Not recorded".

    >>> counts(pd.Series(["Under 1", "", "Under 1"])).to_dict("records")
    [{'category': 'Under 1', 'count': 2}, {'category': 'Not recorded', 'count': 1}]
    """
    words = categories.astype(object).where(categories.notna(), "").astype(str)
    return _largest_first(words.replace("", codes.NOT_RECORDED).value_counts())


def _largest_first(counted: pd.Series) -> pd.DataFrame:
    return (pd.DataFrame({"category": counted.index.astype(str), "count": counted.to_numpy()})
            .sort_values(["count", "category"], ascending=[False, True], kind="stable").reset_index(drop=True))


def by_label(values: pd.Series, field: str) -> pd.DataFrame:
    """Counts of a coded column by each code's description in the national list.

    >>> by_label(pd.Series(["C2", "C2", "V2", ""]), "LS").to_dict("records")[0]
    {'category': 'Full care order', 'count': 2}
    """
    return _each_code(values, lambda code: codes.label(field, code))


def _each_code(values: pd.Series, words) -> pd.DataFrame:
    """Counts by ``words(code)``, as :func:`counts` of the words of every value gives them: each distinct
    code counted, then put into words (a national extract has a million rows and a few dozen codes)."""
    per_word: dict[str, int] = {}
    for code, n in values.value_counts(dropna=False).items():
        word = words(code)
        word = "" if word is None or (isinstance(word, float) and pd.isna(word)) else str(word)
        word = word or codes.NOT_RECORDED
        per_word[word] = per_word.get(word, 0) + int(n)
    return _largest_first(pd.Series(per_word, dtype="int64"))


def by_group(values: pd.Series, field: str) -> pd.DataFrame:
    """Counts of a coded column by the DfE's published category of each code.

    >>> by_group(pd.Series(["U1", "U4", "K2"]), "PLACE")["category"].tolist()
    ['Foster placements', "Secure homes and children's homes"]
    """
    return _each_code(values, lambda code: codes.group(field, code))


def place_group(code: str) -> str:
    """The published placement category of a PLACE code ("Not recorded" if it has none)."""
    return codes.group("PLACE", code)


def breakdown_for(indicator_id: str, ctx: Context) -> tuple[str, pd.DataFrame] | None:
    """The caption and counts for an indicator, or None (none defined, or its tables not supplied)."""
    if indicator_id not in BREAKDOWNS or indicator_id not in REGISTRY:
        return None
    if not ctx.extract.has(*REGISTRY[indicator_id].needs):
        return None
    caption, func = BREAKDOWNS[indicator_id]
    return caption, func(ctx)
