"""The paper notebook as an interface: its parameters cell, its exception cells, its commentary.

``scrutiny run`` expands the cell tagged ``exceptions`` into, for each indicator
below expectation, a figures cell and a markdown cell tagged
``commentary:<indicator id>`` where the analyst writes. Cells for an indicator whose
figures the public paper withholds are also tagged ``part2-only``.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from ..config.params import PeriodParams
from ..paper.facts import indicator_name
from ..paper.parts import PART2_ONLY
from . import commentary as commentary_
from .render import GUIDE_TAG
from .commentary import PROMPT_MARK
from .commentary import CELLS_MARKED, COMMENTARY_PREFIX, STORE_RECORD, SUMMARY, TEMPLATE_TAG, fingerprint

from .layout import NOTEBOOK, NOTEBOOKS, PLAN_NOTEBOOK  # noqa: E402,F401
EXCEPTIONS_TAG = "exceptions"


def tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def declared_parameters(path: Path = NOTEBOOK) -> set[str]:
    """The names the notebook's parameters cell declares (papermill's own inspection)."""
    import papermill

    return set(papermill.inspect_notebook(str(path)).keys())


def check_interface(path: Path = NOTEBOOK) -> None:
    """The parameters cell must declare exactly the PeriodParams fields."""
    declared, expected = declared_parameters(path), set(PeriodParams.model_fields)
    if declared != expected:
        raise ValueError(
            f"{path}: the parameters cell declares {sorted(declared)}, but the period parameters are "
            f"{sorted(expected)}: missing {sorted(expected - declared)}, unexpected {sorted(declared - expected)}"
        )


def self_contained(source: str, period: str) -> str:
    """A cell that needs no other cell to have run: ``paper.x()`` becomes the month's paper's ``x()``.

    Pressing Shift+Enter on it in a fresh kernel shows its figures again, not a NameError.

    >>> print(self_contained('paper.exception("cp_repeat")', "2023-11"))
    import scrutiny
    scrutiny.paper_for("2023-11").exception("cp_repeat")
    """
    body = re.sub(r"^paper\.", f'scrutiny.paper_for("{period}").', source, flags=re.MULTILINE)
    return body if body == source else "import scrutiny\n" + body


def prepare(template: Path, cells: dict[str, str], figures: list[str], public: set[str],
            labels: dict[str, str] | None = None, by_exception: tuple[str, ...] = (),
            store_record: dict[str, str] | None = None, *, period: str | None = None, guide: str | None = None):
    """The notebook to execute: the template with its exceptions cell expanded.

    ``cells`` maps each commentary key (``summary`` first, then indicator ids) to the text
    to write; ``figures`` are the indicators that get a figures cell before their
    commentary. Each commentary cell records a fingerprint of what was written, so the
    next run can tell an analyst's edit from its own. ``labels`` name each commentary
    region for screen readers.
    """
    labels = labels or {}
    nb = nbformat.read(template, as_version=4)
    out = []
    if guide:
        out.append(nbformat.v4.new_markdown_cell(guide, metadata={"tags": [GUIDE_TAG, TEMPLATE_TAG]}))
    for cell in nb.cells:
        if EXCEPTIONS_TAG not in tags(cell):
            if TEMPLATE_TAG not in tags(cell):  # the notebook's own cells, not the analyst's words
                cell.setdefault("metadata", {})["tags"] = [*tags(cell), TEMPLATE_TAG]
            if period and cell.cell_type == "code" and not {"parameters", "setup"} & set(tags(cell)):
                cell.source = self_contained(cell.source, period)
            out.append(cell)
            continue
        for key, text in cells.items():
            extra = [] if key == SUMMARY or key in public else [PART2_ONLY]
            if key in figures:
                source = f'paper.exception("{key}")'
                out.append(nbformat.v4.new_code_cell(
                    self_contained(source, period) if period else source,
                    metadata={"tags": [f"exception:{key}", *extra]}))
            meta = {"written": fingerprint(text), "label": labels.get(key, f"Management commentary on {key}")}
            if text.startswith(PROMPT_MARK):  # the box, as written: what the harvest and the papers take off
                meta["box"] = text
            if key in by_exception:
                meta["by_exception"] = True
            out.append(nbformat.v4.new_markdown_cell(
                text, metadata={"tags": [f"{COMMENTARY_PREFIX}{key}", *extra], "scrutiny": meta}))
    nb.cells = out
    nb.metadata[CELLS_MARKED] = True  # every cell the run wrote is tagged: any other cell is the analyst's
    if store_record is not None:  # the store as this run saw it: how the next run spots edits made there
        nb.metadata[STORE_RECORD] = store_record
    for index, cell in enumerate(nb.cells):  # stable ids: same inputs, same notebook
        cell["id"] = f"cell-{index:03d}"
    return nb


def _with_prompts(cells: dict[str, str], facts, public: set[str], period: str) -> dict[str, str]:
    """Each commentary cell still waiting for words shows the box: which indicator, its rating, which paper
    (``facts``: the paper's, :class:`~scrutiny.paper.facts.Facts`)."""
    out = {}
    for key, text in cells.items():
        if key == commentary_.SUMMARY and text == commentary_.SUMMARY_PLACEHOLDER:
            text = commentary_.prompt("Opening remarks on this month's performance (optional)",
                                     "It will appear in both papers: Part 1 (public) and Part 2 (confidential).",
                                     period=period)
        elif key != commentary_.SUMMARY and text == commentary_.PLACEHOLDER:
            s = facts.shown(key)
            where = ("It will appear in both papers: Part 1 (public) and Part 2 (confidential). Give no number "
                     "of children from 1 to 5." if key in public else
                     "It will appear only in Part 2 (confidential): this indicator's figures are withheld from "
                     "the public paper this month.")
            text = commentary_.prompt(f"{indicator_name(s.number, s.title)} ({s.part2})", where, s.reading, period)
        out[key] = text
    return out


def guide(period, exceptions: int, part2_only: int) -> str:
    """The notebook's first cell: what to edit and how to re-run. Shown in JupyterLab, never in a paper."""
    return "\n".join([
        f"## How to write the commentary for {period.label}",
        "",
        f"This notebook makes the {period.label} papers. **Write only in the boxes marked ✍**: one for the opening "
        f"remarks and one under each of the {exceptions} indicator(s) below expectation"
        + (f" ({part2_only} of them for Part 2 only, as their figures are withheld in public)" if part2_only else "")
        + ". Everything else is made again by each run, so changes there are not kept.",
        "",
        "1. Double-click a box, replace it with your commentary, and press Esc.",
        "2. Save the notebook (Ctrl+S).",
        f"3. In a terminal in the project folder, run `scrutiny run {period}`. It takes your words into the "
        "commentary store first, then makes both papers again (with this notebook).",
        f"4. `scrutiny commentary {period}` lists what is still missing; `scrutiny run {period} --final` makes the "
        "final papers once nothing is.",
        "",
        "There is no need to run the cells here: each one shows its figures as the last run made them.",
    ])
