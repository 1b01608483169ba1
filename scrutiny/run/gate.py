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

import re
from html.parser import HTMLParser

from ..assess.disclosure import MIN_POSSIBLE_VALUES, audit, small_numbers
from ..assess.suppress import SMALL_RANGE, is_small

# elements a public paper never carries: they run code, load from elsewhere or hide content
_FORBIDDEN_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "template", "form",
                   "link", "math", "animate", "set", "animatemotion", "animatetransform", "foreignobject",
                   "noscript", "portal"}
_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "data", "srcset"}
_HIDING = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d])|"
                     r"opacity\s*:\s*0?\.?0*(?![.\d])", re.IGNORECASE)


def _scheme(url: str) -> str:
    """The URL's scheme as a browser reads it (case, spaces and control characters ignored)."""
    cleaned = re.sub(r"[\x00-\x20]", "", url or "").lower()
    return cleaned.split(":", 1)[0] if ":" in cleaned else ""


class _Scan(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.tables: list[dict] = []
        self._table = None
        self._row = None
        self._cell = None
        self._caption = None
        self._heading = None  # the indicator section a table sits in ("Indicator 3: ...")
        self.section = ""
        self._in_commentary = 0
        self._depth = 0
        self.commentary: list[str] = []
        self._styles = 0
        self._in_body = False
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key, value in attrs.items():
            if key.startswith("data-"):
                self.problems.append(f"<{tag}> carries a data attribute ({key}): nothing may hide data in attributes")
            if key.startswith("on"):
                self.problems.append(f"<{tag}> carries an event handler ({key}): the public paper runs no code")
            if key in _URL_ATTRS and _scheme(value) in ("javascript", "vbscript") or \
                    (key in _URL_ATTRS and _scheme(value) == "data" and tag != "img"):
                self.problems.append(f"<{tag} {key}> is a {_scheme(value)}: URL: the public paper runs no code")
        if tag in _FORBIDDEN_TAGS:
            what = "runs no code" if tag == "script" else "embeds nothing and hides nothing"
            self.problems.append(f"a <{tag}> element: the public paper {what}")
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("a <meta http-equiv=refresh>: the public paper sends the reader nowhere")
        if tag == "style":
            self._in_style = True
            self._styles += 1
            if self._styles > 1 or self._in_body:
                self.problems.append("a second <style> element: the public paper carries only its own stylesheet")
        if tag == "body":
            self._in_body = True
        if "hidden" in attrs or _HIDING.search(attrs.get("style") or ""):
            self.problems.append(f"<{tag}> is hidden: the public paper hides nothing")
        if tag == "div" and "commentary" in (attrs.get("class") or ""):
            self._in_commentary = 1
            self._depth = 0
            self.commentary.append("")
        elif self._in_commentary and tag == "div":
            self._depth += 1
        if tag in ("h2", "h3", "h4"):
            self._heading = ""
        if tag == "table":
            self._table = {"caption": "", "rows": [], "section": None, "indicator": self.section}
        elif tag == "caption" and self._table is not None:
            self._caption = ""
        elif tag in ("thead", "tbody", "tfoot") and self._table is not None:
            self._table["section"] = tag
        elif tag == "tr" and self._table is not None:
            self._row = {"section": self._table["section"], "cells": []}
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False
        if tag == "div" and self._in_commentary:
            if self._depth == 0:
                self._in_commentary = 0
            else:
                self._depth -= 1
        if tag in ("h2", "h3", "h4") and self._heading is not None:
            self.section = " ".join(self._heading.split())
            self._heading = None
        if tag == "caption" and self._caption is not None and self._table is not None:
            self._table["caption"] = " ".join(self._caption.split())
            self._caption = None
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
        if self._in_style and re.search(r"@import|url\s*\(", data, re.IGNORECASE):
            self.problems.append("the stylesheet loads something (@import or url()): the public paper loads nothing")
        if self._cell is not None:
            self._cell += data
        if self._caption is not None:
            self._caption += data
        if self._heading is not None:
            self._heading += data
        if self._in_commentary:
            self.commentary[-1] += data

    def handle_comment(self, data):
        if data.strip():
            self.problems.append("an HTML comment with content: the public paper carries nothing unseen")


COUNT_HEADERS = {"Numerator", "Denominator", "Number"}


def _count(text: str) -> int | None:
    text = text.replace(",", "").strip()
    return int(text) if text.isdigit() else None


def _name(table: dict, header: list[str]) -> str:
    """A table as members know it: its caption, and the indicator section it sits in."""
    caption = table["caption"] or "untitled table with columns " + ", ".join(header)
    return f"table {caption!r}" + (f" ({table['indicator']})" if table["indicator"] else "")


def check_html(html: str, commentary: bool = True) -> list[str]:
    """Every disclosure problem found in a rendered public paper (empty: none found).

    A table with a total is audited as the page alone lets a reader audit it: each hidden
    cell is at least 1 (a true zero is always shown) and they add up to the total less
    the shown cells; no hidden cell may be narrowed to fewer than
    :data:`~scrutiny.assess.disclosure.MIN_POSSIBLE_VALUES` values. The tables
    :func:`~scrutiny.assess.disclosure.protect` publishes always pass, because it guards
    against a reader who knows more. ``commentary=False`` leaves out the small-number
    check on commentary words, which a draft may still carry (a final run needs them
    reworded or acknowledged).
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
        name = _name(table, header)
        for column, heading in enumerate(header):
            if heading in COUNT_HEADERS:
                for row in body:
                    value = _count(row[column]) if column < len(row) else None
                    if value is not None and is_small(value):
                        problems.append(f"{name}: {heading} {value} for "
                                        f"{row[1] if len(row) > 1 else row[0]!r} is a count from {SMALL_RANGE}")
        totals = [r["cells"] for r in table["rows"] if r["section"] == "tfoot"]
        if not (totals and len(header) >= 2 and body):
            continue
        shown = [_count(row[-1]) if row else None for row in body]
        total = _count(totals[0][-1])
        if total is None:
            continue
        if is_small(total):
            problems.append(f"{name}: the total {total} is a count from {SMALL_RANGE}")
        hidden = [s is None for s in shown]
        remaining = total - sum(s for s in shown if s is not None)
        if remaining < sum(hidden):
            problems.append(f"{name}: the shown cells and the total do not add up")
            continue
        filled = [s if s is not None else 0 for s in shown]
        if any(hidden):  # only the sum of the hidden cells matters to a reader of the page
            filled[hidden.index(True)] = remaining
        result = audit(filled, hidden, knows_small=False)
        for r in result.ranges:
            if r.possible < MIN_POSSIBLE_VALUES:
                problems.append(f"{name}: the hidden cell in row {r.index + 1} can be worked out to "
                                f"{r.low}..{r.high} from the total")
        for s in shown:
            if s is not None and is_small(s):
                problems.append(f"{name}: a count from {SMALL_RANGE} is shown")
    for text in scan.commentary if commentary else []:
        for phrase in small_numbers(text):
            problems.append(f"commentary: {phrase!r}: a number from {SMALL_RANGE} about children")
    return problems
