"""What members see, in a real headless Chromium: accessibility (axe-core), offline, print and PDF."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from scrutiny import cli
from scrutiny.run.pdf import QUIET, chromium

playwright = pytest.importorskip("playwright.sync_api")
from axe_playwright_python.sync_playwright import Axe  # noqa: E402

pytestmark = pytest.mark.e2e
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
A4_POINTS = (595.3, 841.9)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium(), args=[a for a in QUIET if a != "--headless"])
        yield b
        b.close()


def offline_page(browser, path):
    """Open a file with the network blocked; return the page and every request that was not the file."""
    context = browser.new_context()
    outside: list[str] = []

    def route(r):
        url = r.request.url
        if url.startswith(("file:", "data:")):
            r.continue_()
        else:
            outside.append(url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.goto(path.as_uri(), wait_until="load")
    return page, outside


def papers(root):
    return {"part1": root / "outputs" / "2023-11" / "part1.html",
            "part2": root / "outputs" / "2023-11" / "confidential" / "part2.html",
            "index": root / "outputs" / "index.html"}


@pytest.mark.parametrize("name", ["part1", "part2", "index"])
def test_axe_finds_no_violations_and_nothing_is_fetched(browser, demo_project, name):
    root, _ = demo_project
    page, outside = offline_page(browser, papers(root)[name])
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    violations = [(v["id"], v["help"], [n["html"][:120] for n in v["nodes"][:3]])
                  for v in results.response["violations"]]
    assert violations == []
    assert outside == [], "the paper must work offline: nothing may be requested"
    images = page.eval_on_selector_all("img", "els => els.map(e => e.complete && e.naturalWidth > 0)")
    assert all(images) and (name == "index" or images), "every chart is drawn from inside the file"


def test_text_resizes_with_the_readers_settings(browser, demo_project):
    root, _ = demo_project
    page, _ = offline_page(browser, papers(root)["part1"])
    size = "() => parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)"
    before = page.evaluate(size)
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    assert page.evaluate(size) == pytest.approx(2 * before)


def test_print_layout_breaks_before_each_indicator_and_keeps_rows_whole(browser, demo_project):
    root, _ = demo_project
    page, _ = offline_page(browser, papers(root)["part2"])
    page.emulate_media(media="print")
    breaks = page.eval_on_selector_all("section.indicator", "els => els.map(e => getComputedStyle(e).breakBefore)")
    assert breaks and set(breaks) == {"page"}
    assert page.eval_on_selector("tr", "e => getComputedStyle(e).breakInside") == "avoid"
    assert page.eval_on_selector("thead", "e => getComputedStyle(e).display") == "table-header-group"


def test_public_index_lists_papers_and_never_links_the_confidential_one(browser, demo_project):
    root, _ = demo_project
    page, _ = offline_page(browser, papers(root)["index"])
    links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert "2023-11/part1.html" in links
    assert not [link for link in links if "confidential" in link or "part2" in link]
    row = page.inner_text("tbody tr")
    assert row.startswith("November 2023")


def test_pdf_of_each_paper_is_a4_and_marked_on_every_page(demo_project, capsys):
    root, _ = demo_project
    assert cli.main(["pdf", "2023-11", "--root", str(root)]) == 0
    for pdf, marking in [(root / "outputs" / "2023-11" / "part1.pdf", "PART 1 (PUBLIC)"),
                         (root / "outputs" / "2023-11" / "confidential" / "part2.pdf", "NOT FOR PUBLICATION")]:
        reader = PdfReader(pdf)
        assert len(reader.pages) > 5
        for page in reader.pages:
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            assert (width, height) == pytest.approx(A4_POINTS, abs=1.0)
            text = page.extract_text()
            assert marking in text and "DRAFT" in text   # the demo run is a draft: every page says so


def test_improvement_plan_paper_is_accessible_offline_and_keeps_its_commentary(browser, demo_project):
    import nbformat

    from scrutiny.run.execute import run_plan

    root, _ = demo_project
    first = run_plan("2023-24", "2024-03-31", root)
    assert first.at_risk == ("area-strategic-vision-and-leadership", "area-improving-outcomes-for-looked-after-children")
    nb = nbformat.read(first.notebook, as_version=4)
    for cell in nb.cells:
        if "commentary:area-strategic-vision-and-leadership" in cell.metadata.get("tags", []):
            cell.source = "Police resourcing has delayed joint strategy meetings; escalated to the partnership board."
    nbformat.write(nb, first.notebook)
    again = run_plan("2023-24", "2024-03-31", root)
    html = again.html.read_text()
    assert "Police resourcing has delayed joint strategy meetings" in html
    assert "<tfoot><tr><th scope=\"row\">TOTAL</th><td class=\"num\">14</td><td class=\"num\">7 ½</td>" in html
    page, outside = offline_page(browser, again.html)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert [v["id"] for v in results.response["violations"]] == [] and outside == []
