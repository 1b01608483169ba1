"""The month's paper as the notebook shows it.

The notebook calls :func:`open_paper` with its parameters, then one method per
section. Each section is displayed with two representations in one output:

* ``text/html``: the confidential (Part 2) paper, what the analyst sees in Jupyter;
* ``application/vnd.scrutiny.part1+html``: the public (Part 1) paper, suppressed.

Rendering the public paper keeps only outputs that carry the public representation,
so anything that forgets to offer one never reaches the public.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from html import escape
from pathlib import Path

import pandas as pd

from . import charts
from .benchmarks import Benchmark, BenchmarkTable, parse_published, shorthand
from .breakdowns import breakdown_for
from .disclosure import protect
from .catalogue import Catalogue, CatalogueHistory, IndicatorDefinition, load_catalogue
from .compute import compute_series
from .indicators import NOT_SUPPLIED, REGISTRY, Context, IndicatorResult
from .indicators.looked_after import adult_warnings
from .params import PeriodParams, validate_params
from .periods import Period
from .present import NOT_APPLICABLE, NOT_AVAILABLE, SUPPRESSED, format_count, format_number
from .rating import RAG, Direction, direction, rate
from .suppress import disclosure, is_small, public_result
from .validate import Extract, load_extract

PUBLIC_MIME = "application/vnd.scrutiny.part1+html"
EXEMPT = ("Exempt information under paragraphs 1 and 2 of Schedule 12A to the Local Government Act 1972 "
          "(information relating to, or likely to reveal the identity of, an individual).")
PART2_ONLY = "part2-only"  # tag on cells the public paper leaves out
PART1, PART2 = "part1", "part2"
TREND_MONTHS = 13


class Section:
    """A displayable section with a confidential and (optionally) a public form."""

    def __init__(self, part2: str, part1: str | None):
        self.part2, self.part1 = part2, part1

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/html": self.part2}
        if self.part1 is not None:
            bundle[PUBLIC_MIME] = self.part1
        return bundle


def both(render) -> Section:
    """A Section from a function rendering either paper."""
    return Section(render(PART2), render(PART1))


@dataclass(frozen=True)
class Outturn:
    """One indicator over the trend months: definition, results, and the public version."""

    definition: IndicatorDefinition
    periods: tuple[Period, ...]
    results: tuple[IndicatorResult, ...]
    in_force: tuple[IndicatorDefinition | None, ...] = ()  # the catalogue entry each month, across reviews
    benchmark: Benchmark | None = None
    changes: tuple[str, ...] = field(default=())
    ledger: dict = field(default_factory=dict)  # period -> figures as a final public paper showed them

    @property
    def small_cohort(self) -> bool:
        """This month's group is small enough that members see numbers, not a percentage."""
        return self.definition.is_small_cohort(self.results[-1].denominator)

    @cached_property
    def _differenced(self) -> tuple[bool, ...]:
        """Months withheld because a difference with an earlier shown month gives a small count away."""
        ytd = differencing_withheld(self.definition, self.periods, self.results)
        return tuple(a or b for a, b in zip(ytd, revision_withheld(self.definition, self.periods, self.results,
                                                                     self.ledger)))

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

    def short_trend(self, part: str, months: int = 3) -> str:
        """The last few months in words, for an exception."""
        d = self.definition
        shown = []
        for period, result, k in zip(self.periods[-months:], self.series(part)[-months:],
                                     range(len(self.periods) - months, len(self.periods))):
            withheld = part == PART1 and self.withheld(k)
            text = SUPPRESSED if withheld else format_number(result.value, d.decimals, d.unit)
            shown.append(f"{period.start:%B %Y} {text}")
        return f'<p class="exception-trend">Recent months: {"; ".join(shown)}.</p>'

    def fraction(self, part: str) -> str:
        """' (549 of 2,415)' beside a ratio; nothing for a count, or where numbers are the outturn."""
        if self.definition.unit == "count" or self.small_cohort or self.latest(PART2).denominator is None:
            return ""
        return f" ({self.figure(part, 'numerator')} of {self.figure(part, 'denominator')})"

    def published(self, column: str) -> str:
        """A published benchmark figure in the indicator's unit, or its shorthand."""
        text = getattr(self.benchmark, column) if self.benchmark else "x"
        value = parse_published(text)
        return shorthand(text) if value is None else format_number(value, self.definition.decimals,
                                                                      self.definition.unit)

    def references(self) -> dict[str, float]:
        """England and statistical-neighbour figures, for reference lines on the chart."""
        if self.benchmark is None:
            return {}
        year = self.benchmark.year_label
        lines = {f"England {year}": self.benchmark.number("england"),
                 f"Statistical neighbours {year}": self.benchmark.number("statistical_neighbours")}
        return {k: v for k, v in lines.items() if v is not None}


class Paper:
    """Everything one month's paper shows, computed once."""

    def __init__(self, params: PeriodParams, extract: Extract, catalogue: Catalogue):
        self.params, self.extract, self.catalogue = params, extract, catalogue
        self.period = params.period_obj
        self.history = CatalogueHistory(catalogue, Path(params.catalogue).parent)
        self._breakdowns: dict[str, tuple | None] = {}
        self.ledger = read_ledger(params.published)
        self.benchmarks = BenchmarkTable.read(params.benchmarks) if params.benchmarks else None
        periods = tuple(self.period.trailing(TREND_MONTHS))
        ordered = catalogue.ordered()
        series = compute_series(extract, periods, self.population, specs=[d.spec() for d in ordered])
        self.outturns = [
            Outturn(d, periods, tuple(series[d.id]),
                    in_force=tuple(self.history.in_force(d.id, p) for p in periods),
                    benchmark=self.benchmarks.latest(d.id, self.period.end) if self.benchmarks else None,
                    changes=tuple(self.history.changes(d.id, periods)),
                    ledger=self.ledger.get(d.id, {}))
            for d in ordered
        ]

    def population(self, period: Period) -> float | None:
        """The population aged 0-17 for a month: typed in the params, or the ONS estimate in force."""
        if self.params.population == "ons":
            return self.benchmarks.population(period.end)
        return self.params.population

    # -- which indicators need commentary ----------------------------------------------

    def exceptions(self, part: str = PART2) -> list[str]:
        """Ids of indicators below expectation (Red or Amber) in that paper, in display order."""
        return [o.definition.id for o in self.outturns if o.rag(part).below_expectation]

    def outturn(self, indicator_id: str) -> Outturn:
        return next(o for o in self.outturns if o.definition.id == indicator_id)

    # -- sections ------------------------------------------------------------------------

    def cover(self) -> Section:
        c = self.params.cover

        def render(part):
            marker = "PART 1 (PUBLIC)" if part == PART1 else f"PART 2 (CONFIDENTIAL): NOT FOR PUBLICATION. {EXEMPT}"
            cls = "part1" if part == PART1 else "part2"
            return (
                f'<header class="cover"><p class="marking {cls}">{marker}</p>'
                f"<h1>{escape(c.title)}</h1>"
                f'<p class="as-at">Performance as at the end of {self.period.label}</p>'
                f'<dl class="cover-details">{cover_details(c)}</dl></header>'
            )

        return both(render)

    def scorecard(self) -> Section:
        def render(part):
            rows = []
            for o in self.outturns:
                d = o.definition
                rag = o.rag(part)
                rows.append(
                    "<tr>"
                    f'<th scope="row">{d.number}</th><td>{escape(d.title)}</td>'
                    f'<td class="num">{o.figure(part, "numerator")}</td>'
                    f'<td class="num">{o.figure(part, "denominator")}</td>'
                    f'<td class="num">{o.figure(part, "value")}</td>'
                    f"<td>{escape(d.describe_expectation())}</td>"
                    f"<td>{rag_badge(rag)}</td>"
                    f"<td>{travel_text(o.travel(part, 1))}</td><td>{travel_text(o.travel(part, 12))}</td>"
                    "</tr>"
                )
            head = "".join(
                f'<th scope="col">{h}</th>'
                for h in ["No.", "Indicator", "Numerator", "Denominator", "Outturn", "Target or range",
                          "Rating", "Since last month", "Since a year ago"]
            )
            return (
                '<section class="scorecard" aria-labelledby="scorecard-h"><h3 id="scorecard-h">Performance index</h3>'
                f'<table><caption>Children\'s scrutiny dataset as at the end of {self.period.label}: outturn, '
                "rating and direction of travel for every indicator</caption>"
                f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
            )

        return both(render)

    def _month(self, text: str) -> str:
        return escape(text.replace("{month}", self.period.label))

    def introduction(self) -> Section:
        """1 Reason for report, 2 Recommendations, then the impact and implication summary."""
        r = self.params.report

        def render(part):
            summary = "".join(f"<dt>{escape(h)}</dt><dd>{escape(t)}</dd>"
                              for h, t in zip(r.implications.HEADINGS.values(),
                                              (getattr(r.implications, k) for k in r.implications.HEADINGS)))
            return (
                '<section aria-labelledby="reason-h"><h2 id="reason-h">1. Reason for report</h2>'
                + numbered(1, [r.reason], self._month) + "</section>"
                '<section aria-labelledby="recs-h"><h2 id="recs-h">2. Recommendation(s)</h2>'
                + numbered(2, r.recommendations, self._month) + "</section>"
                '<section aria-labelledby="impl-summary-h"><h2 id="impl-summary-h">Impact and implications</h2>'
                f'<dl class="implications">{summary}</dl></section>'
            )

        return both(render)

    def commentary_opening(self) -> Section:
        """3 Commentary: the opening paragraphs, then which indicators are below expectation."""
        r = self.params.report

        def render(part):
            paras = list(r.commentary_opening)
            if part == PART1:
                paras.append(
                    "Some data in this Part 1 public report has been suppressed to minimise the risk of sensitive "
                    "personal information being identified. The publication of data should not result in the "
                    "identification of a person when it is reviewed with other publicly available data or when "
                    "combined with information provided through FOI requests. Performance for this reason is "
                    "presented in full in the Part 2 report.")
            ids = self.exceptions(part)
            lead = (f"As at the end of {self.period.label}, the following {len(ids)} indicator"
                    f"{'s were' if len(ids) != 1 else ' was'} performing below expectation:" if ids else
                    f"As at the end of {self.period.label}, no indicator was performing below expectation.")
            paras.append(lead)
            items = "".join(
                f'<li><a href="#exception-{i}">Indicator {self.outturn(i).definition.number}: '
                f"{escape(self.outturn(i).definition.title)}</a> ({self.outturn(i).rag(part).value})</li>"
                for i in ids
            )
            hidden = len(set(self.exceptions(PART2)) - set(ids)) if part == PART1 else 0
            note = (f"<p>{hidden} further indicator(s) below expectation have figures withheld in this paper to "
                    "protect individuals; they are reported, with commentary, in the Part 2 paper.</p>"
                    if hidden else "")
            return (
                '<section class="exceptions" aria-labelledby="commentary-h">'
                '<h2 id="commentary-h">3. Commentary</h2>' + numbered(3, paras)
                + (f"<ul>{items}</ul>" if items else "") + note
                + '<h3 class="exceptions-h">Management commentary on exceptions: index indicators performing below '
                "expectation</h3></section>"
            )

        return both(render)

    def implications(self) -> Section:
        """Numbered sections for the headings that apply; the rest on one Non-Applicable Headings line."""
        r = self.params.report

        def render(part):
            blocks = "".join(
                f'<section aria-labelledby="impl-{n}-h"><h2 id="impl-{n}-h">{n}. {escape(h.upper())}</h2>'
                f"{numbered(n, [t])}</section>"
                for n, (h, t) in enumerate(r.implications.applicable(), start=4)
            )
            na = r.implications.not_applicable()
            docs = "".join(f"<li>{escape(d)}</li>" for d in r.background_documents)
            return (
                blocks + '<dl class="closing">'
                + (f"<dt>Non-Applicable Headings:</dt><dd>{escape('; '.join(na))}.</dd>" if na else "")
                + "<dt>Background Documents: (Access via Contact Officer)</dt>"
                + (f'<dd><ul>{docs}</ul></dd>' if docs else "<dd>None.</dd>") + "</dl>"
            )

        return both(render)

    def appendix(self) -> Section:
        """Appendix one: the performance index, then one section per indicator."""
        card, detail = self.scorecard(), self.trends()
        opening = ('<section class="appendix" aria-labelledby="appendix-h"><h2 id="appendix-h">Appendix one: '
                   f"performance index as at the end of {self.period.label}</h2>")
        return Section(opening + card.part2 + detail.part2 + "</section>",
                       opening + card.part1 + detail.part1 + "</section>")

    def exception(self, indicator_id: str) -> Section:
        """One exception's heading and figures; the analyst's commentary cell follows it."""
        o = self.outturn(indicator_id)

        def render(part):
            d = o.definition
            return (
                f'<h4 class="exception-h" id="exception-{d.id}">Indicator {d.number}: {escape(d.title)} – '
                f"{o.rag(part).value}</h4>"
                f'<p class="exception-figures">{rag_badge(o.rag(part))} Outturn {o.figure(part, "value")}'
                f'{o.fraction(part)}; target or range: {escape(d.describe_expectation())}; '
                f"{travel_text(o.travel(part, 1))} since last month, {travel_text(o.travel(part, 12))} "
                "since a year ago.</p>" + o.short_trend(part) + benchmark_sentence(o)
            )

        # public unless the public paper withholds its figures (an indicator reported by exception too)
        public = None if o.withheld() else render(PART1)
        return Section(render(PART2), public)

    def trends(self) -> Section:
        def render(part):
            blocks = []
            for o in self.outturns:
                d = o.definition
                series = o.series(part)
                withheld = [part == PART1 and o.withheld(k) for k in range(len(series))]
                counts = None
                if o.small_cohort:
                    counts = ([r.numerator for r in series], [r.denominator for r in series])
                svg = charts.trend_svg(d, list(o.periods), [r.value for r in series], in_force=list(o.in_force),
                                       references=o.references(), counts=counts)
                alt = charts.alt_text(d, list(o.periods), [r.value for r in series], withheld,
                                      references=o.references(), counts=counts)
                supplied = ("<p><strong>Not supplied:</strong> no figure was returned for this month.</p>"
                            if o.results[-1].status == NOT_SUPPLIED else "")
                small = (f"<p>The group is smaller than {d.small_cohort}, so the outturn is given as numbers "
                         "rather than a percentage, as the committee asked.</p>" if o.small_cohort else "")
                changes = ("<ul class=\"changes\">" + "".join(f"<li>{escape(c)}</li>" for c in o.changes) + "</ul>"
                           if o.changes else "")
                blocks.append(
                    f'<section class="indicator" aria-labelledby="ind-{d.id}">'
                    f'<h4 id="ind-{d.id}">Indicator {d.number}: {escape(d.title)}</h4>'
                    f"<p><strong>Why this indicator is important:</strong> {escape(d.why_important)}</p>"
                    f"<p><strong>Definition:</strong> {escape(d.definition)}</p>"
                    f'<p class="figures"><strong>Outturn:</strong> {o.figure(part, "value")}{o.fraction(part)}; '
                    f"target or range: {escape(d.describe_expectation())}; {rag_badge(o.rag(part))}; "
                    f"{travel_text(o.travel(part, 1))} since last month, {travel_text(o.travel(part, 12))} since "
                    f"a year ago.</p>{supplied}{small}{changes}"
                    f"<figure>{charts.img_tag(svg, alt)}<figcaption>{escape(d.title)}: the last "
                    f"{len(o.periods)} month ends."
                    + (f" {sum(withheld)} month(s) withheld {SUPPRESSED} to protect individuals and not plotted."
                       if any(withheld) else "")
                    + f"</figcaption></figure>{self.benchmark_table(o)}"
                    f"{self.breakdown_table(d.id, part)}</section>"
                )
            return ('<section class="trends" aria-labelledby="trends-h"><h3 id="trends-h">Indicators in detail</h3>'
                    + "".join(blocks) + "</section>")

        return both(render)

    def breakdown(self, indicator_id: str):
        """(caption, counts, hidden-in-public, audit) for an indicator, or None."""
        if indicator_id not in self._breakdowns:
            found = breakdown_for(indicator_id, Context(self.extract, self.period, None))
            if found is None or found[1].empty:
                self._breakdowns[indicator_id] = None
            else:
                caption, counts = found
                hidden, audit = protect([int(x) for x in counts["count"]], name=caption)
                self._breakdowns[indicator_id] = (caption, counts, hidden, audit)
        return self._breakdowns[indicator_id]

    def disclosure_audit(self) -> list[dict]:
        """The audit of every public table with a total (recorded with the run)."""
        return [b[3].as_record() for b in (self.breakdown(o.definition.id) for o in self.outturns) if b]

    def breakdown_table(self, indicator_id: str, part: str = PART2) -> str:
        """Counts behind the indicator this month; in public, with secondary suppression proven by audit."""
        found = self.breakdown(indicator_id)
        if found is None:
            return ""
        caption, counts, hidden, audit = found
        if part == PART1 and not audit.passed:  # cannot be protected: withhold the whole table
            return (f'<p class="withheld">{escape(caption)}: withheld {SUPPRESSED} to protect individuals.</p>')
        rows = []
        for k, r in enumerate(counts.itertuples()):
            shown = SUPPRESSED if part == PART1 and hidden[k] else f"{r.count:,}"
            rows.append(f'<tr><th scope="row">{escape(str(r.category))}</th><td class="num">{shown}</td></tr>')
        total = int(counts["count"].sum())
        marking = "confidential" if part == PART2 else "cells withheld [c] where a reader could work out a number " \
                                                       "from 1 to 5" if any(hidden) else "public"
        return (f'<table class="breakdown"><caption>{escape(caption)}, {self.period.label} ({marking})</caption>'
                '<thead><tr><th scope="col">Category</th><th scope="col">Number</th></tr></thead>'
                f'<tbody>{"".join(rows)}</tbody><tfoot><tr><th scope="row">Total</th><td class="num">{total:,}</td>'
                "</tr></tfoot></table>")

    def benchmark_table(self, o: Outturn) -> str:
        """The published comparison for one indicator (public figures: the same in both papers)."""
        b = o.benchmark
        if b is None:
            return ""
        name = b.authority_name or "This authority"
        rows = [("England", o.published("england")),
                (b.region_name or "Region", o.published("region")),
                (f"Statistical neighbours (average of {b.neighbours_used} of 10)", o.published("statistical_neighbours")),
                (f"{name} (published)", o.published("authority"))]
        if b.quartile is not None:
            rows.append(("Quartile band among authorities", f"{b.quartile} of 4 ({_BAND[o.definition.polarity]}, "
                                                            f"{b.authorities_ranked} authorities)"))
        body = "".join(f'<tr><th scope="row">{escape(k)}</th><td class="num">{escape(v)}</td></tr>' for k, v in rows)
        return (f'<table class="benchmarks"><caption>Published figures for {b.year_label} (year ending 31 March '
                f"{b.year}), Department for Education</caption>"
                f'<thead><tr><th scope="col">Area</th><th scope="col">Figure</th></tr></thead>'
                f"<tbody>{body}</tbody></table>")

    def data_quality(self) -> Section:
        summary = (f"<p>{self.extract.records_left_out:,} record(s) in the extract were left out of the "
                   "calculations because they did not meet the data contract.</p>")
        opening = '<section class="data-quality" aria-labelledby="dq-h"><h2 id="dq-h">Data quality</h2>' + summary
        public = opening + "<p>The records are listed in the Part 2 paper.</p></section>"
        private = (opening + issue_table(self.extract.record_errors, "Records left out of the calculations")
                   + issue_table(self.warnings(), "Data-quality warnings (records kept)") + "</section>")
        return Section(private, public)

    def warnings(self) -> pd.DataFrame:
        """The extract's warnings plus the period's own (open episodes of adults at E)."""
        frames = [self.extract.warnings]
        if self.extract.has(*REGISTRY["cla_rate"].needs):
            frames.append(adult_warnings(Context(self.extract, self.period)))
        frames = [f for f in frames if len(f)]
        return pd.concat(frames, ignore_index=True) if frames else self.extract.warnings

    def key(self) -> Section:
        def render(part):
            return (
                '<section class="key" aria-labelledby="key-h"><h2 id="key-h">Key to symbols</h2><dl>'
                f"<dt>{SUPPRESSED}</dt><dd>Confidential: withheld to protect individuals (a count from 1 to 5, or "
                "a figure from which one could be worked out).</dd>"
                f"<dt>{NOT_AVAILABLE}</dt><dd>Not available: no figure for this period, or not supplied.</dd>"
                f"<dt>{NOT_APPLICABLE}</dt><dd>Not applicable: a count has no denominator.</dd>"
                "<dt>[low]</dt><dd>Published as low: rounds to zero, but is not zero.</dd>"
                "<dt>Green, Amber, Red</dt><dd>Green: on or better than target, or within the acceptable range. "
                "Amber: within tolerance of it. Red: outside tolerance. Amber and Red are below expectation.</dd>"
                "</dl></section>"
            )

        return both(render)


def differencing_withheld(definition: IndicatorDefinition, periods, results) -> list[bool]:
    """For a year-to-date count, which months the public paper withholds so that no two shown months differ by 1 to 5.

    Last month's 3 and this month's 5 would tell a reader that 2 were added this month,
    so, month by month through each financial year, a figure is withheld when it is
    within 1 to 5 of a figure already shown that year. Other indicators: none.

    >>> from types import SimpleNamespace as N
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


def revision_withheld(definition: IndicatorDefinition, periods, results, published: dict) -> list[bool]:
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


def read_ledger(path: str | None) -> dict:
    """indicator -> period -> figures, from ``outputs/published.json`` (empty if there is none)."""
    if not path or not Path(path).is_file():
        return {}
    import json

    return json.loads(Path(path).read_text(encoding="utf-8"))


def record_published(paper: Paper, path: Path) -> None:
    """Add this period's public figures to the ledger (first publication wins; earlier months are never rewritten)."""
    import json

    from ._files import write_atomic

    ledger = read_ledger(str(path))
    for o in paper.outturns:
        latest = o.public[-1]
        ledger.setdefault(o.definition.id, {}).setdefault(
            str(paper.period), {"numerator": latest.numerator, "denominator": latest.denominator,
                                "value": latest.value})
    write_atomic(Path(path), json.dumps(ledger, indent=1, sort_keys=True) + "\n")


def cover_details(c) -> str:
    """The cover block's rows as seed 001 sets them out, the contact's e-mail as a link."""
    email = escape(c.contact_email or "")
    rows = [
        ("Decision Maker", escape(c.decision_maker)),
        ("Date", f"{c.meeting_date:%A} {c.meeting_date.day} {c.meeting_date:%B %Y}"),
        ("Decision Type", escape(c.decision_type)),
        ("Title", escape(c.title)),
        ("Contact Officer", escape(c.contact_officer)
         + (f' (e-mail: <a href="mailto:{email}">{email}</a>)' if email else "")),
        ("Chief Officer", escape(c.chief_officer)),
        ("Ward", escape(c.ward)),
    ]
    return "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)


def numbered(section: int, texts, render=escape) -> str:
    """Paragraphs numbered as committee reports number them: 3.1, 3.2 ...

    >>> numbered(2, ["Note the outturns."])
    '<p class="para"><span class="no">2.1</span> Note the outturns.</p>'
    """
    return "".join(f'<p class="para"><span class="no">{section}.{k}</span> {render(t)}</p>'
                   for k, t in enumerate(texts, start=1))


def issue_table(issues: pd.DataFrame, caption: str) -> str:
    """A table of (file, row, column, message) rows; nothing when there are none."""
    if issues.empty:
        return ""
    head = "".join(f'<th scope="col">{h}</th>' for h in ("File", "Row", "Column", "Problem"))
    rows = "".join(
        f'<tr><td>{escape(r.file)}</td><td class="num">{r.row}</td><td>{escape(r.column)}</td>'
        f"<td>{escape(r.message)}</td></tr>"
        for r in issues.itertuples()
    )
    return f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def rag_badge(rag: RAG) -> str:
    shape = {RAG.GREEN: "●", RAG.AMBER: "▲", RAG.RED: "■", RAG.NOT_RATED: "–"}[rag]
    cls = rag.name.lower().replace("_", "-")
    return f'<span class="rag rag-{cls}"><span aria-hidden="true">{shape}</span> {rag.value}</span>'


_BAND = {"high": "1 is the highest quarter, the best", "low": "1 is the lowest quarter, the best",
         "neutral": "1 is the lowest quarter"}


def benchmark_sentence(o: Outturn) -> str:
    """One sentence comparing with the published figures, for an exception."""
    b = o.benchmark
    if b is None:
        return ""
    return (f'<p class="exception-benchmark">Published {b.year_label}: England {o.published("england")}, '
            f'statistical neighbours {o.published("statistical_neighbours")}, '
            f'{escape(b.authority_name or "this authority")} {o.published("authority")}.</p>')


def travel_text(d: Direction) -> str:
    return f'<span class="dot"><span aria-hidden="true">{d.arrow}</span> {d.word}</span>'


def open_paper(**parameters) -> Paper:
    """Validate the notebook's parameters, load the extract and catalogue, compute everything."""
    params = validate_params(parameters, "notebook parameters")
    return Paper(params, load_extract(params.data), load_catalogue(params.catalogue))
