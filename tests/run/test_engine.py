"""The warm engine: papermill executes each notebook in this process, fresh each time, and the papers are the
ones a Jupyter kernel gives, byte for byte."""

from __future__ import annotations

import shutil

import nbformat
import papermill
import pytest
from builders import new_project

from scrutiny.data import cache
from scrutiny.data import fingerprint as fp
from scrutiny.data.synth import synthesise
from scrutiny.demo import write_demo_params
from scrutiny.paper import document
from scrutiny.run import engine as _engine  # noqa: F401 (registers it)
from scrutiny.run.execute import run_period
from scrutiny.run.layout import ENGINE, KERNEL

pytestmark = pytest.mark.e2e


def _notebook(tmp_path, *sources, name="nb.ipynb"):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]})]
    nb.cells += [nbformat.v4.new_code_cell(s) for s in sources]
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def _run(tmp_path, path, x=1, **parameters):
    parameters["x"] = x
    out = tmp_path / f"out-{path.name}"
    return papermill.execute_notebook(str(path), str(out), parameters=parameters, engine_name=ENGINE,
                                      progress_bar=False, kernel_name="python3")


def test_outputs_are_a_kernels_outputs(tmp_path):
    path = _notebook(tmp_path, "print('hello')\nx * 2",
                     "from IPython.display import display, HTML\ndisplay(HTML('<b>shown</b>'))\n'last'",
                     "import sys\nprint('warned', file=sys.stderr)", "y = x;")
    nb = _run(tmp_path, path, x=21)
    printed, displayed, warned, quiet = nb.cells[2:]
    assert [o.output_type for o in printed.outputs] == ["stream", "execute_result"]
    assert printed.outputs[0].text == "hello\n" and printed.outputs[1].data["text/plain"] == "42"
    assert [o.output_type for o in displayed.outputs] == ["display_data", "execute_result"]
    assert displayed.outputs[0].data["text/html"] == "<b>shown</b>"
    assert warned.outputs[0].name == "stderr" and quiet.outputs == []
    assert [c.execution_count for c in nb.cells] == [1, 2, 3, 4, 5, 6]
    assert nb.metadata.language_info.name == "python"


def test_an_error_stops_the_notebook_as_papermill_reports_it(tmp_path):
    path = _notebook(tmp_path, "1 / 0", "never = True")
    with pytest.raises(papermill.PapermillExecutionError) as raised:
        _run(tmp_path, path)
    assert raised.value.ename == "ZeroDivisionError" and "division by zero" in raised.value.evalue
    failed = nbformat.read(tmp_path / "out-nb.ipynb", as_version=4)
    error = [o for c in failed.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert len(error) == 1 and error[0].ename == "ZeroDivisionError" and error[0].traceback
    assert failed.cells[-1].execution_count is None  # the cell after it never ran


def test_no_state_is_shared_between_notebooks(tmp_path):
    import sys

    main = sys.modules["__main__"]
    _run(tmp_path, _notebook(tmp_path, "secret = 'first notebook'", name="a.ipynb"))
    assert sys.modules["__main__"] is main  # this process's own (worker processes are started from it)
    nb = _run(tmp_path, _notebook(tmp_path, "'secret' in dir()", "1 + 1", name="b.ipynb"))
    assert nb.cells[2].outputs[0].data["text/plain"] == "False"
    assert [o.output_type for o in nb.cells[3].outputs] == ["execute_result"]  # nothing printed besides


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = new_project(tmp_path_factory.mktemp("engine"))
    synthesise(root / "data" / "demo", children=120, seed=5, as_at="2023-11")
    write_demo_params(root, "2023-11", "data/demo")
    return root


def test_the_papers_are_a_kernels_byte_for_byte_and_the_paper_is_built_once(project, tmp_path, monkeypatch):
    kernel, warm = tmp_path / "kernel", tmp_path / "warm"
    shutil.copytree(project, kernel)
    shutil.copytree(project, warm)
    order, settle, execute, load = [], cache.settle, papermill.execute_notebook, document.load_extract
    with monkeypatch.context() as m:  # the kernel opens the extract's cache entry: written, not being written
        m.setattr(document, "load_extract", lambda *a: (load(*a), order.append("loaded"))[0])
        m.setattr(cache, "settle", lambda: order.append("settled") or settle())
        m.setattr(papermill, "execute_notebook", lambda *a, **k: order.append("executed") or execute(*a, **k))
        run_period("2023-11", kernel, engine=KERNEL)  # a real Jupyter kernel
    assert order[:3] == ["loaded", "settled", "executed"]
    built = []
    real = document.Paper.__init__
    monkeypatch.setattr(document.Paper, "__init__", lambda self, *a, **k: built.append(1) or real(self, *a, **k))
    result = run_period("2023-11", warm, engine=ENGINE)
    assert len(built) == 1  # the run built it; the notebook's setup cell took it
    assert result.part1.read_bytes() == (kernel / "outputs" / "2023-11" / "part1.html").read_bytes()
    assert result.part2.read_bytes() == (kernel / "outputs" / "2023-11" / "confidential" / "part2.html").read_bytes()
    assert document._OPENED == {} and document._HANDED == []  # the next notebook starts from nothing


@pytest.mark.parametrize("first", [
    "import scrutiny.run.engine",  # the package's own route
    "import papermill",  # papermill's CLI: the engine comes from the entry point
    "import scrutiny.run.papermill_engine",
])
def test_the_engine_is_registered_whichever_module_is_imported_first(first):
    """papermill loads entry points while it is being imported: no import order may break that."""
    import subprocess
    import sys

    code = (f"{first}\nfrom papermill.engines import papermill_engines\n"
            "from scrutiny.run.engine import WarmEngine\n"
            f"assert papermill_engines.get_engine({ENGINE!r}) is WarmEngine\nprint('ok')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-600:]


def test_a_section_is_shown_without_the_address_of_an_object():
    from scrutiny.paper.html import Section

    plain = Section("<p>a</p>", "<p>b</p>")._repr_mimebundle_()["text/plain"]
    assert " at 0x" not in plain and plain == Section("<p>a</p>", "<p>b</p>")._repr_mimebundle_()["text/plain"]
    assert "public form" in plain and "public form" not in Section("<p>a</p>", None)._repr_mimebundle_()["text/plain"]


def test_the_process_hashing_the_extract_ahead_is_stopped_however_the_computing_ends(project, tmp_path, monkeypatch):
    """The hasher a month's run starts while it imports is waited for, whether the paper was computed or not."""
    import os

    from scrutiny.config.params import load_params
    from scrutiny.errors import ExtractStructureError
    from scrutiny.run import execute

    root = tmp_path / "project"
    shutil.copytree(project, root)
    params = load_params(root / "params" / "2023-11.yaml")
    (root / "data" / "demo" / "header.csv").write_bytes(b"PK\x03\x04 a workbook")  # a structure error
    started, ahead = [], fp.hash_ahead
    # (threads other tests of this module leave, a kernel's, would keep it from forking; the hasher imports
    # nothing and takes no lock, and what is tested here is that it is stopped)
    monkeypatch.setattr(fp.threading, "active_count", lambda: 1)
    monkeypatch.setattr(fp, "hash_ahead", lambda folder: (ahead(folder),
                                                              started.extend(pid for pid, _ in fp._AHEAD)))
    with pytest.raises(ExtractStructureError):
        execute._opened(params, hash_first=True)
    assert len(started) == 1 and not fp._AHEAD
    with pytest.raises(ChildProcessError):
        os.waitpid(started[0], os.WNOHANG)  # (waited for already: no process left behind)


def test_what_the_process_held_is_left_out_of_the_collectors_looks_while_a_notebook_runs(tmp_path):
    import gc

    held = object.__new__(type("Held", (), {}))  # (an object the collector tracks, made before the notebook)
    nb = _run(tmp_path, _notebook(tmp_path, "import gc\ngc.get_freeze_count() > 0, len(gc.get_objects(generation=2))"))
    frozen, looked_at = eval(nb.cells[2].outputs[0].data["text/plain"])
    assert frozen and looked_at < len(gc.get_objects()) // 10
    assert gc.get_freeze_count() == 0 and gc.is_tracked(held)  # looked through again once it has run
    nb = _run(tmp_path, _notebook(tmp_path, "import gc\nclass Cycle: pass\nc = Cycle(); c.me = c\ndel c\n"
                                  "gc.collect() > 0", name="cycle.ipynb"))
    assert nb.cells[2].outputs[0].data["text/plain"] == "True"  # the notebook's own garbage is still collected
