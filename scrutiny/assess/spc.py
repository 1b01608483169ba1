"""Statistical process control: XmR limits, the Making Data Count rules, variation and assurance.

A small pure core over a series of values (``None`` for a month without one), as
NHSRplotthedots computes it, so that members see signal, not noise:

* **limits** on a baseline: each segment's limits are fixed on its first ``fix_after``
  values (all of them when None); fewer than 12 gives *trial* limits, which the paper says.
  The mean, the mean moving range, process limits at mean ± 2.66 × mean moving range and
  the 2-sigma lines at mean ± 1.773 × mean moving range. Moving ranges of 3.267 × the mean
  moving range or more are screened out and the mean moving range recomputed. Screening is
  on by default, as NHSRplotthedots' ``screen_outliers``: one extraordinary month (a data
  correction, a cohort arriving at once) should not widen the limits for every other month;
* **segments**: a new baseline only where the caller says (``rebase``: the positions where a
  new segment starts, which the catalogue records with a date and a reason). Never
  automatically. The rules never look across a rebase;
* **rules**, in the Making Data Count order of priority: a point outside the process limits;
  a run of ``run_length`` points all increasing or all decreasing (a tie breaks it); a run
  of ``run_length`` points on one side of the mean (a point on the mean breaks it); two of
  three points beyond the same 2-sigma line, all three on that side of the mean;
* each point's **type**, by the indicator's polarity: ``common_cause``,
  ``special_cause_improvement``, ``special_cause_concern``, or for a neutral indicator
  ``special_cause_neutral_high`` / ``special_cause_neutral_low``. A trend takes its
  direction (a point in two trends takes the one to its right, as NHSRplotthedots does);
  the other rules take the point's side of the mean;
* **variation** (the latest point's type) and **assurance** against a target or range,
  on the latest point's limits: ``consistent_pass``, ``consistent_fail`` or
  ``inconsistent`` (``None`` with neither, or a target on a neutral indicator).

The helpers ``shift_ends``, ``trend_ends``, ``part_of_run``, ``two_in_three`` and
``part_of_two_in_three`` are NHSRplotthedots' own rule helpers, so its published test
vectors run against them unchanged (tests/assess/test_spc.py). Imports nothing from the package.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

PROCESS, SIGMA2, SCREEN = 2.66, 1.773, 3.267
MIN_BASELINE = 12
RUN_LENGTHS = (6, 7)
COMMON = "common_cause"
IMPROVEMENT, CONCERN = "special_cause_improvement", "special_cause_concern"
NEUTRAL_HIGH, NEUTRAL_LOW = "special_cause_neutral_high", "special_cause_neutral_low"
TYPES = (COMMON, IMPROVEMENT, CONCERN, NEUTRAL_HIGH, NEUTRAL_LOW)
PASS, FAIL, INCONSISTENT = "consistent_pass", "consistent_fail", "inconsistent"
OUTSIDE, TREND, SHIFT, TWO_IN_THREE = "outside", "trend", "shift", "two_in_three"  # the rules, in priority order
POLARITY = {"increase": "high", "decrease": "low", "neutral": "neutral"}  # NHSRplotthedots' improvement_direction


@dataclass(frozen=True)
class Limits:
    """The centre line and limits fixed on a baseline."""

    mean: float
    moving_range: float  # the mean moving range, after screening
    lower: float  # process limits
    upper: float
    lower_2s: float  # the 2-sigma lines
    upper_2s: float
    points: int  # how many points the baseline had
    trial: bool  # fewer than MIN_BASELINE points: trial limits, said on the chart and in the text


@dataclass(frozen=True)
class Point:
    value: float | None
    type: str | None  # None where there is no value
    rule: str | None  # the rule that made it special cause, in priority order; None for common cause
    way: int  # +1 high / rising, -1 low / falling, 0 common cause
    segment: int  # which baseline it is judged against


@dataclass(frozen=True)
class Spc:
    segments: tuple[tuple[int, Limits], ...]  # (first position, limits), oldest first
    points: tuple[Point, ...]
    variation: str | None
    assurance: str | None

    @property
    def last(self) -> int:
        """Position of the latest point with a value."""
        return max(k for k, p in enumerate(self.points) if p.value is not None)

    @property
    def limits(self) -> Limits:
        """The limits the latest point is judged against."""
        return self.segments[self.points[self.last].segment][1]

    @property
    def types(self) -> tuple[str | None, ...]:
        return tuple(p.type for p in self.points)

    def limits_at(self, k: int) -> Limits:
        return self.segments[self.points[k].segment][1]

    def latest_run(self) -> int:
        """How many points, ending with the latest, the latest point's signal covers.

        A run: the points in a row on its side of the mean; a trend: the points in a row each
        higher (or lower) than the one before; two of three: 3; a point outside the limits: 1.
        """
        last = self.points[self.last]
        lim = self.limits
        present = [p.value for p in self.points[:self.last + 1] if p.value is not None and p.segment == last.segment]
        count = 1
        if last.rule == SHIFT:
            while count < len(present) and _sign(present[-1 - count] - lim.mean) == last.way:
                count += 1
        elif last.rule == TREND:
            while count < len(present) and _sign(present[-count] - present[-1 - count]) == last.way:
                count += 1
        elif last.rule == TWO_IN_THREE:
            count = 3
        return count


def limits(values: list[float | None], fix_after: int | None = None, screen_outliers: bool = True) -> Limits:
    """XmR limits on the first ``fix_after`` values that exist (all of them when None).

    >>> l = limits([1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2])
    >>> round(l.mean, 3), round(l.moving_range, 3), round(l.upper, 3), l.trial
    (2.0, 1.0, 4.66, False)
    """
    base = [v for v in values if v is not None]
    base = base[:max(fix_after, 2)] if fix_after is not None else base
    if len(base) < 2:
        raise ValueError("limits need at least two values")
    mean = sum(base) / len(base)
    ranges = [abs(b - a) for a, b in zip(base, base[1:])]
    mr = sum(ranges) / len(ranges)
    if screen_outliers and mr > 0:
        kept = [r for r in ranges if r < SCREEN * mr]
        mr = sum(kept) / len(kept) if kept else mr
    return Limits(mean, mr, mean - PROCESS * mr, mean + PROCESS * mr, mean - SIGMA2 * mr, mean + SIGMA2 * mr,
                  len(base), len(base) < MIN_BASELINE)


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def shift_ends(side: list[int], run: int = 7) -> list[int]:
    """1 where a point ends ``run`` points on one side of the mean (``side``: +1 above, -1 below, 0 on it).

    >>> shift_ends([1] * 8 + [-1])
    [0, 0, 0, 0, 0, 0, 1, 1, 0]
    """
    return [int(k >= run - 1 and side[k] != 0 and all(s == side[k] for s in side[k - run + 1:k + 1]))
            for k in range(len(side))]


def trend_ends(values: list[float], run: int = 7) -> list[int]:
    """+1 where a point ends ``run`` points each higher than the last, -1 each lower; a tie breaks a trend.

    >>> trend_ends([2, 1, 2, 3, 4, 5, 6, 7, 3])
    [0, 0, 0, 0, 0, 0, 0, 1, 0]
    """
    out = []
    for k in range(len(values)):
        steps = {_sign(values[j] - values[j - 1]) for j in range(k - run + 2, k + 1)} if k >= run - 1 else set()
        out.append(steps.pop() if len(steps) == 1 and 0 not in steps else 0)
    return out


def part_of_run(ends: list[int], run: int = 7) -> list[int]:
    """1 for every point in a run whose end is marked (this point or one of the next ``run - 1``).

    >>> part_of_run([0] * 7 + [-1, 0])
    [0, 1, 1, 1, 1, 1, 1, 1, 0]
    """
    return [int(any(e != 0 for e in ends[k:k + run])) for k in range(len(ends))]


def two_in_three(close: list[int], side: list[int]) -> list[int]:
    """1 for each point of three in a row, all on one side of the mean, at least two beyond the 2-sigma line.

    >>> two_in_three([0, 0, 1, 1, 0, 0, 0], [1] * 7), two_in_three([1, 0, 1], [1, -1, 1])
    ([0, 1, 1, 1, 1, 0, 0], [0, 0, 0])
    """
    n = len(close)

    def trio(start: int) -> bool:
        window = range(start, start + 3)
        return (0 <= start and start + 3 <= n and sum(close[j] for j in window) >= 2
                and abs(sum(side[j] for j in window)) == 3)

    return [int(trio(k - 2) or trio(k - 1) or trio(k)) for k in range(n)]


def part_of_two_in_three(trios: list[int], close: list[int]) -> list[int]:
    """Of the points in such a trio, the ones beyond the 2-sigma line.

    >>> part_of_two_in_three(two_in_three([1, 0, 0, 1, 1], [1] * 5), [1, 0, 0, 1, 1])
    [0, 0, 0, 1, 1]
    """
    return [int(t == 1 and abs(c) == 1) for t, c in zip(trios, close)]


def special_causes(values: list[float], lim: Limits, run_length: int = 7) -> list[tuple[str | None, int]]:
    """For each point: (the rule that makes it special cause, or None; which way: +1 / -1 / 0).

    >>> [r for r, _ in special_causes([0, 0, 9, 0], Limits(0, 1, -2.66, 2.66, -1.773, 1.773, 12, False))]
    [None, None, 'outside', None]
    """
    n = len(values)
    side = [_sign(v - lim.mean) for v in values]
    outside = [v > lim.upper or v < lim.lower for v in values]
    # close to a limit: beyond the 2-sigma line but inside the process limits (NHSRplotthedots' close_to_limits)
    close = [int(not out and (v > lim.upper_2s or v < lim.lower_2s)) for v, out in zip(values, outside)]
    trend = part_of_run(trend_ends(values, run_length), run_length)
    shift = part_of_run(shift_ends(side, run_length), run_length)
    two = part_of_two_in_three(two_in_three(close, side), close)
    out: list[tuple[str | None, int]] = []
    for k in range(n):
        if outside[k]:
            out.append((OUTSIDE, side[k]))
        elif trend[k]:
            # a point that ends one trend and starts the next takes the one to its right
            right = k + 1 < n and trend[k + 1]
            out.append((TREND, _sign(values[k + 1] - values[k]) if right else _sign(values[k] - values[k - 1])))
        elif shift[k]:
            out.append((SHIFT, side[k]))
        elif two[k]:
            out.append((TWO_IN_THREE, side[k]))
        else:
            out.append((None, 0))
    return out


def point_type(rule: str | None, way: int, polarity: str) -> str:
    """The Making Data Count type of a point, oriented by polarity ('high', 'low' or 'neutral')."""
    if rule is None or way == 0:
        return COMMON
    if polarity == "neutral":
        return NEUTRAL_HIGH if way > 0 else NEUTRAL_LOW
    good = way > 0 if polarity == "high" else way < 0
    return IMPROVEMENT if good else CONCERN


def assurance(lim: Limits, target: float | None, polarity: str,
              acceptable: tuple[float, float] | None = None) -> str | None:
    """Will the process reliably meet the target, or stay within the ``acceptable`` range?

    NHSRplotthedots' assurance types, by where the latest limits sit against the target.

    A range is assurance against both ends: pass when both process limits lie within it,
    fail when both lie outside it on one side.

    >>> lim = Limits(2, 1, 1, 3, 1.5, 2.5, 12, False)
    >>> assurance(lim, 4, "high"), assurance(lim, 4, "low"), assurance(lim, 2, "high"), assurance(lim, None, "high")
    ('consistent_fail', 'consistent_pass', 'inconsistent', None)
    >>> assurance(lim, None, "neutral", (0, 5)), assurance(lim, None, "neutral", (4, 6)), assurance(lim, None, "neutral", (2, 6))
    ('consistent_pass', 'consistent_fail', 'inconsistent')
    """
    if acceptable is not None:
        low, high = acceptable
        if low <= lim.lower and lim.upper <= high:
            return PASS
        if lim.upper < low or lim.lower > high:
            return FAIL
        return INCONSISTENT
    if target is None or polarity == "neutral":
        return None
    if lim.lower > target:
        return PASS if polarity == "high" else FAIL
    if lim.upper < target:
        return FAIL if polarity == "high" else PASS
    return INCONSISTENT


def spc(values: list[float | None], polarity: str, target: float | None = None, *,
        acceptable: tuple[float, float] | None = None, fix_after: int | None = None, rebase: tuple[int, ...] = (),
        run_length: int = 7, screen_outliers: bool = True) -> Spc | None:
    """Limits, point types, variation and assurance for a series (None with fewer than two values).

    ``rebase`` holds the positions where a new baseline starts (a segment with fewer than two
    values keeps the one before). ``fix_after`` fixes each segment's limits on its first points.

    >>> s = spc([10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 30], "low", target=12, fix_after=12)
    >>> s.types[-1], s.variation, s.assurance, s.points[-1].rule
    ('special_cause_concern', 'special_cause_concern', 'inconsistent', 'outside')
    """
    if run_length not in RUN_LENGTHS:
        raise ValueError(f"run_length must be 6 or 7, not {run_length}")
    if sum(v is not None for v in values) < 2:
        return None
    starts = [0] + sorted({k for k in rebase if 0 < k < len(values)})
    kept: list[tuple[int, int]] = []
    for a, b in zip(starts, starts[1:] + [len(values)]):
        # a segment with fewer than two values joins its neighbour (the first joins the next, others the last)
        if kept and (_count(values, *kept[-1]) < 2 or _count(values, a, b) < 2):
            kept[-1] = (kept[-1][0], b)
        else:
            kept.append((a, b))
    segments, points = [], []
    for seg, (a, b) in enumerate(kept):
        chunk = values[a:b]
        lim = limits(chunk, fix_after, screen_outliers)
        segments.append((a, lim))
        causes = iter(special_causes([v for v in chunk if v is not None], lim, run_length))
        for v in chunk:
            rule, way = next(causes) if v is not None else (None, 0)
            points.append(Point(v, None if v is None else point_type(rule, way, polarity), rule, way, seg))
    result = Spc(tuple(segments), tuple(points), None, None)
    return replace(result, variation=result.points[result.last].type,
                   assurance=assurance(result.limits, target, polarity, acceptable))


def _count(values: list[float | None], a: int, b: int) -> int:
    return sum(v is not None for v in values[a:b])
