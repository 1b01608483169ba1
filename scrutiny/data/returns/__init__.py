"""The national returns as councils send them, read straight into the contract's tables.

One module per form: :mod:`scrutiny.data.returns.xml` reads the Children in Need census XML
(``Message``) and the SSDA903 XML (``EXPSSDA903``); the element-to-column mappings are data,
in ``mapping.yaml``. :func:`scrutiny.data.load.read_extract` calls :func:`sources` so that
``compute``, ``run`` and ``convert`` read a folder the same way, and every file in it is either
read (and the run says as what) or listed as not read, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

RETURN_NAMES = {"cin_census": "Children in Need census XML", "ssda903": "SSDA903 XML"}


@dataclass(frozen=True)
class Sources:
    """What the extract folder held: each file read and as what, each file not read and why."""

    read: tuple[tuple[str, str], ...] = ()  # (file, what it was read as)
    not_read: tuple[tuple[str, str], ...] = ()  # (file, why not)
    tables: dict = field(default_factory=dict)  # table -> its frame, from however many files
    combined: tuple[tuple[str, str], ...] = ()  # (table, what was combined and what superseded what, in words)


__all__ = ["RETURN_NAMES", "Sources"]
