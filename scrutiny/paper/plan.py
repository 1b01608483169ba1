"""The performance improvement plan paper (seed 004): the summary table, chart, risks, changes, every action.

The plan file and its validation are in :mod:`scrutiny.config.plan`. This paper is a
single public paper (it holds no children's figures), built from the shared HTML pieces
and charts. Imports: config, :mod:`scrutiny.paper.html`, :mod:`scrutiny.paper.charts`;
never the performance paper.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction
from html import escape

from ..config.plan import ACHIEVED, HEADINGS, LIMITED, SIGNIFICANT, STATUSES, Action, Area, Plan, Update, load_plan
from . import charts
from .html import Section, both, cover_details, numbered


def half(value: Fraction) -> str:
    """6 1/2 as members read it: '6 ½'; 0 as blank, as the seeds' table does.

    >>> half(Fraction(13, 2)), half(Fraction(1, 2)), half(Fraction(0)), half(Fraction(7))
    ('6 ½', '½', '', '7')
    """
    if value == 0:
        return ""
    whole, part = divmod(value, 1)
    symbol = {Fraction(1, 2): "½", Fraction(1, 4): "¼", Fraction(3, 4): "¾", Fraction(1, 3): "⅓",
              Fraction(2, 3): "⅔"}.get(part, "" if part == 0 else f"{float(part):.2f}"[1:])
    return (f"{whole} {symbol}" if whole else symbol) if symbol else str(whole)


def progress_words(update) -> str:
    """An update's status in words, halves kept: 'achieved', '½ achieved and ½ significant progress'.

    >>> from scrutiny.config.plan import Update
    >>> progress_words(Update(date="2024-03-31", status={"achieved": 0.5, "significant progress": 0.5}))
    '½ achieved and ½ significant progress'
    >>> progress_words(None)
    'no update'
    """
    if update is None:
        return "no update"
    return " and ".join(f"{half(v) if v != 1 else ''} {k}".strip() for k, v in update.shares().items())


@dataclass(frozen=True)
class AreaSummary:
    area: Area
    actions: int
    shares: dict[str, Fraction]


class PlanPaper:
    """The plan as at a date: what the notebook shows, section by section."""

    def __init__(self, plan: Plan, as_at: datetime.date):
        self.plan, self.as_at = plan, as_at
        # the latest update on or before the date, and the update before that one
        current = max((d for d in plan.update_dates() if d <= as_at), default=None)
        self.previous = max((d for d in plan.update_dates() if current and d < current), default=None)

    def summary(self) -> list[AreaSummary]:
        rows = []
        for area in self.plan.areas:
            shares = {s: Fraction(0) for s in STATUSES}
            for action in area.actions:
                update = action.as_at(self.as_at)
                if update is not None:
                    for status, share in update.shares().items():
                        shares[status] += share
            rows.append(AreaSummary(area, len(area.actions), shares))
        return rows

    def missed(self) -> list[tuple[Area, Action, object]]:
        """Milestones dated before the as-at date on actions not (wholly) achieved by then."""
        out = []
        for area in self.plan.areas:
            for action in area.actions:
                update = action.as_at(self.as_at)
                achieved = update is not None and update.shares().get(ACHIEVED, 0) == 1
                out += [(area, action, m) for m in action.milestones if m.date < self.as_at and not achieved]
        return out

    def at_risk(self) -> list[Area]:
        return [s.area for s in self.summary() if s.shares[LIMITED] > 0]

    def moved(self) -> list[tuple[Area, Action, Update | None, Update]]:
        """Actions whose status changed since the update before this one."""
        if self.previous is None:
            return []
        out = []
        for area in self.plan.areas:
            for action in area.actions:
                now, before = action.as_at(self.as_at), action.as_at(self.previous)
                if now is not None and (before is None or before.shares() != now.shares()):
                    out.append((area, action, before, now))
        return out

    # -- sections -----------------------------------------------------------------------------------

    def cover(self) -> Section:
        c = self.plan.cover
        return both(lambda part: (f'<header class="cover"><h1>{escape(c.title)}</h1>'
                                  f'<p class="as-at">Progress as at {self.as_at.day} {self.as_at:%B %Y}</p>'
                                  f'<dl class="cover-details">{cover_details(c)}</dl></header>'))

    def introduction(self) -> Section:
        r = self.plan.report
        return both(lambda part: (
            f'<section aria-labelledby="reason-h"><h2 id="reason-h">1. Reason for report</h2>{numbered(1, r.reason)}'
            '</section><section aria-labelledby="recs-h"><h2 id="recs-h">2. Recommendation(s)</h2>'
            f"{numbered(2, r.recommendations)}</section>"))

    def progress(self) -> Section:
        """3 Commentary: the opening, the summary table in the seeds' form, the chart, and the risks."""
        summary = self.summary()
        total_actions = sum(s.actions for s in summary)
        opening = list(self.plan.report.commentary_opening) + [
            f"The plan is divided into {len(summary)} outcome areas with {total_actions} actions. Progress as at "
            f"{self.as_at.day} {self.as_at:%B %Y} is summarised in the table below."]
        paras = numbered(3, opening)
        head = "".join(f'<th scope="col">{h}</th>' for h in ("Outcome area", "Actions", *HEADINGS.values()))
        body = "".join(
            f'<tr><th scope="row">{escape(s.area.short_name or s.area.name)}</th><td class="num">{s.actions}</td>'
            + "".join(f'<td class="num">{half(s.shares[k])}</td>' for k in STATUSES) + "</tr>"
            for s in summary)
        totals = {k: sum((s.shares[k] for s in summary), Fraction(0)) for k in STATUSES}
        foot = (f'<tr><th scope="row">TOTAL</th><td class="num">{total_actions}</td>'
                + "".join(f'<td class="num">{half(totals[k])}</td>' for k in STATUSES) + "</tr>")
        svg = self._chart(summary)
        alt = ("Stacked bar chart of progress on the plan's actions by outcome area, as at "
               f"{self.as_at.day} {self.as_at:%B %Y}: " + "; ".join(
                   f"{s.area.short_name or s.area.name}: {s.actions} actions, "
                   + ", ".join(f"{half(s.shares[k]) or '0'} {HEADINGS[k].lower()}" for k in STATUSES)
                   for s in summary) + ".")
        risk = self.at_risk()
        lead = (f"Limited progress or risk is reported in {len(risk)} outcome area(s): "
                + ", ".join(a.name for a in risk) + ". The commentary follows." if risk else
                "No outcome area reports limited progress or risk.")
        return both(lambda part: (
            '<section aria-labelledby="commentary-h"><h2 id="commentary-h">3. Commentary</h2>' + paras
            + f'<table class="plan-summary"><caption>Progress on the {total_actions} actions in the improvement '
            f"plan, by outcome area</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody>"
            f"<tfoot>{foot}</tfoot></table>"
            f"<figure>{charts.img_tag(svg, alt)}<figcaption>Progress by outcome area (halves where an action is "
            f"partly achieved).</figcaption></figure>{self._missed_list()}<p>{escape(lead)}</p>"
            '<h3 class="exceptions-h">Commentary on the areas at risk</h3></section>'))

    def exception(self, key: str) -> Section:
        """An area at risk: its heading and its actions with limited progress (commentary follows)."""
        area = next(a for a in self.plan.areas if a.key == key)
        items = []
        for action in area.actions:
            update = action.as_at(self.as_at)
            if update is not None and LIMITED in update.shares():
                items.append(f"<li>Action {escape(action.number)}: {escape(action.action)}"
                             + (f" ({escape(update.note)})" if update.note else "") + "</li>")
        return both(lambda part: (f'<h4 id="{key}">{escape(area.name)}: limited progress / risk</h4>'
                                  f"<ul>{''.join(items)}</ul>"))

    def changes(self) -> Section:
        moved = self.moved()
        since = f"{self.previous.day} {self.previous:%B %Y}" if self.previous else None

        words = progress_words

        if since is None:
            body = "<p>This is the plan's first update.</p>"
        elif not moved:
            body = f"<p>No action has changed status since the update of {since}.</p>"
        else:
            rows = "".join(f'<tr><th scope="row">{escape(a.number)}</th><td>{escape(a.action)}</td>'
                           f"<td>{escape(words(before))}</td><td>{escape(words(now))}</td></tr>"
                           for _, a, before, now in moved)
            body = (f"<table><caption>Actions whose status changed since the update of {since}</caption><thead><tr>"
                    '<th scope="col">Action</th><th scope="col">Description</th><th scope="col">Then</th>'
                    f'<th scope="col">Now</th></tr></thead><tbody>{rows}</tbody></table>')
        return both(lambda part: ('<section aria-labelledby="moved-h"><h2 id="moved-h">4. Change since the last '
                                  f"update</h2>{body}</section>"))

    def closing(self) -> Section:
        """The implication headings that apply, numbered on from 5 (policy, financial, legal, personnel, as the
        seed's form has them); those that do not, on one Non-Applicable Sections line; background documents."""
        r = self.plan.report
        blocks = "".join(
            f'<section aria-labelledby="plan-impl-{n}-h"><h2 id="plan-impl-{n}-h">{n}. {escape(h.upper())}</h2>'
            f"{numbered(n, [t])}</section>" for n, (h, t) in enumerate(r.implications.applicable(), start=5))
        listed = r.implications.not_applicable() + [x for x in r.non_applicable
                                                     if x not in r.implications.not_applicable()]
        na = f"<dt>Non-Applicable Sections:</dt><dd>{escape('; '.join(listed))}.</dd>" if listed else ""
        docs = "".join(f"<li>{escape(d)}</li>" for d in r.background_documents)
        return both(lambda part: (f'{blocks}<dl class="closing">{na}<dt>Background Documents: (Access via Contact '
                                  f"Officer)</dt><dd>{'<ul>' + docs + '</ul>' if docs else 'None.'}</dd></dl>"))

    def appendix(self) -> Section:
        blocks = []
        for area in self.plan.areas:
            rows = []
            for action in area.actions:
                update = action.as_at(self.as_at)
                late = {id(m) for _, a, m in self.missed() if a is action}
                milestones = "".join(f"<li>{m.date:%d/%m/%Y}: {escape(m.milestone)}"
                                     + (' <strong class="missed">(missed)</strong>' if id(m) in late else "")
                                     + "</li>" for m in action.milestones)
                history = "".join(f"<li>{u.date:%d/%m/%Y}: {escape(progress_words(u))}"
                                  + (f": {escape(u.note)}" if u.note else "") + "</li>"
                                  for u in sorted(action.updates, key=lambda u: u.date) if u.date <= self.as_at)
                rows.append(
                    f'<tr><th scope="row">{escape(action.number)}</th><td>{escape(action.action)}</td>'
                    f"<td>{escape(action.desired_outcome)}</td><td>{escape(action.owner)}</td>"
                    f"<td><ul>{milestones}</ul></td><td>{escape(progress_words(update) if update else '')}"
                    f"<ul>{history}</ul></td></tr>")
            head = "".join(f'<th scope="col">{h}</th>' for h in ("No.", "Action", "Desired outcome", "Owner",
                                                                  "Milestones", "Progress"))
            blocks.append(f'<section class="indicator" aria-labelledby="{area.key}-h"><h3 id="{area.key}-h">'
                          f"{escape(area.name)}</h3><table><caption>{escape(area.name)}: actions, milestones and "
                          f"progress</caption><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
                          "</section>")
        return both(lambda part: ('<section aria-labelledby="appendix-h"><h2 id="appendix-h">Appendix: every '
                                  "action</h2>" + "".join(blocks) + "</section>"))

    def _missed_list(self) -> str:
        missed = self.missed()
        if not missed:
            return f"<p>No milestone due before {self.as_at.day} {self.as_at:%B %Y} has been missed.</p>"
        items = "".join(f"<li>Action {escape(a.number)} ({escape(area.short_name or area.name)}): "
                        f"{escape(m.milestone)}, due {m.date.day} {m.date:%B %Y}</li>" for area, a, m in missed)
        return (f'<p class="missed-lead"><strong>{len(missed)} milestone(s) missed</strong> (due before '
                f"{self.as_at.day} {self.as_at:%B %Y} on actions not yet achieved):</p><ul>{items}</ul>")

    def _chart(self, summary: list[AreaSummary]) -> bytes:
        styles = {HEADINGS[ACHIEVED]: (charts.BAND, ""), HEADINGS[SIGNIFICANT]: (charts.LINE, "//"),
                  HEADINGS[LIMITED]: (charts.TARGET, "xx")}
        return charts.stacked_bars_svg([s.area.short_name or s.area.name for s in summary],
                                       {HEADINGS[k]: [float(s.shares[k]) for s in summary] for k in STATUSES},
                                       styles, "actions")


def open_plan(plan: str, as_at: str) -> PlanPaper:
    """What the plan notebook calls with its parameters."""
    return PlanPaper(load_plan(plan), datetime.date.fromisoformat(str(as_at)))

