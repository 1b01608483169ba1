"""Up to date is free: what a month's papers are made from, and whether any of it changed since its last run.

A month records, beside its papers (``inputs.sha256`` in its confidential folder), two
fingerprints of what they were made from (:func:`fingerprints`): its *figures* (the month's
params and the defaults under them, every catalogue, the benchmarks table, every file of the
extract, the published ledgers, the package's code, the notebook and templates, final or
draft, PDFs or not) and its *commentary* (the month's commentary store, last month's, and the
executed notebook as the run left it, so words saved in JupyterLab since are harvested); then
the figures cells' sha256, and the files its params named. Both fingerprints unchanged: the
month is skipped. Only the commentary changed: the papers are re-rendered from the figures
already computed (``run_period(reuse_figures=...)``).

Whether a month is up to date is known without reading its params (nor importing their models)
while their bytes, and every link in the paths they give, are as they were: the files they name
are then the ones recorded (:func:`changed`).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from ..config import DEFAULTS
from ..data.fingerprint import code_digest, file_digest
from ..data.periods import Period
from ..files import MONTH_LEDGER
from .layout import NOTEBOOK, TEMPLATES, paths

FINGERPRINT = "inputs.sha256"  # in the month's confidential folder: what its last complete run was made from


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else []


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _digest(label: str, parts: list[tuple[str, Path]], extra: dict) -> str:
    digest = hashlib.sha256(json.dumps(extra, sort_keys=True).encode())
    for name, path in parts:
        digest.update(f"\n{name} {path.name}\n".encode())
        digest.update(file_digest(path).encode())
    return f"{label} {digest.hexdigest()}"


def inputs(root: Path, period: Period) -> dict:
    """The files the month's params name (its catalogue, extract and benchmarks) as its params resolve them,
    and as they are written (``"written"``, from the project folder: what a link may point elsewhere since)."""
    from ..config.params import load_params, month_raw

    path = root / "params" / f"{period}.yaml"
    params, raw = load_params(path), month_raw(path, period)
    return {"catalogues": str(Path(params.catalogue).parent), "extract": str(Path(params.data)),
            "benchmarks": str(params.benchmarks) if params.benchmarks else None,
            "written": {k: str(raw[k]) for k in ("catalogue", "data", "benchmarks") if raw.get(k)},
            "folders": _folders(root)}


def _folders(root: Path) -> dict[str, str]:
    """Where the project's catalogue and benchmarks folders lead (the params' files must be in them)."""
    return {name: os.path.realpath(root / "params" / name) for name in ("catalogue", "benchmarks")}


def _still_named(root: Path, named: dict) -> bool:
    """The files recorded are still the ones the params name: each path as written leads to the same file,
    and the project's catalogue and benchmarks folders, which those files must be in, lead where they did."""
    written = named.get("written")
    if not isinstance(written, dict) or named.get("folders") != _folders(root):
        return False
    now = {k: os.path.realpath(root / v) for k, v in written.items()}
    return (now.get("data") == named["extract"] and now.get("benchmarks") == named["benchmarks"]
            and "catalogue" in now and os.path.dirname(now["catalogue"]) == named["catalogues"])


def fingerprints(root: Path, period: Period, final: bool, pdf: bool, own_ledger: bool = True,
                 named: dict | None = None) -> tuple[str, str]:
    """(figures, commentary): what the month's papers are made from, as two sha256 (see the module's docstring).
    ``own_ledger=False`` leaves out the month's own ledger (which its own final run writes). ``named``: the
    files the params name, as the last run recorded them (:func:`inputs`), so the params are not read again:
    the caller checks that they still are (``_still_named``: the checks of the params are not made again)."""
    params_file = root / "params" / f"{period}.yaml"
    named = named or inputs(root, period)
    figures: list[tuple[str, Path]] = []
    for label, path in [("defaults", root / "params" / DEFAULTS), ("params", params_file),
                        ("catalogues", Path(named["catalogues"])), ("extract", Path(named["extract"])),
                        ("ledger", root / "outputs" / "published.json"), ("notebook", NOTEBOOK),
                        ("templates", TEMPLATES)]:
        figures += [(label, p) for p in _files(path)]
    if named["benchmarks"]:
        figures.append(("benchmarks", Path(named["benchmarks"])))
    # every final month's ledger, as read_ledger reads them: a re-published month changes what others withhold
    own = root / "outputs" / str(period) / MONTH_LEDGER
    figures += [("ledger", p) for p in sorted((root / "outputs").glob(f"[0-9][0-9][0-9][0-9]-[0-9][0-9]/{MONTH_LEDGER}"))
                if own_ledger or p != own]
    commentary: list[tuple[str, Path]] = []
    for label, path in [("store", root / "params" / "commentary" / f"{period}.yaml"),
                        ("previous store", root / "params" / "commentary" / f"{period.shift(-1)}.yaml"),
                        ("executed", paths(root, str(period))["notebook"])]:
        commentary += [(label, p) for p in _files(path)]
    return (_digest("figures", figures, {"code": code_digest("."), "final": final, "pdf": pdf}),
            _digest("commentary", commentary, {}))


def _record_path(root: Path, period: Period) -> Path:
    return paths(root, str(period))["notebook"].parent / FINGERPRINT


def _recorded(root: Path, period: Period) -> tuple[str, ...] | None:
    """(figures, commentary, the figures cells' sha256, the files its params named as JSON) as the month's
    last complete backfill run recorded (a record of an older version has no fourth line)."""
    path = _record_path(root, period)
    lines = path.read_text().split("\n") if path.is_file() else []
    return tuple(lines[:4]) if len(lines) >= 3 else None


def _named(before: tuple[str, ...] | None) -> dict | None:
    try:
        named = json.loads(before[3]) if before and len(before) > 3 and before[3] else None
    except ValueError:
        return None
    return named if isinstance(named, dict) and {"catalogues", "extract", "benchmarks"} <= set(named) else None


def changed(root: Path, period: Period, final: bool = False, pdf: bool = False) -> str:
    """What changed since the month's last complete run: ``""`` (nothing: up to date), ``"commentary"`` (only
    that: re-rendered) or ``"figures"`` (run in full). A month whose params are as they were is looked at
    through the files its last run recorded them naming, without reading the params (or importing their
    models), while each path they give still leads to the file recorded."""
    before = _recorded(root, period)
    named = _named(before)
    if named and _still_named(root, named) and fingerprints(root, period, final, pdf, named=named) == before[:2]:
        return ""
    now = fingerprints(root, period, final, pdf)
    return "" if before and before[:2] == now else "commentary" if before and before[0] == now[0] else "figures"
