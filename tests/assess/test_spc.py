"""SPC against NHSRplotthedots' published test vectors and the Making Data Count edge cases."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scrutiny.assess.spc import (COMMON, CONCERN, IMPROVEMENT, NEUTRAL_HIGH, NEUTRAL_LOW, Limits, assurance, limits,
                                 spc)

# NHSRplotthedots tests/testthat/test-ptd_spc_standard.R: set.seed(123); y <- rnorm(20); its snapshot
# (_snaps/ptd_spc_standard.md) prints mean 0.142, lpl -3.01, upl 3.29
RNORM_123 = [-0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621, -1.26506123,
             -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113, 1.78691314,
             0.49785048, -1.96661716, 0.70135590, -0.47279141]


def test_limits_reproduce_the_nhsrplotthedots_snapshot():
    lim = limits(RNORM_123, baseline=20)
    assert (round(lim.mean, 3), round(lim.lower, 2), round(lim.upper, 2)) == (0.142, -3.01, 3.29)
    s = spc(RNORM_123, "high", baseline=20)
    assert set(s.types) == {COMMON}


def test_screening_a_moving_range_outlier_narrows_the_limits():
    data = list(RNORM_123)
    data[14] = 10  # NHSRplotthedots' own outlier case: the limits differ with and without screening
    screened, raw = limits(data, 20, True), limits(data, 20, False)
    assert raw.upper - raw.lower > screened.upper - screened.lower
    assert limits(RNORM_123, 20, True) != screened


def test_two_of_three_on_opposite_sides_of_the_mean_is_common_cause():
    # NHSRplotthedots: "it only reports special cause for 2 of 3 points close to limits when they are on the
    # same side of the mean"
    data = [1.0, -1.0] * 8
    data[14], data[15] = 5.5, -5.5
    assert spc(data, "high", baseline=16).types[-2:] == (COMMON, COMMON)


@pytest.mark.parametrize("lpl, mean, upl, polarity, expected", [
    # NHSRplotthedots tests/testthat/test-ptd_calculate_assurance_type.R, target 4
    (1, 2, 3, "high", "consistent_fail"), (5, 6, 7, "high", "consistent_pass"), (1, 4, 5, "high", "inconsistent"),
    (1, 2, 3, "low", "consistent_pass"), (5, 6, 7, "low", "consistent_fail"), (1, 4, 5, "low", "inconsistent"),
    (1, 2, 3, "neutral", None),
])
def test_assurance_types(lpl, mean, upl, polarity, expected):
    assert assurance(Limits(mean, 1, lpl, upl, lpl, upl, 12, False), 4, polarity) == expected


BASE = [11.0, 10.0] * 6  # mean 10.5, moving range 1: limits 7.84 to 13.16, 2-sigma 8.73 to 12.27; ends below


@pytest.mark.parametrize("tail, polarity, expected", [
    ([20.0], "high", IMPROVEMENT),                       # outside the upper limit
    ([20.0], "low", CONCERN),
    ([20.0], "neutral", NEUTRAL_HIGH),
    ([1.0], "neutral", NEUTRAL_LOW),
    ([11.0] * 7, "high", IMPROVEMENT),                   # a shift: 7 above the mean
    ([11.0] * 6, "high", COMMON),                        # ... 6 is not enough by default
    ([10.6, 10.7, 10.8, 10.9, 11.0, 11.1, 11.2], "low", CONCERN),   # a trend of 7 rising (and above the mean)
    ([12.5, 10.5, 12.6], "high", IMPROVEMENT),           # two of three beyond the upper 2-sigma line
    ([12.5, 10.5, 8.5], "high", COMMON),                 # ... not on the same side
])
def test_rules_and_point_types(tail, polarity, expected):
    assert spc(BASE + tail, polarity).types[-1] == expected


def test_a_point_on_the_mean_breaks_a_shift_and_a_tie_breaks_a_trend():
    assert spc(BASE + [11.0] * 3 + [10.5] + [11.0] * 3, "high").types[-1] == COMMON
    assert spc(BASE + [11.2, 11.0, 10.8, 10.6, 10.4, 10.2, 10.0], "low").types[-1] == IMPROVEMENT  # 7 falling
    assert spc(BASE + [11.2, 11.0, 10.8, 10.8, 10.4, 10.2, 10.0], "low").types[-1] == COMMON       # a tie


def test_a_six_point_run_is_an_option():
    assert spc(BASE + [11.0] * 6, "high", shift=6).types[-1] == IMPROVEMENT


def test_fewer_than_twelve_points_give_trial_limits_and_two_give_none():
    assert spc([1.0, 2.0, 3.0, 2.0], "high").limits.trial
    assert not spc(BASE, "high").limits.trial
    assert spc([1.0, None], "high") is None


@settings(max_examples=80, deadline=None)
@given(st.lists(st.floats(-1000, 1000, allow_nan=False), min_size=13, max_size=30),
       st.floats(-500, 500, allow_nan=False), st.floats(0.01, 100, allow_nan=False))
def test_adding_a_constant_shifts_and_scaling_scales_but_types_stay(values, shift, scale):
    base = spc(values, "high")
    moved = spc([v + shift for v in values], "high")
    scaled = spc([v * scale for v in values], "high")
    assert moved.limits.mean == pytest.approx(base.limits.mean + shift, abs=1e-6)
    assert moved.limits.upper == pytest.approx(base.limits.upper + shift, abs=1e-6)
    assert scaled.limits.upper == pytest.approx(base.limits.upper * scale, rel=1e-6, abs=1e-6)
    # exact ties may move by rounding; compare where no value sits within rounding of a line
    lines = [base.limits.mean, base.limits.upper, base.limits.lower, base.limits.upper_2s, base.limits.lower_2s]
    if all(abs(v - line) > 1e-6 for v in values for line in lines) and len(set(values)) == len(values):
        assert moved.types == base.types and scaled.types == base.types
