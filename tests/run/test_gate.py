"""The public-paper gate: what check_html finds in rendered HTML."""

from __future__ import annotations

from scrutiny.run.gate import check_html


def table(rows, total):
    body = "".join(f'<tr><th scope="row">{k}</th><td class="num">{v}</td></tr>' for k, v in rows)
    return ('<table><caption>Plans by category</caption><thead><tr><th scope="col">Category</th>'
            f'<th scope="col">Number</th></tr></thead><tbody>{body}</tbody><tfoot><tr><th scope="row">Total</th>'
            f'<td class="num">{total}</td></tr></tfoot></table>')


def test_check_html_finds_a_cell_recoverable_from_the_total():
    problems = check_html(table([("Neglect", 30), ("Physical", "[c]"), ("Sexual", 9)], 42))
    assert any("can be worked out" in p for p in problems)
    assert not check_html(table([("Neglect", 30), ("Physical", "[c]"), ("Sexual", "[c]")], 42))


def test_check_html_finds_small_counts_hidden_data_and_commentary_slips():
    html = ('<table><caption>Index</caption><thead><tr><th>No.</th><th>Indicator</th><th>Numerator</th></tr></thead>'
            '<tbody><tr><td>1</td><td>Repeat plans</td><td>4</td></tr></tbody></table>'
            '<div data-child="C0100001">x</div><!-- CHILD C0100001 -->'
            '<div class="markdown commentary"><p>Sadly 2 young people were adopted late.</p></div>')
    problems = check_html(html)
    assert any("Numerator 4" in p for p in problems)
    assert any("data attribute" in p for p in problems)
    assert any("HTML comment" in p for p in problems)
    assert any("'2 young people'" in p for p in problems)
