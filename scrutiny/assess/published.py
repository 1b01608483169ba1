"""A figure as the Department for Education publishes it: a number, a shorthand, or years and months.

Read by the benchmarks table (:mod:`.benchmarks`) and by the papers' formatting, which
needs no table to say whether a published text is a number.
"""

from __future__ import annotations

import math
import re

DAYS_PER_MONTH = 365.25 / 12


def parse_published(text, form: str = "number") -> float | None:
    """A published figure as a number, or None for a shorthand ('c', 'x', 'z', 'low').

    >>> parse_published("63"), parse_published("1,204"), parse_published("c")
    (63.0, 1204.0, None)
    >>> round(parse_published("01:07", "years_months"), 1)   # 1 year 7 months, in days
    578.3
    """
    text = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text).strip()
    if form == "years_months":
        match = re.fullmatch(r"(\d+):(\d{1,2})", text)
        return None if not match else (12 * int(match[1]) + int(match[2])) * DAYS_PER_MONTH
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None
