"""What a run needs of a month's paper besides the notebook: its indicators' names, ratings and readings.

A run plans the month's commentary cells from them (which indicators are below expectation,
which appear in public, the box each empty cell shows), writes the month's summary and, for a
final paper, the ledger. The run keeps them in the executed notebook beside the figures they
were made with, so a run that changes only commentary takes them from there and neither
computes the paper again nor imports what computing it needs (pandas, the indicators).

>>> facts = Facts((Shown("cp_repeat", 16, "Repeat plans", "Red", "Red", True, "", {"value": 30.0}),
...                Shown("cla_rate", 2, "Rate", "Green", "Amber", False, "", {"value": None})), ("cp_repeat",))
>>> facts.exceptions(), facts.names()["cla_rate"], Facts.from_record(facts.as_record()) == facts
(['cp_repeat', 'cla_rate'], 'Indicator 2: Rate', True)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..assess.rating import RAG
from .parts import PART1, PART2


def indicator_name(number: int, title: str) -> str:
    """An indicator as members know it.

    >>> indicator_name(16, "Repeat plans")
    'Indicator 16: Repeat plans'
    """
    return f"Indicator {number}: {title}"


@dataclass(frozen=True)
class Shown:
    """One indicator as the month's papers show it."""

    id: str
    number: int
    title: str
    part1: str  # its rating in the public paper ('Red', ... 'Not rated')
    part2: str  # and in the confidential one
    public: bool  # the public paper shows its figures this month
    reading: str  # its control chart's reading in the paper its commentary appears in ('' where none)
    latest: dict  # its public figures this month (numerator, denominator, value), as the ledger keeps them

    def rag(self, part: str) -> RAG:
        return RAG(self.part1 if part == PART1 else self.part2)


@dataclass(frozen=True)
class Facts:
    """The month's indicators in the papers' order, and the ids commentary may be about (any catalogue's)."""

    indicators: tuple[Shown, ...]
    known: tuple[str, ...]

    def exceptions(self, part: str = PART2) -> list[str]:
        """Ids of indicators below expectation (Red or Amber) in that paper, in display order."""
        return [s.id for s in self.indicators if s.rag(part).below_expectation]

    def public_ids(self) -> set[str]:
        return {s.id for s in self.indicators if s.public}

    def names(self) -> dict[str, str]:
        """Each indicator as members know it: 'Indicator 16: Children becoming subject to ...'."""
        return {s.id: indicator_name(s.number, s.title) for s in self.indicators}

    def shown(self, indicator_id: str) -> Shown:
        return next(s for s in self.indicators if s.id == indicator_id)

    def public_latest(self) -> dict[str, dict]:
        return {s.id: s.latest for s in self.indicators}

    def as_record(self) -> dict:
        return {"indicators": [asdict(s) for s in self.indicators], "known": list(self.known)}

    @classmethod
    def from_record(cls, record) -> Facts | None:
        """The facts a run recorded; None where the record is not one (an older run's, or edited).

        The figures are numbers as the run gave them (floats): JupyterLab saves ``230.0`` as ``230``.

        >>> Facts.from_record({"indicators": [{"id": "a", "number": 1, "title": "A", "part1": "Red", "part2": "Red",
        ...     "public": True, "reading": "", "latest": {"numerator": 3, "value": None}}], "known": []}
        ...     ).indicators[0].latest
        {'numerator': 3.0, 'value': None}
        """
        try:
            return cls(tuple(Shown(**{**s, "latest": _figures(s["latest"])}) for s in record["indicators"]),
                       tuple(record["known"]))
        except (KeyError, TypeError, ValueError, AttributeError):
            return None


def _figures(latest: dict) -> dict:
    return {k: None if v is None else float(v) for k, v in latest.items()}
