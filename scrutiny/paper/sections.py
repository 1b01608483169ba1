"""The performance paper's sections, each a small function of (model, part) giving that paper's HTML.

``part`` is :data:`~scrutiny.paper.parts.PART1` (public: suppressed figures) or
:data:`~scrutiny.paper.parts.PART2` (confidential: everything). A section that differs
in more than its figures says so where it branches. Every text from params, the
catalogue or the extract is escaped. Imports: the paper's model, format, html and charts.
"""

from __future__ import annotations

from html import escape

from ..assess.rating import RAG, display_round
from ..assess.suppress import SMALL_RANGE
from ..indicators import NOT_SUPPLIED
from . import charts, variation
from .signals import _control_figure, icon_key, months_in_words as _months, signal  # noqa: F401
from .format import KEY, NOT_APPLICABLE, NOT_AVAILABLE, SUPPRESSED, describe_expectation, format_number
from .benchmarks import QUARTILE as _QUARTILE, benchmark_sentence, benchmark_table
from .html import cover_details, issue_table, numbered, rag_badge, travel_text
from .model import Outturn, PaperModel
from .parts import PART1, PART2

EXEMPT = ("Exempt information under paragraphs 1 and 2 of Schedule 12A to the Local Government Act 1972 "
          "(information relating to, or likely to reveal the identity of, an individual).")
SUPPRESSION_NOTE = (
    "Some data in this Part 1 public report has been suppressed to minimise the risk of sensitive "
    "personal information being identified. The publication of data should not result in the "
    "identification of a person when it is reviewed with other publicly available data or when "
    "combined with information provided through FOI requests. Performance for this reason is "
    "presented in full in the Part 2 report.")


def _month(m: PaperModel, text: str) -> str:
    return escape(text.replace("{month}", m.period.label))


def cover(m: PaperModel, part: str) -> str:
    c = m.params.cover
    marker = "PART 1 (PUBLIC)" if part == PART1 else f"PART 2 (CONFIDENTIAL): NOT FOR PUBLICATION. {EXEMPT}"
    cls = "part1" if part == PART1 else "part2"
    return (
        f'<header class="cover"><p class="marking {cls}">{marker}</p>'
        f"<h1>{escape(c.title)}</h1>"
        f'<p class="as-at">Performance as at the end of {m.period.label}</p>'
        f'<dl class="cover-details">{cover_details(c)}</dl></header>'
    )


def introduction(m: PaperModel, part: str) -> str:
    """1 Reason for report, 2 Recommendations, then the impact and implication summary."""
    r = m.params.report
    summary = "".join(f"<dt>{escape(h)}</dt><dd>{escape(t)}</dd>"
                      for h, t in zip(r.implications.HEADINGS.values(),
                                      (getattr(r.implications, k) for k in r.implications.HEADINGS)))
    return (
        '<section aria-labelledby="reason-h"><h2 id="reason-h">1. Reason for report</h2>'
        + numbered(1, [r.reason], lambda t: _month(m, t)) + "</section>"
        '<section aria-labelledby="recs-h"><h2 id="recs-h">2. Recommendation(s)</h2>'
        + numbered(2, r.recommendations, lambda t: _month(m, t)) + "</section>"
        '<section aria-labelledby="impl-summary-h"><h2 id="impl-summary-h">Impact and implications</h2>'
        f'<dl class="implications">{summary}</dl></section>'
    )


def commentary_opening(m: PaperModel, part: str) -> str:
    """3 Commentary: the opening paragraphs, then which indicators are below expectation."""
    paras = list(m.params.report.commentary_opening)
    if part == PART1:
        paras.append(SUPPRESSION_NOTE)
    ids = m.exceptions(part)
    lead = (f"As at the end of {m.period.label}, the following {len(ids)} indicator"
            f"{'s were' if len(ids) != 1 else ' was'} performing below expectation:" if ids else
            f"As at the end of {m.period.label}, no indicator was performing below expectation.")
    paras.append(lead)
    items = "".join(
        f'<li><a href="#exception-{i}">Indicator {m.outturn(i).definition.number}: '
        f"{escape(m.outturn(i).definition.title)}</a> ({m.outturn(i).rag(part).value})</li>"
        for i in ids
    )
    hidden = len(set(m.exceptions(PART2)) - set(ids)) if part == PART1 else 0
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


def _tolerance(d) -> str:
    if d.unit == "percent":
        return f"{format_number(d.tolerance, d.decimals, 'count')} percentage points"
    return format_number(d.tolerance, d.decimals, d.unit)


def rating_words(o: Outturn, part: str) -> str:
    """Why the rating is what it is, in words: which side of the target or range, and the tolerance.

    A neutral indicator's range says which side the figure is on, so an Amber is never unexplained.
    """
    d, rag = o.definition, o.rag(part)
    expectation = escape(describe_expectation(d))
    value = display_round(o.latest(part).value, d.decimals)
    if not d.rated:
        return "no target or range is set, so it is not rated"
    if value is None:
        return (f"not rated: the figure is withheld {SUPPRESSED} in this paper" if part == PART1
                and o.results[-1].value is not None else "not rated: there is no figure this month")
    within = f"within its tolerance of {_tolerance(d)}"
    beyond = f"by more than its tolerance of {_tolerance(d)}"
    if d.target is not None:
        if rag is RAG.GREEN:
            return f"meets the target of {expectation}"
        return f"short of the target of {expectation}, {within if rag is RAG.AMBER else beyond}"
    if rag is RAG.GREEN:
        return f"within the acceptable range of {expectation}"
    side = "below" if value < d.range.low else "above"
    return (f"{side} the acceptable range of {expectation} ({'lower' if side == 'below' else 'higher'} than "
            f"expected), {within if rag is RAG.AMBER else beyond}")


def exception(m: PaperModel, part: str, indicator_id: str) -> str:
    """One exception's heading and figures; the analyst's commentary cell follows it."""
    o = m.outturn(indicator_id)
    d = o.definition
    return (
        f'<h4 class="exception-h" id="exception-{d.id}">Indicator {d.number}: {escape(d.title)} – '
        f"{o.rag(part).value}</h4>"
        f'<p class="exception-figures">{rag_badge(o.rag(part))} Outturn {o.figure(part, "value")}'
        f'{o.fraction(part)}: {rating_words(o, part)}; '
        f"{travel_text(o.travel(part, 1))} since last month, {travel_text(o.travel(part, 12))} "
        "since a year ago.</p>"
        f'<p class="exception-trend">Recent months: {"; ".join(o.recent(part))}.</p>' + signal(o, part)
        + benchmark_sentence(o) + f'<p class="to-detail"><a href="#ind-{d.id}">Indicator {d.number} in detail: trend, benchmarks and '
        "breakdown (appendix one)</a></p>"
    )


def implications(m: PaperModel, part: str) -> str:
    """Numbered sections for the headings that apply; the rest on one Non-Applicable Headings line."""
    r = m.params.report
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




def trend_words(o: Outturn, part: str) -> str:
    """The text alternative of an indicator's small trend line: span, first and latest figure, gaps."""
    d = o.definition
    series = o.series(part)
    shown = [(p, r.value) for k, (p, r) in enumerate(zip(o.periods, series))
             if r.value is not None and not (part == PART1 and o.withheld(k))]
    words = f"{d.index_title}, the last {len(o.periods)} months"
    if len(shown) < 2:
        return words + ": too few figures to draw a trend"
    (p0, v0), (p1, v1) = shown[0], shown[-1]
    words += (f": {format_number(v0, d.decimals, d.unit)} in {p0.label}, "
              f"{format_number(v1, d.decimals, d.unit)} in {p1.label}")
    gaps = len(o.periods) - len(shown)
    return words + (f"; {gaps} month(s) not shown (withheld or no figure)" if gaps else "")


def _compared(o: Outturn, column: str) -> str:
    """A published comparison for the index: none for a count (compared through its rate instead)."""
    if o.benchmark is None:
        return NOT_AVAILABLE
    return NOT_APPLICABLE if o.definition.unit == "count" else o.published(column)


def scorecard(m: PaperModel, part: str) -> str:
    """The performance index: every indicator on one page, as members scan it for where to ask questions."""
    rows = []
    for o in m.outturns:
        d = o.definition
        series = o.series(part)
        values = [None if (part == PART1 and o.withheld(k)) else r.value for k, r in enumerate(series)]
        spark = charts.sparkline(values, trend_words(o, part)) or '<span class="muted">[x]</span>'
        b = o.benchmark
        quartile = f"{_QUARTILE[b.quartile]}" if b is not None and b.quartile else NOT_AVAILABLE
        c = o.control(part)
        # no chart reading: [c] where this month's figure is withheld, [z] where there is none to make
        none = SUPPRESSED if part == PART1 and o.withheld() and o.results[-1].value is not None else NOT_APPLICABLE
        icons = ((variation.variation_icon(c.result.variation, c.result.points[c.result.last].way),
                  variation.assurance_icon(c.result.assurance, against_range=d.range is not None) or NOT_APPLICABLE)
                 if c is not None else (none, none))
        rows.append(
            "<tr>"
            f'<th scope="row">{d.number}</th>'
            f'<td class="ind"><a href="#ind-{d.id}">{escape(d.index_title)}</a></td>'
            f'<td class="num">{o.figure(part, "value")}<span class="count">{o.fraction(part)}</span></td>'
            f"<td>{escape(describe_expectation(d))}</td>"
            f"<td>{rag_badge(o.rag(part))}</td>"
            f"<td>{travel_text(o.travel(part, 1))}</td><td>{travel_text(o.travel(part, 12))}</td>"
            f'<td class="spark-cell">{spark}</td>'
            f'<td class="icon-cell">{icons[0]}</td><td class="icon-cell">{icons[1]}</td>'
            f'<td class="num">{_compared(o, "england")}</td>'
            f'<td class="num">{_compared(o, "statistical_neighbours")}</td>'
            f'<td class="num">{quartile}</td>'
            "</tr>"
        )
    head = "".join(
        f'<th scope="col">{h}</th>'
        for h in ["No.", "Indicator", "Latest", "Target or range", "Rating", "Since last month",
                  "Since a year ago", "Last 13 months", "Variation", "Assurance", "England", "Statistical neighbours", "Quartile"]
    )
    year = next((o.benchmark.year_label for o in m.outturns if o.benchmark is not None), None)
    note = (f"England, statistical neighbours (their average) and the authority's quartile band among all "
            f"authorities (1st is the best quarter) are the latest published figures, for {year}. "
            if year else "")
    return (
        '<section class="scorecard" aria-labelledby="scorecard-h"><h3 id="scorecard-h">Performance index</h3>'
        f'<table class="perf-index"><caption>Children\'s scrutiny dataset as at the end of {m.period.label}: '
        "every indicator's latest figure, rating, direction of travel, trend and published comparison. "
        f'<span class="index-note">{note}Arrows point the way the figure moved; the words say whether that is '
        "better or worse. Variation and assurance icons read each indicator's control chart (see the key). "
        "Select an indicator for its detail.</span></caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def indicator_detail(m: PaperModel, part: str, o: Outturn) -> str:
    """One indicator's section in appendix one: why, definition, figures, chart, benchmarks, breakdown."""
    d = o.definition
    supplied = ("<p><strong>Not supplied:</strong> no figure was returned for this month.</p>"
                if o.results[-1].status == NOT_SUPPLIED else "")
    small = (f"<p>The group is smaller than {d.small_cohort}, so the outturn is given as numbers "
             "rather than a percentage, as the committee asked.</p>" if o.small_cohort else "")
    changes = ("<ul class=\"changes\">" + "".join(f"<li>{escape(c)}</li>" for c in o.changes) + "</ul>"
               if o.changes else "")
    return (
        f'<section class="indicator" aria-labelledby="ind-{d.id}">'
        f'<h4 id="ind-{d.id}">Indicator {d.number}: {escape(d.title)}</h4>'
        f"<p><strong>Why this indicator is important:</strong> {escape(d.why_important)}</p>"
        f"<p><strong>Definition:</strong> {escape(d.definition)}</p>"
        f'<p class="figures"><strong>Outturn:</strong> {o.figure(part, "value")}{o.fraction(part)}; '
        f"{rag_badge(o.rag(part))}: {rating_words(o, part)}; "
        f"{travel_text(o.travel(part, 1))} since last month, {travel_text(o.travel(part, 12))} since "
        f"a year ago.</p>{supplied}{small}{changes}"
        f'{signal(o, part)}{trend_figure(o, part)}<div class="detail-tables{_long(m, d.id)}">{benchmark_table(o)}'
        f"{breakdown_table(m, part, d.id)}</div></section>"
    )


def _long(m: PaperModel, indicator_id: str) -> str:
    """' long' where the breakdown has many rows: print gives it half the page's width."""
    found = m.breakdown(indicator_id)
    return " long" if found is not None and len(found.counts) > 10 else ""


def trend_figure(o: Outturn, part: str) -> str:
    """The trend chart, or words where there is nothing to draw: no figures, or a single month.

    Months without a figure, and months withheld in the public paper, are named in the
    caption and the alt text. A count is never drawn against England's count.
    """
    d = o.definition
    series = o.series(part)
    withheld = [part == PART1 and o.withheld(k) for k in range(len(series))]
    values = [None if w else r.value for r, w in zip(series, withheld)]
    hidden = [p for p, w in zip(o.periods, withheld) if w]
    missing = [p for p, v, w in zip(o.periods, values, withheld) if v is None and not w]
    shown = [(p, v) for p, v in zip(o.periods, values) if v is not None]
    if not shown:
        why = (f" ({len(hidden)} withheld {SUPPRESSED} to protect individuals)" if hidden else "")
        return (f'<p class="no-chart">No figures supplied for the last {len(o.periods)} months{why}, so there '
                "is no trend to draw.</p>")
    if len(shown) == 1 and not o.small_cohort:
        (period, value), = shown
        return (f'<p class="no-chart">Only {period.label} has a figure '
                f"({format_number(value, d.decimals, d.unit)}), so there is no trend to draw.</p>")
    c = o.control(part)
    if c is not None:
        return _control_figure(o, c, hidden, missing)
    counts = ([r.numerator for r in series], [r.denominator for r in series]) if o.small_cohort else None
    svg = charts.trend_svg(d, list(o.periods), values, in_force=list(o.in_force), references=o.references(),
                           counts=counts)
    gaps = ""
    if hidden:
        gaps += f" Withheld {SUPPRESSED} to protect individuals and not plotted: {_months(hidden)}."
    if missing:
        gaps += f" No figure for {_months(missing)}."
    alt = charts.alt_text(d, list(o.periods), values, withheld, references=o.references(), counts=counts) + gaps
    return (f"<figure>{charts.img_tag(svg, alt)}<figcaption>{escape(d.title)}: the last {len(o.periods)} month "
            f"ends.{gaps}</figcaption></figure>")


def trends(m: PaperModel, part: str) -> str:
    return ('<section class="trends" aria-labelledby="trends-h"><h3 id="trends-h">Indicators in detail</h3>'
            + "".join(indicator_detail(m, part, o) for o in m.outturns) + "</section>")


def appendix(m: PaperModel, part: str) -> str:
    """Appendix one: the performance index, then one section per indicator."""
    opening = ('<section class="appendix" aria-labelledby="appendix-h"><h2 id="appendix-h">Appendix one: '
               f"performance index as at the end of {m.period.label}</h2>")
    return opening + scorecard(m, part) + trends(m, part) + "</section>"


def breakdown_table(m: PaperModel, part: str, indicator_id: str) -> str:
    """Counts behind the indicator this month; in public, with secondary suppression proven by audit."""
    found = m.breakdown(indicator_id)
    if found is None:
        return ""
    withheld_indicator = part == PART1 and m.outturn(indicator_id).withheld()
    if part == PART1 and (not found.audit.passed or withheld_indicator):  # withhold the whole table
        return f'<p class="withheld">{escape(found.caption)}: withheld {SUPPRESSED} to protect individuals.</p>'
    rows = []
    for k, r in enumerate(found.counts.itertuples()):
        shown = SUPPRESSED if part == PART1 and found.hidden[k] else f"{r.count:,}"
        rows.append(f'<tr><th scope="row">{escape(str(r.category))}</th><td class="num">{shown}</td></tr>')
    total = int(found.counts["count"].sum())
    marking = ("confidential" if part == PART2 else f"cells withheld {SUPPRESSED} where a reader could work out a "
               f"number from {SMALL_RANGE}" if any(found.hidden) else "public")
    return (f'<table class="breakdown"><caption>{escape(found.caption)}, {m.period.label} ({marking})</caption>'
            '<thead><tr><th scope="col">Category</th><th scope="col">Number</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody><tfoot><tr><th scope="row">Total</th><td class="num">{total:,}</td>'
            "</tr></tfoot></table>")


def data_quality(m: PaperModel, part: str) -> str:
    """How many records were left out; Part 2 lists them, and the warnings, with file, row and column."""
    summary = (f"<p>{m.extract.records_left_out:,} record(s) in the extract were left out of the "
               "calculations because they did not meet the data contract.</p>")
    opening = '<section class="data-quality" aria-labelledby="dq-h"><h2 id="dq-h">Data quality</h2>' + summary
    e = m.extract
    combined = "".join(f"<li>{escape(words)}</li>" for _, words in e.combined)
    only_contract = not e.not_read and all(what.startswith("the contract's ") for _, what in e.read)
    opening += (f"<p>The extract was read from {len(e.read)} file(s)"
                + (", all in the contract's CSV form" if only_contract else "")
                + (f"; {len(e.not_read)} file(s) in its folder were not read" if e.not_read else "") + ".</p>"
                + (f'<p>Several years\' returns were combined, the latest superseding the earlier:</p><ul>{combined}'
                   "</ul>" if combined and part == PART2 else ""))
    if part == PART1:
        return opening + "<p>The records are listed in the Part 2 paper.</p></section>"
    files = "".join(f'<tr><th scope="row">{escape(name)}</th><td>{escape(what)}</td></tr>' for name, what in e.read)
    files += "".join(f'<tr><th scope="row">{escape(name)}</th><td>not read: {escape(why)}</td></tr>'
                     for name, why in e.not_read)
    opening += ('<table class="issues"><caption>Files in the extract folder</caption><thead><tr><th scope="col">File'
                f'</th><th scope="col">Read as</th></tr></thead><tbody>{files}</tbody></table>'
                if files and not only_contract else "")
    return (opening + issue_table(m.extract.record_errors, "Records left out of the calculations")
            + issue_table(m.warnings(), "Data-quality warnings (records kept)") + "</section>")


def key(m: PaperModel, part: str) -> str:
    """The key to the shorthand and the ratings."""
    symbols = "".join(f"<dt>{symbol}</dt><dd>{text}</dd>" for symbol, text in KEY.items())
    return (
        '<section class="key" aria-labelledby="key-h"><h2 id="key-h">Key to symbols</h2><dl>'
        f"{symbols}"
        "<dt>Green, Amber, Red</dt><dd>Green: on or better than target, or within the acceptable range. "
        "Amber: within tolerance of it. Red: outside tolerance. Amber and Red are below expectation.</dd>"
        f"{icon_key(m.catalogue.spc.run_length)}</dl></section>"
    )
