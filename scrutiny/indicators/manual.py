"""Manual indicators: outturns typed into ``manual_outturns.csv``, not computed from records.

The catalogue declares a manual indicator (``manual: true``) with its own polarity and
unit; its figures for a period come from the row with that indicator id and period. A
period with no row is *not supplied*, never zero. When ``value`` is blank it is worked
out from numerator and denominator in the indicator's unit.
"""

from __future__ import annotations

import math

from ._base import NOT_SUPPLIED, Context, IndicatorResult, IndicatorSpec, Polarity, Unit, derived, value_of

MANUAL = ("manual_outturns",)


def _number(x) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def _first_rows(extract) -> dict[tuple[str, str], tuple]:
    """(indicator, period) -> the numerator, denominator and value of its first row in ``manual_outturns.csv``
    (duplicates are left out as record errors by validation)."""
    rows = extract.tables["manual_outturns"]
    first: dict[tuple[str, str], tuple] = {}
    for key, *figures in zip(zip(rows["indicator"], rows["period"]), rows["numerator"], rows["denominator"],
                             rows["value"]):
        first.setdefault(key, tuple(figures))
    return first


def manual_spec(indicator_id: str, polarity: Polarity, unit: Unit) -> IndicatorSpec:
    """The spec of a manual indicator, read from the extract's ``manual_outturns.csv``."""

    def read(ctx: Context) -> IndicatorResult:
        first = derived(ctx, "manual rows", _first_rows).get((indicator_id, str(ctx.period)))
        if first is None:
            return IndicatorResult(indicator_id, str(ctx.period), None, None, None, NOT_SUPPLIED,
                                   f"no row for {ctx.period} in manual_outturns.csv")
        numerator, denominator, value = (_number(x) for x in first)
        if value is None:
            value = value_of(unit, numerator, denominator)
        return IndicatorResult(indicator_id, str(ctx.period), numerator, denominator, value)

    return IndicatorSpec(indicator_id, MANUAL, polarity, unit, read)
