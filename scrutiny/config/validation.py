"""One way of telling the user what is wrong in a project file: file, then key, then the problem.

Every pydantic model in :mod:`scrutiny.config` (and the commentary store) reports through
:func:`describe_validation`, so every message reads the same way.

>>> from pydantic import BaseModel, ConfigDict, ValidationError
>>> class M(BaseModel):
...     model_config = ConfigDict(extra="forbid")
...     n: int
>>> try:
...     M.model_validate({"n": "x", "nn": 1})
... except ValidationError as exc:
...     print(describe_validation(exc, "f.yaml", "the file is"))
f.yaml: the file is not valid:
  n: Input should be a valid integer, unable to parse string as an integer
  nn: unknown key (is it mistyped?)

Problems found outside pydantic (a path that is not where it should be) read the same:

>>> print(describe_problems("params/2023-11.yaml", "the parameters are",
...                         [("period", "the period is 2023-10 but the file is for 2023-11")]))
params/2023-11.yaml: the parameters are not valid:
  period: the period is 2023-10 but the file is for 2023-11
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

UNKNOWN_KEY = "unknown key (is it mistyped?)"


def dotted(loc: tuple) -> str:
    """'cover.ward' for a location; '(file)' for the file as a whole."""
    return ".".join(str(x) for x in loc) or "(file)"


def describe_validation(exc: ValidationError, source: str, what: str,
                        locate: Callable[[tuple], str] = dotted) -> str:
    """``source: <what> not valid:`` then one line per problem, ``  <where>: <message>``.

    ``locate`` names a location in the user's terms (an indicator by its id, an action by
    its number) rather than by list positions.
    """
    problems = []
    for item in exc.errors():
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = UNKNOWN_KEY
        problems.append((locate(tuple(item["loc"])), message))
    return describe_problems(source, what, problems)


def describe_problems(source: str, what: str, problems: list[tuple[str, str]]) -> str:
    """The same message from (where, problem) pairs found without pydantic."""
    return "\n".join([f"{source}: {what} not valid:", *(f"  {where}: {problem}" for where, problem in problems)])


def first_key(exc: ValidationError) -> str | None:
    """The first problem's key, dotted, for the error's ``key``."""
    errors = exc.errors()
    return dotted(tuple(errors[0]["loc"])) if errors else None


def financial_year(value: str) -> str:
    """A financial year ``YYYY-YY`` whose second part is the year after the first.

    >>> financial_year("2023-24")
    '2023-24'
    >>> financial_year("2023-25")
    Traceback (most recent call last):
    ...
    ValueError: '2023-25' is not a financial year: expected YYYY-YY, for example 2023-24
    """
    match = re.fullmatch(r"(\d{4})-(\d{2})", str(value))
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValueError(f"{value!r} is not a financial year: expected YYYY-YY, for example 2023-24")
    return str(value)


def year_of_file(path: Path) -> str | None:
    """The financial year a file is named for (``2023-24.yaml``), or None if its name is not a year."""
    try:
        return financial_year(Path(path).stem) if Path(path).suffix == ".yaml" else None
    except ValueError:
        return None
