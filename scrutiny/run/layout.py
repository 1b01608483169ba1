"""Where a month's files live under ``outputs/`` (imports nothing from the package).

``outputs/<period>/part1.html`` is public; everything under ``outputs/<period>/confidential/``
is readable by its owner only and is never published.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
NOTEBOOKS = PACKAGE / "notebooks"  # shipped inside the package
NOTEBOOK = NOTEBOOKS / "paper.ipynb"
PLAN_NOTEBOOK = NOTEBOOKS / "plan.ipynb"
TEMPLATES = PACKAGE / "run" / "templates"
ENGINE = "scrutiny"  # what executes a month's notebook: this process, warm (see .engine)
KERNEL = "kernel"  # papermill's own: a Jupyter kernel per notebook
ENGINES = {ENGINE: ENGINE, KERNEL: "nbclient"}  # what `--engine` accepts -> papermill's engine name


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
