"""Numbers as members see them: rounding to display decimals, units, shorthand."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

SUPPRESSED = "[c]"  # confidential: withheld to protect individuals
NOT_AVAILABLE = "[x]"  # not available
NOT_APPLICABLE = "[z]"  # not applicable (a count has no denominator)

_SUFFIX = {"percent": "%", "per_10000": " per 10,000", "days": " days", "per_fte": " per FTE", "count": ""}


def display_round(value: float | None, decimals: int) -> float | None:
    """Round half away from zero, as people do (not banker's rounding).

    >>> display_round(12.25, 1), display_round(0.5, 0), display_round(None, 1)
    (12.3, 1.0, None)
    """
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def format_number(value: float | None, decimals: int, unit: str = "count", *, suffix: bool = True) -> str:
    """'72.5%', '1,204', '[x]' for no value.

    >>> format_number(72.456, 1, "percent"), format_number(1204, 0), format_number(None, 1)
    ('72.5%', '1,204', '[x]')
    """
    if value is None:
        return NOT_AVAILABLE
    text = f"{display_round(value, decimals):,.{decimals}f}"
    return text + (_SUFFIX.get(unit, "") if suffix else "")


def format_count(value: float | None) -> str:
    if value is None:
        return NOT_AVAILABLE
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
