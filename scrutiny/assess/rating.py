"""RAG rating against a target or acceptable range, and direction of travel.

Rules from ``spec/indicators.md`` ("Rating"): rating uses the value as members see
it, rounded to the indicator's display decimals; no value, or a value suppressed in
the public paper, is not rated; Red or Amber is *below expectation*.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (definitions are only read here: the catalogue's module is not imported)
    from ..config.catalogue import IndicatorDefinition


def display_round(value: float | None, decimals: int) -> float | None:
    """Round half away from zero, as people do (not banker's rounding).

    >>> display_round(12.25, 1), display_round(0.5, 0), display_round(None, 1)
    (12.3, 1.0, None)
    """
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


class RAG(str, Enum):
    GREEN = "Green"
    AMBER = "Amber"
    RED = "Red"
    NOT_RATED = "Not rated"

    @property
    def below_expectation(self) -> bool:
        return self in (RAG.RED, RAG.AMBER)


def rate(value: float | None, definition: IndicatorDefinition) -> RAG:
    """RAG for an unrounded value (rounded here to the display decimals).

    >>> from scrutiny.config.catalogue import IndicatorDefinition
    >>> d = IndicatorDefinition(id="cin_assessments_45wd", number=1, title="t", why_important="w",
    ...     definition="d", polarity="high", unit="percent", decimals=0, target=85, tolerance=5)
    >>> rate(84.6, d), rate(84.4, d), rate(80, d), rate(79.4, d)
    (<RAG.GREEN: 'Green'>, <RAG.AMBER: 'Amber'>, <RAG.AMBER: 'Amber'>, <RAG.RED: 'Red'>)
    """
    shown = display_round(value, definition.decimals)
    if shown is None or not definition.rated:
        return RAG.NOT_RATED
    tol = definition.tolerance
    if definition.target is not None:
        t = definition.target
        if definition.polarity == "high":
            return RAG.GREEN if shown >= t else RAG.AMBER if shown >= t - tol else RAG.RED
        return RAG.GREEN if shown <= t else RAG.AMBER if shown <= t + tol else RAG.RED
    low, high = definition.range.low, definition.range.high
    if low <= shown <= high:
        return RAG.GREEN
    if low - tol <= shown <= high + tol:
        return RAG.AMBER
    return RAG.RED


@dataclass(frozen=True)
class Direction:
    """Direction of travel against one comparison period.

    ``word`` is what the move means (improved or worsened by the indicator's polarity;
    up or down for a neutral one); ``move`` is which way the figure went, so the arrow
    always points the way the number moved and the word says whether that is good.
    """

    word: str  # improved / worsened / up / down / no change / not available
    compared_with: str  # "last month", "a year ago"
    move: str = ""  # up / down / level, or "" when not available

    @property
    def arrow(self) -> str:
        return {"up": "↑", "down": "↓", "level": "→"}.get(self.move, "–")

    @property
    def meaning(self) -> str:
        """In words: 'up, better', 'down, worse', 'up', 'no change', 'not available'."""
        if self.word in ("improved", "worsened"):
            return f"{self.move}, {'better' if self.word == 'improved' else 'worse'}"
        return self.word


def direction(current: float | None, previous: float | None, definition: IndicatorDefinition,
              compared_with: str) -> Direction:
    """Compare displayed values.

    >>> from scrutiny.config.catalogue import IndicatorDefinition
    >>> d = IndicatorDefinition(id="cp_repeat", number=1, title="t", why_important="w",
    ...     definition="d", polarity="low", unit="percent", decimals=1, target=20)
    >>> direction(18.04, 18.0, d, "last month").word, direction(17.9, 18.0, d, "last month").word
    ('no change', 'improved')
    """
    a, b = display_round(current, definition.decimals), display_round(previous, definition.decimals)
    if a is None or b is None:
        return Direction("not available", compared_with)
    if a == b:
        return Direction("no change", compared_with, "level")
    move = "up" if a > b else "down"
    if definition.polarity == "neutral":
        return Direction(move, compared_with, move)
    better = a > b if definition.polarity == "high" else a < b
    return Direction("improved" if better else "worsened", compared_with, move)
