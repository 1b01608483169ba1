"""``outputs/index.html``: every period's public paper, newest first, with its ratings.

Each run leaves ``outputs/<period>/summary.json`` holding only what the public paper
shows (the period, the title and the count of indicators by rating in Part 1); the
index is rebuilt from those files. The confidential papers are never linked.
"""

from __future__ import annotations

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


def write_summary(folder: Path, period: str, title: str, ratings: list[RAG]) -> Path:
    counts = {r.value: sum(1 for x in ratings if x == r) for r in RAG}
    path = Path(folder) / SUMMARY
    write_atomic(path, json.dumps({"period": period, "title": title, "ratings": counts}, indent=1) + "\n")
    return path


def write_index(outputs: Path, css: str) -> Path:
    """Rebuild the index from every period folder that has a public paper and a summary."""
    outputs = Path(outputs)
    rows = []
    for folder in sorted((p for p in outputs.iterdir() if p.is_dir() and _PERIOD.match(p.name)), reverse=True):
        if not (folder / "part1.html").is_file() or not (folder / SUMMARY).is_file():
            continue
        summary = json.loads((folder / SUMMARY).read_text())
        counts = summary["ratings"]
        label = Period.parse(folder.name).label
        rows.append(
            f'<tr><th scope="row"><a href="{folder.name}/part1.html">{escape(label)}</a></th>'
            + "".join(f'<td class="num">{counts.get(r.value, 0)}</td>' for r in (RAG.RED, RAG.AMBER, RAG.GREEN))
            + f'<td class="num">{counts.get(RAG.NOT_RATED.value, 0)}</td></tr>'
        )
    head = "".join(f'<th scope="col">{h}</th>' for h in ("Performance as at the end of", "Red", "Amber", "Green",
                                                           "Not rated"))
    body = "".join(rows) or '<tr><td colspan="5">No papers yet.</td></tr>'
    html = (
        '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Children's scrutiny dataset: performance papers</title><style>{css}</style></head>"
        '<body><a class="skip-link" href="#main">Skip to main content</a><main id="main">'
        "<h1>Children's scrutiny dataset: performance papers</h1>"
        "<p>The public (Part 1) paper for each month, newest first, with the number of indicators in each "
        "rating as that paper shows them.</p>"
        f"<table><caption>Published performance papers</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table></main></body></html>\n"
    )
    path = outputs / INDEX
    write_atomic(path, html)
    return path
