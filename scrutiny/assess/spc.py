"""Statistical process control: XmR limits, the Making Data Count rules, variation and assurance.

A small pure core over a series of values (``None`` for a month without one), as
NHSRplotthedots computes it, so that members see signal, not noise:

* **limits** from a baseline (the first ``baseline`` points, at least 12; fewer gives
  *trial* limits): the mean, the mean moving range, process limits at mean ± 2.66 × mean
  moving range and the 2-sigma lines at mean ± 1.773 × mean moving range. Moving ranges of
  3.267 × the mean moving range or more are screened out and the mean moving range
  recomputed (on by default, as NHSRplotthedots' ``screen_outliers``: one extraordinary
  month should not widen the limits for every other month);
* **rules**, in the MDC order: a point outside the process limits; a run of ``trend``
  points all increasing or all decreasing (a tie breaks it); a run of ``shift`` points on
  one side of the mean (a point on the mean breaks it); two of three points beyond the same
  2-sigma line;
* each point's **type**, by the indicator's polarity: ``common_cause``,
  ``special_cause_improvement``, ``special_cause_concern``, or for a neutral indicator
  ``special_cause_neutral_high`` / ``special_cause_neutral_low``;
* **variation** (the latest point's type) and **assurance** against a target:
  ``consistent_pass``, ``consistent_fail`` or ``inconsistent`` (``None`` with no target,
  or for a neutral indicator).

Imports nothing from the package.
"""

from __future__ import annotations

from dataclasses import dataclass

PROCESS, SIGMA2, SCREEN = 2.66, 1.773, 3.267
MIN_BASELINE = 12
COMMON = "common_cause"
IMPROVEMENT, CONCERN = "special_cause_improvement", "special_cause_concern"
NEUTRAL_HIGH, NEUTRAL_LOW = "special_cause_neutral_high", "special_cause_neutral_low"


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
class Spc:
    limits: Limits
    types: tuple[str | None, ...]  # per point; None where there is no value
    variation: str | None
    assurance: str | None


def limits(values: list[float | None], baseline: int = MIN_BASELINE, screen_outliers: bool = True) -> Limits:
    """XmR limits on the first ``baseline`` values that exist.

    >>> l = limits([1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2])
    >>> round(l.mean, 3), round(l.moving_range, 3), round(l.upper, 3), l.trial
    (2.0, 1.0, 4.66, False)
    """
    base = [v for v in values if v is not None][:max(baseline, 2)]
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


def _runs(flags: list[bool], length: int) -> list[bool]:
    """Mark every point that belongs to a run of at least ``length`` consecutive True flags."""
    marked = [False] * len(flags)
    start = None
    for k, flag in enumerate(flags + [False]):
        if flag and start is None:
            start = k
        elif not flag and start is not None:
            if k - start >= length:
                marked[start:k] = [True] * (k - start)
            start = None
    return marked


def special_causes(values: list[float], lim: Limits, shift: int = 7, trend: int = 7) -> list[tuple[bool, int]]:
    """For each point: (is it special cause, which way: +1 high / -1 low / 0 none), by the MDC rules.

    >>> [s for s, _ in special_causes([0, 0, 9, 0], Limits(0, 1, -2.66, 2.66, -1.773, 1.773, 12, False))]
    [False, False, True, False]
    """
    n = len(values)
    side = [(v > lim.mean) - (v < lim.mean) for v in values]
    outside = [v > lim.upper or v < lim.lower for v in values]
    above, below = _runs([s > 0 for s in side], shift), _runs([s < 0 for s in side], shift)
    # a trend of ``trend`` points is ``trend - 1`` consecutive rises (or falls); a tie breaks it
    rises = [values[k] > values[k - 1] for k in range(1, n)]
    falls = [values[k] < values[k - 1] for k in range(1, n)]
    up, down = [False] * n, [False] * n
    for flags, marks in ((rises, up), (falls, down)):
        run = _runs(flags, trend - 1)
        for k, hit in enumerate(run):
            if hit:
                marks[k] = marks[k + 1] = True
    near_high = [lim.upper_2s < v for v in values]
    near_low = [v < lim.lower_2s for v in values]
    two_high, two_low = [False] * n, [False] * n
    for near, marks in ((near_high, two_high), (near_low, two_low)):  # the same 2-sigma line: one side each
        for start in range(n - 2):
            trio = range(start, start + 3)
            if sum(near[j] for j in trio) >= 2:
                for j in trio:
                    marks[j] = marks[j] or near[j]
    out = []
    for k in range(n):
        if outside[k]:
            out.append((True, side[k]))
        elif up[k] or down[k]:
            out.append((True, 1 if up[k] else -1))
        elif above[k] or below[k]:
            out.append((True, 1 if above[k] else -1))
        elif two_high[k] or two_low[k]:
            out.append((True, 1 if two_high[k] else -1))
        else:
            out.append((False, 0))
    return out


def _type(special: bool, way: int, polarity: str) -> str:
    if not special:
        return COMMON
    if polarity == "neutral":
        return NEUTRAL_HIGH if way > 0 else NEUTRAL_LOW
    good = way > 0 if polarity == "high" else way < 0
    return IMPROVEMENT if good else CONCERN


def assurance(lim: Limits, target: float | None, polarity: str) -> str | None:
    """Will the process reliably meet the target? (NHSRplotthedots' assurance types.)

    >>> lim = Limits(2, 1, 1, 3, 1.5, 2.5, 12, False)
    >>> assurance(lim, 4, "high"), assurance(lim, 4, "low"), assurance(lim, 2, "high"), assurance(lim, None, "high")
    ('consistent_fail', 'consistent_pass', 'inconsistent', None)
    """
    if target is None or polarity == "neutral":
        return None
    if lim.lower > target:
        return "consistent_pass" if polarity == "high" else "consistent_fail"
    if lim.upper < target:
        return "consistent_fail" if polarity == "high" else "consistent_pass"
    return "inconsistent"


def spc(values: list[float | None], polarity: str, target: float | None = None, baseline: int = MIN_BASELINE,
        shift: int = 7, trend: int = 7, screen_outliers: bool = True) -> Spc | None:
    """Limits, point types, variation and assurance for a series (None with fewer than two values).

    >>> s = spc([10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 30], "low", target=12)
    >>> s.types[-1], s.variation, s.assurance
    ('special_cause_concern', 'special_cause_concern', 'inconsistent')
    """
    if sum(v is not None for v in values) < 2:
        return None
    lim = limits(values, baseline, screen_outliers)
    present = [(k, v) for k, v in enumerate(values) if v is not None]
    causes = special_causes([v for _, v in present], lim, shift, trend)
    types: list[str | None] = [None] * len(values)
    for (k, _), (special, way) in zip(present, causes):
        types[k] = _type(special, way, polarity)
    return Spc(lim, tuple(types), types[present[-1][0]], assurance(lim, target, polarity))
