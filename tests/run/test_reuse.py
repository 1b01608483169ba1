"""A commentary-only run takes the last run's figures, and the facts recorded with them, only while they are its own."""

from __future__ import annotations

import nbformat
import pytest

from scrutiny.paper.facts import Facts, Shown
from scrutiny.run.reuse import figures_sha256, last_run, reuse_outputs

FACTS = Facts((Shown("cp_repeat", 16, "Repeat plans", "Red", "Red", True, "The chart shows: no signal.",
                     {"numerator": 3.0, "denominator": 40.0, "value": 7.5}),
               Shown("cla_rate", 2, "Children looked after", "Green", "Amber", False, "",
                     {"numerator": None, "denominator": None, "value": None})), ("cla_rate", "cp_repeat", "summary"))


def _executed(tmp_path, facts=FACTS):
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("period = None", metadata={"tags": ["parameters"]})
    figures = nbformat.v4.new_code_cell("paper.scorecard()", execution_count=2, outputs=[
        nbformat.v4.new_output("execute_result", data={"text/html": "<p>index</p>"}, execution_count=2)])
    nb.cells = [params, figures, nbformat.v4.new_markdown_cell("Words.")]
    nb.metadata["scrutiny"] = {"disclosure_audit": [{"passed": True}], "facts": facts.as_record() if facts else None}
    path = tmp_path / "paper.ipynb"
    nbformat.write(nb, path)
    return path, figures_sha256(nb)


def test_the_last_runs_facts_are_taken_while_its_figures_are_its_own(tmp_path):
    path, sha = _executed(tmp_path)
    old, facts = last_run(path, sha)
    assert facts == FACTS and facts.exceptions() == ["cp_repeat", "cla_rate"] and facts.public_ids() == {"cp_repeat"}
    new = nbformat.v4.new_notebook()
    new.cells = [nbformat.v4.new_code_cell("period = None", metadata={"tags": ["parameters"]}),
                 nbformat.v4.new_code_cell("paper.scorecard()"), nbformat.v4.new_markdown_cell("New words.")]
    assert reuse_outputs(new, old) == [{"passed": True}]
    assert new.cells[1].outputs[0]["data"]["text/html"] == "<p>index</p>" and new.cells[1].execution_count == 2


@pytest.mark.parametrize("change", ["facts edited", "output made again", "an error", "not run", "no facts",
                                    "another run"])
def test_nothing_is_taken_from_a_notebook_changed_since_or_recording_no_facts(tmp_path, change):
    path, sha = _executed(tmp_path, facts=None if change == "no facts" else FACTS)
    nb = nbformat.read(path, as_version=4)
    figures = nb.cells[1]
    if change == "facts edited":  # in JupyterLab's metadata editor: a rating that is not the figures'
        nb.metadata["scrutiny"]["facts"]["indicators"][1]["part2"] = "Green"
    elif change == "output made again":
        figures.outputs[0]["data"]["text/html"] = "<p>made again</p>"
    elif change == "an error":
        figures.outputs = [nbformat.v4.new_output("error", ename="KeyError", evalue="x", traceback=[])]
    elif change == "not run":
        figures.execution_count, figures.outputs = None, []
    nbformat.write(nb, path)
    if change in ("an error", "not run"):  # even where recorded so: a cell that failed or never ran is not taken
        sha = figures_sha256(nb)
    elif change == "another run":
        sha = "0" * 64
    assert last_run(path, sha) is None


def test_a_save_in_jupyterlab_keeps_the_facts_usable(tmp_path):
    """JupyterLab writes the notebook back through JavaScript: 3.0 becomes 3. The facts are the same facts."""
    import json

    path, sha = _executed(tmp_path)
    book = json.loads(path.read_text())

    def as_javascript_writes(x):
        if isinstance(x, dict):
            return {k: as_javascript_writes(v) for k, v in x.items()}
        if isinstance(x, list):
            return [as_javascript_writes(v) for v in x]
        return int(x) if isinstance(x, float) and x.is_integer() else x

    book["metadata"] = as_javascript_writes(book["metadata"])
    path.write_text(json.dumps(book, indent=1))
    assert '"numerator": 3,' in path.read_text()
    found = last_run(path, sha)
    assert found is not None and found[1] == FACTS
    assert found[1].public_latest()["cp_repeat"] == {"numerator": 3.0, "denominator": 40.0, "value": 7.5}
    assert isinstance(found[1].public_latest()["cp_repeat"]["numerator"], float)  # as a full run writes the ledger


def test_the_code_cells_must_be_the_same_cells(tmp_path):
    path, sha = _executed(tmp_path)
    old, _ = last_run(path, sha)
    new = nbformat.v4.new_notebook()
    new.cells = [nbformat.v4.new_code_cell("paper.trends()")]
    assert reuse_outputs(new, old) is False and new.cells[0].outputs == []


def test_a_record_that_is_not_facts_is_none():
    assert Facts.from_record(None) is None and Facts.from_record({"indicators": [{"id": "x"}], "known": []}) is None
