"""Rendering: what reaches each paper from an executed notebook (nbconvert for real)."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from scrutiny.paper.parts import PUBLIC_MIME
from scrutiny.run.render import render_html


def _nb():
    return new_notebook(cells=[
        new_code_cell("secret()", outputs=[new_output("display_data", data={"text/html": "<p>only-part2</p>"})]),
        new_code_cell("both()", outputs=[new_output("display_data", data={
            "text/html": "<h1>Title</h1><p>figure 3</p>", PUBLIC_MIME: "<h1>Title</h1><p>figure [c]</p>"})]),
        new_code_cell("print('x')", outputs=[new_output("stream", name="stdout", text="stream-text")]),
        new_markdown_cell("Commentary <b>raw</b> ![img](http://example.org/x.png)",
                          metadata={"tags": ["commentary:cp_repeat"]}),
        new_markdown_cell("Hidden commentary", metadata={"tags": ["commentary:cla_rate", "part2-only"]}),
    ])


def test_public_paper_keeps_only_public_forms_and_drops_part2_only_cells():
    html = render_html(nbformat.from_dict(_nb()), "part1", "T")
    assert 'figure <abbr class="sh" title="confidential: withheld to protect individuals">[c]</abbr>' in html
    assert "figure 3" not in html
    assert "only-part2" not in html and "Hidden commentary" not in html
    assert "stream-text" not in html and "secret()" not in html


def test_confidential_paper_shows_everything_but_code_and_streams():
    html = render_html(nbformat.from_dict(_nb()), "part2", "T")
    assert "only-part2" in html and "figure 3" in html and "Hidden commentary" in html
    assert "stream-text" not in html and "secret()" not in html


def test_commentary_markdown_is_escaped_and_loads_nothing_from_outside():
    html = render_html(nbformat.from_dict(_nb()), "part2", "T")
    assert "&lt;b&gt;raw&lt;/b&gt;" in html
    assert "example.org" not in html
    assert 'aria-label="Management commentary cp_repeat"' in html   # each region named apart


def test_the_guide_and_the_analysts_box_never_reach_a_paper():
    from scrutiny.run import commentary as c

    box = c.prompt("Indicator 16: Repeat plans (Red)", "It will appear in both papers.", "Special cause of concern.")
    opening = c.prompt("Opening remarks", "Both papers.")
    nb = new_notebook(cells=[
        new_markdown_cell("## How to write the commentary", metadata={"tags": ["guide", "template"]}),
        new_markdown_cell(box, metadata={"tags": ["commentary:cp_repeat"], "scrutiny": {"box": box}}),
        new_markdown_cell(box + "\n\nThe rise is one sibling group.", metadata={"tags": ["commentary:cla_rate"],
                                                                                  "scrutiny": {"box": box}}),
        new_markdown_cell(opening, metadata={"tags": ["commentary:summary"], "scrutiny": {"box": opening}}),
    ])
    for part in ("part1", "part2"):
        html = render_html(nbformat.from_dict(nb), part, "T")
        assert "How to write" not in html and "Write here" not in html and "✍" not in html
        assert "Management commentary to be written for this indicator." in html   # the box's plain form
        assert "The rise is one sibling group." in html and "Opening remarks on this month" in html
