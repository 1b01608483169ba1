"""Every error a user can cause, in one family (imports nothing from the package).

The command line turns a :class:`ScrutinyError` into its message and a non-zero exit;
anything else is a bug and shows its traceback. Each error carries what the user
needs to find the problem: the file, and where known the row, column or key.

>>> err = ParamsError("params/2023-11.yaml: the parameters are not valid", file="params/2023-11.yaml")
>>> isinstance(err, ScrutinyError), err.file
(True, 'params/2023-11.yaml')
"""

from __future__ import annotations

from dataclasses import dataclass


class ScrutinyError(Exception):
    """Something the user can put right: bad input, a refused run, a paper that may not be written."""

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None,
                 column: str | None = None, key: str | None = None):
        super().__init__(message)
        self.file, self.row, self.column, self.key = file, row, column, key

    def describe(self) -> str:
        """The message the command line prints."""
        return str(self)


# -- input: the extract, periods, parameters, catalogue, plan, store, benchmarks -----------

@dataclass(frozen=True)
class Problem:
    """One structure problem in an extract file (row numbered as a spreadsheet does: header = 1)."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


class ExtractStructureError(ScrutinyError):
    """The extract breaks the data contract's structure; nothing was computed or written."""

    def __init__(self, folder, problems: list[Problem]):
        self.folder, self.problems = folder, problems
        first = problems[0] if problems else None
        super().__init__(self.describe(), file=first.file if first else str(folder),
                         row=first.row if first else None, column=first.column if first else None)

    def describe(self, limit: int = 200) -> str:
        lines = [f"The extract in {self.folder} has {len(self.problems)} structure problem(s); nothing was written:"]
        lines += [f"  {p}" for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"  ... and {len(self.problems) - limit} more")
        return "\n".join(lines)


class PeriodError(ScrutinyError, ValueError):
    """A period that is not YYYY-MM."""


class ConfigError(ScrutinyError, ValueError):
    """A project file (parameters, catalogue, plan, commentary store) is missing or not valid."""


class ParamsError(ConfigError):
    """A period's parameters are not valid; the message names the key."""


class CatalogueError(ConfigError):
    """The catalogue file is not valid; the message names indicator and field."""


class PlanError(ConfigError):
    """The improvement plan file is not valid; the message names the action and field."""


class CommentaryError(ConfigError):
    """The commentary store is not valid, or the month's commentary is not ready for --final."""


class CommentaryConflict(CommentaryError):
    """The same commentary cell was edited in both the notebook and the store; nothing was changed."""


class BenchmarkError(ScrutinyError, ValueError):
    """Published figures could not be read; the message names the file and what is missing."""


# -- the run and its papers ------------------------------------------------------------------

class RunFailed(ScrutinyError, RuntimeError):
    """The notebook failed; no HTML was written and the failed notebook was kept."""


class DisclosureError(ScrutinyError, RuntimeError):
    """The public paper failed its disclosure check; it was not written."""


class PdfError(ScrutinyError, RuntimeError):
    """A paper could not be printed to PDF."""
