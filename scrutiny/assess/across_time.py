"""Disclosure across time: figures the public paper withholds because of what it showed before.

Two published figures can give a small count away by their difference even when each
is safe on its own. Two rules close that:

* :func:`differencing_withheld`: a year-to-date count is withheld in a month when it is
  within the small-number range of a figure already shown that financial year;
* :func:`revision_withheld`: a month whose revised count differs by a small number from
  what a final public paper showed (the *ledger*, ``outputs/published.json``) is withheld.

The ledger is read and extended here as data; :mod:`scrutiny.run` writes it.
Imports: :mod:`scrutiny.assess.suppress`.
"""

from __future__ import annotations

import json
from pathlib import Path

from .suppress import is_small


def differencing_withheld(definition, periods, results) -> list[bool]:
    """For a year-to-date count, which months the public paper withholds so that no two shown months differ by 1 to 5.

    Last month's 3 and this month's 5 would tell a reader that 2 were added this month,
    so, month by month through each financial year, a figure is withheld when it is
    within 1 to 5 of a figure already shown that year. Other indicators: none.

    >>> from types import SimpleNamespace as N
    >>> from scrutiny.data.periods import Period
    >>> d = N(year_to_date=True, unit="count")
    >>> ps = [Period.parse(p) for p in ("2023-04", "2023-05", "2023-06", "2023-07")]
    >>> rs = [N(value=v, numerator=v) for v in (0, 2, 9, 11)]
    >>> differencing_withheld(d, ps, rs)
    [False, True, False, True]
    """
    hidden = [False] * len(results)
    if not getattr(definition, "year_to_date", False):
        return hidden
    shown: dict[str, list[float]] = {}
    for k, (period, result) in enumerate(zip(periods, results)):
        if result.value is None:
            continue
        earlier = shown.setdefault(period.financial_year, [])
        if is_small(result.value) or any(is_small(abs(result.value - e)) for e in earlier):
            hidden[k] = True
        else:
            earlier.append(result.value)
    return hidden


def revision_withheld(definition, periods, results, published: dict) -> list[bool]:
    """Months withheld because a revised count differs by 1 to 5 from what a final public paper showed.

    Late corrections change past months; showing both the published and the revised
    figure would tell a reader how many records changed.
    """
    counts = {"numerator": True, "denominator": definition.unit in ("percent", "days")}
    hidden = []
    for period, result in zip(periods, results):
        before = published.get(str(period))
        hide = False
        if before:
            for name, is_count in counts.items():
                old, new = before.get(name), getattr(result, name)
                if is_count and old is not None and new is not None and is_small(abs(new - old)):
                    hide = True
        hidden.append(hide)
    return hidden


from ..files import MONTH_LEDGER  # noqa: E402 (inside each month's folder, switched into place with its papers)


def read_ledger(path: str | None) -> dict:
    """indicator -> period -> figures as final public papers showed them (empty if there are none).

    ``path`` is ``outputs/published.json``: each final month keeps its own entries in
    ``outputs/<period>/confidential/published.json``, written with its papers so that the
    ledger never records a paper that was not published; a ledger file from before that is
    read too. The first publication of a month wins.
    """
    if not path:
        return {}
    outputs = Path(path).parent
    files = sorted(outputs.glob(f"[0-9][0-9][0-9][0-9]-[0-9][0-9]/{MONTH_LEDGER}"))
    files += [Path(path)] if Path(path).is_file() else []
    ledger: dict = {}
    for file in files:
        for indicator_id, months in json.loads(file.read_text(encoding="utf-8")).items():
            for period, figures in months.items():
                ledger.setdefault(indicator_id, {}).setdefault(period, figures)
    return ledger


def ledger_with(ledger: dict, period: str, public_latest: dict) -> dict:
    """The ledger with this period's public figures added (first publication wins; earlier months never change).

    ``public_latest`` maps indicator id to the public figures shown for ``period`` (numerator, denominator,
    value).

    >>> ledger_with({}, "2023-11", {"cp_repeat": {"numerator": None, "denominator": 40, "value": None}})
    {'cp_repeat': {'2023-11': {'numerator': None, 'denominator': 40, 'value': None}}}
    """
    out = {k: dict(v) for k, v in ledger.items()}
    for indicator_id, latest in public_latest.items():
        figures = {k: latest[k] for k in ("numerator", "denominator", "value")}
        out.setdefault(indicator_id, {}).setdefault(period, figures)
    return out
