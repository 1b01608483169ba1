"""Period parameters: ``params/<YYYY-MM>.yaml``.

Everything one month's paper needs: the period, the extract folder, the catalogue,
the population aged 0-17, and the report's cover details. Relative paths are taken
from the project folder (the folder that holds ``params/``). Unknown or mistyped
keys are refused.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import ClassVar, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..data.periods import Period
from ..errors import ParamsError
from .yaml_files import read_yaml
from .validation import describe_validation, first_key


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
    data: str
    catalogue: str
    population: int | Literal["ons"] | None = Field(
        default=None, description="the population aged 0-17, or 'ons' for the mid-year estimates in `benchmarks`")
    benchmarks: str | None = Field(default=None, description="the table made by `scrutiny benchmarks`")
    published: str | None = Field(default=None, description="the ledger of figures in final public papers")
    cover: Cover
    report: Report

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


def project_root(params_file: Path) -> Path:
    """The project folder: the parent of the ``params/`` folder holding the file."""
    params_file = Path(params_file).resolve()
    return params_file.parent.parent if params_file.parent.name == "params" else params_file.parent


def load_params(path: str | Path) -> PeriodParams:
    """Load, validate and resolve a period's YAML."""
    path = Path(path)
    raw = read_yaml(path, ParamsError, "no parameters for this period (create it, or run `scrutiny demo`)")
    return validate_params(raw, str(path)).resolved(project_root(path))


def validate_params(raw, source: str = "parameters") -> PeriodParams:
    try:
        return PeriodParams.model_validate(raw)
    except ValidationError as exc:
        raise ParamsError(describe_validation(exc, source, "the parameters are"), file=source,
                          key=first_key(exc)) from None


def dump_params(params: PeriodParams) -> str:
    return yaml.safe_dump(params.model_dump(mode="json"), sort_keys=False, allow_unicode=True)
