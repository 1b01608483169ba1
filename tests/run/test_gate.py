"""The public-paper gate: what check_html finds in rendered HTML, one check at a time."""

from __future__ import annotations

import pytest

from scrutiny.run.gate import check_html

C = '<abbr class="sh" title="confidential: withheld to protect individuals">[c]</abbr>'   # as the paper renders it


def table(rows, total, header="Number"):
    """A breakdown table as the paper renders one: a row per category, then the total."""
    body = "".join(f'<tr><th scope="row">{k}</th><td class="num">{C if v == "[c]" else v}</td></tr>' for k, v in rows)
    return ('<table class="breakdown"><caption>Plans by category</caption><thead><tr><th scope="col">Category</th>'
            f'<th scope="col">{header}</th></tr></thead><tbody>{body}</tbody><tfoot><tr><th scope="row">Total</th>'
            f'<td class="num">{total}</td></tr></tfoot></table>')


def index(header, value):
    """An index table (no total) with one figure in the named column."""
    return (f'<table><caption>Index</caption><thead><tr><th>No.</th><th>Indicator</th><th>{header}</th></tr></thead>'
            f'<tbody><tr><td>1</td><td>Repeat plans</td><td>{value}</td></tr></tbody></table>')


def commentary(text):
    return f'<div class="markdown commentary"><p>{text}</p></div>'


CLEAN = (table([("Neglect", 30), ("Physical", "[c]"), ("Sexual", "[c]")], 42) + index("Numerator", 12)
         + index("Denominator", "1,234") + commentary("Twelve children were adopted; timeliness improved by 4.5%.")
         + '<p class="note" title="a note">Shown as <abbr>[c]</abbr>.</p><!-- -->')


def test_a_clean_paper_passes():
    assert check_html(CLEAN) == []


def one_problem(html, *words):
    problems = check_html(html)
    assert len(problems) == 1, problems
    assert all(w in problems[0] for w in words), problems[0]


# --- hidden cells worked out from a total ----------------------------------------------------------

@pytest.mark.parametrize("rows, total, found", [
    ([("Neglect", 30), ("Physical", "[c]"), ("Sexual", 9)], 42, 1),          # 42 - 30 - 9 = 3
    ([("Neglect", 30), ("Physical", "[c]"), ("Sexual", "[c]")], 32, 2),     # two hidden adding to 2: 1 and 1
    ([("Neglect", 30), ("Physical", "[c]"), ("Sexual", "[c]")], 33, 2),     # adding to 3: each 1 or 2
    ([("Neglect", 30), ("Physical", "[c]"), ("Sexual", "[c]")], 34, 0),     # adding to 4: each 1, 2 or 3
    ([("Neglect", 30), ("Physical", "[c]"), ("Sexual", "[c]")], 42, 0),
    ([("Neglect", 30), ("Physical", "[c]"), ("Sexual", "[c]"), ("Emotional", 0)], 42, 0),
    ([("Neglect", 30), ("Physical", 12)], 42, 0),
])
def test_check_html_finds_cells_recoverable_from_the_total(rows, total, found):
    problems = check_html(table(rows, total))
    assert len(problems) == found, problems
    assert all("can be worked out" in p for p in problems)


def test_a_small_count_shown_in_a_table_with_a_total_is_found_whatever_its_column():
    one_problem(table([("Neglect", 30), ("Physical", 3), ("Sexual", 9)], 42, header="Children"),
                "a count from 1 to 5 is shown")


# --- small counts in count columns -----------------------------------------------------------------

@pytest.mark.parametrize("header", ["Numerator", "Denominator", "Number"])
@pytest.mark.parametrize("value, small", [(0, False), (1, True), (5, True), (6, False), ("[c]", False),
                                          ("1,234", False), (C, False)])
def test_small_counts_in_count_columns(header, value, small):
    if small:
        one_problem(index(header, value), f"{header} {value} for 'Repeat plans' is a count from 1 to 5")
    else:
        assert check_html(index(header, value)) == []


@pytest.mark.parametrize("header", ["Value", "Target", "RAG"])
def test_figures_that_are_not_counts_may_be_small(header):
    assert check_html(index(header, 4)) == []


# --- what a public paper must not carry ------------------------------------------------------------

@pytest.mark.parametrize("html, words", [
    ('<div data-child="C0100001">x</div>', ("data attribute", "data-child")),
    ('<td data-value="3">[c]</td>', ("data attribute", "data-value")),
    ("<p hidden>3 children</p>", ("is hidden",)),
    ('<span style="display: none">3</span>', ("is hidden",)),
    ('<span style="color: red;display:none">3</span>', ("is hidden",)),
    ("<script>var n = 3;</script>", ("<script>",)),
    ("<p>x</p><!-- CHILD C0100001 -->", ("HTML comment",)),
])
def test_hidden_data_is_found(html, words):
    one_problem(html, *words)


@pytest.mark.parametrize("marker", ["application/vnd.scrutiny", "papermill", "injected-parameters",
                                    "NOT FOR PUBLICATION", "LAchildID", "CINdetailsID", "CPPID"])
def test_notebook_metadata_and_record_identifiers_are_found(marker):
    one_problem(f"<p>Ref {marker} 12</p>", repr(marker))


# --- commentary ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, phrase", [
    ("Sadly 2 young people were adopted late.", "2 young people"),
    ("Three children moved placement.", "Three children"),
    ("5 care leavers are in education.", "5 care leavers"),
])
def test_small_numbers_in_commentary_are_found_for_a_final_paper(text, phrase):
    one_problem(commentary(text), repr(phrase), "commentary")
    assert check_html(commentary(text), commentary=False) == []       # a draft may still carry them


def test_commentary_continues_after_a_nested_block():
    one_problem('<div class="commentary"><div>Adoption</div><p>Sadly 2 young people were adopted late.</p></div>',
                "'2 young people'")


@pytest.mark.parametrize("text", ["6 children were adopted.", "Performance improved by 4.5% over 3 months."])
def test_commentary_without_small_numbers_about_children_passes(text):
    assert check_html(commentary(text)) == []


def test_every_problem_is_reported_together():
    html = (index("Numerator", 4) + '<div data-child="C0100001">x</div><!-- CHILD C0100001 -->'
            + commentary("Sadly 2 young people were adopted late."))
    problems = check_html(html)
    assert len(problems) == 4
    assert any("Numerator 4" in p for p in problems)
    assert any("data attribute" in p for p in problems)
    assert any("HTML comment" in p for p in problems)
    assert any("'2 young people'" in p for p in problems)


# --- one rule: whatever protect publishes, the gate accepts ------------------------------------------

from types import SimpleNamespace  # noqa: E402

import pandas as pd  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from scrutiny.assess.disclosure import protect  # noqa: E402
from scrutiny.data.periods import Period  # noqa: E402
from scrutiny.paper.model import Breakdown  # noqa: E402
from scrutiny.paper.parts import PART1  # noqa: E402
from scrutiny.paper.sections import breakdown_table  # noqa: E402


def published(counts: list[int]) -> str:
    """The public breakdown table exactly as the paper renders it."""
    frame = pd.DataFrame({"category": [f"Category {k}" for k in range(len(counts))], "count": counts})
    hidden, audit = protect(counts, name="Plans by category")
    model = SimpleNamespace(period=Period.parse("2023-11"), outturn=lambda _: SimpleNamespace(withheld=lambda: False),
                            breakdown=lambda _: Breakdown("Plans by category", frame, hidden, audit))
    return "<h4>Indicator 7: Repeat plans</h4>" + breakdown_table(model, PART1, "cp_repeat")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=6))
def test_whatever_protect_publishes_the_gate_accepts(counts):
    assert check_html(published(counts)) == []


@pytest.mark.parametrize("counts", [[6, 4, 50], [7, 3, 2, 40], [1, 6, 50], [5, 5, 6], [2, 1], [3]])
def test_the_tables_the_demo_months_stopped_on_are_published_or_withheld_never_refused(counts):
    html = published(counts)
    assert check_html(html) == []
    assert "<table" in html or "withheld [c] to protect individuals" in html


def test_gate_messages_name_the_table_by_caption_and_indicator():
    html = ("<h4>Indicator 7: Repeat plans</h4><table><caption>Plans by category, November 2023 (public)</caption>"
            '<thead><tr><th scope="col">Category</th><th scope="col">Number</th></tr></thead><tbody>'
            '<tr><th scope="row">Neglect</th><td class="num">30</td></tr>'
            '<tr><th scope="row">Physical</th><td class="num">[c]</td></tr></tbody>'
            '<tfoot><tr><th scope="row">Total</th><td class="num">33</td></tr></tfoot></table>')
    (problem,) = check_html(html)
    assert problem.startswith("table 'Plans by category, November 2023 (public)' (Indicator 7: Repeat plans):")
    assert "3..3" in problem


@pytest.mark.parametrize("html, words", [
    ('<p onclick="x()">a</p>', "event handler (onclick)"),
    ('<img src="x.png" ONERROR="x()">', "event handler (onerror)"),
    ('<a href="javascript:alert(1)">a</a>', "javascript: URL"),
    ('<a href=" JaVaScRiPt:alert(1)">a</a>', "javascript: URL"),
    ('<a href="java\tscript:alert(1)">a</a>', "javascript: URL"),
    ('<iframe src="https://example.org"></iframe>', "<iframe>"),
    ('<object data="x.swf"></object>', "<object>"),
    ('<embed src="x.swf">', "<embed>"),
    ('<base href="https://example.org/">', "<base>"),
    ('<meta http-equiv="refresh" content="0;url=https://example.org">', "refresh"),
    ('<p style="DISPLAY: NONE">secret</p>', "is hidden"),
    ('<p style="visibility:hidden">secret</p>', "is hidden"),
    ('<template><p>secret</p></template>', "<template>"),
    ('<a href="data:text/html,hi">a</a>', "data: URL"),
])
def test_the_gate_refuses_code_and_hidden_content_anywhere(html, words):
    problems = check_html(html)
    assert any(words in p for p in problems), problems


@pytest.mark.parametrize("html, words", [
    ('<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>', "<animate>"),
    ('<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>', "<math>"),
    ('<link rel="stylesheet" href="https://example.org/x.css">', "<link>"),
    ('<head><style>p{}</style></head><body><style>@import url(x.css);</style></body>', "second <style>"),
    ('<style>@import "https://example.org/x.css";</style>', "@import"),
    ('<p style="opacity:0">secret</p>', "is hidden"),
    ('<p style="opacity: .0">secret</p>', "is hidden"),
])
def test_the_gate_refuses_what_a_browser_would_run_or_load(html, words):
    assert any(words in p for p in check_html(html)), check_html(html)


def test_a_table_whose_total_is_small_is_refused():
    html = ("<table><caption>Care leavers by accommodation</caption><thead><tr><th>Category</th><th>Number</th></tr>"
            "</thead><tbody><tr><th>Suitable</th><td>[c]</td></tr><tr><th>Not suitable</th><td>[c]</td></tr></tbody>"
            "<tfoot><tr><th>Total</th><td>5</td></tr></tfoot></table>")
    assert any("the total 5 is a count from 1 to 5" in p for p in check_html(html))
