"""Trend charts in the house style, as self-contained SVG with alt text that describes them."""

from __future__ import annotations

import base64
import io
from functools import lru_cache
from html import escape

from ..config.catalogue import IndicatorDefinition
from ..data.periods import Period
from ..assess.rating import display_round
from .format import describe_expectation, format_count, format_number

# Okabe-Ito: distinguishable with the common colour-vision deficiencies
INK, LINE, TARGET, BAND, REFERENCE = "#1a1a1a", "#0072B2", "#D55E00", "#009E73", "#CC79A7"



def Figure(**kwargs):  # noqa: N802 - matplotlib's Figure, imported (and set up) when a chart is first drawn
    """A matplotlib Figure in the house style. matplotlib is imported here, not with the module, so a paper
    re-rendered with its figures reused (only commentary changed) never imports it."""
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams.update({"svg.hashsalt": "scrutiny", "svg.fonttype": "path", "font.size": 10})
    from matplotlib.figure import Figure as MatplotlibFigure

    return MatplotlibFigure(**kwargs)


def _short(period: Period) -> str:
    return period.start.strftime("%b %y")


def trend_svg(definition: IndicatorDefinition, periods: list[Period], values: list[float | None], *,
              in_force: list[IndicatorDefinition | None] | None = None, references: dict[str, float] | None = None,
              counts: tuple[list, list] | None = None) -> bytes:
    """The last months' values as a line chart, with the target (or range) in force each month.

    ``references`` adds dotted lines (England, statistical neighbours); ``counts``
    (numerators, denominators) draws numbers instead of a percentage, for small groups.
    """
    fig = Figure(figsize=(6.4, 2.6), dpi=100)
    ax = fig.add_subplot()
    xs = list(range(len(periods)))
    nan = float("nan")
    if counts is not None:
        numerators, denominators = counts
        ax.plot(xs, [nan if v is None else v for v in denominators], color=INK, marker="s", linewidth=1.5,
                label="In the group")
        ax.plot(xs, [nan if v is None else v for v in numerators], color=LINE, marker="o", linewidth=2,
                label="Meeting the measure")
        ax.set_ylim(bottom=0)
    else:
        shown = [display_round(v, definition.decimals) for v in values]
        ax.plot(xs, [nan if v is None else v for v in shown], color=LINE, marker="o", linewidth=2, label="Outturn")
        in_force = in_force or [definition] * len(periods)
        targets = [nan if d is None or d.target is None else d.target for d in in_force]
        if any(t == t for t in targets):
            ax.plot(xs, targets, color=TARGET, linestyle="--", linewidth=1.5, drawstyle="steps-mid", label="Target")
        lows = [nan if d is None or d.range is None else d.range.low for d in in_force]
        highs = [nan if d is None or d.range is None else d.range.high for d in in_force]
        if any(x == x for x in lows):
            ax.fill_between(xs, lows, highs, color=BAND, alpha=0.18, step="mid", label="Acceptable range")
        for (label, value), style in zip((references or {}).items(), (":", "-.")):
            ax.axhline(value, color=REFERENCE, linestyle=style, linewidth=1.2, label=label)
    _month_ticks(ax, periods, 2)  # every other month, counting back from the latest
    ax.tick_params(colors=INK)
    ax.set_ylabel("number" if counts is not None else
                  {"percent": "%", "per_10000": "per 10,000", "days": "days", "per_fte": "cases per FTE"}
                  .get(definition.unit, "number"))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    return _svg(fig, ax, TREND_MARGINS)


# point colours and shapes by Making Data Count type: shape as well as colour tells them apart
POINT_STYLE = {
    "common_cause": ("#8c8c8c", "o", 4.5, "Common cause"),
    "special_cause_improvement": ("#0072B2", "s", 6.5, "Special cause: improvement"),
    "special_cause_concern": ("#E69F00", "D", 6.5, "Special cause: concern"),
    "special_cause_neutral_high": ("#7B3294", "^", 7, "Special cause: neither better nor worse"),
    "special_cause_neutral_low": ("#7B3294", "^", 7, "Special cause: neither better nor worse"),
}
MEAN, LIMIT = "#1a1a1a", "#595959"


def xmr_svg(definition: IndicatorDefinition, control, *, in_force: list[IndicatorDefinition | None] | None = None
            ) -> bytes:
    """An XmR chart in the house style: the figures (points coloured and shaped by their type), the mean and
    process limits of each baseline, the target or acceptable range, the baseline months shaded and each
    rebase marked.

    ``control`` is the model's :class:`~scrutiny.paper.model.Control`; ``in_force`` the catalogue
    entry each of the months shown (the baseline months take the first). The two papers often
    draw the same chart: it is drawn once.
    """
    shown_in_force = list(in_force) if in_force else [definition] * (len(control.periods) - control.baseline)
    forced = shown_in_force[:1] * control.baseline + shown_in_force
    lines = tuple(None if d is None else (d.target, *((d.range.low, d.range.high) if d.range else (None, None)))
                  for d in forced)
    return _xmr(definition.unit, definition.decimals, control, lines)


@lru_cache(maxsize=64)
def _xmr(unit: str, decimals: int, control, lines: tuple) -> bytes:
    fig = Figure(figsize=(7.2, 2.5), dpi=100)
    ax = fig.add_subplot()
    periods, values, result = list(control.periods), list(control.values), control.result
    xs = list(range(len(periods)))
    nan = float("nan")
    shown = [nan if v is None else display_round(v, decimals) for v in values]
    if control.baseline:
        ax.axvspan(-0.5, control.baseline - 0.5, color="#000000", alpha=0.05, linewidth=0,
                   label=f"Baseline months ({control.result.segments[0][1].points} set the limits)")
    ax.plot(xs, shown, color="#b3b3b3", linewidth=1.2, zorder=2)
    seen = set()
    for kind, (colour, marker, size, label) in POINT_STYLE.items():
        pts = [(x, y) for x, y, p in zip(xs, shown, result.points) if p.type == kind]
        if pts:
            ax.plot([x for x, _ in pts], [y for _, y in pts], linestyle="none", marker=marker, markersize=size,
                    color=colour, markeredgecolor="white", markeredgewidth=0.6, zorder=3,
                    label=None if label in seen else label)
            seen.add(label)
    bounds = [a for a, _ in result.segments] + [len(xs)]
    for k, ((start, lim), end) in enumerate(zip(result.segments, bounds[1:])):
        span = [start - 0.4, end - 0.6]
        ax.plot(span, [lim.mean] * 2, color=MEAN, linewidth=1.4, label="Mean" if k == 0 else None)
        for y in (lim.upper, lim.lower):
            ax.plot(span, [y] * 2, color=LIMIT, linestyle="--", linewidth=1.1,
                    label="Process limits" + (" (trial)" if lim.trial else "") if k == 0 and y == lim.upper
                    else None)
    for position, _ in control.rebases:
        ax.axvline(position - 0.5, color=INK, linestyle=":", linewidth=1.2)
        ax.annotate("Rebased", (position - 0.4, 1.0), xycoords=("data", "axes fraction"), fontsize=7, va="top",
                    color=INK)
    targets = [nan if line is None or line[0] is None else line[0] for line in lines]
    if any(t == t for t in targets):
        ax.plot(xs, targets, color=TARGET, linestyle=(0, (5, 2)), linewidth=1.5, drawstyle="steps-mid",
                label="Target")
    lows = [nan if line is None or line[1] is None else line[1] for line in lines]
    highs = [nan if line is None or line[2] is None else line[2] for line in lines]
    if any(x == x for x in lows):
        scale = ax.get_ylim()  # (the figures, their limits and any target)
        band = (min(x for x in lows if x == x), max(x for x in highs if x == x))
        squashes = range_squashes(scale, band)
        ax.fill_between(xs, lows, highs, color=BAND, alpha=0.15, step="mid",
                        label=_range_label(scale, band) if squashes else "Acceptable range")
        if squashes:
            ax.set_ylim(*scale)
    if unit == "percent":
        low, high = ax.get_ylim()
        ax.set_ylim(max(low, 0), min(high, 100))
    elif ax.get_ylim()[0] < 0:
        ax.set_ylim(bottom=0)
    # every sixth month is labelled (every third on a short chart), counting back from the latest
    _month_ticks(ax, periods, 6 if len(periods) > 24 else 3 if len(periods) > 12 else 2)
    ax.tick_params(colors=INK)
    ax.set_xlim(-0.6, len(xs) - 0.4)
    ax.set_ylabel({"percent": "%", "per_10000": "per 10,000", "days": "days", "per_fte": "cases per FTE"}
                  .get(unit, "number"))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="y", color="#eeeeee", linewidth=0.8)
    return _svg(fig, ax, XMR_MARGINS)


RANGE_SQUASH = 4.0  # an acceptable range is drawn whole unless the chart's scale must grow more than this for it


def range_squashes(scale: tuple[float, float], band: tuple[float, float]) -> bool:
    """Whether a control chart's values' scale (its figures, their process limits and any target) would
    have to grow more than :data:`RANGE_SQUASH` times as tall to show its acceptable range whole. A
    range of 15 to 30 % around figures between 16.7 and 17.1 % would leave their variation, and their
    limits, a flat line: the chart keeps the figures' scale, and shades the range where it falls.

    >>> range_squashes((16.5, 17.5), (15.0, 30.0)), range_squashes((16.0, 24.0), (15.0, 30.0))
    (True, False)
    """
    return max(scale[1], band[1]) - min(scale[0], band[0]) > RANGE_SQUASH * (scale[1] - scale[0])


def _range_label(scale: tuple[float, float], band: tuple[float, float]) -> str:
    """The legend's words for an acceptable range the chart's scale does not show whole."""
    if band[1] < scale[0]:
        return "Acceptable range: below this scale"
    if band[0] > scale[1]:
        return "Acceptable range: above this scale"
    return "Acceptable range, wider than shown"


def stacked_bars_svg(names: list[str], series: dict[str, list[float]], styles: dict[str, tuple[str, str]],
                     axis_label: str) -> bytes:
    """Horizontal stacked bars, one per name, in the house style; ``styles`` gives each series a colour and a
    hatch, so that the chart does not rely on colour alone."""
    fig = Figure(figsize=(6.4, 0.5 + 0.45 * len(names)), dpi=100)
    ax = fig.add_subplot()
    left = [0.0] * len(names)
    for label, values in series.items():
        colour, hatch = styles[label]
        ax.barh(names[::-1], values[::-1], left=left, color=colour, hatch=hatch, edgecolor="white", label=label)
        left = [a + b for a, b in zip(left, values[::-1])]
    ax.set_xlabel(axis_label)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _svg(fig, ax)


# the plot area of every trend and XmR chart, in inches from the figure's edges (left, right, bottom, top):
# the same on every chart, so charts read down a page line up; the legend sits in the right margin
TREND_MARGINS = (0.72, 2.45, 0.38, 0.16)
XMR_MARGINS = (0.78, 2.9, 0.36, 0.2)


def _svg(fig, ax, margins: tuple[float, float, float, float] | None = None) -> bytes:
    """The legend beside the plot, then the figure as SVG with no date in it (same inputs, same bytes).

    ``margins`` places the plot area (see ``XMR_MARGINS``); without them it is fitted to its labels
    (``tight_layout``, which draws the figure twice: for a chart whose labels vary in length).
    """
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
    if margins is None:
        fig.tight_layout()
    else:
        width, height = fig.get_size_inches()
        left, right, bottom, top = margins
        fig.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def _month_ticks(ax, periods: list[Period], every: int) -> None:
    """A labelled tick every ``every`` months, counting back from the latest (no tick objects for the rest)."""
    at = [k for k in range(len(periods)) if (len(periods) - 1 - k) % every == 0]
    ax.set_xticks(at, [_short(periods[k]) for k in at], fontsize=8)


def alt_text(definition: IndicatorDefinition, periods: list[Period], values: list[float | None],
             withheld: list[bool] | None = None, *, references: dict[str, float] | None = None,
             counts: tuple[list, list] | None = None) -> str:
    """A sentence saying what the chart shows: span, latest value, direction, target, benchmarks."""
    withheld = withheld or [False] * len(values)
    unit, dec = definition.unit, definition.decimals
    parts = [f"Line chart of {definition.title}, monthly from {periods[0].label} to {periods[-1].label}."]
    latest = values[-1]
    if withheld[-1]:
        parts.append(f"The {periods[-1].label} figure is withheld [c].")
    elif counts is not None:
        num, den = counts[0][-1], counts[1][-1]
        parts.append(f"Shown as numbers because the group is small. Latest: {format_count(num)} of "
                     f"{format_count(den)} in {periods[-1].label}.")
    elif latest is None:
        parts.append(f"There is no figure for {periods[-1].label}.")
    else:
        parts.append(f"Latest: {format_number(latest, dec, unit)} in {periods[-1].label}.")
        first = next(((p, v) for p, v, w in zip(periods, values, withheld) if v is not None and not w), None)
        if first and first[0] != periods[-1]:
            a, b = display_round(first[1], dec), display_round(latest, dec)
            move = "up from" if b > a else "down from" if b < a else "the same as"
            parts.append(f"That is {move} {format_number(first[1], dec, unit)} in {first[0].label}.")
    if definition.target is not None:
        parts.append(f"Target: {describe_expectation(definition)}.")
    elif definition.range is not None:
        parts.append(f"Acceptable range: {describe_expectation(definition)}.")
    if counts is None:
        for label, value in (references or {}).items():
            parts.append(f"{label}: {format_number(value, dec, unit)}.")
    hidden = sum(withheld)
    if hidden:
        parts.append(f"{hidden} month(s) withheld [c] to protect individuals.")
    return " ".join(parts)


def img_tag(svg: bytes, alt: str) -> str:
    data = base64.b64encode(svg).decode("ascii")
    return f'<img class="chart" src="data:image/svg+xml;base64,{data}" alt="{escape(alt)}">'


def sparkline(values: list[float | None], label: str, *, width: int = 96, height: int = 22) -> str:
    """A small inline SVG line of the last months (gaps where a month is missing or withheld), for the index.

    Drawn as text (no matplotlib): one line, a dot on the latest month, and ``label`` as its
    text alternative. Nothing is drawn for a series with fewer than two figures.

    >>> svg = sparkline([1.0, None, 3.0, 2.0], "Trend")
    >>> svg.startswith('<svg class="spark" role="img" aria-label="Trend"') and svg.count("<polyline") == 1
    True
    >>> sparkline([None, 2.0], "Trend")
    ''
    """
    known = [(k, v) for k, v in enumerate(values) if v is not None]
    if len(known) < 2:
        return ""
    low, high = min(v for _, v in known), max(v for _, v in known)
    span = (high - low) or 1.0
    step = (width - 6) / max(len(values) - 1, 1)

    def point(k, v):
        return f"{3 + k * step:.1f},{height - 3 - (v - low) / span * (height - 6):.1f}"

    runs, run = [], []
    for k, v in enumerate(values):
        if v is None:
            runs, run = runs + [run] if run else runs, []
        else:
            run.append(point(k, v))
    runs += [run] if run else []
    lines = "".join(f'<polyline points="{" ".join(r)}" fill="none" stroke="{LINE}" stroke-width="1.5"/>'
                    for r in runs if len(r) > 1)
    dots = "".join(f'<circle cx="{p.split(",")[0]}" cy="{p.split(",")[1]}" r="1.6" fill="{LINE}"/>'
                   for r in runs if len(r) == 1 for p in r)
    last = point(*known[-1])
    x, y = last.split(",")
    return (f'<svg class="spark" role="img" aria-label="{escape(label)}" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">{lines}{dots}'
            f'<circle cx="{x}" cy="{y}" r="2.6" fill="{INK}"/></svg>')
