"""scrutiny: the children's services performance papers for a scrutiny committee.

The package follows the data path, and each sub-package imports only from those before it:

========================  ==============================================================
``scrutiny.errors``       every error a user can cause (the :class:`ScrutinyError` family)
``scrutiny.files``        atomic writing and file modes
``scrutiny.data``         the extract: contract, loading, record validation, periods, synthetic data
``scrutiny.indicators``   the national definitions, one module per family; breakdowns; compute
``scrutiny.config``       the project's files: period params, catalogue, improvement plan
``scrutiny.assess``       rating, suppression and disclosure control, published benchmarks
``scrutiny.paper``        the paper's model, its sections, HTML pieces, charts, the plan paper
``scrutiny.run``          papermill, notebooks, rendering, the public-paper gate, commentary store
``scrutiny.cli``          the ``scrutiny`` command (and ``scrutiny.demo``)
========================  ==============================================================

The public surface is small: load an extract, compute indicators, open a paper. It is
imported on first use, so ``import scrutiny`` stays light.
"""

from __future__ import annotations

import importlib

from ._deferred import defer_slow_imports

__version__ = "0.1.0"
defer_slow_imports()  # two seconds off every process that reads a notebook (see scrutiny._deferred)

_SURFACE = {
    "Period": "scrutiny.data.periods",
    "load_extract": "scrutiny.data.validate",
    "compute_period": "scrutiny.indicators.compute",
    "compute_series": "scrutiny.indicators.compute",
    "load_catalogue": "scrutiny.config.catalogue",
    "load_params": "scrutiny.config.params",
    "open_paper": "scrutiny.paper.document",
    "paper_for": "scrutiny.paper.document",
    "ScrutinyError": "scrutiny.errors",
}
__all__ = [*_SURFACE, "__version__"]


def __getattr__(name: str):
    if name in _SURFACE:
        return getattr(importlib.import_module(_SURFACE[name]), name)
    raise AttributeError(f"module 'scrutiny' has no attribute {name!r}")
