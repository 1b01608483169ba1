"""The index of papers: final papers apart from drafts, meeting dates, report numbers, PDFs, the plan papers."""

from __future__ import annotations

import re

from scrutiny.assess.rating import RAG
from scrutiny.run.index import write_index, write_summary


def _month(outputs, period, final, pdf=False, report=None, meeting="2024-01-04"):
    folder = outputs / period
    (folder / "confidential").mkdir(parents=True)
    (folder / "part1.html").write_text("<p>paper</p>")
    (folder / "confidential" / "part2.html").write_text("<p>secret</p>")
    if pdf:
        (folder / "part1.pdf").write_bytes(b"%PDF-1.7")
    write_summary(folder, period, "Performance", [RAG.RED, RAG.GREEN, RAG.GREEN], final=final,
                  meeting_date=meeting, report_number=report)


def _table(html, caption):
    return re.search(rf"<table><caption>{caption}.*?</table>", html, re.S).group(0)


def test_final_papers_and_drafts_are_listed_apart_with_meeting_report_and_pdf(tmp_path):
    _month(tmp_path, "2023-10", final=True, pdf=True, report="ECHS23101", meeting="2023-12-07")
    _month(tmp_path, "2023-11", final=False, report="<b>ECHS</b>")
    html = write_index(tmp_path, "").read_text()
    final, drafts = _table(html, "Final performance papers"), _table(html, "Draft performance papers")
    assert "October 2023" in final and "November 2023" not in final
    assert "7 December 2023" in final and "ECHS23101" in final and 'href="2023-10/part1.pdf"' in final
    assert "DRAFT</strong> <a href=\"2023-11/part1.html\">November 2023" in drafts and "no PDF" in drafts
    assert "&lt;b&gt;ECHS&lt;/b&gt;" in drafts and "<b>ECHS" not in html   # every text is escaped
    assert "confidential" not in re.findall(r'href="([^"]+)"', html).__str__()
    assert re.search(r'<td class="num">1</td><td class="num">0</td><td class="num">2</td>', final)


def test_a_summary_from_before_drafts_were_known_counts_as_a_draft(tmp_path):
    folder = tmp_path / "2023-09"
    folder.mkdir()
    (folder / "part1.html").write_text("x")
    (folder / "summary.json").write_text('{"period": "2023-09", "title": "T", "ratings": {"Red": 1}}')
    html = write_index(tmp_path, "").read_text()
    assert "September 2023" in _table(html, "Draft performance papers") and "No final papers yet." in html


def test_the_improvement_plan_papers_are_listed_with_their_date_and_status(tmp_path):
    for day, final in (("2024-03-31", True), ("2023-12-31", False)):
        folder = tmp_path / "plan" / "2023-24" / day
        folder.mkdir(parents=True)
        (folder / "plan.html").write_text("plan")
        (folder / "summary.json").write_text(f'{{"year": "2023-24", "as_at": "{day}", "final": {str(final).lower()}}}')
    html = write_index(tmp_path, "").read_text()
    plans = _table(html, "Improvement plan papers")
    assert plans.index("31 March 2024") < plans.index("31 December 2023")
    assert 'href="plan/2023-24/2024-03-31/plan.html"' in plans and "Final" in plans and "DRAFT" in plans
