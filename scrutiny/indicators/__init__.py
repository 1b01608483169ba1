"""The national definitions (``spec/indicators.md``): one module per family, each function registered by id.

Each family module holds its indicators, the cohorts they share, and the breakdowns
that explain them (registered in :mod:`~scrutiny.indicators.breakdowns`);
:mod:`~scrutiny.indicators.compute` runs them for one period or many, and
:mod:`~scrutiny.indicators.manual` reads the figures typed into ``manual_outturns.csv``.
Imports: :mod:`scrutiny.data` only.

>>> sorted(REGISTRY)[:3]
['adoption_timeliness', 'care_leavers_eet', 'care_leavers_suitable_accommodation']
"""

from __future__ import annotations

from . import adoption, care_leavers, child_protection, looked_after, referrals, workforce  # noqa: F401
from ._base import NO_DATA, NOT_SUPPLIED, OK, REGISTRY, Context, IndicatorResult, IndicatorSpec, compute
from .manual import manual_spec

__all__ = ["REGISTRY", "Context", "IndicatorResult", "IndicatorSpec", "compute", "manual_spec",
           "NO_DATA", "NOT_SUPPLIED", "OK"]
