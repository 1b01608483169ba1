"""The month's paper as data: every indicator's figures over the trend months, in both papers' forms.

No HTML here: :mod:`scrutiny.paper.sections` turns this model into each paper's
sections, and :mod:`scrutiny.paper.document` attaches them to the notebook's façade.
Imports: config, data, indicators, assess.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import pandas as pd

from ..assess.across_time import differencing_withheld, read_ledger, revision_withheld
from ..assess.benchmarks import Benchmark, BenchmarkTable
from ..assess.published import parse_published
from ..assess.disclosure import Audit, protect
from ..assess.rating import RAG, Direction, direction, rate
from ..assess.spc import MIN_BASELINE, Spc, spc
from ..assess.suppress import disclosure, public_result
from ..config.catalogue import Catalogue, CatalogueHistory, IndicatorDefinition, SpcOptions
from ..config.params import PeriodParams
from ..data.periods import Period
from ..data.validate import Extract
from ..indicators import REGISTRY, Context, IndicatorResult
from ..indicators.breakdowns import breakdown_for
from ..indicators.compute import compute_series, first_covered
from ..indicators.looked_after import adult_warnings
from .facts import indicator_name
from .format import NOT_APPLICABLE, SUPPRESSED, changes_in_words, format_count, format_number, shorthand
from .parts import PART1, PART2

TREND_MONTHS = 13


@dataclass(frozen=True)
class Control:
    """An indicator's control chart as one paper shows it: the baseline months, then the months shown."""

    periods: tuple[Period, ...]
    values: tuple[float | None, ...]  # as the paper may use them: withheld and uncovered months are None
    result: Spc
    baseline: int  # how many of the periods come before the months shown
    rebases: tuple[tuple[int, str], ...]  # (position, 'From April 2023: the reason')


@dataclass(frozen=True)
class Outturn:
    """One indicator over the trend months: definition, results, and the public version."""

    definition: IndicatorDefinition
    periods: tuple[Period, ...]
    results: tuple[IndicatorResult, ...]
    in_force: tuple[IndicatorDefinition | None, ...] = ()  # the catalogue entry each month, across reviews
    benchmark: Benchmark | None = None
    changes: tuple[str, ...] = field(default=())
    history: tuple[Benchmark, ...] = ()  # the last five published years, oldest first (the latest is ``benchmark``)
    ledger: dict = field(default_factory=dict)  # period -> figures as a final public paper showed them
    before: tuple[IndicatorResult, ...] = ()  # the baseline months before the ones shown, oldest first
    before_periods: tuple[Period, ...] = ()
    covered_from: Period | None = None  # the first month the extract covers a full year before
    options: SpcOptions = SpcOptions()

    @property
    def small_cohort(self) -> bool:
        """This month's group is small enough that members see numbers, not a percentage."""
        return self.definition.is_small_cohort(self.results[-1].denominator)

    @cached_property
    def _withheld_over_time(self) -> tuple[bool, ...]:
        """Every month, baseline and shown, withheld because a difference with an earlier month the public paper
        shows (on the control chart, or in an earlier final paper) would give a small count away."""
        periods, results = self.before_periods + self.periods, self.before + self.results
        ytd = differencing_withheld(self.definition, periods, results)
        revised = revision_withheld(self.definition, periods, results, self.ledger)
        return tuple(a or b for a, b in zip(ytd, revised))

    @cached_property
    def _differenced(self) -> tuple[bool, ...]:
        """The months shown that are withheld that way (the baseline months count as shown: the chart plots them)."""
        return self._withheld_over_time[len(self.before):]

    @cached_property
    def public(self) -> tuple[IndicatorResult, ...]:
        return tuple(replace(r, numerator=None, value=None) if hide else public_result(r, self.definition.unit)
                     for r, hide in zip(self.results, self._differenced))

    def series(self, part: str) -> tuple[IndicatorResult, ...]:
        return self.public if part == PART1 else self.results

    def latest(self, part: str) -> IndicatorResult:
        return self.series(part)[-1]

    def rag(self, part: str) -> RAG:
        return rate(self.latest(part).value, self.definition)

    def travel(self, part: str, months_back: int) -> Direction:
        s = self.series(part)
        words = {1: "last month", 12: "a year ago"}[months_back]
        previous = s[-1 - months_back].value if len(s) > months_back else None
        return direction(s[-1].value, previous, self.definition, words)

    @cached_property
    def _before_withheld(self) -> tuple[bool, ...]:
        """Baseline months the public paper may not use: small numbers, or differences that would give them away."""
        return tuple(disclosure(r, self.definition.unit).any or self._withheld_over_time[k]
                     for k, r in enumerate(self.before))

    def control(self, part: str) -> Control | None:
        """The XmR chart's figures and result, or None: a small group shown as numbers, too few figures, or (in
        public) this month's figure withheld.

        The public paper's limits, mean and icons are computed only from figures it may show:
        a withheld month (this year's or a baseline month's) is left out of the calculation, not
        just off the chart, so no mean or limit can be worked back to it.
        """
        return self._controls[part]

    @cached_property
    def _controls(self) -> dict[str, Control | None]:
        return {part: self._control(part) for part in (PART1, PART2)}

    def _control(self, part: str) -> Control | None:
        d = self.definition
        if self.small_cohort or (part == PART1 and self.withheld()) or self.results[-1].value is None:
            return None
        before = [None if r.value is None or (self.covered_from is not None and p < self.covered_from)
                  or (part == PART1 and self._before_withheld[k]) else r.value
                  for k, (p, r) in enumerate(zip(self.before_periods, self.before))]
        shown = [None if part == PART1 and self.withheld(k) else r.value for k, r in enumerate(self.results)]
        values = before + shown
        periods = self.before_periods + self.periods
        rebases = tuple((periods.index(r.period), f"From {r.period.label}: {r.reason}") for r in d.rebase
                        if r.period in periods[1:])
        result = spc(values, d.polarity, d.target, acceptable=(d.range.low, d.range.high) if d.range else None,
                     fix_after=max(MIN_BASELINE, sum(v is not None for v in before)),
                     rebase=tuple(k for k, _ in rebases), run_length=self.options.run_length,
                     screen_outliers=self.options.screen_outliers)
        if result is None:
            return None
        started = {a for a, _ in result.segments}  # a rebase too late to have two figures after it waits
        return Control(periods, tuple(values), result, len(before), tuple(r for r in rebases if r[0] in started))

    def withheld(self, index: int = -1) -> bool:
        return disclosure(self.results[index], self.definition.unit).any or self._differenced[index]

    def figure(self, part: str, field: str) -> str:
        """A figure as shown: suppressed counts as [c], missing as [x]."""
        if field == "value" and self.small_cohort:
            return f"{self.figure(part, 'numerator')} of {self.figure(part, 'denominator')}"
        if field == "denominator" and self.definition.unit == "count":
            return NOT_APPLICABLE
        result = self.latest(part)
        shown = getattr(result, field)
        if part == PART1 and shown is None and getattr(self.results[-1], field) is not None:
            return SUPPRESSED
        if field == "value":
            return format_number(shown, self.definition.decimals, self.definition.unit)
        return format_count(shown)

    def recent(self, part: str, months: int = 3) -> list[str]:
        """The last few months as 'November 2023 72.5%', withheld months as [c]."""
        d = self.definition
        shown = []
        for period, result, k in zip(self.periods[-months:], self.series(part)[-months:],
                                     range(len(self.periods) - months, len(self.periods))):
            withheld = part == PART1 and self.withheld(k)
            text = SUPPRESSED if withheld else format_number(result.value, d.decimals, d.unit)
            shown.append(f"{period.start:%B %Y} {text}")
        return shown

    def fraction(self, part: str) -> str:
        """What the figure is made of, in words, beside it: ' (549 of 2,415)' for a percentage,
        ' on average (39 children)' for a mean, ' (823 cases, 55.2 FTE)' for a caseload;
        nothing for a count, or where numbers are the outturn."""
        unit = self.definition.unit
        if unit == "count" or self.small_cohort or self.latest(PART2).denominator is None:
            return ""
        num, den = self.figure(part, "numerator"), self.figure(part, "denominator")
        if unit == "days":
            return f" on average ({den} children)"
        if unit == "per_fte":
            return f" ({num} cases, {den} FTE)"
        if unit == "per_10000":
            return f" ({num} children)"
        return f" ({num} of {den})"

    def published(self, column: str, benchmark: Benchmark | None = None) -> str:
        """A published benchmark figure in the indicator's unit, or its shorthand (the latest year by default)."""
        benchmark = benchmark or self.benchmark
        text = getattr(benchmark, column) if benchmark else "x"
        value = parse_published(text)
        return shorthand(text) if value is None else format_number(value, self.definition.decimals,
                                                                      self.definition.unit)

    def references(self) -> dict[str, float]:
        """England and statistical-neighbour figures, for reference lines on the chart.

        None for a count: the authority's count drawn against England's says nothing
        (it is compared through its rate per 10,000).
        """
        if self.benchmark is None or self.definition.unit == "count":
            return {}
        year = self.benchmark.year_label
        lines = {f"England {year}": self.benchmark.number("england"),
                 f"Statistical neighbours {year}": self.benchmark.number("statistical_neighbours")}
        return {k: v for k, v in lines.items() if v is not None}


@dataclass(frozen=True)
class Breakdown:
    """The counts behind an indicator this month, and which cells the public paper hides."""

    caption: str
    counts: pd.DataFrame
    hidden: list[bool]
    audit: Audit


def month_ends(period: Period, catalogue: Catalogue):
    """The month ends a month's paper computes (its trend and its control charts' baseline months, oldest
    first) and how (each indicator's spec, in the catalogue's order): what a backfill computes together."""
    every = tuple(period.trailing(TREND_MONTHS + catalogue.spc.baseline_months))
    return every, [d.spec() for d in catalogue.ordered()]


def population_of(params: PeriodParams, benchmarks: BenchmarkTable | None):
    """The population aged 0-17 as a function of the month: typed in the params, or the ONS estimate in force."""
    if params.population == "ons":
        return lambda period: benchmarks.population(period.end)
    return lambda period: params.population


class PaperModel:
    """Everything one month's paper shows, computed once."""

    def __init__(self, params: PeriodParams, extract: Extract, catalogue: Catalogue):
        self.params, self.extract, self.catalogue = params, extract, catalogue
        self.period = params.period_obj
        self.history = CatalogueHistory(catalogue, Path(params.catalogue).parent)
        self._breakdowns: dict[str, Breakdown | None] = {}
        self.ledger = read_ledger(params.published)
        self.benchmarks = BenchmarkTable.read(params.benchmarks) if params.benchmarks else None
        baseline = catalogue.spc.baseline_months
        every, specs = month_ends(self.period, catalogue)
        periods, before = every[baseline:], every[:baseline]
        ordered = catalogue.ordered()
        # every month end the paper needs, its control charts' baselines included, from the one loaded extract;
        # the month's breakdowns counted meanwhile, by the first thread free (at 80,000 children, the model with
        # its breakdowns took 1.09 to 1.34 s, median 1.14, against 1.16 to 1.65 s, 1.45, counted after; 4 pairs)
        covered: dict[str, Period | None] = {}  # (found meanwhile too: millions of dates looked through)

        def alongside() -> None:
            self._breakdowns.update({d.id: self._breakdown_of(d.id) for d in ordered})
            covered.update({d.id: first_covered(extract, d.spec()) for d in ordered})

        series = compute_series(extract, every, self.population, specs=specs, alongside=alongside)
        self.outturns = [
            Outturn(d, periods, tuple(series[d.id][baseline:]),
                    before=tuple(series[d.id][:baseline]), before_periods=before,
                    covered_from=covered[d.id], options=catalogue.spc,
                    in_force=tuple(self.history.in_force(d.id, p) for p in periods),
                    benchmark=self.benchmarks.latest(d.id, self.period.end) if self.benchmarks else None,
                    history=self.benchmarks.history(d.id, self.period.end) if self.benchmarks else (),
                    changes=tuple(changes_in_words(self.history, d.id, periods)),
                    ledger=self.ledger.get(d.id, {}))
            for d in ordered
        ]

    def population(self, period: Period) -> float | None:
        """The population aged 0-17 for a month: typed in the params, or the ONS estimate in force."""
        return population_of(self.params, self.benchmarks)(period)

    def exceptions(self, part: str = PART2) -> list[str]:
        """Ids of indicators below expectation (Red or Amber) in that paper, in display order."""
        return [o.definition.id for o in self.outturns if o.rag(part).below_expectation]

    def outturn(self, indicator_id: str) -> Outturn:
        return next(o for o in self.outturns if o.definition.id == indicator_id)

    def names(self) -> dict[str, str]:
        """Each indicator as members know it: 'Indicator 16: Children becoming subject to ...'."""
        return {o.definition.id: indicator_name(o.definition.number, o.definition.title) for o in self.outturns}

    def public_ids(self) -> set[str]:
        """Indicators whose figures the public paper shows this month."""
        return {o.definition.id for o in self.outturns if not o.withheld()}

    def breakdown(self, indicator_id: str) -> Breakdown | None:
        """The indicator's breakdown this month with its secondary suppression, or None."""
        if indicator_id not in self._breakdowns:  # (the catalogue's are counted with the month ends)
            self._breakdowns[indicator_id] = self._breakdown_of(indicator_id)
        return self._breakdowns[indicator_id]

    def _breakdown_of(self, indicator_id: str) -> Breakdown | None:
        found = breakdown_for(indicator_id, Context(self.extract, self.period, None))
        if found is None or found[1].empty:
            return None
        caption, counts = found
        hidden, audit = protect([int(x) for x in counts["count"]], name=caption)
        return Breakdown(caption, counts, hidden, audit)

    def disclosure_audit(self) -> list[dict]:
        """The audit of every public table with a total (recorded with the run)."""
        return [b.audit.as_record() for b in (self.breakdown(o.definition.id) for o in self.outturns) if b]

    def warnings(self) -> pd.DataFrame:
        """The extract's warnings plus the period's own (open episodes of adults at E)."""
        frames = [self.extract.warnings]
        if self.extract.has(*REGISTRY["cla_rate"].needs):
            frames.append(adult_warnings(Context(self.extract, self.period)))
        frames = [f for f in frames if len(f)]
        return pd.concat(frames, ignore_index=True) if frames else self.extract.warnings
