"""SPC against NHSRplotthedots' published test vectors and the Making Data Count edge cases."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scrutiny.assess.spc import (COMMON, CONCERN, IMPROVEMENT, NEUTRAL_HIGH, NEUTRAL_LOW, OUTSIDE, SHIFT, TREND,
                                 TWO_IN_THREE, Limits, assurance, limits, part_of_run, part_of_two_in_three,
                                 shift_ends, spc, trend_ends, two_in_three)

# NHSRplotthedots tests/testthat/test-ptd_spc_standard.R: set.seed(123); y <- rnorm(20); its snapshot
# (_snaps/ptd_spc_standard.md) prints mean 0.142, lpl -3.01, upl 3.29
RNORM_123 = [-0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621, -1.26506123,
             -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113, 1.78691314,
             0.49785048, -1.96661716, 0.70135590, -0.47279141]


# its snapshot (_snaps/ptd_spc_standard.md, pillar::glimpse of r1, r2, r3): mean, lpl, upl to the digits printed
@pytest.mark.parametrize("outlier, screen, mean, lpl, upl", [
    (False, True, 0.1416238, -3.01138, 3.294627),     # r1
    (True, True, 0.6694159, -2.383666, 3.722497),     # r2: y[15] <- 10, screen_outliers = TRUE
    (True, False, 0.6694159, -4.596625, 5.935457),    # r3: screen_outliers = FALSE
])
def test_limits_reproduce_the_nhsrplotthedots_snapshot(outlier, screen, mean, lpl, upl):
    data = list(RNORM_123)
    if outlier:
        data[14] = 10  # R's data$y[15]
    lim = limits(data, screen_outliers=screen)
    assert lim.mean == pytest.approx(mean, abs=5e-8)
    assert (lim.lower, lim.upper) == (pytest.approx(lpl, abs=5e-6), pytest.approx(upl, abs=5e-6))
    if not outlier:
        assert set(spc(data, "high").types) == {COMMON}


def test_screening_a_moving_range_outlier_narrows_the_limits():
    data = list(RNORM_123)
    data[14] = 10
    screened, raw = limits(data, 20, True), limits(data, 20, False)
    assert raw.upper - raw.lower > screened.upper - screened.lower


# NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R: each rule's helper, vector for vector
@pytest.mark.parametrize("side, expected", [
    ([], []),
    ([1] * 6, [0] * 6),
    ([1] * 6 + [-1], [0] * 7),
    ([1] * 8 + [-1], [0] * 6 + [1, 1, 0]),
    ([-1] * 8 + [1], [0] * 6 + [1, 1, 0]),
    ([-1] + [1] * 8 + [-1], [0] * 7 + [1, 1, 0]),
    ([1] + [-1] * 8 + [1], [0] * 7 + [1, 1, 0]),
])
def test_seven_point_one_side_mean(side, expected):
    assert shift_ends(side) == expected


@pytest.mark.parametrize("ends, expected", [
    ([], []), ([0] * 6, [0] * 6),
    ([0] * 6 + [1, 0], [1] * 7 + [0]), ([0] * 7 + [1, 0], [0] + [1] * 7 + [0]),
    ([0] * 6 + [-1, 0], [1] * 7 + [0]), ([0] * 7 + [-1, 0], [0] + [1] * 7 + [0]),
])
def test_part_of_seven_trend(ends, expected):
    assert part_of_run(ends) == expected


@pytest.mark.parametrize("values, expected", [
    ([], []), (list(range(1, 7)), [0] * 6),
    ([1, 2, 3, 3, 4, 5, 6], [0] * 7),
    (list(range(1, 8)), [0] * 6 + [1]),
    ([2, *range(1, 8), 3], [0] * 7 + [1, 0]),
    (list(range(7, 0, -1)), [0] * 6 + [-1]),
    ([2, *range(7, 0, -1), 3], [0] * 7 + [-1, 0]),
])
def test_seven_point_trend(values, expected):
    assert trend_ends(values) == expected


@pytest.mark.parametrize("close, side, expected", [
    ([], [], []), ([0] * 3, [0] * 3, [0] * 3),
    ([1, 0, 1], [1] * 3, [1] * 3), ([0, 1, 1], [1] * 3, [1] * 3), ([1, 1, 0], [1] * 3, [1] * 3),
    ([0, 0, 1, 0, 1, 0, 0], [1] * 7, [0, 0, 1, 1, 1, 0, 0]),
    ([0, 0, 1, 1, 0, 0, 0], [1] * 7, [0, 1, 1, 1, 1, 0, 0]),
    # "works as expected when points are on opposite sides of the mean"
    ([1, 0, 1], [1, -1, 1], [0] * 3), ([0, 1, 1], [1, -1, 1], [0] * 3), ([1, 1, 0], [1, -1, 1], [0] * 3),
    ([0, 0, 1, 0, 1, 0, 0], [1, -1, 1, -1, 1, -1, 1], [0] * 7),
    ([0, 0, 1, 1, 0, 0, 0], [-1, 1, -1, 1, -1, 1, -1], [0] * 7),
])
def test_two_in_three(close, side, expected):
    assert two_in_three(close, side) == expected


@pytest.mark.parametrize("close, expected", [
    ([], []), ([0] * 3, [0] * 3), ([1, 0, 1], [1, 0, 1]), ([0, 1, 1], [0, 1, 1]), ([1, 1, 0], [1, 1, 0]),
    ([0, 0, 1, 0, 1, 0, 0], [0, 0, 1, 0, 1, 0, 0]), ([1, 0, 0, 1], [0] * 4), ([1, 0, 0, 1, 1], [0, 0, 0, 1, 1]),
])
def test_part_of_two_in_three(close, expected):
    assert part_of_two_in_three(two_in_three(close, [1] * len(close)), close) == expected


def test_rules_in_priority_order_and_a_trend_takes_its_own_direction():
    # below the mean but falling for seven months: a trend, and for a 'high' indicator a concern
    s = spc(BASE + [11.2, 11.0, 10.8, 10.6, 10.4, 10.2, 10.0], "high", fix_after=12)
    assert (s.points[-1].rule, s.points[-1].way, s.variation) == (TREND, -1, CONCERN)
    assert s.points[-7].rule == TREND and s.points[-7].value > s.limits.mean  # the whole run, above the mean too
    assert spc(BASE + [20.0], "high", fix_after=12).points[-1].rule == OUTSIDE
    assert spc(BASE + [11.0] * 7, "high", fix_after=12).points[-1].rule == SHIFT
    assert spc(BASE + [12.5, 11.0, 12.6], "high", fix_after=12).points[-1].rule == TWO_IN_THREE


def test_a_peak_between_two_trends_takes_the_trend_to_its_right():
    s = spc(BASE + [10.6, 10.7, 10.8, 10.9, 11.0, 11.1, 11.2, 11.1, 11.0, 10.9, 10.8, 10.7, 10.6], "high",
            fix_after=12)
    peak = 12 + 6
    assert (s.points[peak].rule, s.points[peak].way) == (TREND, -1)
    assert s.points[peak - 1].way == 1


def test_latest_run_counts_the_points_the_sentence_speaks_of():
    assert spc(BASE + [11.0] * 9, "high", fix_after=12).latest_run() == 9
    assert spc(BASE + [20.0], "high", fix_after=12).latest_run() == 1


def test_rebasing_starts_new_limits_and_the_rules_never_look_across_it():
    before, after = [10.0, 11.0] * 6, [20.0, 21.0] * 6
    s = spc(before + after, "high", fix_after=12, rebase=(12,))
    assert [a for a, _ in s.segments] == [0, 12]
    assert s.limits.mean == pytest.approx(20.5) and s.limits_at(0).mean == pytest.approx(10.5)
    assert set(s.types) == {COMMON}
    unrebased = spc(before + after, "high", fix_after=12)
    assert unrebased.variation == IMPROVEMENT
    # a rebase with fewer than two values after it is not a segment of its own
    assert len(spc(before + [30.0], "high", rebase=(12,)).segments) == 1
    assert len(spc([None, 1.0, 2.0, 3.0], "high", rebase=(2,)).segments) == 1


@pytest.mark.parametrize("low, high, expected", [
    (0, 20, "consistent_pass"), (7.5, 13.5, "consistent_pass"), (14, 20, "consistent_fail"), (0, 7, "consistent_fail"),
    (10, 20, "inconsistent"), (0, 11, "inconsistent"),
])
def test_a_range_gives_assurance_against_both_ends(low, high, expected):
    s = spc(BASE, "neutral", acceptable=(low, high))  # limits 7.84 to 13.16
    assert s.assurance == expected


def test_two_of_three_on_opposite_sides_of_the_mean_is_common_cause():
    # NHSRplotthedots: "it only reports special cause for 2 of 3 points close to limits when they are on the
    # same side of the mean"
    data = [1.0, -1.0] * 8
    data[14], data[15] = 5.5, -5.5
    assert spc(data, "high", fix_after=16).types[-2:] == (COMMON, COMMON)


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
    ([12.5, 11.0, 12.6], "high", IMPROVEMENT),           # two of three beyond the upper 2-sigma line
    ([12.5, 10.5, 8.5], "high", COMMON),                 # ... not on the same side
])
def test_rules_and_point_types(tail, polarity, expected):
    assert spc(BASE + tail, polarity, fix_after=12).types[-1] == expected


def test_a_point_on_the_mean_breaks_a_shift_and_a_tie_breaks_a_trend():
    assert spc(BASE + [11.0] * 3 + [10.5] + [11.0] * 3, "high", fix_after=12).types[-1] == COMMON
    assert spc(BASE + [11.2, 11.0, 10.8, 10.6, 10.4, 10.2, 10.0], "low", fix_after=12).types[-1] == IMPROVEMENT  # 7 falling
    assert spc(BASE + [11.2, 11.0, 10.8, 10.8, 10.4, 10.2, 10.0], "low", fix_after=12).types[-1] == COMMON       # a tie


def test_a_six_point_run_is_an_option():
    assert spc(BASE + [11.0] * 6, "high", fix_after=12, run_length=6).types[-1] == IMPROVEMENT
    with pytest.raises(ValueError, match="6 or 7"):
        spc(BASE, "high", run_length=5)


def test_fewer_than_twelve_points_give_trial_limits_and_two_give_none():
    assert spc([1.0, 2.0, 3.0, 2.0], "high").limits.trial
    assert not spc(BASE, "high").limits.trial
    assert spc([1.0, None], "high") is None


@settings(max_examples=80, deadline=None)
@given(st.lists(st.floats(-1000, 1000, allow_nan=False), min_size=13, max_size=30),
       st.floats(-500, 500, allow_nan=False), st.floats(0.01, 100, allow_nan=False))
def test_adding_a_constant_shifts_and_scaling_scales_but_types_stay(values, shift, scale):
    base = spc(values, "high")
    shifted, multiplied = [v + shift for v in values], [v * scale for v in values]
    moved, scaled = spc(shifted, "high"), spc(multiplied, "high")
    assert moved.limits.mean == pytest.approx(base.limits.mean + shift, abs=1e-6)
    assert moved.limits.upper == pytest.approx(base.limits.upper + shift, abs=1e-6)
    assert scaled.limits.upper == pytest.approx(base.limits.upper * scale, rel=1e-6, abs=1e-6)
    # exact ties may move by rounding; compare where no value sits within rounding of a line, and where no two
    # values are made equal by it (1e-307 + 1 is 1.0: rounding keeps the order of values, not their differences)
    lines = [base.limits.mean, base.limits.upper, base.limits.lower, base.limits.upper_2s, base.limits.lower_2s]
    distinct = len(set(values)) == len(set(shifted)) == len(set(multiplied)) == len(values)
    if all(abs(v - line) > 1e-6 for v in values for line in lines) and distinct:
        assert moved.types == base.types and scaled.types == base.types


def test_a_point_outside_the_limits_is_not_close_to_them_for_two_of_three():
    # NHSRplotthedots: close_to_limits is beyond 2-sigma *and* inside the process limits (limits 7.84 to 13.16)
    s = spc(BASE + [14.0, 12.5, 10.6], "high", fix_after=12)
    assert s.points[-3].rule == "outside" and s.points[-2].type == COMMON
