"""Period parameters: ``params/<YYYY-MM>.yaml``.

Everything one month's paper needs: the period, the extract folder, the catalogue,
the population aged 0-17, and the report's cover details. Relative paths are taken
from the project folder (the folder that holds ``params/``). Unknown or mistyped
keys are refused.

:func:`load_params` checks the file against its project too: the file is named for its
month (``params/2023-11.yaml`` holds ``period: 2023-11``), ``data`` is an existing
folder (anywhere: extracts live outside the repository), ``catalogue`` is the year's
file in the project's ``params/catalogue/`` (``YYYY-YY.yaml``, for the month's financial
year: the same folder holds the earlier years the trends draw on) and ``benchmarks`` is
a table in ``params/benchmarks/``. :func:`validate_params` checks the parameters alone,
as the notebook receives them (absolute paths, no project).
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path
from typing import ClassVar, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..data.periods import Period
from . import DEFAULTS
from ..errors import ParamsError, ScrutinyError
from .validation import describe_problems, describe_validation, first_key, year_of_file
from .yaml_files import read_yaml


class Cover(BaseModel):
    """The cover block of a committee report (as in the seeds)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    decision_maker: str = Field(min_length=1)
    meeting_date: datetime.date
    decision_type: str = Field(min_length=1)
    title: str = Field(min_length=1)
    contact_officer: str = Field(min_length=1)
    contact_email: str | None = None
    chief_officer: str = Field(min_length=1)
    ward: str = Field(min_length=1)
    report_number: str | None = Field(default=None, min_length=1, max_length=40)  # the seeds' "Report ECHS19020"
    priorities: tuple[str, ...] = ()  # the council's priority lines (seeds/001: "Making Bromley Even Better ...")


NOT_APPLICABLE_TEXT = "Not Applicable"


class Implications(BaseModel):
    """The impact and implication headings of a committee report, in the seeds' order.

    Each is the text members read under that heading. A heading whose text is exactly
    "Not Applicable" is gathered into the report's Non-Applicable Headings line.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    vulnerable_adults_and_children: str = Field(min_length=1)
    transformation_policy: str = Field(min_length=1)
    financial: str = Field(min_length=1)
    personnel: str = Field(min_length=1)
    legal: str = Field(min_length=1)
    procurement: str = Field(min_length=1)
    property: str = Field(min_length=1)
    carbon_reduction_social_value: str = Field(min_length=1)
    customer_impact: str = Field(min_length=1)
    ward_councillor_views: str = Field(min_length=1)

    HEADINGS: ClassVar[dict[str, str]] = {
        "vulnerable_adults_and_children": "Impact on Vulnerable Adults and Children",
        "transformation_policy": "Transformation/Policy Implications",
        "financial": "Financial Implications",
        "personnel": "Personnel Implications",
        "legal": "Legal Implications",
        "procurement": "Procurement Implications",
        "property": "Property Implications",
        "carbon_reduction_social_value": "Carbon Reduction and Social Value Implications",
        "customer_impact": "Customer Impact",
        "ward_councillor_views": "Ward Councillor Views",
    }

    def applicable(self) -> list[tuple[str, str]]:
        """(heading, text) of the headings that apply, in order."""
        return [(h, getattr(self, k)) for k, h in self.HEADINGS.items()
                if getattr(self, k).strip() != NOT_APPLICABLE_TEXT]

    def not_applicable(self) -> list[str]:
        return [h for k, h in self.HEADINGS.items() if getattr(self, k).strip() == NOT_APPLICABLE_TEXT]


class Report(BaseModel):
    """The report's words around the figures: reason, recommendations, commentary opening, implications."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reason: str = Field(min_length=1, description="1.1; '{month}' becomes e.g. 'November 2023'")
    recommendations: tuple[str, ...] = Field(min_length=1, description="2.1, 2.2 ...; '{month}' allowed")
    commentary_opening: tuple[str, ...] = Field(default=(), description="3.1 ... before the exceptions")
    implications: Implications
    background_documents: tuple[str, ...] = ()


class PeriodParams(BaseModel):
    """The complete parameter set papermill passes to ``scrutiny/notebooks/paper.ipynb``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    period: str
    data: str = Field(min_length=1)
    catalogue: str = Field(min_length=1)
    population: int | Literal["ons"] | None = Field(
        default=None, description="the population aged 0-17, or 'ons' for the mid-year estimates in `benchmarks`")
    benchmarks: str | None = Field(default=None, min_length=1, description="the table made by `scrutiny benchmarks`")
    published: str | None = Field(default=None, description="the ledger of figures in final public papers")
    cover: Cover
    report: Report

    @field_validator("population", mode="before")
    @classmethod
    def _population_value(cls, value):
        """One message for anything that is neither a whole number nor 'ons' (not one per type it is not)."""
        if value is None or value == "ons" or (isinstance(value, int) and not isinstance(value, bool)):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        shown = str(value).lower() if isinstance(value, bool) else repr(value)
        raise ValueError(f"{shown} is not a population: give the number of children aged 0-17, or 'ons'")

    @field_validator("population")
    @classmethod
    def _population(cls, value):
        if isinstance(value, int) and value < 0:
            raise ValueError("the population cannot be negative")
        return value

    @model_validator(mode="after")
    def _ons_needs_table(self):
        if self.population == "ons" and not self.benchmarks:
            raise ValueError("population 'ons' reads the mid-year estimates from the benchmarks table: "
                             "give `benchmarks` too")
        return self

    @field_validator("data", "catalogue", "benchmarks")
    @classmethod
    def _a_path(cls, value):
        if value is not None and any(ord(c) < 32 for c in value):
            raise ValueError(f"{value!r} is not a path: it holds a control character")
        return value

    @field_validator("period", mode="before")
    @classmethod
    def _period(cls, value) -> str:
        return str(Period.parse(str(value)))

    @property
    def period_obj(self) -> Period:
        return Period.parse(self.period)

    def resolved(self, root: Path) -> PeriodParams:
        """A copy whose paths are absolute, taken from ``root`` where relative."""
        data = (root / self.data).resolve()
        catalogue = (root / self.catalogue).resolve()
        update = {"data": str(data), "catalogue": str(catalogue)}
        if self.benchmarks:
            update["benchmarks"] = str((root / self.benchmarks).resolve())
        # the ledger of what final public papers showed always sits in the project's outputs/
        update["published"] = str((root / "outputs" / "published.json").resolve())
        return self.model_copy(update=update)

    def notebook_parameters(self) -> dict:
        """Every parameter, JSON-ready, as the notebook's parameters cell declares them."""
        return self.model_dump(mode="json")


PARAMS_NAME = re.compile(r"^(\d{4}-\d{2})\.yaml$")


def project_root(params_file: Path) -> Path:
    """The project folder: the parent of the ``params/`` folder holding the file.

    Taken from the path as given (made absolute, links not followed), so that a params
    file that is a link to elsewhere still belongs to the project it sits in.
    """
    params_file = Path(os.path.abspath(params_file))
    return params_file.parent.parent if params_file.parent.name == "params" else params_file.parent


def _file_period(path: Path) -> Period:
    """The month a params file is for, from its name; a name that is not ``YYYY-MM.yaml`` is refused."""
    match = PARAMS_NAME.match(path.name)
    try:
        if match:
            return Period.parse(match[1])
    except ScrutinyError:
        pass
    raise ParamsError(f"{path}: a period's parameters file is named for its month, YYYY-MM.yaml (for example "
                      f"2023-11.yaml), not {path.name!r}", file=str(path), key="period")


def _real(root: Path, value: str) -> Path | None:
    """The file a params path names (taken from the project folder if relative), links followed.

    None when its links cannot be followed (a loop).
    """
    try:
        return (root / value).resolve()
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError for a loop of links
        return None


def project_problems(params: PeriodParams, root: Path, period: Period) -> list[tuple[str, str]]:
    """(key, problem) for each path in the params that is not where the project keeps it.

    ``period`` is the month the file is for (its name). Paths are compared with links
    followed on both sides, so a project whose ``params/catalogue`` is a link (as in this
    repository) is judged by where the files really are.
    """
    problems: list[tuple[str, str]] = []
    fy = period.financial_year
    if params.period != str(period):
        problems.append(("period", f"the period is {params.period} but the file is for {period}"))
    data = root / params.data
    if not data.is_dir():
        problems.append(("data", (f"{params.data!r} is not a folder: give the folder holding the month's extract"
                                  if data.exists() else f"{params.data!r}: no such folder (the month's extract)")))
    catalogue, real = params.catalogue, _real(root, params.catalogue)
    year = year_of_file(real) if real else None
    if real is None or not real.is_file():
        problem = f"{catalogue!r}: no such file (the year's catalogue, params/catalogue/{fy}.yaml)"
    elif real.parent != _real(root, "params/catalogue"):
        problem = (f"{catalogue!r} is not in the project's params/catalogue/ folder, where the catalogues of "
                   "earlier years are too")
    elif year is None:
        problem = f"{catalogue!r}: a catalogue is named for its financial year, YYYY-YY.yaml (for example {fy}.yaml)"
    elif year != fy:
        problem = (f"{catalogue!r} is the catalogue for {year}, but {period} is in the financial year {fy}: "
                   f"use params/catalogue/{fy}.yaml")
    else:
        problem = None
    if problem:
        problems.append(("catalogue", problem))
    if params.benchmarks:
        table, real = params.benchmarks, _real(root, params.benchmarks)
        folder = _real(root, "params/benchmarks")
        if real is None or not real.is_file():
            problem = (f"{table!r}: no such file (make it with "
                       "`scrutiny benchmarks --out params/benchmarks/<LA code>.csv`)")
        elif folder is None or not real.is_relative_to(folder):
            problem = f"{table!r} is not in the project's params/benchmarks/ folder"
        elif real.suffix.lower() != ".csv":
            problem = f"{table!r} is not a CSV table made by `scrutiny benchmarks`"
        else:
            problem = None
        if problem:
            problems.append(("benchmarks", problem))
    if params.published is not None:
        problems.append(("published", (f"{params.published!r}: the ledger of published figures is always "
                                       "outputs/published.json; remove this key")))
    return problems




def _merged(base: dict, over: dict) -> dict:
    """``over`` on top of ``base``: mappings merge key by key; anything else (a list, a text) replaces."""
    out = dict(base)
    for key, value in over.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _defaults_for(path: Path) -> Path | None:
    """``params/defaults.yaml`` beside a month's file in a project's params/ folder, if there is one."""
    defaults = path.parent / DEFAULTS
    return defaults if path.parent.name == "params" and os.path.lexists(defaults) else None


def month_raw(path: Path, period: Period) -> dict:
    """A month's parameters as written: its own file, on top of ``params/defaults.yaml`` where there is one.

    With the defaults, a month's file need hold only what is its own (the meeting date, the
    report number), or need not exist at all; ``period`` comes from the file name, and the
    catalogue in force is the month's financial year's (``params/catalogue/<YYYY-YY>.yaml``)
    unless a file says otherwise. Without the defaults, the month's file is complete, as before.
    """
    defaults = _defaults_for(path)
    has_defaults = defaults is not None
    if not has_defaults or os.path.lexists(path):
        raw = read_yaml(path, ParamsError, "no parameters for this period (create it, write params/defaults.yaml, "
                                           "or run `scrutiny demo`)")
    else:
        raw = {}
    if not has_defaults:
        return raw
    base = read_yaml(defaults, ParamsError, "no defaults")
    if not isinstance(base, dict) or not isinstance(raw, dict):
        bad = defaults if not isinstance(base, dict) else path
        raise ParamsError(f"{bad}: should be a mapping of parameter names to values", file=str(bad))
    if "period" in base:
        raise ParamsError(f"{defaults}: the defaults name no period (each month's comes from its file name): remove "
                          "the key 'period'", file=str(defaults), key="period")
    raw = _merged(base, raw)
    raw.setdefault("period", str(period))
    raw.setdefault("catalogue", f"params/catalogue/{period.financial_year}.yaml")
    return raw


def meeting_from_defaults(path: Path) -> str | None:
    """The meeting date a month takes from ``params/defaults.yaml`` alone (its own file, if it has one, gives
    none), as written there; None where the month gives its own, or there are no defaults."""
    defaults = _defaults_for(path)
    if defaults is None:
        return None
    own = read_yaml(path, ParamsError, "no parameters") if os.path.lexists(path) else {}
    if isinstance(own, dict) and isinstance(own.get("cover"), dict) and "meeting_date" in own["cover"]:
        return None
    base = read_yaml(defaults, ParamsError, "no defaults")
    cover = base.get("cover") if isinstance(base, dict) else None
    return str(cover["meeting_date"]) if isinstance(cover, dict) and "meeting_date" in cover else None


def load_params(path: str | Path) -> PeriodParams:
    """Load, validate, check against the project, and resolve a period's YAML (on top of the defaults, if any)."""
    path = Path(path)
    period = _file_period(path)
    raw = month_raw(path, period)
    defaults = _defaults_for(path)
    source = (str(path) if not defaults else f"{path} (on top of {defaults})" if os.path.lexists(path)
              else f"{path} (no file of its own, so from {defaults} alone: create it with the month's own values)")
    params = validate_params(raw, source)
    root = project_root(path)
    problems = project_problems(params, root, period)
    if problems:
        raise ParamsError(describe_problems(str(path), "the parameters are", problems), file=str(path),
                          key=problems[0][0])
    return params.resolved(root)


def validate_params(raw, source: str = "parameters") -> PeriodParams:
    try:
        return PeriodParams.model_validate(raw)
    except ValidationError as exc:
        raise ParamsError(describe_validation(exc, source, "the parameters are"), file=source,
                          key=first_key(exc)) from None


def dump_params(params: PeriodParams) -> str:
    return yaml.safe_dump(params.model_dump(mode="json"), sort_keys=False, allow_unicode=True)
