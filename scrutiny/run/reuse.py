"""A commentary-only run: the last run's figures cells, taken as they are while they are still its own."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import nbformat


def _figures_cells(book) -> list:
    return [c for c in book.cells if c.cell_type == "code"
            and not {"parameters", "injected-parameters"} & set(c.metadata.get("tags", []))]


def figures_sha256(book) -> str:
    """sha256 of the figures cells' sources, execution counts and outputs, and of the disclosure audit the run
    recorded with them (made from the same figures)."""
    cells = [[c.source, c.execution_count, c.get("outputs", [])] for c in _figures_cells(book)]
    audit = book.metadata.get("scrutiny", {}).get("disclosure_audit")
    return hashlib.sha256(json.dumps([cells, audit], sort_keys=True, default=str).encode()).hexdigest()


def reuse_outputs(new, previous: Path, expected: str):
    """Give the prepared notebook ``new`` the outputs of the last run's figures cells; False (nothing changed)
    where its code cells are not the same cells, or one of them was not run or failed (its outputs cleared,
    or an error, in JupyterLab), or there is no last run. Otherwise the disclosure audit recorded with them.
    """
    try:
        old = nbformat.read(previous, as_version=4)
    except (OSError, ValueError):
        return False

    before, after = _figures_cells(old), _figures_cells(new)
    if figures_sha256(old) != expected:
        return False  # run again, or their outputs made again, in JupyterLab since
    if [c.source for c in before] != [c.source for c in after] or not all(
            c.execution_count is not None and all(o.output_type != "error" for o in c.outputs) for c in before):
        return False
    for was, cell in zip(before, after):
        cell.outputs, cell.execution_count = was.outputs, was.execution_count
        cell.metadata = was.metadata
    # the parameters as papermill injected them last time (the same: they are among the figures' inputs)
    injected = next((c for c in old.cells if "injected-parameters" in c.metadata.get("tags", [])), None)
    if injected is not None:
        at = next((k + 1 for k, c in enumerate(new.cells) if "parameters" in c.metadata.get("tags", [])), 0)
        new.cells.insert(at, injected)
    for key in ("language_info", "papermill"):
        if key in old.metadata:
            new.metadata[key] = old.metadata[key]
    audit = old.metadata.get("scrutiny", {}).get("disclosure_audit")
    return audit if isinstance(audit, list) else False
