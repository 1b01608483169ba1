"""The published comparison for one indicator, as the DfE's LAIT sets it out, and its sentence.

Published figures against published figures (like for like): the last five years for
England, the region, the statistical neighbours (their mean) and the authority, with rank
and quartile band. Imports: the paper's model and format.
"""

from __future__ import annotations

from html import escape

from .format import NOT_AVAILABLE
from .model import Outturn

QUARTILE = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th"}


def comparison(o: Outturn) -> str:
    """One sentence on the latest published year: better or worse than England and neighbours; quartile and rank.

    Published figures against published figures, so the comparison is like for like.
    """
    b = o.benchmark
    if b is None:
        return ""
    d = o.definition
    own = b.number("authority")
    if d.unit == "count":
        return (f"Published {b.year_label}: {escape(b.authority_name or 'this authority')} "
                f"{o.published('authority')}; a count is compared with other areas through its rate.")
    if own is None:
        england = b.number("england")
        return (f"{escape(b.authority_name or 'This authority')} has no published figure for {b.year_label}"
                + (f"; England's was {o.published('england')}." if england is not None else "."))

    def against(column, name):
        other = b.number(column)
        if other is None:
            return None
        if round(own, 1) == round(other, 1):
            return f"the same as {name}"
        if d.polarity == "neutral":
            return f"{'higher' if own > other else 'lower'} than {name}"
        better = own > other if d.polarity == "high" else own < other
        return f"{'better' if better else 'worse'} than {name}"

    words = [w for w in (against("england", "England"), against("statistical_neighbours",
                                                                 "statistical neighbours")) if w]
    sentence = f"In {b.year_label}, {escape(b.authority_name or 'this authority')} was "
    sentence += " and ".join(words) if words else "not comparable (no published England figure)"
    if b.number("statistical_neighbours") is None:
        sentence += "; no statistical neighbour has a published figure"
    if b.quartile:
        sentence += f"; {QUARTILE[b.quartile]} quartile"
        if b.rank:
            sentence += f", ranked {b.rank} of {b.authorities_ranked} authorities"
    best = "lowest" if d.polarity == "neutral" else "best"
    return sentence + (f" (the 1st quartile and rank 1 are the {best})." if b.quartile else ".")


def benchmark_table(o: Outturn) -> str:
    """The published comparison, as the DfE's LAIT sets it out: the last five years, rank and quartile band."""
    if not o.history:
        return ""
    years = o.history
    b = years[-1]
    name = b.authority_name or "This authority"
    used = [y.neighbours_used for y in years]
    rows = [("England", [o.published("england", y) for y in years]),
            (b.region_name or "Region", [o.published("region", y) for y in years]),
            ("Statistical neighbours (mean)",
             [o.published("statistical_neighbours", y) + (f" ({y.neighbours_used})" if 0 < y.neighbours_used < 10
                                                          else "") for y in years]),
            (name, [o.published("authority", y) for y in years])]
    if o.definition.unit != "count":
        rows += [("Rank", [f"{y.rank} of {y.authorities_ranked}" if y.rank else NOT_AVAILABLE
                                             for y in years]),
                 ("Quartile band", [QUARTILE[y.quartile] if y.quartile else NOT_AVAILABLE for y in years])]
    else:  # a count is compared through its rate: only the authority's own published number
        rows = [r for r in rows if r[0].startswith(name)]
    head = "".join(f'<th scope="col">{y.year_label}</th>' for y in years)
    body = "".join(f'<tr><th scope="row">{escape(k)}</th>' + "".join(f'<td class="num">{escape(v)}</td>' for v in vs)
                   + "</tr>" for k, vs in rows)
    note = ("" if all(u in (0, 10) for u in used) else
            " A number in brackets is how many of the ten neighbours had a figure.")
    return (f'<div class="benchmarks"><table class="benchmarks"><caption>Published figures (Department for '
            f"Education), years ending 31 March: {escape(name)}'s own published figure, its rank among all "
            f"authorities and its quartile band, beside England, the region and the mean of its ten statistical "
            f"neighbours.{note}</caption>"
            f'<thead><tr><th scope="col">Area</th>{head}</tr></thead><tbody>{body}</tbody></table>'
            f'<p class="comparison">{comparison(o)}</p></div>')


def benchmark_sentence(o: Outturn) -> str:
    """One sentence comparing with the published figures, for an exception."""
    return f'<p class="exception-benchmark">{comparison(o)}</p>' if o.benchmark is not None else ""
