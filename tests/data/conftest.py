"""Fixtures of the data tests."""

from __future__ import annotations

import pytest

from scrutiny.data import load, reading


@pytest.fixture(params=[reading.COPIED, reading.MAPPED, reading.STREAMED])
def read_or_mapped(request, monkeypatch):
    """A case three times: each file copied into memory, mapped into it (as a reader forked by
    :mod:`scrutiny.data.parallel` takes them), and streamed (as the process beside it does), here
    whatever their size."""
    if request.param != reading.COPIED:
        read_table = load.read_table
        monkeypatch.setattr(reading, "MAPPED_BYTES", 0)
        monkeypatch.setattr(load, "read_table",
                            lambda folder, table, problems, *_: read_table(folder, table, problems, request.param))
    return request.param
