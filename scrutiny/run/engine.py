"""A papermill engine that executes a notebook inside this (warm) process, in a fresh namespace.

``scrutiny run`` and ``scrutiny backfill`` execute the month's notebook with it by default
(``--engine kernel`` uses a Jupyter kernel, papermill's own engine). It saves, for every
month, a kernel start and a fresh import of pandas and matplotlib, and lets the notebook's
setup cell take the paper the run has already built (:func:`scrutiny.paper.document.handed_over`)
instead of building it again.

What a notebook sees is what a kernel gives it: an IPython shell (the same display
formatter, so the same outputs), cells run in order and numbered from 1, ``display()``
published as ``display_data``, the last expression as ``execute_result``, printed text as
``stream`` outputs, and an exception as an ``error`` output that stops the notebook, which
papermill then raises as :class:`papermill.PapermillExecutionError`. No state is shared
between notebooks: the shell's namespace is reset before each, and the papers each month's
notebook opened are forgotten after it. The papers are byte-identical to a kernel's
(``tests/run/test_engine.py``).

Registered with papermill under the name ``scrutiny`` (``papermill --engine scrutiny``).
"""

from __future__ import annotations

import gc
import io
from contextlib import redirect_stderr, redirect_stdout

import nbformat
from papermill.engines import papermill_engines

from .layout import ENGINE
from .papermill_engine import WarmEngine  # (the class papermill registers)


def _language_info() -> dict:
    """What an IPython kernel reports of its language (nbclient writes it into the notebook's metadata)."""
    from ipykernel.ipkernel import IPythonKernel

    return dict(IPythonKernel.language_info)


_SHELL = None


def _shell():
    """This process's IPython shell, made once (the imports it has made stay warm)."""
    global _SHELL
    if _SHELL is None:
        from IPython.core.displayhook import DisplayHook
        from IPython.core.displaypub import DisplayPublisher
        from IPython.core.interactiveshell import InteractiveShell

        class Hook(DisplayHook):  # the cell's last expression, published as ipykernel publishes it
            def start_displayhook(self):
                self.output = {"data": {}, "metadata": {}}

            def write_output_prompt(self):
                pass

            def write_format_data(self, format_dict, md_dict=None):
                self.output = {"data": format_dict, "metadata": md_dict or {}}

            def finish_displayhook(self):
                if self.output["data"]:
                    self.shell.collected.append(nbformat.v4.new_output(
                        "execute_result", data=self.output["data"], metadata=self.output["metadata"],
                        execution_count=self.prompt_count))

        class Publisher(DisplayPublisher):  # display(...)
            def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
                self.shell.collected.append(nbformat.v4.new_output("display_data", data=data,
                                                                   metadata=metadata or {}))

            def clear_output(self, wait=False):
                self.shell.collected.clear()

        class Shell(InteractiveShell):
            displayhook_class = Hook
            display_pub_class = Publisher

            def init_sys_modules(self):  # as IPython's embedded shell: this process's __main__ stays its own
                pass                          # (multiprocessing and Dask start workers from it)

            def _showtraceback(self, etype, evalue, stb):  # as ipykernel: an error output, not printed text
                self.collected.append(nbformat.v4.new_output("error", ename=str(etype.__name__),
                                                             evalue=str(evalue), traceback=stb))

        if InteractiveShell.initialized():  # inside a kernel already: that shell is not ours to reset
            from ..errors import RunFailed

            raise RunFailed("The scrutiny engine cannot run inside an IPython session or a notebook: run "
                            "`scrutiny run` from a terminal, or pass engine='kernel'.", key="engine")
        from traitlets.config import Config

        # no history database: each notebook numbers its cells from 1, and nothing is written to ~/.ipython
        _SHELL = Shell.instance(config=Config({"HistoryManager": {"enabled": False}}))
        _SHELL.collected = []
    return _SHELL


def _streams(name: str, text: str) -> list:
    return [nbformat.v4.new_output("stream", name=name, text=text)] if text else []


def execute(nb_man, paper=None) -> None:
    """Execute every code cell of papermill's managed notebook in this process's shell (see above)."""
    from ..paper.document import forget_opened, handed_over

    shell = _shell()
    # what this process holds already (its packages, the extract, the paper: 100,000 to 140,000 objects) is
    # left out of the collector's looks for cycles while the notebook runs: IPython's reset makes a full one,
    # twice a notebook (the two resets 0.30 to 0.44 s a month, against 0.04 to 0.13 s so)
    frozen = not gc.get_freeze_count()  # (frozen by someone else already: theirs to unfreeze)
    if frozen:
        gc.freeze()
    shell.reset(new_session=False)
    shell.execution_count = 1
    nb_man.nb.metadata["language_info"] = _language_info()
    forget_opened()
    try:
        with handed_over(paper):
            for index, cell in enumerate(nb_man.nb.cells):
                nb_man.cell_start(cell, index)
                try:
                    if cell.cell_type == "code" and not _run(shell, cell):
                        nb_man.cell_exception(cell, index)
                        break
                finally:
                    nb_man.cell_complete(cell, index)
    finally:
        forget_opened()
        shell.reset(new_session=False)
        if frozen:
            gc.unfreeze()  # (looked through again from now on, as the oldest)


def _run(shell, cell) -> bool:
    """Run one code cell into its outputs; False when it raised."""
    cell.outputs = []
    if not cell.source.strip():
        cell.execution_count = None
        return True
    out, err = io.StringIO(), io.StringIO()
    shell.collected = []
    cell.execution_count = shell.execution_count
    with redirect_stdout(out), redirect_stderr(err):
        result = shell.run_cell(cell.source, store_history=True, silent=False)
    cell.outputs = _streams("stdout", out.getvalue()) + _streams("stderr", err.getvalue()) + shell.collected
    shell.collected = []
    return result.success


papermill_engines.register(ENGINE, WarmEngine)
