"""scrutiny: the children's services performance papers for a scrutiny committee.

The public surface is small: load an extract, compute indicators, open a paper.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .catalogue import load_catalogue  # noqa: E402
from .compute import compute_period, compute_series  # noqa: E402
from .paper import open_paper  # noqa: E402
from .params import load_params  # noqa: E402
from .periods import Period  # noqa: E402
from .validate import load_extract  # noqa: E402

__all__ = ["Period", "compute_period", "compute_series", "load_catalogue", "load_extract", "load_params",
           "open_paper", "__version__"]
