"""Indicator functions, one module per family; each registers itself by id.

>>> sorted(REGISTRY)[:3]
['cin_assessments_45wd', 'cin_rereferrals', 'cla_placement_stability_long']
"""

from __future__ import annotations

from . import child_protection, looked_after, referrals  # noqa: F401  (registration)
from ._base import NO_DATA, OK, REGISTRY, Context, IndicatorResult, IndicatorSpec, compute

__all__ = ["REGISTRY", "Context", "IndicatorResult", "IndicatorSpec", "compute", "NO_DATA", "OK"]
