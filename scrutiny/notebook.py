"""The paper notebook as an interface: its parameters cell, its exception cells, its commentary.

``scrutiny run`` expands the cell tagged ``exceptions`` into, for each indicator
below expectation, a figures cell and a markdown cell tagged
``commentary:<indicator id>`` where the analyst writes. Cells for an indicator whose
figures the public paper withholds are also tagged ``part2-only``.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill

from .paper import PART2_ONLY
from .params import PeriodParams

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "paper.ipynb"
EXCEPTIONS_TAG = "exceptions"
COMMENTARY_PREFIX = "commentary:"
PLACEHOLDER = "*Management commentary to be written for this indicator.*"


def tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def declared_parameters(path: Path = NOTEBOOK) -> set[str]:
    """The names the notebook's parameters cell declares (papermill's own inspection)."""
    return set(papermill.inspect_notebook(str(path)).keys())


def check_interface(path: Path = NOTEBOOK) -> None:
    """The parameters cell must declare exactly the PeriodParams fields."""
    declared, expected = declared_parameters(path), set(PeriodParams.model_fields)
    if declared != expected:
        raise ValueError(
            f"{path}: the parameters cell declares {sorted(declared)}, but the period parameters are "
            f"{sorted(expected)}: missing {sorted(expected - declared)}, unexpected {sorted(declared - expected)}"
        )


def harvest(path: Path) -> dict[str, str]:
    """Commentary texts by indicator id from an executed notebook (empty if there is none)."""
    if not Path(path).exists():
        return {}
    nb = nbformat.read(path, as_version=4)
    found = {}
    for cell in nb.cells:
        for tag in tags(cell):
            if cell.cell_type == "markdown" and tag.startswith(COMMENTARY_PREFIX):
                found[tag.removeprefix(COMMENTARY_PREFIX)] = cell.source
    return found


def prepare(template: Path, exceptions: list[str], public: list[str], commentary: dict[str, str],
            labels: dict[str, str] | None = None):
    """The notebook to execute: the template with its exceptions cell expanded.

    ``labels`` name each commentary region for screen readers ("Management commentary on indicator 20").
    """
    labels = labels or {}
    nb = nbformat.read(template, as_version=4)
    cells = []
    for cell in nb.cells:
        if EXCEPTIONS_TAG not in tags(cell):
            cells.append(cell)
            continue
        for indicator_id in exceptions:
            extra = [] if indicator_id in public else [PART2_ONLY]
            cells.append(nbformat.v4.new_code_cell(
                f'paper.exception("{indicator_id}")', metadata={"tags": [f"exception:{indicator_id}", *extra]}))
            cells.append(nbformat.v4.new_markdown_cell(
                commentary.get(indicator_id, PLACEHOLDER),
                metadata={"tags": [f"{COMMENTARY_PREFIX}{indicator_id}", *extra],
                          "scrutiny": {"label": labels.get(indicator_id, f"Management commentary on {indicator_id}")}}))
    nb.cells = cells
    for index, cell in enumerate(nb.cells):  # stable ids: same inputs, same notebook
        cell["id"] = f"cell-{index:03d}"
    return nb
