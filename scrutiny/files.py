"""Writing files so that what was there is never lost or half-overwritten."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


PUBLIC_MODE = 0o644  # anyone may read (the public paper, its index)
PRIVATE_MODE = 0o600  # only the owner (everything under confidential/)


def write_atomic(path: Path, text: str, mode: int = PUBLIC_MODE) -> None:
    """Write to a temporary file beside ``path``, then rename: never half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.chmod(tmp, mode)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
