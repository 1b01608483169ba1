"""What members see, in a real headless Chromium: accessibility (axe-core), offline, print and PDF."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from scrutiny import cli
from scrutiny.errors import CommentaryError
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


@pytest.mark.parametrize("width,height", [(1280, 800), (1024, 768), (768, 1024)])  # a laptop, a tablet both ways
@pytest.mark.parametrize("part", ["part1", "part2"])
def test_no_paper_scrolls_sideways_on_a_laptop_or_a_tablet(browser, demo_project, part, width, height):
    """The performance index is wider than the reading column: it takes the screen's width, and scrolls on its
    own where that is too narrow; the page never scrolls sideways. On a laptop the whole index is in view."""
    root, _ = demo_project
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(papers(root)[part].as_uri(), wait_until="load")
    page_width, screen = page.evaluate("() => [document.documentElement.scrollWidth, "
                                       "document.documentElement.clientWidth]")
    index_width, shown = page.eval_on_selector("section.scorecard", "e => [e.scrollWidth, e.clientWidth]")
    context.close()
    assert page_width <= screen
    if width >= 1280:
        assert index_width <= shown


def test_print_layout_breaks_before_each_indicator_and_keeps_rows_whole(browser, demo_project):
    root, _ = demo_project
    page, _ = offline_page(browser, papers(root)["part2"])
    page.emulate_media(media="print")
    breaks = page.eval_on_selector_all("section.indicator", "els => els.map(e => getComputedStyle(e).breakBefore)")
    # each indicator starts a page; the first shares its page with the "Indicators in detail" heading
    assert breaks[0] == "avoid" and breaks[1:] and set(breaks[1:]) == {"page"}
    assert page.eval_on_selector("section.trends", "e => getComputedStyle(e).breakBefore") == "page"
    assert page.eval_on_selector("tr", "e => getComputedStyle(e).breakInside") == "avoid"
    assert page.eval_on_selector("thead", "e => getComputedStyle(e).display") == "table-header-group"


def test_public_index_lists_papers_and_never_links_the_confidential_one(browser, demo_project):
    root, _ = demo_project
    page, _ = offline_page(browser, papers(root)["index"])
    links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert "2023-11/part1.html" in links
    assert not [link for link in links if "confidential" in link or "part2" in link]
    drafts = page.locator("table", has_text="Draft performance papers")
    assert drafts.locator("tbody tr").first.inner_text().startswith("DRAFT November 2023")  # the demo is a draft
    assert "No final papers yet." in page.locator("table", has_text="Final performance papers").inner_text()


def test_pdf_of_each_paper_is_a4_and_marked_on_every_page(demo_project, capsys):
    root, _ = demo_project
    assert cli.main(["pdf", "2023-11", "--root", str(root)]) == 0
    for pdf, marking in [(root / "outputs" / "2023-11" / "part1.pdf", "PART 1 (PUBLIC)"),
                         (root / "outputs" / "2023-11" / "confidential" / "part2.pdf", "NOT FOR PUBLICATION")]:
        reader = PdfReader(pdf)
        assert len(reader.pages) > 5
        for page in reader.pages:
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            assert sorted((width, height)) == pytest.approx(A4_POINTS, abs=1.0)   # the index page is landscape
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
    assert "DRAFT" in html and again.missing == ("area-improving-outcomes-for-looked-after-children",)
    with pytest.raises(CommentaryError, match="Improving outcomes for looked after children"):
        run_plan("2023-24", "2024-03-31", root, final=True)   # refused: one area at risk has no commentary
    assert again.html.read_text() == html   # ... and nothing was written
    index = (root / "outputs" / "index.html").read_text()
    assert 'href="plan/2023-24/2024-03-31/plan.html"' in index and "31 March 2024" in index
    assert "<tfoot><tr><th scope=\"row\">TOTAL</th><td class=\"num\">14</td><td class=\"num\">7 ½</td>" in html
    page, outside = offline_page(browser, again.html)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert [v["id"] for v in results.response["violations"]] == [] and outside == []


@pytest.fixture(scope="module")
def printed(demo_project, tmp_path_factory):
    """Both demo papers printed by Chromium, with the headings and short titles the HTML holds."""
    import subprocess

    from scrutiny.config.catalogue import load_catalogue

    root, result = demo_project
    out = {}
    for part in ("part1", "part2"):
        pdf = tmp_path_factory.mktemp("print") / f"{part}.pdf"
        subprocess.run([chromium(), *QUIET, "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                        getattr(result, part).as_uri()], check=True, capture_output=True, timeout=120)
        out[part] = PdfReader(pdf)
    titles = [d.index_title for d in load_catalogue(root / "params" / "catalogue" / "2023-24.yaml").ordered()]
    return out, titles


@pytest.mark.parametrize("part", ["part1", "part2"])
def test_the_performance_index_fits_one_landscape_a4_page(printed, part):
    readers, titles = printed
    pages = [p for p in readers[part].pages if "Performance index" in p.extract_text()
             and "Last 13" in p.extract_text()]
    assert len(pages) == 1, "the index runs over more than one page"
    page = pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)
    text = " ".join(page.extract_text().split())
    missing = [t for t in titles if " ".join(t.split()) not in text]
    assert not missing, f"not on the index page: {missing}"


@pytest.mark.parametrize("part", ["part1", "part2"])
def test_no_heading_is_the_last_thing_on_a_page(browser, demo_project, printed, part):
    import re

    root, result = demo_project
    page, _ = offline_page(browser, getattr(result, part))
    headings = {" ".join(h.split()) for h in page.eval_on_selector_all(
        "h2, h3, h4", "els => els.map(e => e.innerText)")}
    for k, pdf_page in enumerate(printed[0][part].pages, start=1):
        lines = [" ".join(x.split()) for x in pdf_page.extract_text().splitlines() if x.strip()]
        body = [x for x in lines if not re.fullmatch(r"Page \d+ of \d+", x) and "PART " not in x]
        assert body and body[-1] not in headings, f"page {k} ends with the heading {body[-1]!r}"


@pytest.mark.parametrize("part", ["part1", "part2"])
def test_each_indicator_prints_on_one_page(printed, part):
    pages = [p.extract_text() for p in printed[0][part].pages]
    starts = [k for k, t in enumerate(pages) if re.search(r"^Indicator \d+: ", t, flags=re.M)
              and "Why this indicator is important" in t]
    assert len(starts) >= 15
    for k in starts:  # the page after an indicator's page starts the next section, never its left-overs
        if k + 1 < len(pages):
            nxt = pages[k + 1]
            assert re.search(r"^(Indicator \d+: |Data quality|Key to symbols)", nxt, flags=re.M), nxt[:200]


@pytest.mark.parametrize("part", ["part1", "part2"])
def test_every_breakdown_category_a_member_reads_is_a_label_not_a_code(browser, demo_project, part):
    from scrutiny.data.schema import CODED

    root, result = demo_project
    page, _ = offline_page(browser, getattr(result, part))
    categories = page.eval_on_selector_all("table.breakdown tbody th", "els => els.map(e => e.innerText.trim())")
    issues = page.eval_on_selector_all(".data-quality td:last-child", "els => els.map(e => e.innerText.trim())")
    assert categories, "the demo paper should carry breakdown tables"
    codes = set().union(*(v for v in CODED.values() if isinstance(v, frozenset)))
    assert not [c for c in categories if c in codes], "a breakdown shows a data code"
    # data-quality reasons read as sentences first, the field names only in brackets after
    assert all(re.match(r"[A-Z][a-z]", text) for text in issues), issues[:5]
