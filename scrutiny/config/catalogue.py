"""The year's indicator catalogue: ``params/catalogue/<YYYY-YY>.yaml``.

Each entry says how one indicator is presented and judged that year: display
number, title, why it matters, definition, polarity, unit, decimals, and a target
or an acceptable range with a tolerance. A typo in a key or a bad value is refused
with a message naming the indicator and the field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from ..data.periods import Period
from ..errors import CatalogueError, PeriodError
from ..indicators import REGISTRY, IndicatorSpec, manual_spec
from .validation import describe_problems, describe_validation, dotted, financial_year, first_key, year_of_file
from .yaml_files import read_yaml


class Range(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self):
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) is above high ({self.high})")
        return self


class Rebase(BaseModel):
    """A new baseline for an indicator's control chart, from a month, for a recorded reason the paper prints.

    Limits are never rebased automatically: only where the committee's catalogue says so.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    since: str = Field(alias="from")
    reason: str = Field(min_length=1, max_length=300)

    @field_validator("since", mode="before")
    @classmethod
    def _month(cls, value) -> str:
        try:
            return str(Period.parse(str(value)))
        except PeriodError as exc:
            raise ValueError(str(exc)) from None

    @property
    def period(self) -> Period:
        return Period.parse(self.since)


class SpcOptions(BaseModel):
    """How the control charts are drawn: the whole catalogue's choices, in the Making Data Count options.

    ``baseline_months``: months before the 13 shown whose figures fix the limits (as many as
    the extract holds, up to this); ``run_length``: points in a run or trend (7, or 6);
    ``screen_outliers``: leave extraordinary moving ranges out of the limits.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    baseline_months: int = Field(default=24, ge=0, le=60)
    run_length: Literal[6, 7] = 7
    screen_outliers: bool = True


class BenchmarkSource(BaseModel):
    """Where an indicator's published figures are: a DfE explore-education-statistics CSV.

    ``filters`` pick the measure's rows (column: value); ``column`` holds the figure.
    ``form`` says how the figure is written: a number, or ``years:months`` (adoption
    timings), which is turned into days to match the indicator's unit.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    file: str = Field(pattern=r"^[^/\\]+\.csv$")
    filters: dict[str, str] = Field(default_factory=dict)
    column: str = Field(min_length=1)
    form: Literal["number", "years_months"] = "number"


class IndicatorDefinition(BaseModel):
    """One catalogue entry."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    number: int = Field(ge=1)
    title: str = Field(min_length=1)
    short_title: str | None = Field(default=None, min_length=1, max_length=56)  # the performance index's form
    why_important: str = Field(min_length=1)
    definition: str = Field(min_length=1)
    polarity: Literal["high", "low", "neutral"]
    unit: Literal["percent", "per_10000", "days", "per_fte", "count"]
    decimals: int = Field(ge=0, le=3)
    target: float | None = None
    range: Range | None = None
    tolerance: float = Field(default=0.0, ge=0)
    manual: bool = False  # figures typed into manual_outturns.csv, not computed
    small_cohort: int | None = Field(default=None, ge=1)  # below this denominator, show numbers
    benchmark: BenchmarkSource | None = None
    year_to_date: bool = False  # a count since 1 April: its monthly differences are protected in public
    rebase: tuple[Rebase, ...] = ()  # new control-chart baselines, each with its month and reason

    @field_validator("target", "tolerance")
    @classmethod
    def _within_unit(cls, value, info: ValidationInfo):
        if value is not None:
            _check_value(value, info.data.get("unit"))
        return value

    @field_validator("range")
    @classmethod
    def _range_within_unit(cls, value, info: ValidationInfo):
        if value is not None:
            for end in ("low", "high"):
                _check_value(getattr(value, end), info.data.get("unit"), end)
        return value

    @model_validator(mode="after")
    def _consistent(self):
        if self.manual:
            if self.id in REGISTRY:
                raise ValueError(f"manual: {self.id} is computed from the extract; remove 'manual: true'")
            return self._rules()
        if self.id not in REGISTRY:
            raise ValueError(f"unknown indicator id {self.id!r} (a manual indicator needs 'manual: true'); "
                             f"known ids: {', '.join(sorted(REGISTRY))}")
        spec = REGISTRY[self.id]
        if self.polarity != spec.polarity:
            raise ValueError(f"polarity: {self.id} is {spec.polarity!r} by its national definition, not {self.polarity!r}")
        if self.unit != spec.unit:
            raise ValueError(f"unit: {self.id} is measured in {spec.unit!r}, not {self.unit!r}")
        return self._rules()

    def _rules(self):
        if self.small_cohort is not None and self.unit != "percent":
            raise ValueError("small_cohort: only a percentage can be shown as numbers instead")
        if self.target is not None and self.range is not None:
            raise ValueError("target and range: give one or the other, not both")
        if self.target is not None and self.polarity == "neutral":
            raise ValueError("target: a neutral indicator takes an acceptable range, not a target")
        return self

    def spec(self) -> IndicatorSpec:
        """How to compute it: the registered function, or the manual outturns."""
        return manual_spec(self.id, self.polarity, self.unit) if self.manual else REGISTRY[self.id]

    def is_small_cohort(self, denominator: float | None) -> bool:
        """Whether this denominator is small enough to show numbers rather than a percentage."""
        return self.small_cohort is not None and denominator is not None and 0 < denominator < self.small_cohort

    @property
    def index_title(self) -> str:
        """The title as the one-page performance index shows it: the short form where there is one."""
        return self.short_title or self.title

    @property
    def rated(self) -> bool:
        return self.target is not None or self.range is not None


def _check_value(value: float, unit: str | None, name: str | None = None) -> None:
    """A target, range end or tolerance no indicator can take: below 0, or above 100 for a percentage."""
    label = f"{name} " if name else ""
    if value < 0:
        raise ValueError(f"{label}{value:g} is below 0, which no indicator can be")
    if unit == "percent" and value > 100:
        raise ValueError(f"{label}{value:g} is above 100, and the indicator is a percentage (0 to 100)")


class Catalogue(BaseModel):
    """The whole year's catalogue."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    year: str
    spc: SpcOptions = SpcOptions()
    indicators: tuple[IndicatorDefinition, ...]

    @field_validator("year", mode="before")
    @classmethod
    def _year(cls, value) -> str:
        return financial_year(value)

    @model_validator(mode="after")
    def _unique(self):
        for attr in ("id", "number"):
            seen: set = set()
            for entry in self.indicators:
                value = getattr(entry, attr)
                if value in seen:
                    raise ValueError(f"indicator {entry.id}, field {attr}: {value!r} is used twice")
                seen.add(value)
        return self

    def get(self, indicator_id: str) -> IndicatorDefinition:
        for entry in self.indicators:
            if entry.id == indicator_id:
                return entry
        raise KeyError(indicator_id)

    def ordered(self) -> list[IndicatorDefinition]:
        return sorted(self.indicators, key=lambda d: d.number)


def _locate(raw) -> callable:
    """Name a catalogue location by the indicator's id: 'indicator cp_repeat, field target'."""
    entries = raw.get("indicators") if isinstance(raw, dict) else None

    def locate(loc: tuple) -> str:
        if len(loc) >= 2 and loc[0] == "indicators" and isinstance(loc[1], int):
            entry = entries[loc[1]] if isinstance(entries, list) and loc[1] < len(entries) else {}
            ident = entry.get("id", f"#{loc[1] + 1}") if isinstance(entry, dict) else f"#{loc[1] + 1}"
            return f"indicator {ident}, field {dotted(loc[2:]) if loc[2:] else '(entry)'}"
        return f"field {dotted(loc)}" if loc else "catalogue"

    return locate


_LOADED: dict[tuple, Catalogue] = {}  # (path, size, modified) -> the catalogue (frozen): each file read once a process


def load_catalogue(path: str | Path) -> Catalogue:
    """Load and validate a catalogue YAML file; one named for a year (``2023-24.yaml``) must hold that year.

    A file read before in this process, unchanged since (same size and modification time), is not read
    again: a backfill's months, the history of targets and the commentary's known indicators share it.
    """
    path = Path(path)
    try:
        st = path.stat()
        key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    except OSError:
        key = None
    if key in _LOADED:
        return _LOADED[key]
    catalogue = _load_catalogue(path)
    if key is not None:
        _LOADED[key] = catalogue
    return catalogue


def _load_catalogue(path: Path) -> Catalogue:
    raw = read_yaml(path, CatalogueError, "catalogue file not found")
    try:
        catalogue = Catalogue.model_validate(raw)
    except ValidationError as exc:
        raise CatalogueError(describe_validation(exc, str(path), "the catalogue is", _locate(raw)), file=str(path),
                             key=first_key(exc)) from None
    named = year_of_file(path)
    if named is not None and catalogue.year != named:  # the trends find each year's catalogue by its name
        raise CatalogueError(describe_problems(str(path), "the catalogue is", [
            ("field year", f"the year is {catalogue.year} but the file is for {named}")]), file=str(path), key="year")
    return catalogue


class CatalogueHistory:
    """The catalogue in force in each financial year, for trends that cross an annual review.

    Catalogues sit side by side as ``<folder>/<YYYY-YY>.yaml``. Trends run by indicator
    id, so an indicator renumbered or retitled keeps its history; a year with no
    catalogue file, or without the indicator, has no definition in force (``None``).
    """

    def __init__(self, current: Catalogue, folder: Path):
        self.current, self.folder = current, Path(folder)
        self._years: dict[str, Catalogue | None] = {current.year: current}

    @classmethod
    def load(cls, path: str | Path) -> CatalogueHistory:
        path = Path(path)
        return cls(load_catalogue(path), path.parent)

    def year(self, financial_year: str) -> Catalogue | None:
        if financial_year not in self._years:
            path = self.folder / f"{financial_year}.yaml"
            self._years[financial_year] = load_catalogue(path) if path.is_file() else None
        return self._years[financial_year]

    def in_force(self, indicator_id: str, period) -> IndicatorDefinition | None:
        catalogue = self.year(period.financial_year)
        if catalogue is None:
            return None
        try:
            return catalogue.get(indicator_id)
        except KeyError:
            return None

    def transitions(self, indicator_id: str, periods):
        """(period, before, after) for each change of catalogue entry the trend crosses at an April.

        A year with no catalogue file says nothing about what changed.
        """
        found = []
        before = None
        for period in periods:
            now = self.in_force(indicator_id, period)
            if (before is not None and period.month == 4 and before[1] != now
                    and self.year(before[0].financial_year) is not None):
                found.append((period, before[1], now))
            before = (period, now)
        return found
