"""Statistical process control in members' words: the variation and assurance icons and the one sentence.

The icons are our own drawings in the Making Data Count meanings and colours, and shape
tells them apart as well as colour: common cause is a grey circle with a level wavy line;
improvement a blue circle, concern an orange triangle (a warning sign), a neutral change a
purple square, each with H or L for higher or lower; assurance is a circle with P (blue, the
target will be met), a triangle with F (orange, it will not) or a grey circle with ? (it
will be met in some months only). Each icon carries its meaning as its text alternative.

Imports: assess (the SPC result), config (the catalogue entry) and the paper's format.
"""

from __future__ import annotations

from html import escape

from ..assess.spc import (COMMON, CONCERN, FAIL, IMPROVEMENT, INCONSISTENT, NEUTRAL_HIGH, NEUTRAL_LOW, OUTSIDE, PASS,
                          SHIFT, TREND, TWO_IN_THREE, Spc)
from ..config.catalogue import IndicatorDefinition
from ..data.periods import Period
from .format import describe_expectation, format_number

# Making Data Count's meanings, in colours that stay distinct with the common colour-vision deficiencies
COLOUR = {COMMON: "#6b6b6b", IMPROVEMENT: "#0072B2", CONCERN: "#B35900", NEUTRAL_HIGH: "#7B3294",
          NEUTRAL_LOW: "#7B3294", PASS: "#0072B2", FAIL: "#B35900", INCONSISTENT: "#6b6b6b"}

VARIATION_WORDS = {
    COMMON: "Common cause variation: no sign of a change",
    IMPROVEMENT: "Special cause variation: improvement",
    CONCERN: "Special cause variation: concern",
    NEUTRAL_HIGH: "Special cause variation: higher, neither better nor worse",
    NEUTRAL_LOW: "Special cause variation: lower, neither better nor worse",
}
ASSURANCE_WORDS = {
    PASS: "Assurance: at this level the target will be met consistently",
    FAIL: "Assurance: at this level the target will not be met without a change",
    INCONSISTENT: "Assurance: the target will be met in some months and missed in others",
}
RANGE_WORDS = {
    PASS: "Assurance: at this level the figure will stay within the acceptable range",
    FAIL: "Assurance: at this level the figure will stay outside the acceptable range without a change",
    INCONSISTENT: "Assurance: the figure will be within the acceptable range in some months and outside it in others",
}
_LEAD = {COMMON: "Common cause variation", IMPROVEMENT: "Special cause of improvement",
         CONCERN: "Special cause of concern", NEUTRAL_HIGH: "Special cause variation (higher, neither better nor "
         "worse)", NEUTRAL_LOW: "Special cause variation (lower, neither better nor worse)"}


def _svg(label: str, body: str, size: int = 22) -> str:
    return (f'<svg class="icon" role="img" aria-label="{escape(label)}" width="{size}" height="{size}" '
            f'viewBox="0 0 24 24">{body}</svg>')


def _shape(kind: str, colour: str) -> str:
    if kind == "triangle":
        return f'<path d="M12 1.5 L23 22 L1 22 Z" fill="{colour}"/>'
    if kind == "square":
        return f'<rect x="2" y="2" width="20" height="20" rx="2" fill="{colour}"/>'
    return f'<circle cx="12" cy="12" r="11" fill="{colour}"/>'


def _letter(text: str, y: float = 17) -> str:
    return (f'<text x="12" y="{y}" text-anchor="middle" font-family="Arial, sans-serif" font-size="13" '
            f'font-weight="700" fill="#ffffff">{text}</text>')


def variation_icon(kind: str | None, way: int, *, label: str | None = None) -> str:
    """The variation icon for the latest point's type (``way``: +1 higher, -1 lower); '' without one.

    >>> variation_icon("special_cause_concern", 1).count('aria-label="Special cause variation: concern (higher)"')
    1
    """
    if kind is None:
        return ""
    words = VARIATION_WORDS[kind]
    if kind == COMMON:
        body = (f'<circle cx="12" cy="12" r="10.5" fill="#ffffff" stroke="{COLOUR[COMMON]}" stroke-width="2"/>'
                f'<path d="M5 12 q2.3 -4 4.6 0 t4.6 0 t4.6 0" fill="none" stroke="{COLOUR[COMMON]}" '
                'stroke-width="2"/>')
    else:
        shape = {IMPROVEMENT: "circle", CONCERN: "triangle"}.get(kind, "square")
        body = _shape(shape, COLOUR[kind]) + _letter("H" if way > 0 else "L", 19 if shape == "triangle" else 17)
        if kind in (IMPROVEMENT, CONCERN):
            words += " (higher)" if way > 0 else " (lower)"
    return _svg(label or words, body)


def assurance_icon(kind: str | None, *, against_range: bool = False) -> str:
    """The assurance icon; '' where there is no target or range to assure against.

    >>> assurance_icon("consistent_fail").count("<path") + assurance_icon(None).count("<svg")
    1
    """
    if kind is None:
        return ""
    words = (RANGE_WORDS if against_range else ASSURANCE_WORDS)[kind]
    shape, letter = {PASS: ("circle", "P"), FAIL: ("triangle", "F"), INCONSISTENT: ("circle", "?")}[kind]
    return _svg(words, _shape(shape, COLOUR[kind]) + _letter(letter, 19 if shape == "triangle" else 17))


def _clamp(value: float, d: IndicatorDefinition) -> float:
    """A limit as members read it: a percentage stays within 0 to 100, anything else at 0 or more."""
    return min(max(value, 0.0), 100.0) if d.unit == "percent" else max(value, 0.0)


def _n(value: float, d: IndicatorDefinition) -> str:
    return format_number(_clamp(value, d), d.decimals, d.unit)


def _months(n: int) -> str:
    return "month" if n == 1 else f"{n} months"


def sentence(result: Spc, d: IndicatorDefinition, periods: list[Period]) -> str:
    """What the control chart shows, in one sentence: the latest point's signal, then the assurance.

    ``periods`` are the chart's months, one per point.
    """
    last = result.points[result.last]
    lim = result.limits
    run = result.latest_run()
    side = "above" if last.way > 0 else "below"
    if last.rule == OUTSIDE:
        edge = "upper" if last.way > 0 else "lower"
        what = (f"{periods[result.last].label}'s {_n(last.value, d)} is {side} the {edge} process limit of "
                f"{_n(lim.upper if last.way > 0 else lim.lower, d)}")
    elif last.rule == TREND:
        way = "risen" if last.way > 0 else "fallen"
        what = f"the figure has {way} {_months(run - 1)} in a row, a trend of {run} points"
    elif last.rule == SHIFT:
        what = f"the last {_months(run)} have all been {side} the average of {_n(lim.mean, d)}"
    elif last.rule == TWO_IN_THREE:
        edge = "upper" if last.way > 0 else "lower"
        what = (f"two of the last three months have been close to the {edge} process limit ({side} "
                f"{_n(lim.upper_2s if last.way > 0 else lim.lower_2s, d)})")
    else:
        what = (f"the figures vary around the average of {_n(lim.mean, d)} within process limits of "
                f"{_n(lim.lower, d)} to {_n(lim.upper, d)}, with no sign of a change")
    text = f"{_LEAD[last.type]}: {what}"
    if result.assurance is not None:
        expectation = describe_expectation(d)
        if d.range is not None:
            text += {PASS: f"; at this level the figure will stay within the acceptable range of {expectation}",
                     FAIL: f"; at this level the figure will stay outside the acceptable range of {expectation} "
                           "without a change",
                     INCONSISTENT: f"; at this level the figure will be within the acceptable range of "
                                   f"{expectation} in some months and outside it in others"}[result.assurance]
        else:
            target = format_number(d.target, d.decimals, d.unit)
            text += {PASS: f"; at this level the {target} target will be met consistently",
                     FAIL: f"; at this level the {target} target will not be met without a change",
                     INCONSISTENT: f"; at this level the {target} target will be met in some months and missed "
                                   "in others"}[result.assurance]
    if lim.trial:
        text += f" (trial limits: only {lim.points} months to set them)"
    return text + "."


def chart_words(result: Spc, d: IndicatorDefinition, periods: list[Period], baseline: int,
                rebases: tuple[tuple[int, str], ...] = ()) -> str:
    """The control chart's text alternative: what is drawn, the limits, which months are special cause, and why."""
    lim = result.limits
    words = [f"Control chart (XmR) of {d.title}, monthly from {periods[0].label} to {periods[-1].label}"
             + (f": {baseline} baseline months, then the {len(periods) - baseline} months shown in this paper."
                if baseline else ".")]
    words.append(f"Mean {_n(lim.mean, d)}; process limits {_n(lim.lower, d)} to {_n(lim.upper, d)}"
                 + (f", trial limits set on only {lim.points} months." if lim.trial else
                    f", set on {lim.points} months."))
    for _, text in rebases:
        words.append(f"Limits rebased. {text}.")
    special = [periods[k].label for k, p in enumerate(result.points) if p.type not in (None, COMMON)]
    if special:
        words.append(f"{len(special)} month(s) special cause: {', '.join(special[-6:])}"
                     + (" and earlier." if len(special) > 6 else "."))
    words.append(sentence(result, d, periods))
    return " ".join(words)
