"""``outputs/index.html``: every public paper, final papers first, then drafts, then the plan papers.

Each run leaves ``outputs/<period>/summary.json`` holding only what the public paper
shows (the period, the title, the meeting date and report number, whether it is final,
and the count of indicators by rating in Part 1); a plan paper leaves its own in
``outputs/plan/<year>/<date>/``. The index is rebuilt from those files. The confidential
papers are never linked.

Drafts are listed apart from the final papers, each marked DRAFT, rather than left out: a
draft's public paper sits in the same folder as a final one would, so whoever publishes the
folder must be able to see which papers are not yet for publication. A summary from before
the index knew about drafts counts as a draft until the month is run again.
"""

from __future__ import annotations

import datetime
import json
import re
from html import escape
from pathlib import Path

from ..assess.rating import RAG
from ..data.periods import Period
from ..files import write_atomic

SUMMARY = "summary.json"
INDEX = "index.html"
_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_YEAR = re.compile(r"^\d{4}-\d{2}$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def write_summary(folder: Path, period: str, title: str, ratings: list[RAG], *, final: bool = False,
                  meeting_date: str | None = None, report_number: str | None = None) -> Path:
    counts = {r.value: sum(1 for x in ratings if x == r) for r in RAG}
    path = Path(folder) / SUMMARY
    write_atomic(path, json.dumps({"period": period, "title": title, "ratings": counts, "final": final,
                                   "meeting_date": meeting_date, "report_number": report_number},
                                  indent=1) + "\n")
    return path


def _meeting(text) -> str:
    try:
        return datetime.date.fromisoformat(str(text)).strftime("%-d %B %Y")
    except ValueError:
        return "[x]"


def _month_rows(outputs: Path) -> tuple[list[str], list[str]]:
    final, drafts = [], []
    for folder in sorted((p for p in outputs.iterdir() if p.is_dir() and _PERIOD.match(p.name)), reverse=True):
        if not (folder / "part1.html").is_file() or not (folder / SUMMARY).is_file():
            continue
        summary = json.loads((folder / SUMMARY).read_text())
        counts = summary.get("ratings", {})
        label = Period.parse(folder.name).label
        is_final = summary.get("final") is True
        mark = "" if is_final else '<strong class="draft-mark">DRAFT</strong> '
        pdf = (f'<a href="{folder.name}/part1.pdf">PDF<span class="visually-hidden"> of {escape(label)}</span></a>'
               if (folder / "part1.pdf").is_file() else "no PDF")
        row = (f'<tr><th scope="row">{mark}<a href="{folder.name}/part1.html">{escape(label)}</a></th>'
               f"<td>{escape(_meeting(summary.get('meeting_date')))}</td>"
               f"<td>{escape(summary.get('report_number') or 'not given')}</td><td>{pdf}</td>"
               + "".join(f'<td class="num">{int(counts.get(r.value, 0))}</td>'
                         for r in (RAG.RED, RAG.AMBER, RAG.GREEN, RAG.NOT_RATED)) + "</tr>")
        (final if is_final else drafts).append(row)
    return final, drafts


def _plan_rows(outputs: Path) -> list[str]:
    rows = []
    plans = outputs / "plan"
    if not plans.is_dir():
        return rows
    for year in sorted((p for p in plans.iterdir() if p.is_dir() and _YEAR.match(p.name)), reverse=True):
        for day in sorted((p for p in year.iterdir() if p.is_dir() and _DAY.match(p.name)), reverse=True):
            if not (day / "plan.html").is_file():
                continue
            summary = json.loads((day / SUMMARY).read_text()) if (day / SUMMARY).is_file() else {}
            mark = "Final" if summary.get("final") is True else '<strong class="draft-mark">DRAFT</strong>'
            rows.append(f'<tr><th scope="row"><a href="plan/{year.name}/{day.name}/plan.html">{escape(year.name)}'
                        f"</a></th><td>{escape(_meeting(day.name))}</td><td>{mark}</td></tr>")
    return rows


def write_index(outputs: Path, css: str) -> Path:
    """Rebuild the index from every period folder that has a public paper and a summary, and every plan paper."""
    outputs = Path(outputs)
    final, drafts = _month_rows(outputs)
    head = "".join(f'<th scope="col">{h}</th>' for h in ("Performance as at the end of", "Meeting", "Report",
                                                           "PDF", "Red", "Amber", "Green", "Not rated"))

    def table(caption: str, rows: list[str], empty: str) -> str:
        body = "".join(rows) or f'<tr><td colspan="8">{empty}</td></tr>'
        return f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    plans = _plan_rows(outputs)
    plan_table = ("<h2>Performance improvement plan</h2><table><caption>Improvement plan papers, newest first"
                  '</caption><thead><tr><th scope="col">Plan year</th><th scope="col">Progress as at</th>'
                  f'<th scope="col">Status</th></tr></thead><tbody>{"".join(plans)}</tbody></table>' if plans else "")
    html = (
        '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Children's scrutiny dataset: performance papers</title><style>{css}</style></head>"
        '<body><a class="skip-link" href="#main">Skip to main content</a><main id="main">'
        "<h1>Children's scrutiny dataset: performance papers</h1>"
        "<p>The public (Part 1) paper for each month, newest first, with its meeting, report number and the "
        "number of indicators in each rating as that paper shows them.</p>"
        "<h2>Final papers</h2>" + table("Final performance papers (published)", final, "No final papers yet.")
        + ("<h2>Drafts</h2><p>These papers are drafts: their commentary may be incomplete and they are not for "
           "publication until they are run with <code>--final</code>.</p>"
           + table("Draft performance papers (not for publication)", drafts, "") if drafts else "")
        + plan_table + "</main></body></html>\n"
    )
    path = outputs / INDEX
    write_atomic(path, html)
    return path
