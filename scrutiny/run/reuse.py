"""A commentary-only run: the last run's figures cells, taken as they are while they are still its own.

The last run kept, with its figures cells, the disclosure audit and the paper's facts
(:class:`~scrutiny.paper.facts.Facts`) made from the same figures; all three are in
:func:`figures_sha256`, so none is used once anything of them changed.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import nbformat

from ..paper.facts import Facts


def _figures_cells(book) -> list:
    return [c for c in book.cells if c.cell_type == "code"
            and not {"parameters", "injected-parameters"} & set(c.metadata.get("tags", []))]


def figures_sha256(book) -> str:
    """sha256 of the figures cells' sources, execution counts and outputs, and of what the run recorded with them
    (made from the same figures): the disclosure audit and the paper's facts."""
    cells = [[c.source, c.execution_count, c.get("outputs", [])] for c in _figures_cells(book)]
    recorded = book.metadata.get("scrutiny", {})
    facts = Facts.from_record(recorded.get("facts"))  # (as read back: a save in JupyterLab writes 230.0 as 230)
    return hashlib.sha256(json.dumps([cells, recorded.get("disclosure_audit"),
                                      facts.as_record() if facts else recorded.get("facts")],
                                     sort_keys=True, default=str).encode()).hexdigest()


def last_run(previous: Path, expected: str):
    """The last run's executed notebook and the paper's facts it recorded, where its figures cells are still
    the ones that run wrote (``expected``: their :func:`figures_sha256`) and each of them ran without error;
    else None (run again, or their outputs cleared or made again in JupyterLab since, or a run that recorded no
    facts)."""
    try:
        old = nbformat.read(previous, as_version=4)
    except (OSError, ValueError):
        return None
    if figures_sha256(old) != expected or not all(
            c.execution_count is not None and all(o.output_type != "error" for o in c.outputs)
            for c in _figures_cells(old)):
        return None
    recorded = old.metadata.get("scrutiny", {})
    facts = Facts.from_record(recorded.get("facts"))
    return None if facts is None or not isinstance(recorded.get("disclosure_audit"), list) else (old, facts)


def reuse_outputs(new, old) -> list | bool:
    """Give the prepared notebook ``new`` the outputs of the last run's (``old``, from :func:`last_run`) figures
    cells; False (nothing changed) where its code cells are not the same cells. Otherwise the disclosure audit
    recorded with them."""
    before, after = _figures_cells(old), _figures_cells(new)
    if [c.source for c in before] != [c.source for c in after]:
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
    return old.metadata["scrutiny"]["disclosure_audit"]
