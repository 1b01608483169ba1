"""An analyst's month for real (papermill, real kernel, nbconvert): commentary is never lost."""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest
import yaml
from builders import new_project

from scrutiny.run import commentary
from scrutiny.demo import write_demo_params
from scrutiny.run.notebook import NOTEBOOK
from scrutiny.run.execute import run_period
from scrutiny.data.synth import synthesise

pytestmark = pytest.mark.e2e
PERIOD = "2023-11"


def write_in_jupyter(notebook, texts: dict[str, str]) -> None:
    """Edit commentary cells as Jupyter saves them: sources change, metadata stays."""
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        for tag in cell.metadata.get("tags", []):
            key = tag.removeprefix("commentary:")
            if tag.startswith("commentary:") and key in texts:
                cell.source = texts[key]
    nbformat.write(nb, notebook)


def words(key: str) -> str:
    return f"Analyst note on {key}: the figure reflects four late recordings, now corrected."


def test_commentary_survives_data_catalogue_and_template_changes_and_final_needs_it_all(tmp_path):
    root = new_project(tmp_path)
    synthesise(root / "data" / "demo", children=200, seed=11, as_at=PERIOD)
    write_demo_params(root, PERIOD, "data/demo")
    first = run_period(PERIOD, root)
    assert "DRAFT" in first.part1.read_text() and "DRAFT" in first.part2.read_text()
    texts = {key: words(key) for key in (*first.exceptions, "summary")}
    write_in_jupyter(first.notebook, texts)

    # late data corrections: a different extract, so some indicators change rating
    synthesise(root / "data" / "demo", children=200, seed=13, as_at=PERIOD)
    second = run_period(PERIOD, root)
    assert set(second.exceptions) != set(first.exceptions)
    store = commentary.load_store(root, PERIOD)
    assert {k: store.entries[k].text for k in texts} == texts       # every word is in the store
    nb_sources = {h.key: h.source for h in commentary.harvest(second.notebook).cells.values()}
    part2 = second.part2.read_text()
    for key, text in texts.items():
        if key in second.exceptions or key == "summary":
            assert nb_sources[key] == text and text in part2
        else:
            assert key in second.kept and text not in part2               # kept, not shown
    public_keys = [k for k in second.exceptions if f'id="exception-{k}"' in second.part1.read_text()]
    for key in [*public_keys, "summary"]:
        if key in texts:
            assert texts[key] in second.part1.read_text()

    # a fixed catalogue target and a changed template: still every word
    catalogue = root / "params" / "catalogue" / "2023-24.yaml"
    raw = yaml.safe_load(catalogue.read_text())
    targeted = next(entry for entry in raw["indicators"] if "target" in entry)
    targeted["target"] += 1
    catalogue.write_text(yaml.safe_dump(raw, sort_keys=False))
    template = tmp_path / "template.ipynb"
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("A changed template."))
    nbformat.write(nb, template)
    third = run_period(PERIOD, root, template=template)
    store = commentary.load_store(root, PERIOD)
    assert {k: store.entries[k].text for k in texts} == texts

    # final is refused while an exception has no commentary, naming it, and writes nothing
    missing = [k for k in third.exceptions if k not in texts]
    assert missing
    before = third.part1.read_bytes()
    out = subprocess.run([sys.executable, "-m", "scrutiny", "run", PERIOD, "--root", str(root), "--final"],
                         capture_output=True, text=True)
    assert out.returncode == 2 and all(f"(commentary:{k}): no commentary written" in out.stderr for k in missing)
    assert "Indicator " in out.stderr  # named as members know them, by number and title
    assert third.part1.read_bytes() == before

    status = subprocess.run([sys.executable, "-m", "scrutiny", "commentary", PERIOD, "--root", str(root)],
                            capture_output=True, text=True)
    assert status.returncode == 1 and f"Missing ({len(missing)})" in status.stdout  # not ready for --final
    assert "no commentary written" in status.stdout  # and it says why, problem by problem

    write_in_jupyter(third.notebook, {k: words(k) for k in missing})
    final = run_period(PERIOD, root, template=template, final=True)
    assert "DRAFT" not in final.part1.read_text() and "DRAFT" not in final.part2.read_text()
    for key in final.exceptions:
        assert words(key) in final.part2.read_text()
    # the final public figures are recorded, so later papers never give a small revision away
    from scrutiny.assess.across_time import read_ledger

    ledger = read_ledger(str(root / "outputs" / "published.json"))
    assert (root / "outputs" / PERIOD / "confidential" / "published.json").is_file()  # switched in with the papers
    assert all(PERIOD in figures for figures in ledger.values())
