"""The command line's argument types: each period, year, date, number and list is checked before it is used.

argparse calls them; a bad value is refused with one message naming it (exit 2, no traceback).
"""

from __future__ import annotations

import argparse
import datetime
import re

from .errors import ScrutinyError

_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


def _period(text: str) -> str:
    """A YYYY-MM period from the command line (argparse refuses anything else, naming it)."""
    from .data.periods import Period

    try:
        return str(Period.parse(text))
    except ScrutinyError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _year(text: str) -> str:
    """A financial year YYYY-YY whose second part follows the first."""
    match = _YEAR.match(text)
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise argparse.ArgumentTypeError(f"{text!r} is not a financial year: expected YYYY-YY, for example 2023-24")
    return text


def _finite(text: str) -> float | None:
    """The number a text writes, or None for anything else (inf and NaN included)."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) < 1e12 else None  # no indicator is a trillion


def _population(text: str) -> float:
    """A population aged 0 to 17: a number, 0 or more."""
    value = _finite(text.replace(",", ""))
    if value is None or value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a population: expected a number, 0 or more")
    return value


def _children(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of children: expected a whole number, 1 or more")
    return int(text)


def _values(text: str) -> list[float | None]:
    """A series for ``scrutiny spc``: numbers separated by commas, a blank for a month without one."""
    values: list[float | None] = []
    for k, part in enumerate(text.split(","), 1):
        part = part.strip()
        value = None if part == "" else _finite(part)
        if part and value is None:
            raise argparse.ArgumentTypeError(f"value {k} ({part!r}) is not a number")
        values.append(value)
    if sum(v is not None for v in values) < 2:
        raise argparse.ArgumentTypeError("give at least two values, separated by commas")
    return values


def _number(text: str) -> float:
    value = _finite(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number")
    return value


def _points(text: str) -> int:
    if not text.isdigit() or int(text) < 2:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of points: expected a whole number, 2 or more")
    return int(text)


def _date(text: str) -> str:
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: expected YYYY-MM-DD") from None


def _jobs(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of jobs: expected a whole number from 1 to 64")
    return int(text)


def _scheduler(text: str) -> str:
    """A Dask scheduler's address: tcp://host:port (or tls://), checked before anything runs."""
    import re

    if not re.fullmatch(r"(tcp|tls)://[A-Za-z0-9.\-\[\]:]+:\d{1,5}", text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a scheduler address: expected tcp://host:port")
    return text
