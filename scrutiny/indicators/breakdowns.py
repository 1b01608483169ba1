"""Breakdowns behind an indicator: counts by a category that helps explain it.

Each breakdown sits in its family's module beside the indicator it explains and
reuses that indicator's cohort; it registers itself here with :func:`breakdown`. It
takes the same :class:`~scrutiny.indicators.Context` and returns a frame of
``category`` and ``count``, largest first. Part 2 shows them in full; Part 1 shows
them with secondary suppression (:func:`scrutiny.assess.disclosure.protect`).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ._base import REGISTRY, Context

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


def counts(values: pd.Series, names: dict[str, str] | None = None) -> pd.DataFrame:
    labelled = values.map(lambda v: (names or {}).get(v, v or "Not recorded"))
    counts = labelled.value_counts()
    return (pd.DataFrame({"category": counts.index.astype(str), "count": counts.to_numpy()})
            .sort_values(["count", "category"], ascending=[False, True], kind="stable").reset_index(drop=True))


def place_group(code: str) -> str:
    return next((g for g, codes in PLACE_GROUPS.items() if code in codes), "Other")


def breakdown_for(indicator_id: str, ctx: Context) -> tuple[str, pd.DataFrame] | None:
    """The caption and counts for an indicator, or None (none defined, or its tables not supplied)."""
    if indicator_id not in BREAKDOWNS or indicator_id not in REGISTRY:
        return None
    if not ctx.extract.has(*REGISTRY[indicator_id].needs):
        return None
    caption, func = BREAKDOWNS[indicator_id]
    return caption, func(ctx)
