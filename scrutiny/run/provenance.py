"""What an executed notebook records of where it came from: relative paths, the inputs' fingerprints, the kernel.

Imports nothing from the paper model.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

from .. import __version__
from ..config.params import DEFAULTS


def _sha256(path: Path) -> str:
    from ..data.fingerprint import file_digest  # each file hashed once a process (the extract was, to find its cache)

    return file_digest(path)


PATH_PARAMETERS = ("data", "catalogue", "benchmarks", "published")


def notebook_parameters(params, notebook_folder: Path) -> dict:
    """The notebook's parameters with every path relative to the folder the notebook is written to."""
    out = params.notebook_parameters()
    for key in PATH_PARAMETERS:
        if out.get(key) and os.path.isabs(out[key]):
            out[key] = os.path.relpath(out[key], notebook_folder)
    return out


def _kernelspec_as_installed(nb) -> None:
    """The kernel's name as this machine's kernelspec gives it, so JupyterLab opens the notebook unchanged.

    JupyterLab rewrites ``kernelspec`` from the installed spec once the kernel starts; a
    different display name ("Python 3" against "Python 3 (ipykernel)") marks the notebook as
    having unsaved changes the moment it opens, and autosave then rewrites it.
    """
    spec = _installed_python3()
    if spec is not None:  # (none to match: leave what papermill wrote)
        nb.metadata["kernelspec"] = {"display_name": spec[0], "language": spec[1], "name": "python3"}


@lru_cache(maxsize=1)
def _installed_python3() -> tuple[str, str] | None:
    try:
        spec = KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        return None
    return spec.display_name, spec.language


def _project_relative(nb, root: Path, staged: Path, month: Path) -> None:
    """Papermill's record of where it read and wrote, as the project names them (not this machine's folders)."""
    record = nb.metadata.get("papermill", {})
    for key in ("input_path", "output_path"):
        if record.get(key):
            path = Path(record[key])
            if path.is_relative_to(staged):
                path = month / path.relative_to(staged)
            record[key] = os.path.relpath(path, root) if path.is_relative_to(root) else path.name


def provenance(params_file: Path, data: Path, catalogue: Path) -> dict:
    """What produced the paper: package version and a fingerprint of every input (the month's params with the
    defaults they sit on)."""
    files = [p for p in (params_file.parent / DEFAULTS, params_file) if p.exists()]
    return {
        "scrutiny_version": __version__,
        "params": {"file": params_file.name, "sha256": hashlib.sha256(b"".join(p.read_bytes() for p in files))
                   .hexdigest()},
        "catalogue": {"file": catalogue.name, "sha256": _sha256(catalogue)},
        "extract": {p.name: _sha256(p) for p in sorted(data.iterdir()) if p.is_file() and not p.name.startswith(".")},
    }
