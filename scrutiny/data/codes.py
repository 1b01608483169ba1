"""What the codes mean: the national code lists' own descriptions, kept as data in ``codes.yaml``.

Every coded column of the input contract (``spec/data.md``) has its list here, keyed by
the column's name, with the wording of the Department for Education's SSDA903 and
children in need census guides, and, where the DfE publishes a coarser breakdown (placement
type, care leavers' activity and the suitability of their accommodation), its published
categories as ``groups``. A member reads these words; the codes stay for the analyst.
``tests/data/test_codes.py`` checks that every code :mod:`scrutiny.data.schema` accepts has
a label and that nothing here labels a code the contract does not accept.

>>> label("LS", "C2")
'Full care order'
>>> label("ReferralSource", "1B")
'Individual – acquaintance (including neighbours and child minders)'
>>> label("LS", ""), label("LS", "Q9")
('Not recorded', 'Not recorded')
>>> group("PLACE", "U4")
'Foster placements'

Imports: nothing from :mod:`scrutiny` (the list is plain data).
"""

from __future__ import annotations

import string
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Mapping

import yaml

NOT_RECORDED = "Not recorded"  # a blank, or a code no list here has


@cache
def _lists() -> Mapping[str, dict]:
    text = resources.files(__package__).joinpath("codes.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    return MappingProxyType({field: _build(field, entry) for field, entry in raw.items()})


def _build(field: str, entry: dict) -> dict:
    codes = {str(c): str(d) for c, d in (entry.get("codes") or {}).items()}
    groups = {str(g): tuple(str(c) for c in cs) for g, cs in (entry.get("groups") or {}).items()}
    if "types" in entry:  # ACCOM: a type letter and a suitability digit
        types = {str(t): str(d) for t, d in entry["types"].items()}
        for digit, suitability in entry["suitability"].items():
            made = {f"{letter}{digit}": f"{types.get(letter, entry['other_type'])}, {suitability['label']}"
                    for letter in string.ascii_uppercase}
            codes.update(made)
            groups[suitability["group"]] = tuple(made)
    grouped = [c for cs in groups.values() for c in cs]
    if groups and sorted(grouped) != sorted(codes):
        raise ValueError(f"codes.yaml: the groups of {field} must hold each of its codes exactly once")
    return {"source": str(entry["source"]), "codes": MappingProxyType(codes), "groups": MappingProxyType(groups),
            "group_of": MappingProxyType({c: g for g, cs in groups.items() for c in cs})}


def fields() -> tuple[str, ...]:
    """The contract's coded columns that have a list here.

    >>> "PLACE" in fields() and "ReferralSource" in fields()
    True
    """
    return tuple(_lists())


def _entry(field: str) -> dict:
    try:
        return _lists()[field]
    except KeyError:
        raise KeyError(f"no code list for column {field!r}") from None


def labels(field: str) -> Mapping[str, str]:
    """Every code of ``field`` with its description.

    >>> labels("MISSING")["A"]
    'Away from placement without authorisation'
    """
    return _entry(field)["codes"]


def label(field: str, code) -> str:
    """The description of ``code`` in ``field``'s list; "Not recorded" for a blank or unknown code."""
    return _entry(field)["codes"].get("" if code is None else str(code).strip(), NOT_RECORDED)


def groups(field: str) -> Mapping[str, tuple[str, ...]]:
    """The DfE's published categories for ``field``, each with its codes (empty when it publishes none).

    >>> groups("ACTIV")["In an apprenticeship"]
    ('F4', 'P4')
    """
    return _entry(field)["groups"]


def group(field: str, code) -> str:
    """The published category ``code`` falls in; "Not recorded" for a blank or unknown code.

    >>> group("ACCOM", "U2"), group("ACCOM", "0")
    ('Accommodation considered unsuitable', 'No information')
    """
    return _entry(field)["group_of"].get("" if code is None else str(code).strip(), NOT_RECORDED)


def source(field: str) -> str:
    """Where ``field``'s list and its wording are published.

    >>> source("LS")
    'SSDA903 guide, legal status (LS)'
    """
    return _entry(field)["source"]


__all__ = ["NOT_RECORDED", "fields", "group", "groups", "label", "labels", "source"]
