"""Control charts in the paper: baselines, the public paper's rule for limits, rebasing, icons and words."""

from __future__ import annotations

import re

import pytest
import yaml
from builders import CATALOGUE, PARAMS, cp_plan, write_table

from scrutiny.assess.spc import COMMON, CONCERN, IMPROVEMENT
from scrutiny.config.catalogue import Rebase, load_catalogue
from scrutiny.config.params import validate_params
from scrutiny.data.periods import Period
from scrutiny.data.validate import load_extract
from scrutiny.errors import CatalogueError
from scrutiny.indicators import IndicatorResult
from scrutiny.paper.document import Paper
from scrutiny.paper.model import Outturn, PaperModel
from scrutiny.paper.parts import PART1, PART2
from scrutiny.paper import sections, variation

SHOWN = tuple(Period(2023, 11).trailing(13))
BEFORE = tuple(Period(2023, 11).shift(-13).trailing(24))


def _outturn(numerators: list[int], denominator: int = 40, **extra) -> Outturn:
    """cp_repeat over 24 baseline months and 13 shown, from numerators oldest first (37 of them)."""
    d = load_catalogue(CATALOGUE).get("cp_repeat")
    results = [IndicatorResult("cp_repeat", str(p), float(n), float(denominator), 100.0 * n / denominator)
               for p, n in zip(BEFORE + SHOWN, numerators)]
    return Outturn(d, SHOWN, tuple(results[24:]), before=tuple(results[:24]), before_periods=BEFORE, **extra)


BASE = [8, 9] * 12 + [8, 9] * 6 + [8]  # 20% and 22.5%, never small


def test_the_baseline_months_set_the_limits_and_the_shown_months_are_judged_against_them():
    c = _outturn(BASE).control(PART2)
    assert c.baseline == 24 and len(c.periods) == 37 and c.result.limits.points == 24
    assert c.result.limits.mean == pytest.approx(21.25)
    assert not c.result.limits.trial and set(c.result.types) == {COMMON}


def test_the_public_limits_never_use_a_withheld_figure():
    """Change a withheld figure (a small count, shown month or baseline month): nothing public moves."""
    seen = set()
    for small in (1, 3, 5):
        numerators = list(BASE)
        numerators[5] = small           # a baseline month withheld in public
        numerators[24 + 6] = small      # a shown month withheld in public
        o = _outturn(numerators)
        public, private = o.control(PART1), o.control(PART2)
        assert public.values[5] is None and public.values[30] is None
        seen.add((public.result.limits, public.result.types, public.result.variation, public.result.assurance))
        assert private.values[5] == pytest.approx(100.0 * small / 40)
    assert len(seen) == 1   # the public chart is the same whatever the withheld figures were


def test_no_public_icons_when_this_months_figure_is_withheld():
    numerators = list(BASE)
    numerators[-1] = 2
    o = _outturn(numerators)
    assert o.control(PART1) is None and o.control(PART2) is not None
    assert "read in the Part 2 paper" in sections.signal(o, PART1)
    assert "Signal or noise:" in sections.signal(o, PART2) and 'role="img"' in sections.signal(o, PART2)


def test_months_the_extract_does_not_cover_are_left_out_of_the_limits():
    o = _outturn(BASE, covered_from=BEFORE[10])
    c = o.control(PART2)
    assert c.values[:10] == (None,) * 10 and c.result.limits.points == 14


def test_fewer_than_twelve_baseline_months_give_trial_limits_said_in_words():
    o = _outturn(BASE, covered_from=SHOWN[0])  # no baseline month, and only the last 8 shown have figures
    o = Outturn(o.definition, o.periods, tuple(r if k >= 5 else IndicatorResult(r.id, r.period, None, None, None)
                                               for k, r in enumerate(o.results)), before=o.before,
                before_periods=o.before_periods, covered_from=SHOWN[0])
    c = o.control(PART2)
    assert c.result.limits.trial and c.result.limits.points == 8
    assert "(trial limits: only 8 months to set them)" in variation.sentence(c.result, o.definition, list(c.periods))


def test_a_rebase_in_the_catalogue_starts_new_limits_and_the_paper_prints_its_reason():
    d = load_catalogue(CATALOGUE).get("cp_repeat")
    d = d.model_copy(update={"rebase": (Rebase.model_validate({"from": "2023-04",
                                                               "reason": "New <front door> service"}),)})
    numerators = [8, 9] * 12 + [8, 9, 8, 9, 8] + [16, 17] * 4  # a step up from April 2023
    o = _outturn(numerators)
    o = Outturn(d, o.periods, o.results, before=o.before, before_periods=o.before_periods)
    c = o.control(PART2)
    assert c.rebases == ((29, "From April 2023: New <front door> service"),)
    assert [a for a, _ in c.result.segments] == [0, 29]
    assert c.result.limits.mean == pytest.approx(41.25) and c.result.variation == COMMON
    figure = sections.trend_figure(o, PART2)
    assert "Limits rebased. From April 2023: New &lt;front door&gt; service." in figure
    assert "<front door>" not in figure
    unrebased = _outturn(numerators).control(PART2)
    assert unrebased.result.variation == CONCERN  # without the catalogue's word, the step is a signal


@pytest.mark.parametrize("change, message", [
    ({"spc": {"run_length": 5}}, "field spc.run_length"),
    ({"spc": {"baseline_months": 61}}, "field spc.baseline_months"),
    ({"spc": {"screen": True}}, "field spc.screen"),
    ({"rebase": [{"from": "2023-13", "reason": "x"}]}, "indicator cp_repeat, field rebase.0.from"),
    ({"rebase": [{"from": "2023-04"}]}, "indicator cp_repeat, field rebase.0.reason"),
    ({"rebase": [{"from": "2023-04", "reason": "x", "by": "me"}]}, "indicator cp_repeat, field rebase.0.by"),
])
def test_bad_control_chart_options_are_refused_naming_the_field(tmp_path, change, message):
    raw = yaml.safe_load(CATALOGUE.read_text())
    if "spc" in change:
        raw["spc"] = change["spc"]
    else:
        next(e for e in raw["indicators"] if e["id"] == "cp_repeat")["rebase"] = change["rebase"]
    path = tmp_path / "2023-24.yaml"
    path.write_text(yaml.safe_dump(raw))
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    assert message in caught.value.describe()


def test_the_run_length_option_reaches_the_rules(tmp_path):
    numerators = [8, 9] * 12 + [8, 9, 8, 9, 8, 9, 8] + [9] * 6   # six months above the mean
    six = _outturn(numerators, options=load_catalogue(CATALOGUE).spc.model_copy(update={"run_length": 6}))
    assert six.control(PART2).result.variation == CONCERN
    assert _outturn(numerators).control(PART2).result.variation == COMMON


def test_every_computed_indicator_of_the_synthetic_extract_has_a_full_baseline(synthetic_extract):
    params = validate_params({**PARAMS, "data": str(synthetic_extract), "catalogue": str(CATALOGUE)})
    model = PaperModel(params, load_extract(synthetic_extract), load_catalogue(CATALOGUE))
    for o in model.outturns:
        c = o.control(PART2)
        if o.definition.manual or o.small_cohort:
            continue
        assert c is not None and c.result.limits.points >= 12 and not c.result.limits.trial, o.definition.id


def test_icons_differ_in_shape_and_each_says_what_it_means():
    drawn = {kind: variation.variation_icon(kind, 1) for kind in variation.VARIATION_WORDS}
    shapes = {kind: re.findall(r"<(circle|path|rect)", svg)[0] for kind, svg in drawn.items()}
    assert shapes[IMPROVEMENT] != shapes[CONCERN] and len({shapes[IMPROVEMENT], shapes[CONCERN], "rect"}) == 3
    for svg in list(drawn.values()) + [variation.assurance_icon(a) for a in variation.ASSURANCE_WORDS]:
        assert svg.startswith('<svg class="icon" role="img" aria-label="') and ("<text" in svg or "q2.3" in svg)
    assert ">P<" in variation.assurance_icon("consistent_pass") and ">F<" in variation.assurance_icon(
        "consistent_fail") and ">?<" in variation.assurance_icon("inconsistent")
    assert variation.assurance_icon(None) == "" and variation.variation_icon(None, 0) == ""


def test_the_index_and_the_key_carry_the_icons(tmp_path):
    write_table(tmp_path, "cp_plans", [cp_plan(f"C{k}", f"{2021 + k // 12}-{k % 12 + 1:02d}-01") for k in range(30)])
    params = validate_params({**PARAMS, "data": str(tmp_path), "catalogue": str(CATALOGUE)})
    paper = Paper(params, load_extract(tmp_path), load_catalogue(CATALOGUE))
    card = paper.scorecard().part2
    assert '<th scope="col">Variation</th><th scope="col">Assurance</th>' in card
    key = paper.key().part1
    assert key.count('class="icon"') == 7 and "Common cause variation: no sign of a change." in key


def test_the_data_quality_section_says_what_was_read_and_what_was_not(tmp_path):
    from builders import CIN_CENSUS

    (tmp_path / "cin-2024.xml").write_text(CIN_CENSUS)
    (tmp_path / "notes.txt").write_text("x")
    params = validate_params({**PARAMS, "data": str(tmp_path), "catalogue": str(CATALOGUE)})
    paper = Paper(params, load_extract(tmp_path), load_catalogue(CATALOGUE))
    dq = paper.data_quality()
    assert "The extract was read from 1 file(s); 1 file(s) in its folder were not read." in dq.part1
    assert "cin-2024.xml" not in dq.part1 and "notes.txt" not in dq.part1   # file names: Part 2 only
    assert "Children in Need census XML for 2024" in dq.part2 and "not read: not a contract file name" in dq.part2


def test_a_baseline_month_never_gives_a_shown_year_to_date_figure_away():
    d = load_catalogue(CATALOGUE).get("care_leavers_apprenticeships")
    values = {**{p: 40.0 for p in BEFORE}, BEFORE[-1]: 70.0, SHOWN[0]: 73.0}   # October 2022 70, November 73
    results = [IndicatorResult(d.id, str(p), values.get(p, 80.0), None, values.get(p, 80.0)) for p in BEFORE + SHOWN]
    o = Outturn(d, SHOWN, tuple(results[24:]), before=tuple(results[:24]), before_periods=BEFORE)
    assert o.withheld(0)   # 73 beside the chart's 70 would tell of 3 added in November
    assert o.control(PART1) is None or o.control(PART1).values[24] is None


def test_the_box_for_a_public_indicator_quotes_the_public_papers_reading(synthetic_extract):
    from scrutiny.run.commentary import PLACEHOLDER
    from scrutiny.run.notebook import _with_prompts

    params = validate_params({**PARAMS, "data": str(synthetic_extract), "catalogue": str(CATALOGUE)})
    paper = Paper(params, load_extract(synthetic_extract), load_catalogue(CATALOGUE))
    ids = [o.definition.id for o in paper.outturns if o.control(PART1) and o.control(PART2)
           and o.definition.id in paper.public_ids()
           and paper.signal_sentence(o.definition.id, PART1) != paper.signal_sentence(o.definition.id, PART2)]
    assert ids, "the synthetic extract should hold an indicator whose public reading differs"
    boxes = _with_prompts({i: PLACEHOLDER for i in ids}, paper.facts(set()), set(ids), "2023-11")
    for i in ids:
        assert paper.signal_sentence(i, PART1) in boxes[i] and paper.signal_sentence(i, PART2) not in boxes[i]


@pytest.mark.parametrize("scale, band, squashes", [
    ((16.5, 17.5), (15.0, 30.0), True),    # figures a point apart in a fifteen-point range: a flat line
    ((16.0, 24.0), (15.0, 30.0), False),   # the range takes less than four times the figures' height
    ((10.0, 14.0), (15.0, 30.0), True),    # 10 to 30 is five times 10 to 14
    ((10.0, 15.0), (15.0, 30.0), False),   # exactly four times: drawn whole
    ((15.0, 30.0), (20.0, 25.0), False),   # within the figures' scale already
])
def test_an_acceptable_range_is_drawn_whole_unless_it_would_flatten_the_figures(scale, band, squashes):
    from scrutiny.paper.charts import range_squashes

    assert range_squashes(scale, band) is squashes


def _legend(svg: bytes) -> list[str]:
    return re.findall(r"<!-- (Acceptable range[^-]*?) -->", svg.decode())


def test_a_control_chart_keeps_the_figures_scale_when_the_range_would_flatten_them():
    from scrutiny.paper.charts import xmr_svg

    d = load_catalogue(CATALOGUE).get("cla_s20_older_starters")   # acceptable range 15 to 30 %

    def chart(numerators, denominator):
        results = [IndicatorResult(d.id, str(p), float(n), float(denominator), 100.0 * n / denominator)
                   for p, n in zip(BEFORE + SHOWN, numerators)]
        o = Outturn(d, SHOWN, tuple(results[24:]), before=tuple(results[:24]), before_periods=BEFORE)
        return xmr_svg(d, o.control(PART2))

    tight = chart([680 + (k % 3) for k in range(37)], 4000)         # 17.0 to 17.05 %
    spread = chart([70 + 9 * (k % 3) for k in range(37)], 400)      # 17.5 to 22 %
    above = chart([3200 + (k % 3) for k in range(37)], 4000)        # 80 %, far above the range
    assert _legend(tight) == ["Acceptable range, wider than shown"]
    assert _legend(spread) == ["Acceptable range"]
    assert _legend(above) == ["Acceptable range: below this scale"]
    ticks = lambda svg: [float(t) for t in re.findall(r"<!-- (\d+(?:\.\d+)?) -->", svg.decode())]  # noqa: E731
    assert max(ticks(tight)) < 17.5 and min(ticks(tight)) > 16.5   # the figures' scale: their variation seen
    assert min(ticks(spread)) <= 15 and max(ticks(spread)) >= 30   # the range whole
