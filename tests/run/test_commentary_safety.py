"""The analyst's words are never lost and never leak: store names, owner-only files, unplaced text, mistyped ids."""

from __future__ import annotations

import datetime
import os
import stat
import time

import nbformat
import pytest
import yaml
from test_commentary import add_cell, edit_cell, notebook_of, run

from scrutiny.errors import CommentaryError
from scrutiny.run import commentary as c


@pytest.mark.parametrize("key", ["../catalogue/2023-24", "2023-13", "2023-11/../../x", "", "plan-../x", "2023-1"])
def test_a_store_name_that_is_not_a_month_or_plan_update_is_refused(tmp_path, key):
    with pytest.raises(CommentaryError, match="is not a commentary store name"):
        c.store_path(tmp_path, key)
    assert not (tmp_path / "params").exists()


def test_a_copied_store_with_another_months_period_is_refused_naming_both(tmp_path):
    run(tmp_path, ["cp_repeat"])
    edit_cell(tmp_path, "cp_repeat", "October's words, in November's notebook.")
    run(tmp_path, ["cp_repeat"])
    october = c.store_path(tmp_path, "2023-10")
    october.write_text("period: '2023-10'\nentries:\n  cp_repeat:\n    text: Kept for October.\n")
    path = c.store_path(tmp_path, "2023-11")
    path.write_text(path.read_text().replace("period: 2023-11", "period: 2023-10")
                    .replace("period: '2023-11'", "period: '2023-10'"))
    with pytest.raises(CommentaryError) as info:
        c.load_store(tmp_path, "2023-11")
    assert "'2023-10'" in str(info.value) and "'2023-11'" in str(info.value) and info.value.key == "period"
    assert october.read_text().endswith("text: Kept for October.\n")


def test_the_store_is_owner_only(tmp_path):
    run(tmp_path, ["cp_repeat"])
    edit_cell(tmp_path, "cp_repeat", "Words for Part 2 only.")
    run(tmp_path, ["cp_repeat"])
    path = c.store_path(tmp_path, "2023-11")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_text_in_a_cell_without_a_commentary_tag_is_kept_once_and_listed(tmp_path):
    run(tmp_path, ["cp_repeat"])
    nb = nbformat.read(notebook_of(tmp_path), as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("A note I typed in a new cell, untagged."))
    nbformat.write(nb, notebook_of(tmp_path))
    planned = run(tmp_path, ["cp_repeat"])
    assert [u.text for u in planned.store.unplaced] == ["A note I typed in a new cell, untagged."]
    assert planned.store.unplaced[0].after == "commentary:cp_repeat" and planned.store.unplaced[0].changed_by
    assert planned.harvested == 1
    again = run(tmp_path, ["cp_repeat"])  # the next run's notebook no longer has the cell: still kept, not doubled
    assert [u.text for u in again.store.unplaced] == ["A note I typed in a new cell, untagged."]
    assert c.status(again.store, ["cp_repeat"]).unplaced == again.store.unplaced
    saved = yaml.safe_load(c.store_path(tmp_path, "2023-11").read_text())
    assert saved["unplaced"][0]["text"] == "A note I typed in a new cell, untagged."


def test_the_notebooks_own_markdown_is_not_taken_for_the_analysts(tmp_path):
    template = tmp_path / "template.ipynb"
    nb = nbformat.read(run.__globals__["NOTEBOOK"], as_version=4)
    nb.cells.insert(0, nbformat.v4.new_markdown_cell("## How to write commentary (the notebook's guide)"))
    nbformat.write(nb, template)
    run(tmp_path, ["cp_repeat"], template=template)
    assert run(tmp_path, ["cp_repeat"], template=template).store.unplaced == ()


def test_a_mistyped_tag_is_reported_as_such_not_as_reported_by_exception(tmp_path):
    run(tmp_path, ["cp_repeat"])
    add_cell(tmp_path, "cp_repeet", "Typed under a mistyped tag.")
    known = {"cp_repeat", "cin_rereferrals", c.SUMMARY}
    notebook = notebook_of(tmp_path)
    planned = c.prepare_commentary(tmp_path, "2023-11", ["cp_repeat"], notebook, known=known)
    assert planned.store.entries["cp_repeet"].text == "Typed under a mistyped tag."  # kept, never dropped
    assert not planned.store.entries["cp_repeet"].by_exception and "cp_repeet" not in planned.by_exception
    state = c.status(planned.store, ["cp_repeat"], known=known)
    assert state.unknown == ("cp_repeet",) and "cp_repeet" not in state.by_exception
    assert any("cp_repeet: no indicator has this id" in p for p in state.problems_for_final())


def test_an_edit_in_the_store_records_who_and_when(tmp_path, monkeypatch):
    run(tmp_path, ["cp_repeat"])
    edit_cell(tmp_path, "cp_repeat", "First words, in the notebook.")
    run(tmp_path, ["cp_repeat"])
    path = c.store_path(tmp_path, "2023-11")
    path.write_text(path.read_text().replace("First words, in the notebook.", "Better words, in the store."))
    stamp = time.time() - 3600
    os.utime(path, (stamp, stamp))
    monkeypatch.setattr(c, "editor", lambda: "A. Analyst")
    planned = run(tmp_path, ["cp_repeat"])
    entry = planned.store.entries["cp_repeat"]
    assert entry.text == "Better words, in the store."
    when = datetime.datetime.fromtimestamp(int(stamp), datetime.timezone.utc).isoformat()
    assert (entry.changed_by, entry.changed_at) == ("A. Analyst", when)  # the store file's save time


@pytest.mark.parametrize("change, kept", [
    ("copy", "SECOND words, in a pasted copy of the cell."),       # Jupyter's copy and paste keeps the tag
    ("to_code", "Words in a cell a stray key turned into code."),  # the tag stays; the type changed
    ("raw", "Words in a raw cell."),
    ("code", "# a note typed in a new code cell"),
])
def test_no_word_in_any_kind_of_cell_is_dropped(tmp_path, change, kept):
    run(tmp_path, ["cp_repeat"])
    edit_cell(tmp_path, "cp_repeat", "FIRST words, in the commentary cell.")
    nb = nbformat.read(notebook_of(tmp_path), as_version=4)
    cell = next(c for c in nb.cells if "commentary:cp_repeat" in c.metadata.get("tags", []))
    if change == "copy":
        nb.cells.append(nbformat.v4.new_markdown_cell(kept, metadata={"tags": ["commentary:cp_repeat"]}))
    elif change == "to_code":
        index = nb.cells.index(cell)
        nb.cells[index] = nbformat.v4.new_code_cell(kept, metadata=cell.metadata)
    elif change == "raw":
        nb.cells.append(nbformat.v4.new_raw_cell(kept))
    else:
        nb.cells.append(nbformat.v4.new_code_cell(kept))
    nbformat.write(nb, notebook_of(tmp_path))
    planned = run(tmp_path, ["cp_repeat"])
    saved = c.store_path(tmp_path, "2023-11").read_text()
    assert kept in saved
    if change != "to_code":
        assert "FIRST words, in the commentary cell." in saved
    else:
        assert planned.store.entries["cp_repeat"].text == kept
