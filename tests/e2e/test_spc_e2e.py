"""Signal or noise, end to end: series with a planted shift, trend and outlier, through a real `scrutiny run`.

Three manual indicators are added to the real catalogue, and their 37 months (24 baseline, 13
shown) are typed into manual_outturns.csv. Both papers must carry the right icons in the
performance index and the right sentence in the indicator's detail and its exception.
"""

from __future__ import annotations

import csv
import html
import re

import pytest
import yaml
from builders import new_project

from scrutiny.data.periods import Period
from scrutiny.data.synth import synthesise
from scrutiny.demo import write_demo_params
from scrutiny.run.execute import run_period

pytestmark = pytest.mark.e2e
PERIOD = Period(2023, 11)
MONTHS = PERIOD.trailing(37)

ENTRY = {"why_important": "Planted for the test.", "definition": "A planted series.", "manual": True,
         "unit": "percent", "decimals": 1, "tolerance": 1.0}
PLANTED = {
    # 15 and 16 alternate (mean 15.5, limits 12.84 to 18.16); the last eight months sit at 16.5
    "planted_shift": ({**ENTRY, "number": 91, "title": "Planted shift", "polarity": "low", "target": 20.0},
                      [15.0, 16.0] * 12 + [15.0, 16.0, 15.0, 16.0, 15.0] + [16.5] * 8),
    # 70 and 72 alternate (mean 71, limits 65.68 to 76.32); the last seven months rise a little each month
    "planted_trend": ({**ENTRY, "number": 92, "title": "Planted trend", "polarity": "high", "target": 80.0},
                      [70.0, 72.0] * 12 + [70.0, 72.0] * 3 + [70.2, 70.4, 70.6, 70.8, 71.0, 71.2, 71.4]),
    # 20 and 22 alternate (mean 21, limits 15.68 to 26.32); November is 40
    "planted_outlier": ({**ENTRY, "number": 93, "title": "Planted outlier", "polarity": "low", "target": 30.0},
                        [20.0, 22.0] * 12 + [20.0, 22.0] * 6 + [40.0]),
}
SENTENCES = {
    "planted_shift": "Special cause of concern: the last 8 months have all been above the average of 15.5%; "
                     "at this level the 20.0% target will be met consistently.",
    "planted_trend": "Special cause of improvement: the figure has risen 6 months in a row, a trend of 7 points; "
                     "at this level the 80.0% target will not be met without a change.",
    "planted_outlier": "Special cause of concern: November 2023's 40.0% is above the upper process limit of 26.3%; "
                       "at this level the 30.0% target will be met consistently.",
}
ICONS = {
    "planted_shift": ("Special cause variation: concern (higher)",
                      "Assurance: at this level the target will be met consistently"),
    "planted_trend": ("Special cause variation: improvement (higher)",
                      "Assurance: at this level the target will not be met without a change"),
    # the process as a whole sits below 30%: November's 40% is a signal to ask about, not the new normal
    "planted_outlier": ("Special cause variation: concern (higher)",
                        "Assurance: at this level the target will be met consistently"),
}


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    root = new_project(tmp_path_factory.mktemp("planted"))
    data = synthesise(root / "data" / "demo", children=120, seed=3, as_at=str(PERIOD))
    with (data / "manual_outturns.csv").open("a", newline="") as out:
        writer = csv.writer(out)
        for indicator, (_, values) in PLANTED.items():
            for period, value in zip(MONTHS, values):
                writer.writerow([indicator, str(period), "", "", f"{value:.1f}"])
    path = root / "params" / "catalogue" / "2023-24.yaml"
    catalogue = yaml.safe_load(path.read_text())
    catalogue["indicators"] += [{"id": i, **entry} for i, (entry, _) in PLANTED.items()]
    path.write_text(yaml.safe_dump(catalogue, sort_keys=False))
    write_demo_params(root, str(PERIOD), "data/demo")
    result = run_period(str(PERIOD), root)
    return {part: html.unescape(p.read_text()) for part, p in (("part1", result.part1), ("part2", result.part2))}


def _index_row(page: str, title: str) -> str:
    table = page[page.index('<table class="perf-index"'):]
    return next(row.split("</tr>")[0] for row in table.split("<tr>") if f">{title}</a>" in row)


@pytest.mark.parametrize("part", ["part1", "part2"])
@pytest.mark.parametrize("indicator", list(PLANTED))
def test_planted_signals_get_the_right_icons_and_sentence_in_both_papers(planted, part, indicator):
    page = planted[part]
    variation, assurance = ICONS[indicator]
    row = _index_row(page, PLANTED[indicator][0]["title"])
    icons = [re.search(r'aria-label="([^"]+)"', tag)[1] for tag in re.findall(r'<svg[^>]*class="icon"[^>]*>', row)]
    assert icons == [variation, assurance]
    detail = page[page.index(f'aria-labelledby="ind-{indicator}"'):]
    detail = detail[:detail.index("</section>")]
    assert SENTENCES[indicator] in detail
    # the chart's text alternative reads it the same way
    chart = next(tag for tag in re.findall(r"<img[^>]*>", detail) if 'class="chart"' in tag)
    assert SENTENCES[indicator] in re.search(r'alt="([^"]+)"', chart)[1]


@pytest.mark.parametrize("part", ["part1", "part2"])
@pytest.mark.parametrize("indicator", ["planted_trend", "planted_outlier"])  # both Red; the shift is Green
def test_the_exception_text_starts_the_commentary_from_the_same_sentence(planted, part, indicator):
    page = planted[part]
    exception = page[page.index(f'id="exception-{indicator}"'):]
    exception = exception[:exception.index('class="to-detail"')]
    assert SENTENCES[indicator] in exception
    assert 'id="exception-planted_shift"' not in page
