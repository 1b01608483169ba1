"""The public paper's last safeguard: a scan of the rendered HTML before it is written.

:func:`check_html` finds anything a public paper must not carry: small counts in count
columns, hidden cells that could be worked out from a total (with the same audit that
:func:`scrutiny.assess.disclosure.protect` uses), data attributes, hidden elements,
comments, scripts, notebook metadata, record identifiers, and (for a final paper)
small numbers next to words about children in commentary. ``scrutiny check-disclosure``
runs the same check on any file.

Imports: :mod:`scrutiny.assess` only.
"""

from __future__ import annotations

from html.parser import HTMLParser

from ..assess.disclosure import MIN_POSSIBLE_VALUES, audit, small_numbers
from ..assess.suppress import SMALL_RANGE, is_small

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
                                        f"{row[1] if len(row) > 1 else row[0]!r} is a count from {SMALL_RANGE}")
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
                    problems.append(f"table {table['caption']!r}: a count from {SMALL_RANGE} is shown")
    for text in scan.commentary if commentary else []:
        for phrase in small_numbers(text):
            problems.append(f"commentary: {phrase!r}: a number from {SMALL_RANGE} about children")
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
