"""``import scrutiny`` defers rfc3987_syntax (two seconds of parser building) without losing its checks."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys, time
import scrutiny
start = time.perf_counter()
import nbformat, jsonschema
took = time.perf_counter() - start
deferred = type(sys.modules["rfc3987_syntax"]).__name__ == "module" and not hasattr(
    sys.modules["rfc3987_syntax"], "__file__")
checker = jsonschema.FormatChecker()
good, bad = checker.conforms("https://example.org/a?b=c", "iri"), checker.conforms("not an iri", "iri")
print(deferred, good, bad, "real" if hasattr(sys.modules["rfc3987_syntax"], "__file__") else "stand-in", took)
"""


def test_the_slow_module_is_imported_only_when_a_check_needs_it():
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True).stdout.split()
    deferred, good, bad, after = out[:4]
    assert deferred == "True"  # nbformat imported: the stand-in, not the parsers
    assert (good, bad) == ("True", "False")  # the iri check still runs, with the real code
    assert after == "real"
