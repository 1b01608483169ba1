"""Fixtures of the data tests."""

from __future__ import annotations

import pytest

from scrutiny.data import load, reading


@pytest.fixture(params=["read", "mapped"])
def read_or_mapped(request, monkeypatch):
    """A case twice: each file copied into memory, and each mapped into it (as a worker of
    :mod:`scrutiny.data.parallel` takes them, here whatever their size)."""
    if request.param == "mapped":
        read_table = load.read_table
        monkeypatch.setattr(reading, "MAPPED_BYTES", 0)
        monkeypatch.setattr(load, "read_table", lambda folder, table, problems, *_: read_table(folder, table, problems, True))
    return request.param
