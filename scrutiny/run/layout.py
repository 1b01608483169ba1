"""Where a month's files live under ``outputs/`` (imports nothing from the package).

``outputs/<period>/part1.html`` is public; everything under ``outputs/<period>/confidential/``
is readable by its owner only and is never published.
"""

from __future__ import annotations

from pathlib import Path


def paths(root: Path, period: str) -> dict[str, Path]:
    out = root / "outputs" / period
    conf = out / "confidential"
    return {
        "part1": out / "part1.html",
        "part2": conf / "part2.html",
        "notebook": conf / "paper.ipynb",
        "running": conf / "paper.running.ipynb",
        "failed": conf / "paper.failed.ipynb",
        "input": conf / ".paper.input.ipynb",
    }
