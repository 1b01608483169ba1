"""Small HTML pieces both papers (the performance paper and the plan paper) are built from.

Every text that comes from params, the catalogue or the extract is escaped here or by
the caller; nothing in this module reads data. Imports: :mod:`scrutiny.paper.parts`,
:mod:`scrutiny.assess.rating`.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from ..assess.rating import RAG, Direction
from .parts import PART1, PART2, PUBLIC_MIME


class Section:
    """A displayable section with a confidential and (optionally) a public form."""

    def __init__(self, part2: str, part1: str | None):
        self.part2, self.part1 = part2, part1

    def _repr_mimebundle_(self, include=None, exclude=None):
        # (text/plain too, so that the notebook holds no address of an object: same inputs, same notebook)
        bundle = {"text/plain": f"<a section of the paper: {len(self.part2):,} characters of HTML"
                                f"{'' if self.part1 is None else ', and its public form'}>", "text/html": self.part2}
        if self.part1 is not None:
            bundle[PUBLIC_MIME] = self.part1
        return bundle


def both(render) -> Section:
    """A Section from a function rendering either paper."""
    return Section(render(PART2), render(PART1))


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
    number = getattr(c, "report_number", None)
    if number:
        rows.insert(0, ("Report No.", escape(number)))
    priorities = getattr(c, "priorities", ())
    if priorities:
        rows.append(("Priorities", "<br>".join(escape(p) for p in priorities)))
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
    """A rating in word, shape and colour.

    >>> rag_badge(RAG.RED)
    '<span class="rag rag-red"><span aria-hidden="true">■</span> Red</span>'
    """
    shape = {RAG.GREEN: "●", RAG.AMBER: "▲", RAG.RED: "■", RAG.NOT_RATED: "–"}[rag]
    cls = rag.name.lower().replace("_", "-")
    return f'<span class="rag rag-{cls}"><span aria-hidden="true">{shape}</span> {rag.value}</span>'


def travel_text(d: Direction) -> str:
    """The arrow points the way the figure moved; the words say so, and whether that is better or worse.

    >>> from scrutiny.assess.rating import Direction
    >>> travel_text(Direction("improved", "last month", "down"))
    '<span class="dot travel-improved"><span aria-hidden="true">↓</span> down, better</span>'
    """
    return (f'<span class="dot travel-{d.word.replace(" ", "-")}"><span aria-hidden="true">{d.arrow}</span> '
            f"{d.meaning}</span>")
