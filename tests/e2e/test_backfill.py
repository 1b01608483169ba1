"""`scrutiny backfill`: a range of months from defaults, a failed month spoiling none, up to date is free."""

from __future__ import annotations


import yaml
import pytest
from builders import new_project

from scrutiny import cli
from scrutiny.data.synth import synthesise
from scrutiny.demo import demo_defaults

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = new_project(tmp_path_factory.mktemp("backfill"))
    synthesise(root / "data" / "demo", children=120, seed=9, as_at="2023-11")
    defaults = demo_defaults("2023-11", "data/demo")
    (root / "params" / "defaults.yaml").write_text(yaml.safe_dump(defaults, sort_keys=False))
    (root / "params" / "2023-10.yaml").write_text("cover:\n  meeting_date: 2023-12-07\n  report_number: CSD23100\n")
    (root / "params" / "2023-09.yaml").write_text("cover:\n  meeting_dat: 2023-11-02\n")   # a typo: this month fails
    return root


def test_a_backfill_writes_every_month_it_can_and_says_why_one_failed(project, capsys):
    assert cli.main(["backfill", "2023-09", "2023-11", "--root", str(project), "--jobs", "2"]) == 1
    out = capsys.readouterr().out
    assert "3/3" in out and ("Backfill 2023-09 to 2023-11: 2 month(s) written, 0 re-rendered (commentary only), "
                             "0 up to date, 1 failed") in out
    assert "  2023-09: " in out and "meeting_dat" in out and "Traceback" not in out
    for month in ("2023-10", "2023-11"):
        assert (project / "outputs" / month / "part1.html").is_file()
        assert (project / "outputs" / month / "confidential" / "part2.html").is_file()
    assert not (project / "outputs" / "2023-09").exists()   # nothing half-written for the failed month
    october = (project / "outputs" / "2023-10" / "part1.html").read_text()
    assert "CSD23100" in october and "7 December 2023" in (project / "outputs" / "index.html").read_text()
    # November has no file of its own: its cover gives the defaults' meeting date, and the analyst is told
    warning = next(line for line in out.splitlines() if line.startswith("Warning:"))
    assert "1 month(s)" in warning and "defaults.yaml" in warning and warning.rstrip().count("2023-1") == 1
    assert ": 2023-11." in warning and "2023-10" not in warning


def test_up_to_date_months_are_skipped_and_a_changed_store_rerenders_its_month(project, capsys, monkeypatch):
    (project / "params" / "2023-09.yaml").write_text("cover:\n  meeting_date: 2023-11-02\n")
    assert cli.main(["backfill", "2023-09", "2023-11", "--root", str(project), "--jobs", "2"]) == 0
    out = capsys.readouterr().out
    assert "1 month(s) written, 0 re-rendered (commentary only), 2 up to date, 0 failed" in out
    assert "2023-10: skipped" in out
    before = (project / "outputs" / "2023-11" / "confidential" / "part2.html").read_text()
    store = project / "params" / "commentary" / "2023-11.yaml"   # an analyst writes in the store
    store.parent.mkdir(mode=0o700, exist_ok=True)
    store.write_text(yaml.safe_dump({"period": "2023-11", "entries": {"summary": {
        "text": "A quieter month.", "changed_by": "A", "changed_at": "2023-12-05T10:00:00+00:00"}}}))
    store.chmod(0o600)
    from scrutiny.run import execute

    # only commentary changed: nothing is executed nor computed, the figures and facts come from the last run
    monkeypatch.setattr(execute, "_execute", lambda *a, **k: pytest.fail("the notebook was executed again"))
    monkeypatch.setattr(execute, "_opened", lambda *a, **k: pytest.fail("the paper was computed again"))
    assert cli.main(["backfill", "2023-10", "2023-11", "--root", str(project), "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "0 month(s) written, 1 re-rendered (commentary only), 1 up to date" in out and "2023-10: skipped" in out
    assert "A quieter month." in (project / "outputs" / "2023-11" / "part1.html").read_text()
    after = (project / "outputs" / "2023-11" / "confidential" / "part2.html").read_text()
    audit = (project / "outputs" / "2023-11" / "confidential" / "disclosure.json").read_text()
    monkeypatch.undo()
    # the same papers as a run that computes everything again
    assert cli.main(["backfill", "2023-11", "2023-11", "--root", str(project), "--force"]) == 0
    assert "1 month(s) written" in capsys.readouterr().out
    assert (project / "outputs" / "2023-11" / "confidential" / "part2.html").read_text() == after != before
    assert (project / "outputs" / "2023-11" / "confidential" / "disclosure.json").read_text() == audit


def test_the_extract_is_in_the_cache_whole_before_a_worker_reads_it(project, tmp_path, monkeypatch):
    """Read once for the months, by this process and one beside it (as at England's size): the entry its
    workers read is committed before they start, not still being written behind."""
    import shutil

    from scrutiny.data import cache, parallel
    from scrutiny.data.periods import Period
    from scrutiny.run import backfill

    root = tmp_path / "project"
    shutil.copytree(project, root, ignore=shutil.ignore_patterns(".cache", "outputs"))
    monkeypatch.setattr(parallel, "PARALLEL_BYTES", 0)
    behind, write = [], parallel.write_behind
    monkeypatch.setattr(parallel, "write_behind", lambda *a, **k: behind.append(1) or write(*a, **k))
    backfill._read_once(root, [Period(2023, 11)])
    assert behind == [1] and not cache._BEHIND  # written behind, and waited for
    entries = list((root / ".cache" / "extract").iterdir())
    assert len(entries) == 1 and (entries[0] / "meta.json").is_file() and not entries[0].name.startswith(".")


def test_a_backfill_range_is_checked_before_anything_runs(project, capsys):
    with pytest.raises(SystemExit):
        cli.main(["backfill", "2023-13", "2023-11", "--root", str(project)])
    assert cli.main(["backfill", "2023-11", "2023-09", "--root", str(project)]) == 2
    assert "the first month is after the last" in capsys.readouterr().err


def test_a_changed_figure_runs_the_month_in_full(project, capsys):
    catalogue = sorted((project / "params" / "catalogue").glob("*.yaml"))[-1]
    text = catalogue.read_text()
    catalogue.write_text(text + "\n# an edit anywhere in a catalogue\n")
    try:
        assert cli.main(["backfill", "2023-11", "2023-11", "--root", str(project)]) == 0
        assert "1 month(s) written, 0 re-rendered" in capsys.readouterr().out
    finally:
        catalogue.write_text(text)


def _authority(root, seed):
    root = new_project(root)
    synthesise(root / "data" / "demo", children=80, seed=seed, as_at="2023-11")
    defaults = demo_defaults("2023-11", "data/demo")
    (root / "params" / "defaults.yaml").write_text(yaml.safe_dump(defaults, sort_keys=False))
    return root


@pytest.fixture(scope="module")
def partnership(tmp_path_factory):
    """Two authorities' project folders, and a batch file listing them."""
    base = tmp_path_factory.mktemp("partnership")
    north, south = _authority(base / "north", 21), _authority(base / "south", 22)
    (base / "batch.yaml").write_text("projects:\n  - north\n  - south\n")
    return base, north, south


def _papers(root):
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted((root / "outputs").glob("*/**/*.html")) if "part" in p.name}


def test_one_batch_spans_several_authorities_and_dask_gives_the_same_papers(partnership, tmp_path, capsys):
    """A real dask.distributed LocalCluster with two worker processes against the local process pool."""
    import shutil

    from distributed import LocalCluster

    base, north, south = partnership
    assert cli.main(["backfill", "2023-10", "2023-11", "--batch", str(base / "batch.yaml"), "--jobs", "2"]) == 0
    out = capsys.readouterr().out
    assert "of 2 projects: 4 month(s) written" in out and "4/4" in out
    assert "north 2023-10" in out and "south 2023-11" in out
    local = {name: _papers(root) for name, root in (("north", north), ("south", south))}
    assert local["north"] and local["north"] != local["south"]  # two authorities, two sets of papers
    copies = {name: shutil.copytree(root, tmp_path / name) for name, root in (("north", north), ("south", south))}
    for root in copies.values():
        shutil.rmtree(root / "outputs")
        shutil.rmtree(root / ".cache")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1") as cluster:
        assert len(cluster.workers) == 2
        assert cli.main(["backfill", "2023-10", "2023-11", "--project", str(copies["north"]), "--project",
                         str(copies["south"]), "--scheduler", cluster.scheduler_address]) == 0
    assert "of 2 projects: 4 month(s) written" in capsys.readouterr().out
    for name, root in copies.items():
        assert _papers(root) == local[name], f"{name}: the cluster's papers differ from the local pool's"


def test_a_batch_names_real_project_folders_and_a_scheduler_must_answer(partnership, tmp_path, capsys):
    base, north, _ = partnership
    (tmp_path / "batch.yaml").write_text("projects:\n  - nowhere\n")
    assert cli.main(["backfill", "2023-11", "2023-11", "--batch", str(tmp_path / "batch.yaml")]) == 2
    assert "nowhere: not a project folder" in capsys.readouterr().err
    (tmp_path / "batch.yaml").write_text("authorities: [north]\n")
    assert cli.main(["backfill", "2023-11", "2023-11", "--batch", str(tmp_path / "batch.yaml")]) == 2
    assert "lists its project folders under `projects:`" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["backfill", "2023-11", "2023-11", "--project", str(north), "--scheduler", "north:8786"])
    assert "not a scheduler address" in capsys.readouterr().err
    (north / "params" / "defaults.yaml").touch()  # something to run, so the scheduler is asked
    assert cli.main(["backfill", "2023-11", "2023-11", "--project", str(north), "--force",
                     "--scheduler", "tcp://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert "Could not reach the Dask scheduler at tcp://127.0.0.1:9" in err and "Traceback" not in err


def test_a_month_run_another_way_is_run_in_full_and_outputs_made_again_in_jupyterlab_are_not_reused(project,
                                                                                                   capsys):
    import nbformat

    from scrutiny.run.execute import run_period

    assert cli.main(["backfill", "2023-11", "2023-11", "--root", str(project)]) in (0, 1)
    capsys.readouterr()
    run_period("2023-11", project)  # `scrutiny run`: the backfill's record of the last run goes
    assert not (project / "outputs" / "2023-11" / "confidential" / "inputs.sha256").exists()
    assert cli.main(["backfill", "2023-11", "2023-11", "--root", str(project)]) == 0
    assert "1 month(s) written, 0 re-rendered" in capsys.readouterr().out
    # in JupyterLab: new words, and a figures cell run again whose output is not what the run wrote
    notebook = project / "outputs" / "2023-11" / "confidential" / "paper.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    figures = next(c for c in nb.cells if c.cell_type == "code" and "paper_for" in c.source)
    figures.outputs = [nbformat.v4.new_output("execute_result", data={"text/html": "<p>made again</p>"},
                                              execution_count=figures.execution_count)]
    words = next(c for c in nb.cells if c.cell_type == "markdown"
                 and any(str(t).startswith("commentary:") and t != "commentary:summary" for t in c.metadata.tags))
    words.source = "Words typed in JupyterLab."
    nbformat.write(nb, notebook)
    assert cli.main(["backfill", "2023-11", "2023-11", "--root", str(project)]) == 0
    assert "1 month(s) written, 0 re-rendered" in capsys.readouterr().out  # executed again, not reused
    part2 = (project / "outputs" / "2023-11" / "confidential" / "part2.html").read_text()
    assert "Words typed in JupyterLab." in part2 and "made again" not in part2


def test_a_new_project_keeps_its_cache_outputs_and_extracts_out_of_git(tmp_path):
    from scrutiny.demo import write_starter

    write_starter(tmp_path)
    ignored = (tmp_path / ".gitignore").read_text().splitlines()
    assert {"/.cache/", "/outputs/", "/data/", "*.csv"} <= set(ignored)


# (last of the tests on `project`: it runs a month with a file of its own)
def test_months_with_meeting_dates_of_their_own_are_not_warned_about(project, capsys):
    (project / "params" / "2023-11.yaml").write_text("cover:\n  meeting_date: 2024-01-11\n")
    try:
        cli.main(["backfill", "2023-10", "2023-11", "--root", str(project), "--jobs", "1"])
        assert "Warning:" not in capsys.readouterr().out
    finally:
        (project / "params" / "2023-11.yaml").unlink()


def test_up_to_date_is_known_without_reading_the_params_while_a_link_they_name_leads_to_the_same_files(
        tmp_path, capsys, monkeypatch):
    from scrutiny.config import params as params_module
    from scrutiny.data.periods import Period
    from scrutiny.run import uptodate

    root = new_project(tmp_path / "linked")
    for name, seed in (("a", 31), ("b", 32)):
        synthesise(root / "data" / name, children=60, seed=seed, as_at="2023-11")
    (root / "data" / "current").symlink_to("a")  # the analyst's "current extract", moved on each month
    defaults = demo_defaults("2023-11", "data/current")
    # the catalogues kept on a shared drive: params/catalogue is a link there, and the params name it in full
    catalogues = root / "params" / "catalogue"
    catalogues.rename(root / "shared")
    catalogues.symlink_to(root / "shared")
    defaults["catalogue"] = str(root / "shared" / "2023-24.yaml")
    (root / "params" / "defaults.yaml").write_text(yaml.safe_dump(defaults, sort_keys=False))
    assert cli.main(["backfill", "2023-11", "2023-11", "--root", str(root)]) == 0
    capsys.readouterr()

    def unread(*args, **kwargs):
        raise AssertionError("the params were read")

    with monkeypatch.context() as patched:  # unchanged: the month's record says what its params name
        patched.setattr(params_module, "load_params", unread)
        assert uptodate.changed(root, Period.parse("2023-11")) == ""
        catalogues.unlink()  # the project's catalogue folder leads elsewhere: is the one named still in it?
        catalogues.symlink_to(root / "data")
        with pytest.raises(AssertionError, match="the params were read"):
            uptodate.changed(root, Period.parse("2023-11"))
    catalogues.unlink()
    catalogues.symlink_to(root / "shared")
    (root / "data" / "current").unlink()
    (root / "data" / "current").symlink_to("b")  # the next extract: the params' bytes are as they were
    assert uptodate.changed(root, Period.parse("2023-11")) == "figures"
    assert cli.main(["backfill", "2023-11", "2023-11", "--root", str(root)]) == 0
    assert "1 month(s) written, 0 re-rendered (commentary only), 0 up to date" in capsys.readouterr().out


def test_a_final_month_whose_commentary_alone_changed_keeps_its_ledger_and_papers_as_a_full_run_makes_them(
        tmp_path, capsys, monkeypatch):
    import json

    from scrutiny.run import execute

    root = new_project(tmp_path / "final")
    synthesise(root / "data" / "demo", children=60, seed=41, as_at="2023-11")
    defaults = demo_defaults("2023-11", "data/demo")
    (root / "params" / "defaults.yaml").write_text(yaml.safe_dump(defaults, sort_keys=False))
    assert cli.main(["backfill", "2023-11", "2023-11", "--root", str(root)]) == 0
    month = root / "outputs" / "2023-11"
    facts = json.loads((month / "confidential" / "paper.ipynb").read_text())["metadata"]["scrutiny"]["facts"]
    store = root / "params" / "commentary" / "2023-11.yaml"

    def write(summary):  # words on every indicator, as the analyst leaves them before the final papers
        entries = {s["id"]: {"text": f"Words on {s['title']}.", "changed_by": "A",
                             "changed_at": "2023-12-05T10:00:00+00:00"} for s in facts["indicators"]}
        entries["summary"] = {"text": summary, "changed_by": "A", "changed_at": "2023-12-05T10:00:00+00:00"}
        store.parent.mkdir(mode=0o700, exist_ok=True)
        store.write_text(yaml.safe_dump({"period": "2023-11", "entries": entries}))
        store.chmod(0o600)

    write("A quieter month.")
    assert cli.main(["backfill", "2023-11", "2023-11", "--root", str(root), "--final"]) == 0
    assert "1 month(s) written" in capsys.readouterr().out
    ledger = (month / "confidential" / "published.json").read_bytes()
    assert json.loads(ledger)  # the public figures, recorded
    write("A quieter month than October.")
    with monkeypatch.context() as patched:
        patched.setattr(execute, "_opened", lambda *a, **k: pytest.fail("the paper was computed again"))
        assert cli.main(["backfill", "2023-11", "2023-11", "--root", str(root), "--final"]) == 0
    assert "1 re-rendered (commentary only)" in capsys.readouterr().out
    papers = [(month / p).read_bytes() for p in ("part1.html", "confidential/part2.html", "summary.json")]
    assert b"A quieter month than October." in papers[0] and b"DRAFT" not in papers[0]
    assert (month / "confidential" / "published.json").read_bytes() == ledger
    assert cli.main(["backfill", "2023-11", "2023-11", "--root", str(root), "--final", "--force"]) == 0
    assert [(month / p).read_bytes() for p in ("part1.html", "confidential/part2.html", "summary.json")] == papers
    assert (month / "confidential" / "published.json").read_bytes() == ledger
