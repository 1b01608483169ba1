"""Third-party imports that cost seconds for nothing, deferred until used.

``jsonschema`` (imported by ``nbformat``, so by every papermill and nbconvert run) imports
``rfc3987_syntax`` eagerly, which builds some forty Lark parsers at import: about two seconds
per process on this machine, for a format (``iri``) no notebook schema uses. This is a known
upstream problem (python-jsonschema/jsonschema#1428, opendatahub-io/notebooks#3532). Until
it is fixed there, ``import scrutiny`` puts a stand-in in its place whose ``is_valid_syntax``
imports the real module on first call: every check still runs, with the real code, only later.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types

SLOW = "rfc3987_syntax"


def defer_slow_imports() -> None:
    """Put the stand-in in place, unless the module is already imported or not installed."""
    if SLOW in sys.modules:
        return
    try:
        if importlib.util.find_spec(SLOW) is None:
            return
    except (ImportError, ValueError):
        return
    stand_in = types.ModuleType(SLOW, "stands in for rfc3987_syntax until it is used (see scrutiny._deferred)")

    def real():
        if sys.modules.get(SLOW) is stand_in:
            del sys.modules[SLOW]
        return importlib.import_module(SLOW)

    def is_valid_syntax(*args, **kwargs):
        return real().is_valid_syntax(*args, **kwargs)

    stand_in.is_valid_syntax = is_valid_syntax
    def anything_else(name: str):  # the real module, now (not for the import system's own questions)
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(real(), name)

    stand_in.__getattr__ = anything_else
    sys.modules[SLOW] = stand_in
