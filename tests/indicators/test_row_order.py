"""Referrals in any order give the same figures: the fast paths for extracts sorted by child are only faster."""

from __future__ import annotations

from dataclasses import replace

from scrutiny.data.periods import Period
from scrutiny.data.validate import load_extract
from scrutiny.indicators._base import REGISTRY
from scrutiny.indicators.compute import compute_series


def test_referrals_sorted_by_child_or_shuffled_give_the_same_figures(synthetic_extract):
    extract = load_extract(synthetic_extract)
    referrals = extract.tables["cin_details"]
    ordered = referrals.sort_values(["LAchildID", "CINreferralDate"], kind="stable")
    shuffled = referrals.sample(frac=1.0, random_state=7)
    months = [Period.parse(p) for p in ("2023-03", "2023-11", "2024-03")]
    specs = [REGISTRY["cin_rereferrals"]]
    results = [compute_series(replace(extract, tables={**extract.tables, "cin_details": frame}, derived={}), months,
                              None, specs=specs) for frame in (referrals, ordered, shuffled)]
    assert results[0] == results[1] == results[2]
    assert any(r.numerator for r in results[0]["cin_rereferrals"])  # re-referrals were there to be found
