"""`scrutiny pdf`: tagged A4 PDFs with an outline of the paper's headings, marked on every page, never stale."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from builders import copy_project, refused
from pypdf import PdfReader

from scrutiny import cli
from scrutiny.errors import PdfError
from scrutiny.run import pdf as pdf_module
from scrutiny.run.pdf import pdf_period, pdfs_for, print_pdf, stale_pdfs

pytestmark = pytest.mark.e2e
A4_POINTS = (595.3, 841.9)
MARKING = {"part1": "PART 1 (PUBLIC)", "part2": "NOT FOR PUBLICATION"}


def pdfinfo() -> str:
    found = shutil.which("pdfinfo")
    if not found:
        pytest.fail("pdfinfo not found: install poppler-utils "
                    "(`make chromium` does, or `apt-get install -y poppler-utils`)")
    return found


def info(pdf: Path) -> str:
    pages = len(PdfReader(pdf).pages)
    return subprocess.run([pdfinfo(), "-f", "1", "-l", str(pages), str(pdf)],
                          capture_output=True, text=True, check=True).stdout


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class Headings(HTMLParser):
    """(level, text) of every h1-h6 in the page, whitespace collapsed as a browser shows it."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[int, str]] = []
        self._open: int | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self._open, self._text = int(tag[1]), []

    def handle_endtag(self, tag):
        if self._open is not None and tag == f"h{self._open}":
            self.found.append((self._open, words("".join(self._text))))
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._text.append(data)


def headings(html: Path) -> list[tuple[int, str]]:
    parser = Headings()
    parser.feed(html.read_text(encoding="utf-8"))
    return parser.found


def expected_outline(found: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """(depth, title) as bookmarks nest: under the nearest heading before it of a higher level."""
    stack: list[int] = []
    nested = []
    for level, text in found:
        while stack and stack[-1] >= level:
            stack.pop()
        nested.append((len(stack), text))
        stack.append(level)
    return nested


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every bookmark, in order."""
    items = []

    def walk(entries, depth):
        for entry in entries:
            if isinstance(entry, list):
                walk(entry, depth + 1)
            else:
                items.append((depth, entry.title, reader.get_destination_page_number(entry)))

    walk(reader.outline, 0)
    return items


@pytest.fixture(scope="module")
def printed(demo_project, tmp_path_factory):
    """A copy of the demo project with both papers printed by `scrutiny pdf 2023-11`, and how long that took."""
    source, _ = demo_project
    root = copy_project(source, tmp_path_factory.mktemp("pdf") / "project")
    started = time.monotonic()
    assert cli.main(["pdf", "2023-11", "--root", str(root)]) == 0
    seconds = time.monotonic() - started
    out = root / "outputs" / "2023-11"
    papers = {"part1": (out / "part1.html", out / "part1.pdf"),
              "part2": (out / "confidential" / "part2.html", out / "confidential" / "part2.pdf")}
    return root, papers, seconds


def test_both_papers_print_in_reasonable_time_owner_only_for_part2(printed):
    root, papers, seconds = printed
    assert seconds < 60, f"printing both papers took {seconds:.1f} s"
    assert stat.S_IMODE(papers["part1"][1].stat().st_mode) == 0o644
    assert stat.S_IMODE(papers["part2"][1].stat().st_mode) == 0o600
    leftovers = [p.name for p in (root / "outputs").rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


@pytest.mark.parametrize("part", ["part1", "part2"])
def test_pdf_is_tagged_and_every_page_is_a4_and_marked(printed, part):
    _, papers, _ = printed
    pdf = papers[part][1]
    described = info(pdf)
    assert re.search(r"^Tagged:\s+yes$", described, re.MULTILINE), described
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", described, re.MULTILINE)
    reader = PdfReader(pdf)
    assert len(sizes) == len(reader.pages) > 5
    for width, height in sizes:   # A4, upright or (a wide table's page) on its side
        assert sorted([float(width), float(height)]) == pytest.approx(A4_POINTS, abs=1.0)
    for number, page in enumerate(reader.pages, 1):
        text = page.extract_text()
        assert MARKING[part] in text and "DRAFT" in text, f"page {number} of {pdf.name} is not marked"


@pytest.mark.parametrize("part", ["part1", "part2"])
def test_outline_is_the_papers_headings_in_order_each_on_its_page(printed, part):
    _, papers, _ = printed
    html, pdf = papers[part]
    reader = PdfReader(pdf)
    bookmarks = outline(reader)
    found = headings(html)
    assert [(depth, title) for depth, title, _ in bookmarks] == expected_outline(found)
    sections = [title for depth, title, _ in bookmarks if depth == 1]
    form = ["1. Reason for report", "2. Recommendation(s)", "3. Commentary"]
    assert [title for title in sections if title in form] == form, sections
    pages = [page for _, _, page in bookmarks]
    assert pages == sorted(pages), "bookmarks go forward through the paper"
    for _, title, page in bookmarks:   # each bookmark opens the page its heading is on
        assert title in words(reader.pages[page].extract_text()), f"{title!r} is not on page {page + 1}"


def test_pdfs_for_prints_beside_the_html_in_any_folder(printed, tmp_path):
    _, papers, _ = printed
    staged = tmp_path / ".stage-2023-11-x"
    (staged / "confidential").mkdir(parents=True)
    part1 = Path(shutil.copy2(papers["part1"][0], staged / "part1.html"))
    part2 = Path(shutil.copy2(papers["part2"][0], staged / "confidential" / "part2.html"))
    made = pdfs_for(part1, part2)
    assert made == [staged / "part1.pdf", staged / "confidential" / "part2.pdf"]
    assert stat.S_IMODE(made[0].stat().st_mode) == 0o644 and stat.S_IMODE(made[1].stat().st_mode) == 0o600
    assert all(re.search(r"^Tagged:\s+yes$", info(pdf), re.MULTILINE) for pdf in made)
    assert stale_pdfs(staged) == []


def test_a_pdf_older_than_its_html_is_stale_until_printed_again(printed, tmp_path):
    source, _, _ = printed
    root = copy_project(source, tmp_path / "project")
    out = root / "outputs" / "2023-11"
    assert stale_pdfs(out) == []
    earlier = time.time() - 3600
    os.utime(out / "part1.pdf", (earlier, earlier))   # printed an hour before the paper was rendered again
    assert stale_pdfs(out) == [out / "part1.pdf"]
    os.utime(out / "confidential" / "part2.pdf", (earlier, earlier))
    assert stale_pdfs(out) == [out / "confidential" / "part2.pdf", out / "part1.pdf"]
    assert stale_pdfs(out / "confidential") == [out / "confidential" / "part2.pdf"]
    (tmp_path / "lone.pdf").write_bytes(b"%PDF-1.4")   # a PDF with no HTML beside it is not "older than its HTML"
    assert tmp_path / "lone.pdf" not in stale_pdfs(tmp_path)
    pdf_period("2023-11", root)   # prints from the HTML as it is now
    assert stale_pdfs(out) == []


def test_html_changed_while_printing_is_refused_and_the_old_pdf_kept(printed, tmp_path, monkeypatch):
    _, papers, _ = printed
    html = Path(shutil.copy2(papers["part1"][0], tmp_path / "part1.html"))
    pdf = tmp_path / "part1.pdf"
    pdf.write_bytes(b"the old PDF")
    render = pdf_module._Chromium._render

    def rendered_again_meanwhile(self, page, out):
        pages = render(self, page, out)
        page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        return pages

    monkeypatch.setattr(pdf_module._Chromium, "_render", rendered_again_meanwhile)
    with pytest.raises(PdfError, match="changed while it was being printed"):
        print_pdf(html, pdf, 0o644)
    assert pdf.read_bytes() == b"the old PDF"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["part1.html", "part1.pdf"]


@pytest.mark.parametrize("named, says", [("/nonexistent/chromium", "SCRUTINY_CHROMIUM names /nonexistent/chromium"),
                                         ("false", "did not start")])
def test_no_chromium_or_a_failing_one_is_one_clear_message_and_changes_nothing(printed, tmp_path, monkeypatch,
                                                                               capsys, named, says):
    source, _, _ = printed
    root = copy_project(source, tmp_path / "project")
    monkeypatch.setenv("SCRUTINY_CHROMIUM", named)
    err = refused(root, ["pdf", "2023-11"], capsys)
    assert says in err and len(err.strip().splitlines()) == 1, err


def test_a_month_not_yet_run_has_no_paper_to_print(printed, tmp_path, capsys):
    source, _, _ = printed
    root = copy_project(source, tmp_path / "project")
    err = refused(root, ["pdf", "2023-10"], capsys)
    assert "no paper to print" in err and "part1.html" in err


def test_the_performance_index_prints_on_one_page_with_englands_counts(printed, tmp_path):
    """Counts of England's size ("(150,892 of 659,356)") under each figure, not beside it: no row runs over."""
    html, _ = printed[1]["part1"]
    page = re.sub(r'<span class="count"> \([\d,]+ of [\d,]+\)</span>',
                  '<span class="count"> (150,892 of 659,356)</span>', html.read_text(encoding="utf-8"))
    assert page.count("(150,892 of 659,356)") > 10
    big = tmp_path / "part1.html"
    big.write_text(page, encoding="utf-8")
    reader = PdfReader(print_pdf(big, tmp_path / "part1.pdf", 0o600))
    texts = [words(p.extract_text()) for p in reader.pages]
    first = next(i for i, t in enumerate(texts) if "Performance index" in t)
    last_row = re.findall(r'<td class="ind"><a [^>]*>([^<]+)</a>', page)[-1]   # the index's last indicator
    assert words(last_row) in texts[first], f"{last_row!r} ran onto page {first + 2}"
