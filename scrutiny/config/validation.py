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
"""

from __future__ import annotations

from collections.abc import Callable

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
    lines = [f"{source}: {what} not valid:"]
    for item in exc.errors():
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = UNKNOWN_KEY
        lines.append(f"  {locate(tuple(item['loc']))}: {message}")
    return "\n".join(lines)


def first_key(exc: ValidationError) -> str | None:
    """The first problem's key, dotted, for the error's ``key``."""
    errors = exc.errors()
    return dotted(tuple(errors[0]["loc"])) if errors else None
