"""The engine class papermill registers as ``scrutiny`` (its ``papermill.engine`` entry point).

papermill loads its entry points while it is itself being imported, so whichever module
imports papermill first may be asked for this class before it has finished. The class is
therefore made on first use, from papermill's ``Engine`` (which exists by then), and this
module imports nothing at all until then; :mod:`.engine` does the work.
"""

from __future__ import annotations


def _make():
    from papermill.engines import Engine

    class WarmEngine(Engine):
        """Executes each code cell in this process's IPython shell; see :mod:`scrutiny.run.engine`."""

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, paper=None, **kwargs):
            from .engine import execute

            execute(nb_man, paper)

    WarmEngine.__module__, WarmEngine.__qualname__ = __name__, "WarmEngine"
    return WarmEngine


def __getattr__(name: str):
    if name != "WarmEngine":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    made = _make()
    return globals().setdefault("WarmEngine", made)  # (papermill may have asked for it meanwhile)
