"""The performance improvement plan file: ``params/improvement_plan/<year>.yaml``.

It holds the plan: its period, cover and report words, and outcome areas with numbered
actions (action, desired outcome, owner, dated milestones) and dated progress updates.
Each update gives a status (achieved, significant progress, limited progress / risk)
or a split across them (half achieved, half significant progress) and a note; history
is kept. Problems are refused with messages naming the area and action.
"""

from __future__ import annotations

import datetime
import math
import re
from fractions import Fraction
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import PlanError
from .params import Cover
from .validation import describe_problems, describe_validation, dotted, financial_year, first_key, year_of_file
from .yaml_files import read_yaml

ACHIEVED, SIGNIFICANT, LIMITED = "achieved", "significant progress", "limited progress / risk"
STATUSES = (ACHIEVED, SIGNIFICANT, LIMITED)
HEADINGS = {ACHIEVED: "Achieved", SIGNIFICANT: "Significant progress", LIMITED: "Limited progress / risk"}
Status = Literal["achieved", "significant progress", "limited progress / risk"]


class Milestone(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    date: datetime.date
    milestone: str = Field(min_length=1)


class Update(BaseModel):
    """One dated progress update on an action: a status, or a split of one action across statuses."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    date: datetime.date
    status: Status | dict[Status, float]
    note: str = ""

    @field_validator("status", mode="before")
    @classmethod
    def _one_message(cls, value):
        """One message for a status that is neither a status nor a split (not one per form it is not)."""
        choices = (f"use {', '.join(repr(s) for s in STATUSES)}, "
                   "or a split such as {achieved: 0.5, significant progress: 0.5}")
        for status in ([value] if not isinstance(value, dict) else value):
            if status not in STATUSES:
                raise ValueError(f"{status!r} is not a status: {choices}")
        if isinstance(value, dict):
            for status, share in value.items():
                if isinstance(share, bool) or not isinstance(share, int | float) or not math.isfinite(share):
                    raise ValueError(f"{status}: {share!r} is not a share of the action (a number such as 0.5)")
        return value

    @field_validator("status")
    @classmethod
    def _whole(cls, value):
        if isinstance(value, dict):
            total = sum(value.values())
            if abs(total - 1) > 1e-9 or any(v <= 0 for v in value.values()):
                raise ValueError(f"a split must share one whole action between statuses (these add up to {total:g})")
        return value

    def shares(self) -> dict[str, Fraction]:
        if isinstance(self.status, str):
            return {self.status: Fraction(1)}
        return {k: Fraction(v).limit_denominator(12) for k, v in self.status.items()}


class Action(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    number: str = Field(pattern=r"^\d+(\.\d+)*$")
    action: str = Field(min_length=1)
    desired_outcome: str = Field(min_length=1)
    owner: str = Field(min_length=1)
    milestones: tuple[Milestone, ...] = ()
    updates: tuple[Update, ...] = Field(min_length=1)

    def as_at(self, day: datetime.date) -> Update | None:
        """The latest update on or before the day."""
        earlier = [u for u in self.updates if u.date <= day]
        return max(earlier, key=lambda u: u.date) if earlier else None


class Area(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(min_length=1)
    short_name: str | None = None  # as the summary table shows it
    actions: tuple[Action, ...] = Field(min_length=1)

    @property
    def key(self) -> str:
        return "area-" + re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")


class PlanImplications(BaseModel):
    """The seed's implication headings (seeds/004): each with its text, or listed under Non-Applicable Sections.

    A heading left out, empty or "Not Applicable" is listed there.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    policy: str | None = Field(default=None, max_length=2000)
    financial: str | None = Field(default=None, max_length=2000)
    legal: str | None = Field(default=None, max_length=2000)
    personnel: str | None = Field(default=None, max_length=2000)

    HEADINGS: ClassVar[dict[str, str]] = {"policy": "Policy implications", "financial": "Financial implications",
                                          "legal": "Legal implications", "personnel": "Personnel implications"}

    def _given(self, key: str) -> bool:
        text = (getattr(self, key) or "").strip()
        return bool(text) and text.lower().rstrip(".") not in ("not applicable", "n/a")

    def applicable(self) -> list[tuple[str, str]]:
        return [(h, getattr(self, k).strip()) for k, h in self.HEADINGS.items() if self._given(k)]

    def not_applicable(self) -> list[str]:
        return [h for k, h in self.HEADINGS.items() if not self._given(k)]


class PlanReport(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    reason: tuple[str, ...] = Field(min_length=1)
    recommendations: tuple[str, ...] = Field(min_length=1)
    commentary_opening: tuple[str, ...] = ()
    implications: PlanImplications = PlanImplications()
    non_applicable: tuple[str, ...] = ()  # further headings that do not apply
    background_documents: tuple[str, ...] = ()


class Plan(BaseModel):
    """``params/improvement_plan/<year>.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    year: str
    title: str = Field(min_length=1)
    starts: datetime.date
    ends: datetime.date
    cover: Cover
    report: PlanReport
    areas: tuple[Area, ...] = Field(min_length=1)

    @field_validator("year", mode="before")
    @classmethod
    def _year(cls, value) -> str:
        return financial_year(value)

    @model_validator(mode="after")
    def _consistent(self):
        problems, seen = [], {}
        for area in self.areas:
            for action in area.actions:
                if action.number in seen:
                    problems.append(f"action {action.number}: number used twice ({seen[action.number]} and {area.name})")
                seen[action.number] = area.name
                for m in action.milestones:
                    if not self.starts <= m.date <= self.ends:
                        problems.append(f"action {action.number}, milestone {m.date}: outside the plan's period "
                                        f"{self.starts} to {self.ends}")
                for u in action.updates:
                    if u.date < self.starts:
                        problems.append(f"action {action.number}, update {u.date}: before the plan starts ({self.starts})")
        if self.starts >= self.ends:
            problems.append("ends: the plan must end after it starts")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def update_dates(self) -> list[datetime.date]:
        return sorted({u.date for a in self.areas for x in a.actions for u in x.updates})


def load_plan(path: str | Path) -> Plan:
    """Load and validate ``<folder>/<YYYY-YY>.yaml``: the file is named for the year it holds."""
    path = Path(path)
    named = year_of_file(path)
    if named is None:
        raise PlanError(f"{path}: an improvement plan file is named for its financial year, YYYY-YY.yaml "
                        f"(for example 2023-24.yaml), not {path.name!r}", file=str(path), key="year")
    raw = read_yaml(path, PlanError, "no improvement plan for this year")
    try:
        plan = Plan.model_validate(raw)
    except ValidationError as exc:
        raise PlanError(describe_validation(exc, str(path), "the improvement plan is", _locate(raw)),
                        file=str(path), key=first_key(exc)) from None
    if plan.year != named:
        raise PlanError(describe_problems(str(path), "the improvement plan is", [
            ("year", f"the year is {plan.year} but the file is for {named}")]), file=str(path), key="year")
    return plan


def _locate(raw):
    """Name a location by area and action: 'area 'Building...', action 2.3, updates.0.status'."""
    def locate(loc: tuple) -> str:
        text = dotted(loc)
        match = re.fullmatch(r"areas\.(\d+)\.actions\.(\d+)(.*)", text)
        if match:
            try:
                area = raw["areas"][int(match[1])]
                rest = f", {match[3][1:]}" if match[3] else ""
                return f"area {area['name']!r}, action {area['actions'][int(match[2])]['number']}{rest}"
            except (KeyError, IndexError, TypeError):
                pass
        return text

    return locate
