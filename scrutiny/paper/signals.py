"""The control chart in the paper's sections: the figure, its one-sentence reading with icons, the icons' key.

Functions of an :class:`~scrutiny.paper.model.Outturn` and a part, as the other sections are;
:mod:`scrutiny.paper.sections` places them. Imports: the paper's model, format, charts and variation.
"""

from __future__ import annotations

from html import escape

from . import charts, variation
from .format import SUPPRESSED
from .model import Outturn
from .parts import PART1


def months_in_words(periods) -> str:
    """'January 2023, March 2023 and May 2023'."""
    names = [p.label for p in periods]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def signal(o: Outturn, part: str) -> str:
    """What the control chart shows, in one sentence with its two icons; or why there is no chart reading."""
    c = o.control(part)
    if c is None:
        if o.small_cohort:
            why = "the group is small, so the figures are shown as numbers and no control chart is drawn"
        elif part == PART1 and o.withheld() and o.results[-1].value is not None:
            why = f"this month's figure is withheld {SUPPRESSED}, so the control chart is read in the Part 2 paper"
        else:
            return ""
        return f'<p class="signal"><strong>Signal or noise:</strong> {why}.</p>'
    last = c.result.points[c.result.last]
    icons = (variation.variation_icon(c.result.variation, last.way)
             + variation.assurance_icon(c.result.assurance, against_range=o.definition.range is not None))
    return (f'<p class="signal"><span class="icons">{icons}</span><strong>Signal or noise:</strong> '
            f"{escape(variation.sentence(c.result, o.definition, list(c.periods)))}</p>")


def _control_figure(o: Outturn, c, hidden, missing) -> str:
    """The XmR chart: its alt text reads it in words; its caption names the baseline, gaps and rebases."""
    d = o.definition
    gaps = ""
    if hidden:
        gaps += (f" Withheld {SUPPRESSED} to protect individuals, not plotted and not used for the limits: "
                 f"{months_in_words(hidden)}.")
    if missing:
        gaps += f" No figure for {months_in_words(missing)}."
    unused = c.baseline - sum(v is not None for v in c.values[:c.baseline])
    if unused:
        gaps += (f" {unused} baseline month(s) without a usable figure (withheld, not supplied, or before the "
                 "extract covers a full year) are left out.")
    rebased = "".join(f" Limits rebased. {text}." for _, text in c.rebases)
    svg = charts.xmr_svg(d, c, in_force=list(o.in_force))
    alt = variation.chart_words(c.result, d, list(c.periods), c.baseline, c.rebases) + gaps
    lead = (f"the {c.baseline} months before the {len(o.periods)} shown set the limits" if c.baseline
            else f"the last {len(o.periods)} month ends")
    return (f"<figure>{charts.img_tag(svg, alt)}<figcaption>{escape(d.title)}: control chart; {lead}."
            f"{escape(rebased)}{gaps}</figcaption></figure>")


def icon_key(run_length: int = 7) -> str:
    """The variation and assurance icons, each beside its meaning (Making Data Count's conventions)."""
    from ..assess import spc

    run = {6: "six", 7: "seven"}[run_length]
    entries = [(variation.variation_icon(spc.COMMON, 0), variation.VARIATION_WORDS[spc.COMMON]),
               (variation.variation_icon(spc.IMPROVEMENT, 1), "Special cause variation: improvement, higher (H) "
                "or lower (L) than expected from the baseline"),
               (variation.variation_icon(spc.CONCERN, 1), "Special cause variation: concern, higher (H) or lower "
                "(L)"),
               (variation.variation_icon(spc.NEUTRAL_HIGH, 1), "Special cause variation in an indicator where "
                "neither higher nor lower is better"),
               (variation.assurance_icon(spc.PASS), variation.ASSURANCE_WORDS[spc.PASS]),
               (variation.assurance_icon(spc.FAIL), variation.ASSURANCE_WORDS[spc.FAIL]),
               (variation.assurance_icon(spc.INCONSISTENT), variation.ASSURANCE_WORDS[spc.INCONSISTENT])]
    items = "".join(f"<li>{icon} {escape(words)}.</li>" for icon, words in entries)
    return ("<dt>Control charts</dt><dd>Each chart shows the indicator's monthly figures with their mean and process "
            f"limits, set on the baseline months. A point outside the limits, a run of {run} months on one side of "
            f"the mean, {run} months each higher (or each lower) than the last, or two of three months "
            "close to a limit is special cause: a real change, worth a question. Anything else is common cause: "
            f'the month-to-month noise of a stable process.<ul class="icon-key">{items}</ul></dd>')
