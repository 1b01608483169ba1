"""``scrutiny convert``: the contract's CSV files from whatever an extract folder holds, to see what was read."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from ...errors import ExtractStructureError, Problem
from ...files import PRIVATE_DIR_MODE, PRIVATE_MODE
from ..load import READ_LOG, ROW, SOURCE, read_extract
from ..schema import TABLES


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


def convert(source: Path, out: Path) -> list[tuple[str, int]]:
    """Write ``out/<table>.csv`` for every table the folder supplies (dates as YYYY-MM-DD); (file, rows) written.

    ``out`` must be a new or empty folder: the files are written beside it and switched in together,
    so a failed conversion leaves nothing half-written. Children's data: the folder is the owner's only.
    """
    source, out = Path(source), Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ExtractStructureError(out, [Problem(str(out), None, None, "is not a new or empty folder: convert "
                                                                        "never writes over files")])
    if out.resolve() == source.resolve():
        raise ExtractStructureError(out, [Problem(str(out), None, None, "is the folder being read")])
    frames = read_extract(source)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staged = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    except OSError as exc:
        raise ExtractStructureError(out, [Problem(str(out), None, None, f"cannot be made ({exc.strerror or exc}): "
                                                                        "give a folder you can write in")]) from None
    written = []
    try:
        for name, frame in frames.items():
            table = TABLES[name]
            rows = frame.sort_values([SOURCE, ROW] if SOURCE in frame else [ROW], kind="stable")
            body = pd.DataFrame({c: rows[c].map(_cell) if c in rows else "" for c in table.columns})
            path = staged / table.file
            body.to_csv(path, index=False, lineterminator="\n")
            path.chmod(PRIVATE_MODE)
            written.append((table.file, len(body)))
        staged.chmod(PRIVATE_DIR_MODE)
        if out.exists():
            out.rmdir()
        os.rename(staged, out)
    except OSError as exc:
        shutil.rmtree(staged, ignore_errors=True)
        raise ExtractStructureError(out, [Problem(str(out), None, None, f"could not be written ({exc.strerror or exc})"
                                                                        "; nothing was left half-written")]) from None
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return written


def read_report(source: Path) -> tuple[tuple[str, str], ...]:
    """What the last read of ``source`` read (file, as what) and did not (file, why), for the command line."""
    sources = READ_LOG.get(str(Path(source)))
    return (sources.read, sources.not_read) if sources else ((), ())
