"""The whole path for real: synthetic extract -> papermill (real kernel) -> nbconvert -> two papers."""

from __future__ import annotations

import re
from html.parser import HTMLParser
import nbformat
import pytest

from scrutiny.config.catalogue import load_catalogue
from builders import CATALOGUE, new_project

from scrutiny.demo import write_demo_params
from scrutiny.errors import RunFailed
from scrutiny.errors import ExtractStructureError
from scrutiny.run.notebook import NOTEBOOK
from scrutiny.run.execute import run_period
from scrutiny.data.synth import synthesise

pytestmark = pytest.mark.e2e
PERIOD = "2023-11"


class Page(HTMLParser):
    """Collects what a reader (or a screen reader) gets from a page."""

    def __init__(self, text: str):
        super().__init__()
        self.tags, self.imgs, self.text, self.html_lang = [], [], [], None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag == "img":
            self.imgs.append(attrs)

    def handle_data(self, data):
        self.text.append(data)

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())




def test_both_papers_are_written_where_agreed(demo_project):
    root, result = demo_project
    assert result.part1 == root / "outputs" / PERIOD / "part1.html"
    assert result.part2 == root / "outputs" / PERIOD / "confidential" / "part2.html"
    assert result.notebook.exists() and not (result.notebook.parent / "paper.failed.ipynb").exists()


@pytest.mark.parametrize("part", ["part1", "part2"])
def test_paper_is_self_contained_accessible_html_without_code(demo_project, part):
    _, result = demo_project
    html = getattr(result, part).read_text()
    page = Page(html)
    assert page.html_lang == "en-GB"
    assert page.tags.count("h1") == 1 and page.tags.count("title") == 1
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), "nothing may load from outside"
    assert "<script" not in html
    for forbidden in ("import scrutiny", "open_paper", "injected-parameters", "papermill", "In&nbsp;["):
        assert forbidden not in html
    charts = [i for i in page.imgs if "chart" in i.get("class", "")]
    # every indicator has its chart, or words saying why there is nothing to draw (no figures, one month)
    assert len(charts) + html.count('class="no-chart"') == len(load_catalogue(CATALOGUE).indicators)
    assert len(charts) >= 15
    for img in charts:
        assert img["alt"].startswith(("Line chart of ", "Control chart (XmR) of ")) and "November 2023" in img["alt"]
        assert img["src"].startswith("data:image/svg+xml;base64,")
    words = page.words
    assert "Performance index" in words and "Key to symbols" in words
    for word in ("Green", "Rating", "Since a year ago"):
        assert word in words
    # published benchmarks for the year ending March 2023 sit beside the figures, in both papers
    assert "Published figures (Department for Education), years ending 31 March" in words
    assert "Statistical neighbours (mean)" in words and "2018-19 2019-20 2020-21 2021-22 2022-23" in words
    # the annual review: renumbered from 25 to 20, with the new target noted on its trend
    assert "From April 2023 this is indicator 20 (it was indicator 25)." in words


def test_markings_and_suppression(demo_project):
    _, result = demo_project
    public, private = Page(result.part1.read_text()).words, Page(result.part2.read_text()).words
    assert "PART 1 (PUBLIC)" in public and "NOT FOR PUBLICATION" not in public
    assert "NOT FOR PUBLICATION" in private
    assert "[c] Confidential: withheld to protect individuals" in public
    # no count from 1 to 5 shows in the public scorecard
    table = result.part1.read_text().split('class="scorecard"')[1].split("</table>")[0]
    cells = re.findall(r'<td class="num">([^<]*)</td>', table)
    assert cells and not [c for c in cells if c.strip() in {"1", "2", "3", "4", "5"}]
    assert "Records left out of the calculations" in private and "Records left out" not in public


def test_exceptions_get_commentary_cells_tagged_by_indicator(demo_project):
    _, result = demo_project
    assert result.exceptions, "the demo should show some indicators below expectation"
    nb = nbformat.read(result.notebook, as_version=4)
    tagged = {t.removeprefix("commentary:") for c in nb.cells if c.cell_type == "markdown"
              for t in c.metadata.get("tags", []) if t.startswith("commentary:")}
    assert tagged == set(result.exceptions) | {"summary"}
    assert nb.metadata["papermill"]["parameters"]["period"] == PERIOD
    assert set(nb.metadata["scrutiny"]["extract"]) >= {"episodes.csv", "header.csv"}


def test_analyst_commentary_survives_a_rerun_and_reaches_both_papers(demo_project):
    root, result = demo_project
    nb = nbformat.read(result.notebook, as_version=4)
    first = result.exceptions[0]
    for cell in nb.cells:
        if f"commentary:{first}" in cell.metadata.get("tags", []):
            cell.source = "The cohort is small; **three** moves followed a provider closing."
    nbformat.write(nb, result.notebook)
    before = result.part2.read_text()
    again = run_period(PERIOD, root)
    assert "provider closing" in again.part2.read_text()
    assert before != again.part2.read_text()


def test_same_inputs_same_html(demo_project):
    root, result = demo_project
    first = (result.part1.read_bytes(), result.part2.read_bytes())
    again = run_period(PERIOD, root)
    assert (again.part1.read_bytes(), again.part2.read_bytes()) == first


def test_failed_run_writes_no_html_and_keeps_the_failed_notebook(demo_project, tmp_path):
    root, result = demo_project
    before = result.part1.read_bytes()
    broken = tmp_path / "paper.ipynb"
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell("raise RuntimeError('boom')"))
    nbformat.write(nb, broken)
    with pytest.raises(RunFailed, match="paper.failed.ipynb"):
        run_period(PERIOD, root, template=broken)
    assert (result.notebook.parent / "paper.failed.ipynb").exists()
    assert result.part1.read_bytes() == before  # the last good paper is untouched


def test_structure_error_stops_before_anything_is_written(tmp_path):
    root = new_project(tmp_path)
    data = root / "data" / "demo"
    synthesise(data, children=30, seed=2, as_at=PERIOD)
    text = (data / "header.csv").read_text().splitlines()
    text[3] = text[3].rsplit(",", 2)[0] + ",31/02/2010,WBRI"
    (data / "header.csv").write_text("\n".join(text) + "\n")
    write_demo_params(root, PERIOD, "data/demo")
    with pytest.raises(ExtractStructureError, match="header.csv, row 4, column DOB"):
        run_period(PERIOD, root)
    assert not (root / "outputs").exists()


def test_confidential_files_are_readable_by_the_owner_only(demo_project):
    root, result = demo_project
    mode = lambda p: p.stat().st_mode & 0o777  # noqa: E731
    assert mode(result.part1) == 0o644 and mode(root / "outputs" / "index.html") == 0o644
    assert mode(result.part2.parent) == 0o700
    assert mode(result.part2) == 0o600 and mode(result.notebook) == 0o600


@pytest.mark.parametrize("part", ["part1", "part2"])
def test_every_table_has_a_caption_and_header_cells(demo_project, part):
    _, result = demo_project
    html = getattr(result, part).read_text()
    tables = re.findall(r"<table\b.*?</table>", html, flags=re.S)
    assert len(tables) >= 10
    for table in tables:
        assert "<caption>" in table and "<th scope=" in table, table[:200]


def test_public_paper_passes_check_disclosure_and_holds_no_record_level_data(demo_project):
    import csv
    import subprocess
    import sys

    root, result = demo_project
    out = subprocess.run([sys.executable, "-m", "scrutiny", "check-disclosure", str(result.part1)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout
    html = result.part1.read_text()
    data = root / "data" / "demo"
    identifiers = set()
    for file, column in [("header.csv", "CHILD"), ("child_identifiers.csv", "LAchildID"),
                         ("cin_details.csv", "CINdetailsID"), ("cp_plans.csv", "CPPID")]:
        with open(data / file, newline="") as handle:
            identifiers |= {row[column] for row in csv.DictReader(handle)}
    found = [i for i in identifiers if i in html]
    assert not found, f"record identifiers in the public paper: {found[:5]}"
    for marker in (r"metadata", r"\sdata-[\w-]+=", r"<!--", r"\shidden[\s>=]", r"style=\"[^\"]*display:\s*none", r"application/vnd"):
        assert not re.search(marker, html), marker
    audit = (result.notebook.parent / "disclosure.json").read_text()
    assert '"passed": true' in audit


def test_the_executed_notebook_names_no_folder_of_this_machine_and_opens_with_a_guide(demo_project):
    root, result = demo_project
    text = result.notebook.read_text()
    assert str(root) not in text and str(root.parent) not in text and '"/tmp' not in text
    nb = nbformat.read(result.notebook, as_version=4)
    assert nb.cells[0].cell_type == "markdown" and "guide" in nb.cells[0].metadata["tags"]
    assert 'data = "../../../data/demo"' in "".join(c.source for c in nb.cells if "injected-parameters" in
                                                     c.metadata.get("tags", []))
    # each figures cell stands alone, so Shift+Enter in a fresh kernel shows figures, not a NameError
    figures = [c.source for c in nb.cells if any(t.startswith("exception:") for t in c.metadata.get("tags", []))]
    assert figures and all(s.startswith('import scrutiny\nscrutiny.paper_for("2023-11").exception(') for s in figures)
    boxes = [c.source for c in nb.cells if any(t.startswith("commentary:") and t != "commentary:summary"
                                               for t in c.metadata.get("tags", []))]
    prompts = [b for b in boxes if b.startswith("> ✍ **Write here: Indicator ")]   # (other tests write in some)
    assert prompts and all("✍" not in b for b in boxes if b not in prompts)
    assert any("The chart shows: " in b for b in prompts)   # the commentary starts from the chart's reading
