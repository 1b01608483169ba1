"""Disclosure control for the public paper: secondary suppression, its audit, and checks on text.

Primary suppression (a count from 1 to 5 shown as ``[c]``) is in :mod:`scrutiny.suppress`.
Here:

* :func:`protect` hides further cells of a table with a total until no hidden cell can
  be worked out, and :func:`audit` proves it: by integer linear programming
  (``scipy.optimize.milp``) it finds the smallest and largest value each hidden cell
  could take given everything shown, the total, and the worst case that the reader
  knows which hidden cells are the small ones (1 to 5);
* :func:`small_numbers` finds numbers from 1 to 5 next to words about children in
  commentary, the slip the seeds show ("2 young people were adopted");
* :func:`check_html` scans a rendered public paper for anything that should not be there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from .suppress import SMALL_MAX, SMALL_MIN, is_small

MIN_POSSIBLE_VALUES = 3  # a hidden cell must have at least this many possible values
BIG = 10**9


@dataclass(frozen=True)
class CellRange:
    index: int
    low: int
    high: int

    @property
    def possible(self) -> int:
        return self.high - self.low + 1


@dataclass(frozen=True)
class Audit:
    """The audit of one table: each hidden cell's possible range, and whether it passes."""

    table: str
    ranges: tuple[CellRange, ...]
    minimum: int = MIN_POSSIBLE_VALUES

    @property
    def passed(self) -> bool:
        return all(r.possible >= self.minimum for r in self.ranges)

    def as_record(self) -> dict:
        return {"table": self.table, "passed": self.passed, "minimum_possible_values": self.minimum,
                "hidden": [{"cell": r.index, "low": r.low, "high": r.high} for r in self.ranges]}


def audit(counts: list[int], hidden: list[bool], total_shown: bool = True, name: str = "table") -> Audit:
    """The range each hidden cell could take, given the shown cells and (if shown) the total.

    The reader is assumed to know which hidden cells are small (1 to 5); other hidden
    cells are only known to be 0 or more.

    >>> a = audit([3, 10, 12], [True, True, False])
    >>> [(r.low, r.high) for r in a.ranges], a.passed
    ([(1, 5), (8, 12)], True)
    >>> audit([3, 10, 12], [True, False, False]).passed   # the total gives the 3 away
    False
    """
    total = sum(counts)
    idx = [k for k, h in enumerate(hidden) if h]
    if not idx:
        return Audit(name, ())
    remaining = total - sum(c for c, h in zip(counts, hidden) if not h)
    lows = np.array([SMALL_MIN if is_small(counts[k]) else 0 for k in idx], dtype=float)
    highs = np.array([SMALL_MAX if is_small(counts[k]) else BIG for k in idx], dtype=float)
    constraints = [LinearConstraint(np.ones((1, len(idx))), remaining, remaining)] if total_shown else []
    ranges = []
    for j, k in enumerate(idx):
        bounds = []
        for sign in (1, -1):
            c = np.zeros(len(idx))
            c[j] = sign
            res = milp(c, constraints=constraints, integrality=np.ones(len(idx)), bounds=Bounds(lows, highs))
            bounds.append(int(round(sign * res.fun)) if res.success else counts[k])
        ranges.append(CellRange(k, bounds[0], bounds[1]))
    return Audit(name, tuple(ranges))


def protect(counts: list[int], name: str = "table") -> tuple[list[bool], Audit]:
    """Which cells to hide: the small ones, then the smallest others until the audit passes.

    >>> protect([3, 10, 12])[0]
    [True, True, False]
    >>> protect([0, 10, 12])[0]        # a true zero is shown; nothing is small
    [False, False, False]
    """
    hidden = [is_small(c) for c in counts]
    result = audit(counts, hidden, name=name)
    while not result.passed:
        candidates = sorted((c, k) for k, c in enumerate(counts) if not hidden[k] and c > 0)
        if not candidates:
            break
        hidden[candidates[0][1]] = True
        result = audit(counts, hidden, name=name)
    return hidden, result


# --- words -----------------------------------------------------------------------------------------

_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_PEOPLE = (r"child(?:ren)?|young (?:person|people)|boys?|girls?|bab(?:y|ies)|siblings?|care leavers?|"
           r"famil(?:y|ies)|infants?|teenagers?|adolescents?|pupils?|students?|mothers?|fathers?|parents?|"
           r"adopters?|foster(?:ed)? (?:carers?|children)|looked after|adopted|missing|placements?|plans?")
_SMALL = r"(?<![\d.,£%/-])(?:[1-5]|one|two|three|four|five)(?![\d.,%/]|\s*(?:%|per ?cent|months?|years?|weeks?|days?))"
_NEAR = re.compile(rf"\b({_SMALL})\b(?:\W+\w+){{0,4}}?\W+\b({_PEOPLE})\b|\b({_PEOPLE})\b(?:\W+\w+){{0,3}}?\W+\b({_SMALL})\b",
                   re.IGNORECASE)


def small_numbers(text: str) -> list[str]:
    """Phrases where a number from 1 to 5 sits next to words about children or young people.

    >>> small_numbers("The cohort is 91; 2 young people were adopted and three turned 16.")
    ['2 young people', 'adopted and three']
    >>> small_numbers("Performance was 4.5% higher in 2023, over five months.")
    []
    """
    return [m.group(0) for m in _NEAR.finditer(text)]


# --- a rendered public paper -------------------------------------------------------------------------


class _Scan(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.tables: list[dict] = []
        self._table = None
        self._row = None
        self._cell = None
        self._in_commentary = 0
        self._depth = 0
        self.commentary: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in attrs:
            if key.startswith("data-"):
                self.problems.append(f"<{tag}> carries a data attribute ({key}): nothing may hide data in attributes")
        if tag == "script":
            self.problems.append("a <script> element: the public paper runs no code")
        if "hidden" in attrs or "display:none" in (attrs.get("style") or "").replace(" ", ""):
            self.problems.append(f"<{tag}> is hidden: the public paper hides nothing")
        if tag == "div" and "commentary" in (attrs.get("class") or ""):
            self._in_commentary = 1
            self._depth = 0
            self.commentary.append("")
        elif self._in_commentary and tag == "div":
            self._depth += 1
        if tag == "table":
            self._table = {"caption": "", "rows": [], "section": None}
        elif tag in ("thead", "tbody", "tfoot") and self._table is not None:
            self._table["section"] = tag
        elif tag == "tr" and self._table is not None:
            self._row = {"section": self._table["section"], "cells": []}
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "div" and self._in_commentary:
            if self._depth == 0:
                self._in_commentary = 0
            else:
                self._depth -= 1
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row["cells"].append(" ".join(self._cell.split()))
            self._cell = None
        elif tag == "tr" and self._table is not None and self._row is not None:
            self._table["rows"].append(self._row)
            self._row = None
        elif tag == "table" and self._table is not None:
            self.tables.append(self._table)
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        if self._in_commentary:
            self.commentary[-1] += data

    def handle_comment(self, data):
        if data.strip():
            self.problems.append("an HTML comment with content: the public paper carries nothing unseen")


COUNT_HEADERS = {"Numerator", "Denominator", "Number"}


def _count(text: str) -> int | None:
    text = text.replace(",", "").strip()
    return int(text) if text.isdigit() else None


def check_html(html: str, commentary: bool = True) -> list[str]:
    """Every disclosure problem found in a rendered public paper (empty: none found).

    ``commentary=False`` leaves out the small-number check on commentary words, which a
    draft may still carry (a final run needs them reworded or acknowledged).
    """
    scan = _Scan()
    scan.feed(html)
    problems = list(scan.problems)
    for marker in ("application/vnd.scrutiny", "papermill", "injected-parameters", "NOT FOR PUBLICATION",
                   "LAchildID", "CINdetailsID", "CPPID"):
        if marker in html:
            problems.append(f"the text {marker!r} appears: notebook metadata or confidential content")
    for table in scan.tables:
        header = next((r["cells"] for r in table["rows"] if r["section"] == "thead"), [])
        body = [r["cells"] for r in table["rows"] if r["section"] == "tbody"]
        for column, name in enumerate(header):
            if name in COUNT_HEADERS:
                for row in body:
                    value = _count(row[column]) if column < len(row) else None
                    if value is not None and is_small(value):
                        problems.append(f"table {table['caption'] or header}: {name} {value} for "
                                        f"{row[1] if len(row) > 1 else row[0]!r} is a count from 1 to 5")
        totals = [r["cells"] for r in table["rows"] if r["section"] == "tfoot"]
        if totals and len(header) >= 2:
            cells = [row[-1] for row in body]
            shown = [_count(c) for c in cells]
            total = _count(totals[0][-1])
            if total is None:
                continue
            hidden = [s is None for s in shown]
            known = total - sum(s for s in shown if s is not None)
            guess = _fill(known, hidden)
            result = audit([s if s is not None else g for s, g in zip(shown, guess)], hidden)
            for r in result.ranges:
                if r.possible < MIN_POSSIBLE_VALUES:
                    problems.append(f"table {table['caption']!r}: a hidden cell can be worked out to "
                                    f"{r.low}..{r.high} from the total")
            for s in shown:
                if s is not None and is_small(s):
                    problems.append(f"table {table['caption']!r}: a count from 1 to 5 is shown")
    for text in scan.commentary if commentary else []:
        for phrase in small_numbers(text):
            problems.append(f"commentary: {phrase!r}: a number from 1 to 5 about children")
    return problems


def _fill(known: int, hidden: list[bool]) -> list[int]:
    """Some values for hidden cells that add up (the audit then works from the reader's knowledge only).

    Each hidden cell is taken as small when the remainder allows, which is the reader's worst case.
    """
    count = sum(hidden)
    if not count:
        return [0] * len(hidden)
    share = [max(1, known // count)] * count
    share[-1] = known - sum(share[:-1])
    it = iter(share)
    return [next(it) if h else 0 for h in hidden]
