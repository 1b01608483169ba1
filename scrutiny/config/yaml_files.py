"""Reading the project's YAML files with errors that say which file and what is wrong."""

from __future__ import annotations

from pathlib import Path

import yaml


def read_yaml(path: Path, error: type[Exception], missing: str):
    """The file's data; ``error`` with ``missing`` if absent, or with the parser's words if not YAML."""
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise error(f"{path}: {missing}", file=str(path)) from None
    except yaml.YAMLError as exc:
        raise error(f"{path}: not valid YAML: {exc}", file=str(path)) from None
