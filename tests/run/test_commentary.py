"""The commentary store: harvest, conflicts, carry forward, final; and a property test that nothing is lost."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scrutiny.run import commentary as c
from scrutiny.run.notebook import NOTEBOOK, prepare
from scrutiny.data.periods import Period

NOV, OCT = Period.parse("2023-11"), Period.parse("2023-10")
WHEN = "2023-12-05T10:00:00+00:00"


def run(root: Path, exceptions: list[str], template: Path = NOTEBOOK, final: bool = False) -> c.Planned:
    """What `scrutiny run` does with commentary, with the markdown cells written as execution leaves them."""
    notebook = root / "outputs" / "2023-11" / "confidential" / "paper.ipynb"
    planned = c.prepare_commentary(root, str(NOV), exceptions, notebook, final, previous=str(OCT))
    shown = [k for k in planned.cells if k != c.SUMMARY]
    nb = prepare(template, planned.cells, shown, set(shown), by_exception=planned.by_exception,
                 store_record=c.record_store(planned.store))
    notebook.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, notebook)
    return planned


def notebook_of(root: Path) -> Path:
    return root / "outputs" / "2023-11" / "confidential" / "paper.ipynb"


def edit_cell(root: Path, key: str, text: str) -> None:
    """What an analyst does in Jupyter: change a commentary cell's source and save (metadata kept)."""
    path = notebook_of(root)
    nb = nbformat.read(path, as_version=4)
    cell = [x for x in nb.cells if f"commentary:{key}" in x.metadata.get("tags", [])][-1]
    cell.source = text
    nbformat.write(nb, path)


def add_cell(root: Path, key: str, text: str) -> None:
    """An analyst adds a cell for an indicator not below expectation, to report good performance."""
    path = notebook_of(root)
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell(text, metadata={"tags": [f"commentary:{key}"]}))
    nbformat.write(nb, path)


def store_bytes(root: Path) -> bytes:
    path = c.store_path(root, "2023-11")
    return path.read_bytes() if path.exists() else b""


def cell_sources(root: Path) -> dict[str, str]:
    return {h.key: h.source for h in c.harvest(notebook_of(root)).cells.values()}


def test_store_round_trips_any_text_exactly(tmp_path):
    texts = {"a": "Line one\n\n- a list: with colons\n# not a heading in YAML\n  indented  ",
             "b": "Unicode \u2013 \u00bd \u2019quotes\u2019 and a trailing newline\n", "c": "", "d": "'single'"}
    store = c.Store(period="2023-11", entries={k: c.Entry(text=t, changed_by="A", changed_at=WHEN)
                                               for k, t in texts.items()})
    c.save_store(tmp_path, store)
    assert {k: e.text for k, e in c.load_store(tmp_path, "2023-11").entries.items()} == texts


def test_notebook_edit_is_harvested_with_who_and_when(tmp_path):
    run(tmp_path, ["cp_repeat"])
    edit_cell(tmp_path, "cp_repeat", "Three repeat plans were for one sibling group.")
    run(tmp_path, ["cp_repeat"])
    entry = c.load_store(tmp_path, "2023-11").entries["cp_repeat"]
    assert entry.text == "Three repeat plans were for one sibling group."
    assert entry.changed_by and entry.changed_at.startswith("20")
    assert cell_sources(tmp_path)["cp_repeat"] == entry.text


def test_store_edit_reaches_the_next_run_when_the_notebook_was_not_touched(tmp_path):
    run(tmp_path, ["cp_repeat"])
    store = c.load_store(tmp_path, "2023-11")
    c.save_store(tmp_path, store.replace("cp_repeat", c.Entry(text="Written in the store.")))
    run(tmp_path, ["cp_repeat"])
    assert cell_sources(tmp_path)["cp_repeat"] == "Written in the store."


def test_both_edited_stops_naming_the_cell_and_changes_nothing(tmp_path):
    run(tmp_path, ["cp_repeat", "cla_missing"])
    edit_cell(tmp_path, "cp_repeat", "From the notebook.")
    store = c.load_store(tmp_path, "2023-11")
    c.save_store(tmp_path, store.replace("cp_repeat", c.Entry(text="From the store.")))
    before = (c.store_path(tmp_path, "2023-11").read_bytes(), notebook_of(tmp_path).read_bytes())
    with pytest.raises(c.CommentaryConflict, match="commentary:cp_repeat") as info:
        run(tmp_path, ["cp_repeat", "cla_missing"])
    assert "cla_missing" not in str(info.value)
    assert (c.store_path(tmp_path, "2023-11").read_bytes(), notebook_of(tmp_path).read_bytes()) == before


def test_no_longer_below_expectation_is_kept_not_shown_and_comes_back(tmp_path):
    run(tmp_path, ["cp_repeat"])
    edit_cell(tmp_path, "cp_repeat", "Kept safe.")
    planned = run(tmp_path, [])  # the data changed: cp_repeat is Green now
    assert planned.kept == ("cp_repeat",) and "cp_repeat" not in cell_sources(tmp_path)
    run(tmp_path, ["cp_repeat"])  # and below expectation again
    assert cell_sources(tmp_path)["cp_repeat"] == "Kept safe."


def test_good_performance_reported_by_exception_is_kept_and_shown(tmp_path):
    run(tmp_path, ["cp_repeat"])
    add_cell(tmp_path, "cla_missing", "Missing episodes halved since the new return home interviews.")
    planned = run(tmp_path, ["cp_repeat"])
    assert planned.by_exception == ("cla_missing",)
    assert cell_sources(tmp_path)["cla_missing"].startswith("Missing episodes halved")


def test_carried_forward_from_last_month_marked_until_the_analyst_updates_it(tmp_path):
    c.save_store(tmp_path, c.Store(period="2023-10", entries={
        "cp_repeat": c.Entry(text="October's words.", changed_by="B", changed_at=WHEN)}))
    planned = run(tmp_path, ["cp_repeat", "cla_missing"])
    assert planned.carried == ("cp_repeat",)
    source = cell_sources(tmp_path)["cp_repeat"]
    assert source == ("**Carried forward from October 2023: update this commentary, then delete this line.**\n\n"
                      "October's words.")
    state = c.status(c.load_store(tmp_path, "2023-11"), ["cp_repeat", "cla_missing"])
    assert (state.carried, state.missing) == (("cp_repeat",), ("cla_missing",))
    with pytest.raises(c.CommentaryError) as info:
        run(tmp_path, ["cp_repeat", "cla_missing"], final=True)
    assert "commentary:cla_missing: no commentary written" in str(info.value)
    assert "commentary:cp_repeat: still marked as carried forward" in str(info.value)
    # the analyst updates both and deletes the mark: final is allowed
    edit_cell(tmp_path, "cp_repeat", "November's words.")
    edit_cell(tmp_path, "cla_missing", "Most episodes relate to a small group; return interviews are up.")
    run(tmp_path, ["cp_repeat", "cla_missing"], final=True)
    entry = c.load_store(tmp_path, "2023-11").entries["cp_repeat"]
    assert (entry.text, entry.carried_from) == ("November's words.", None)


def test_small_numbers_about_children_must_be_reworded_or_acknowledged_before_final(tmp_path):
    run(tmp_path, ["cp_repeat"])
    edit_cell(tmp_path, "cp_repeat", "The cohort is small: 2 young people were adopted in October.")
    run(tmp_path, ["cp_repeat"])  # a draft run is allowed; the status lists the phrase
    state = c.status(c.load_store(tmp_path, "2023-11"), ["cp_repeat"])
    assert state.small_numbers == (("cp_repeat", "2 young people"),)
    with pytest.raises(c.CommentaryError, match="'2 young people' puts a number from 1 to 5"):
        run(tmp_path, ["cp_repeat"], final=True)
    # in Part 2 only (its figures are withheld in public), the words are not checked
    assert c.status(c.load_store(tmp_path, "2023-11"), ["cp_repeat"], public=set()).small_numbers == ()
    # the analyst checks the phrase is safe (the figure is published anyway) and acknowledges it in the store
    store = c.load_store(tmp_path, "2023-11")
    entry = store.entries["cp_repeat"]
    c.save_store(tmp_path, store.replace("cp_repeat", entry.model_copy(update={"acknowledged": ("2 young people",)})))
    run(tmp_path, ["cp_repeat"], final=True)


def test_editing_below_the_mark_keeps_it_carried(tmp_path):
    text, carried = c.from_cell(c.marker("2023-10") + "Edited, but the mark was left.")
    assert (text, carried) == ("Edited, but the mark was left.", "2023-10")


# --- the property: whatever an analyst does, every word survives ------------------------------------

KEYS = ["summary", "cp_repeat", "cla_missing", "cin_rereferrals", "caseload_average"]
INDICATORS = KEYS[1:]
words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]) | st.sampled_from("\n-:#*'\""),
                min_size=1, max_size=60).filter(lambda t: t.strip() and not t.startswith("**Carried"))
actions = st.one_of(
    st.tuples(st.just("edit"), st.sampled_from(KEYS), words),
    st.tuples(st.just("store"), st.sampled_from(KEYS), words),
    st.tuples(st.just("data"), st.sets(st.sampled_from(INDICATORS)).map(sorted)),
    st.tuples(st.just("template"), st.booleans()),
    st.tuples(st.just("run"),),
)


def other_template(folder: Path) -> Path:
    """The paper template with a cell added and the exceptions cell moved: a template change."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    placeholder = next(x for x in nb.cells if "exceptions" in x.metadata.get("tags", []))
    nb.cells.remove(placeholder)
    nb.cells.insert(2, placeholder)
    nb.cells.append(nbformat.v4.new_markdown_cell("A new closing note in the template."))
    path = folder / "template.ipynb"
    nbformat.write(nb, path)
    return path


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(actions, min_size=1, max_size=14))
def test_no_commentary_is_ever_lost_or_altered(tmp_path_factory, steps):
    root = tmp_path_factory.mktemp("prop")
    templates = {False: NOTEBOOK, True: other_template(root)}
    exceptions, template = ["cp_repeat"], NOTEBOOK
    expected: dict[str, str] = {}  # the latest words for each key, wherever they were written
    in_notebook: dict[str, str] = {}  # edits made since the last run, by place
    in_store: dict[str, str] = {}
    run(root, exceptions, template)
    for step in [*steps, ("run",)]:
        kind = step[0]
        if kind == "edit":
            _, key, text = step
            sources = cell_sources(root)
            if sources.get(key) == text:
                continue  # typing the same words again changes nothing
            (edit_cell if key in sources else add_cell)(root, key, text)
            in_notebook[key] = text
        elif kind == "store":
            _, key, text = step
            store = c.load_store(root, "2023-11")
            old = store.entries.get(key)
            c.save_store(root, store.replace(key, c.Entry(text=text, by_exception=old.by_exception if old else False)))
            in_store[key] = text
        elif kind == "data":
            exceptions = step[1]
        elif kind == "template":
            template = templates[step[1]]
        else:
            # an edit undone before the run (the cell is back to what the run wrote) is no edit
            cells = c.harvest(notebook_of(root)).cells
            for key in [k for k in in_notebook if cells[k].written == c.fingerprint(cells[k].source)]:
                del in_notebook[key]
            before = (store_bytes(root), notebook_of(root).read_bytes())
            try:
                run(root, exceptions, template)
            except c.CommentaryConflict as conflict:
                both = {k for k in in_notebook if k in in_store and in_notebook[k] != in_store[k]}
                assert both and all(f"commentary:{k}" in str(conflict) for k in both)
                # nothing changed; the analyst keeps the notebook's words in the store, and runs again
                assert (store_bytes(root), notebook_of(root).read_bytes()) == before
                store = c.load_store(root, "2023-11")
                for key in both:
                    store = store.replace(key, c.Entry(text=in_notebook[key], by_exception=store.entries[key].by_exception))
                    in_store[key] = in_notebook[key]
                c.save_store(root, store)
                run(root, exceptions, template)
            expected.update(in_store)
            expected.update(in_notebook)
            in_notebook.clear()
            in_store.clear()
            store = c.load_store(root, "2023-11")
            shown = cell_sources(root)
            for key, text in expected.items():
                assert store.entries[key].text == text, key           # never lost from the store
                if key in shown:
                    assert c.from_cell(shown[key])[0] == text, key    # and shown exactly as written


def test_words_written_below_or_in_place_of_the_box_are_harvested_without_it(tmp_path):
    run(tmp_path, ["cp_repeat", "cla_rate"])
    path = notebook_of(tmp_path)
    nb = nbformat.read(path, as_version=4)
    box = c.prompt("Indicator 16: Repeat plans (Red)", "It will appear in both papers.", "Special cause.")
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if "commentary:cp_repeat" in tags or "commentary:cla_rate" in tags:   # as `scrutiny run` writes them
            cell.source = box
            cell.metadata["scrutiny"].update(written=c.fingerprint(box), box=box)
    nbformat.write(nb, path)
    run(tmp_path, ["cp_repeat", "cla_rate"])   # an untouched box is not commentary
    assert c.load_store(tmp_path, "2023-11").entries == {}
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if "commentary:cp_repeat" in tags or "commentary:cla_rate" in tags:
            cell.source = box
            cell.metadata["scrutiny"].update(written=c.fingerprint(box), box=box)
    nbformat.write(nb, path)
    edit_cell(tmp_path, "cp_repeat", box + "\n\nThree repeat plans were for one sibling group.")
    edited = box.replace("Special cause.", "Special cause: a sibling group of three.")   # words typed in the box
    edit_cell(tmp_path, "cla_rate", edited)
    run(tmp_path, ["cp_repeat", "cla_rate"])
    entries = c.load_store(tmp_path, "2023-11").entries
    assert entries["cp_repeat"].text == "Three repeat plans were for one sibling group."
    assert entries["cla_rate"].text == edited   # an edited box is kept whole: nothing typed is thrown away
