"""Numbers and expectations as members read them: display decimals, units, shorthand.

The Government Statistical Service shorthand (``[c]``, ``[x]``, ``[z]``, ``[low]``) is
defined here once, with the accessible name each is given and the key's explanation.
Imports: :mod:`scrutiny.assess` only.
"""

from __future__ import annotations

from ..assess.published import parse_published
from ..assess.rating import display_round
from ..assess.suppress import SMALL_RANGE

SUPPRESSED = "[c]"  # confidential: withheld to protect individuals
NOT_AVAILABLE = "[x]"  # not available
NOT_APPLICABLE = "[z]"  # not applicable (a count has no denominator)
LOW = "[low]"  # published as low

# each symbol's accessible name (an <abbr> title) and its line in the paper's key
SHORTHAND_NAMES = {
    SUPPRESSED: "confidential: withheld to protect individuals",
    NOT_AVAILABLE: "not available",
    NOT_APPLICABLE: "not applicable",
    LOW: "low: rounds to zero but is not zero",
}
KEY = {
    SUPPRESSED: f"Confidential: withheld to protect individuals (a count from {SMALL_RANGE}, or a figure from which "
                "one could be worked out).",
    NOT_AVAILABLE: "Not available: no figure for this period, or not supplied.",
    NOT_APPLICABLE: "Not applicable: for example, a count has no denominator, an indicator without a target has no "
                    "assurance, and a small group shown as numbers has no control chart.",
    LOW: "Published as low: rounds to zero, but is not zero.",
}
# what the DfE writes instead of a number, and the shorthand members see
DFE_SHORTHAND = {"c": SUPPRESSED, "x": NOT_AVAILABLE, "z": NOT_APPLICABLE, "low": LOW, "u": "[u]", "": NOT_AVAILABLE}

_SUFFIX = {"percent": "%", "per_10000": " per 10,000", "days": " days", "per_fte": " per FTE", "count": ""}


def format_number(value: float | None, decimals: int, unit: str = "count", *, suffix: bool = True) -> str:
    """'72.5%', '1,204', '[x]' for no value.

    >>> format_number(72.456, 1, "percent"), format_number(1204, 0), format_number(None, 1)
    ('72.5%', '1,204', '[x]')
    """
    if value is None:
        return NOT_AVAILABLE
    text = f"{display_round(value, decimals):,.{decimals}f}"
    return text + (_SUFFIX.get(unit, "") if suffix else "")


def format_count(value: float | None) -> str:
    if value is None:
        return NOT_AVAILABLE
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def shorthand(text: str) -> str:
    """A published figure for display: the number as published, or the shorthand in brackets.

    >>> shorthand("63"), shorthand("c"), shorthand("")
    ('63', '[c]', '[x]')
    """
    text = (text or "").strip()
    return DFE_SHORTHAND.get(text, text if parse_published(text) is not None else f"[{text}]")


def describe_expectation(d) -> str:
    """'70.0% or more', '40 to 55 per 10,000', or 'No target', for a catalogue entry."""
    if d.target is not None:
        word = "or more" if d.polarity == "high" else "or less"
        return f"{format_number(d.target, d.decimals, d.unit)} {word}"
    if d.range is not None:
        low = format_number(d.range.low, d.decimals, d.unit, suffix=False)
        return f"{low} to {format_number(d.range.high, d.decimals, d.unit)}"
    return "No target"


def describe_change(old, new, since) -> list[str]:
    """What changed at an annual review, in words for members (``old``/``new``: catalogue entries or None)."""
    when = f"From {since.label}"
    if new is None:
        return [f"{when} the indicator is not in the dataset."]
    if old is None:
        return [f"{when} the indicator joined the dataset; earlier months are shown for context, "
                "with no target."]
    notes = []
    if old.number != new.number:
        notes.append(f"{when} this is indicator {new.number} (it was indicator {old.number}).")
    if old.title != new.title:
        notes.append(f"{when} the title is as above (it was \u201c{old.title}\u201d).")
    if old.definition != new.definition:
        notes.append(f"{when} the definition changed (it was: \u201c{old.definition}\u201d).")
    if (old.target, old.range, old.tolerance) != (new.target, new.range, new.tolerance):
        notes.append(f"{when} the expectation is {describe_expectation(new)} (it was {describe_expectation(old)}).")
    return notes


def changes_in_words(history, indicator_id: str, periods) -> list[str]:
    """Sentences noting each change of number, title, definition or target a trend crosses."""
    return [note for period, old, new in history.transitions(indicator_id, periods)
            for note in describe_change(old, new, period)]
