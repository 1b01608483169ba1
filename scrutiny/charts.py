"""Trend charts in the house style, as self-contained SVG with alt text that describes them."""

from __future__ import annotations

import base64
import io
from html import escape

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402

from .catalogue import IndicatorDefinition  # noqa: E402
from .periods import Period  # noqa: E402
from .present import display_round, format_number  # noqa: E402

# Okabe-Ito: distinguishable with the common colour-vision deficiencies
INK, LINE, TARGET, BAND = "#1a1a1a", "#0072B2", "#D55E00", "#009E73"

matplotlib.rcParams.update({"svg.hashsalt": "scrutiny", "svg.fonttype": "path", "font.size": 10})


def _short(period: Period) -> str:
    return period.start.strftime("%b %y")


def trend_svg(definition: IndicatorDefinition, periods: list[Period], values: list[float | None]) -> bytes:
    """The last months' values as a line chart, with the target line or range band."""
    fig = Figure(figsize=(6.4, 2.6), dpi=100)
    ax = fig.add_subplot()
    xs = list(range(len(periods)))
    shown = [display_round(v, definition.decimals) for v in values]
    ax.plot(xs, [float("nan") if v is None else v for v in shown], color=LINE, marker="o", linewidth=2,
            label="Outturn")
    if definition.target is not None:
        ax.axhline(definition.target, color=TARGET, linestyle="--", linewidth=1.5, label="Target")
    if definition.range is not None:
        ax.axhspan(definition.range.low, definition.range.high, color=BAND, alpha=0.18,
                   label="Acceptable range")
    # every other month is labelled, counting back from the latest
    labels = [_short(p) if (len(periods) - 1 - k) % 2 == 0 else "" for k, p in enumerate(periods)]
    ax.set_xticks(xs, labels, fontsize=8)
    ax.tick_params(colors=INK)
    ax.set_ylabel({"percent": "%", "per_10000": "per 10,000", "days": "days", "per_fte": "cases per FTE"}
                  .get(definition.unit, ""))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def alt_text(definition: IndicatorDefinition, periods: list[Period], values: list[float | None],
             withheld: list[bool] | None = None) -> str:
    """A sentence saying what the chart shows: span, latest value, direction, target."""
    withheld = withheld or [False] * len(values)
    unit, dec = definition.unit, definition.decimals
    parts = [f"Line chart of {definition.title}, monthly from {periods[0].label} to {periods[-1].label}."]
    latest = values[-1]
    if withheld[-1]:
        parts.append(f"The {periods[-1].label} figure is withheld [c].")
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
        parts.append(f"Target: {definition.describe_expectation()}.")
    elif definition.range is not None:
        parts.append(f"Acceptable range: {definition.describe_expectation()}.")
    hidden = sum(withheld)
    if hidden:
        parts.append(f"{hidden} month(s) withheld [c] to protect individuals.")
    return " ".join(parts)


def img_tag(svg: bytes, alt: str) -> str:
    data = base64.b64encode(svg).decode("ascii")
    return f'<img class="chart" src="data:image/svg+xml;base64,{data}" alt="{escape(alt)}">'
