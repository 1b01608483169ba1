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


def manual_spec(indicator_id: str, polarity: Polarity, unit: Unit) -> IndicatorSpec:
    """The spec of a manual indicator, read from the extract's ``manual_outturns.csv``."""

    def read(ctx: Context) -> IndicatorResult:
        rows = ctx.extract.tables["manual_outturns"]
        where = derived(ctx, "manual rows", lambda e: e.tables["manual_outturns"].groupby(
            ["indicator", "period"], sort=False).indices)  # (indicator, period) -> its rows, in file order
        row = rows.iloc[where.get((indicator_id, str(ctx.period)), [])]
        if row.empty:
            return IndicatorResult(indicator_id, str(ctx.period), None, None, None, NOT_SUPPLIED,
                                   f"no row for {ctx.period} in manual_outturns.csv")
        first = row.iloc[0]  # duplicates are left out as record errors by validation
        numerator, denominator = _number(first["numerator"]), _number(first["denominator"])
        value = _number(first["value"])
        if value is None:
            value = value_of(unit, numerator, denominator)
        return IndicatorResult(indicator_id, str(ctx.period), numerator, denominator, value)

    return IndicatorSpec(indicator_id, MANUAL, polarity, unit, read)
