"""An extract folder as councils keep it: the contract's CSVs, yearly returns, XML returns, and files we cannot read.

Every file is either read (and said as what) or listed as not read, with the reason.
Yearly files (``2017-episodes.csv``, ``2018_episodes.csv``, ``episodes-2019.csv``, or one
XML return per year) are combined as the national guidance combines returns: the latest
year's record replaces an earlier one with the same key (``supersede`` in ``mapping.yaml``:
for episodes, the same child and episode start), everything else is kept. Two files of the
same year that both hold a record with the same key cannot be resolved: a structure error.
The contract's own ``episodes.csv`` counts as the latest.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd

from ...errors import Problem
from ..load import ROW, SOURCE, _read_bytes, finish_frame, read_table
from ..schema import TABLES
from . import RETURN_NAMES, Sources
from .xml import MAX_XML_BYTES, mapping, read_xml

YEAR = "_year"
LATEST = 9999  # the contract's own files: newer than any yearly return
_STEMS = {t.file.removesuffix(".csv"): t.name for t in TABLES.values()}
_YEAR_FIRST = re.compile(r"^(?P<year>(?:19|20)\d{2})[-_ ](?P<stem>[a-z0-9_]+)\.csv$", re.IGNORECASE)
_YEAR_LAST = re.compile(r"^(?P<stem>[a-z0-9_]+?)[-_ ](?P<year>(?:19|20)\d{2})\.csv$", re.IGNORECASE)
_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def _shown(value) -> str:
    return value.strftime("%Y-%m-%d") if isinstance(value, pd.Timestamp) else str(value)


def _yearly(name: str) -> tuple[int, str] | None:
    """(year, table) for a yearly contract file's name, or None."""
    for pattern in (_YEAR_FIRST, _YEAR_LAST):
        match = pattern.match(name)
        if match and match["stem"].lower() in _STEMS:
            return int(match["year"]), _STEMS[match["stem"].lower()]
    return None


def read_sources(folder: Path, present: list[str], problems: list[Problem],
                 contract: dict[str, pd.DataFrame]) -> Sources:
    """Read every return and yearly file beside the contract's CSVs (already in ``contract``), and combine."""
    read, not_read = [], []
    parts: dict[str, list[tuple[int | None, str, pd.DataFrame]]] = {}
    for name, frame in contract.items():
        parts[name] = [(LATEST, TABLES[name].file, frame)]
    for name in present:
        if name.startswith("."):
            continue
        if name in {t.file for t in TABLES.values()}:
            read.append((name, f"the contract's {name}"))
            continue
        yearly = _yearly(name)
        if yearly is not None:
            year, table = yearly
            before = len(problems)
            frame = read_table(folder, replace(TABLES[table], file=name), problems)
            if frame is not None and len(problems) == before:  # a file with structure problems is reported, not read
                parts.setdefault(table, []).append((year, name, frame))
                read.append((name, f"{TABLES[table].file} for {year}: {len(frame):,} row(s)"))
            continue
        if not name.lower().endswith(".xml"):
            not_read.append((name, "not a contract file name (spec/data.md), a yearly one (2023-episodes.csv), "
                                   "nor an XML return"))
            continue
        before = len(problems)
        try:
            size = os.stat(folder / name).st_size
        except OSError:
            size = 0  # reading it says why
        if size > MAX_XML_BYTES:  # refused before a byte is read
            problems.append(Problem(name, None, None, f"is {size / 2**20:.0f} MB: a return of more than "
                                                      f"{MAX_XML_BYTES // 2**20} MB is not read"))
            continue
        data = _read_bytes(folder / name, name, problems)
        kind, frames, year = (None, {}, None) if data is None else read_xml(folder / name, data, problems)
        if len(problems) > before:
            continue
        if kind is None:
            not_read.append((name, "XML, but neither a Children in Need census (Message) nor an SSDA903 return "
                                   "(EXPSSDA903)"))
            continue
        if year is None:
            found = _ANY_YEAR.findall(name)
            year = int(found[-1]) if found else None
        read.append((name, f"{RETURN_NAMES[kind]}{f' for {year}' if year else ''}: "
                     + ", ".join(f"{len(f):,} {t}" for t, f in frames.items())))
        for table, frame in frames.items():
            parts.setdefault(table, []).append((year, name, finish_frame(frame, replace(TABLES[table], file=name),
                                                                        problems)))
    tables, combined = {}, []
    for table, found in parts.items():
        found = [f for f in found if set(TABLES[table].columns) <= set(f[2].columns)]  # read whole, or not at all
        if not found:
            continue
        if len(found) == 1:
            year, name, frame = found[0]
            tables[table] = frame if name == TABLES[table].file else frame.assign(**{SOURCE: name})
            continue
        frame, words = _combine(table, found, problems)
        if frame is not None:
            tables[table] = frame
            combined.append((table, words))
    return Sources(tuple(read), tuple(not_read), tables, tuple(combined))


def _combine(table: str, found: list[tuple[int | None, str, pd.DataFrame]], problems: list[Problem]):
    """The latest year's records over the earlier ones for the same key; (frame, what was done, in words)."""
    unknown = [name for year, name, _ in found if year is None]
    if unknown:
        for name in unknown:
            problems.append(Problem(name, None, None, f"holds {table} for a year it does not say, beside other "
                                                      "returns: put the year in its name (for example "
                                                      "903-2024.xml) so the latest can be told apart"))
        return None, ""
    key = mapping()["supersede"][table]
    frames = []
    for year, name, frame in sorted(found, key=lambda f: f[0]):
        frames.append(frame.assign(**{SOURCE: name, YEAR: year}))
    every = pd.concat(frames, ignore_index=True)
    keyed = every[key].astype(str).agg("\x1f".join, axis=1)
    latest = every.groupby(keyed)[YEAR].transform("max")
    superseded = every[YEAR] < latest
    # the same key in two files of the same (latest) year cannot be resolved
    clash = every.loc[~superseded].assign(_key=keyed[~superseded]).groupby("_key")[SOURCE].transform("nunique") > 1
    for _, row in every.loc[~superseded].loc[clash].drop_duplicates([SOURCE, *key]).iterrows():
        problems.append(Problem(row[SOURCE], int(row[ROW]), key[-1],
                                f"{', '.join(f'{c} {_shown(row[c])}' for c in key)} is also in another {row[YEAR]} "
                                "return: which one is right cannot be told; keep it in one file"))
    winner = every.loc[~superseded].assign(_key=keyed[~superseded]).drop_duplicates("_key").set_index("_key")[SOURCE]
    replaced = every.loc[superseded].assign(by=keyed[superseded].map(winner))
    counts = replaced.groupby([SOURCE, "by"]).size()
    files = ", ".join(f"{name} ({len(frame):,})" for _, name, frame in sorted(found, key=lambda f: f[0]))
    words = f"{TABLES[table].file} combined from {files}" + "".join(
        f"; {n:,} record(s) of {old} superseded by {new}" for (old, new), n in counts.items())
    return every.loc[~superseded].drop(columns=[YEAR]).reset_index(drop=True), words
