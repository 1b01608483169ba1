"""The national returns as councils hold them: the CIN census XML and the SSDA903 XML, read into contract tables.

Element names come from ``mapping.yaml`` (the one place they live); this module walks each
return's structure and derives what the XML does not carry:

* the child's identifier on every row (``LAchildID`` / ``CHILD``), and ``DOB`` on the 903's
  missing and care-leaver rows, from the child's own element;
* ``CINdetailsID``: the child's id and the referral date (``A123:2023-06-01``), with ``:2``,
  ``:3`` for a second referral the same day. It does not depend on the referral's position,
  so it stays the same from one year's return to the next when earlier referrals drop out;
* ``CPPID``: the plan's start date (``2023-07-01``, then ``:2`` ...) within the child, so it
  is unique within the child, as the census requires, not across the file.

Parsing is safe (lxml, the maintained libxml2 binding): no DTD is loaded, no entity is
expanded, nothing is fetched from the network, and a file over :data:`MAX_XML_BYTES` or
carrying a DOCTYPE or entity declaration is refused before it is parsed. Each row's number is
the line its element starts on, so a problem names the file, the line and the column.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pandas as pd
import yaml
from lxml import etree

from ...errors import Problem
from ..schema import TABLES

MAPPING = Path(__file__).with_name("mapping.yaml")
MAX_XML_BYTES = 100 * 1024 * 1024  # a large authority's census is a few MB; 100 MB is no return
SOURCE = "_file"  # the file each row came from, on frames read from more than one file
ROW = "_row"
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY", b"<!doctype", b"<!entity")


@cache
def mapping() -> dict:
    return yaml.safe_load(MAPPING.read_text(encoding="utf-8"))


def which_return(root_tag: str) -> str | None:
    """'cin_census' or 'ssda903' for a root element's name, or None."""
    return next((kind for kind, spec in mapping().items() if isinstance(spec, dict) and spec.get("root") == root_tag),
                None)


def _parse(data: bytes, name: str, problems: list[Problem]):
    if len(data) > MAX_XML_BYTES:
        problems.append(Problem(name, None, None, f"is {len(data) / 2**20:.0f} MB: a return of more than "
                                                  f"{MAX_XML_BYTES // 2**20} MB is not read"))
        return None
    if any(d in data for d in _DECLARATIONS):
        problems.append(Problem(name, None, None, "declares a DOCTYPE or entities, which no national return does: "
                                                  "it is not read (nothing in it was expanded or fetched)"))
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        problems.append(Problem(name, exc.lineno, None, f"is not well-formed XML at line {exc.lineno}: {exc.msg}"))
        return None
    tree = root.getroottree()
    # the bytes were checked above; in another encoding (UTF-16) a declaration shows only once parsed
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype or any(
            isinstance(node, etree._Entity) for node in root.iter()):
        problems.append(Problem(name, None, None, "declares a DOCTYPE or entities, which no national return does: "
                                                  "it is not read (nothing in it was expanded or fetched)"))
        return None
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:  # namespaces are not the return's business
            element.tag = etree.QName(element).localname
    return root


def _text(element, names: list[str]) -> str:
    """The text of the first of ``names`` under ``element`` (blank when none is there)."""
    for name in names:
        found = element.find(name)
        if found is not None:
            return (found.text or "").strip()
    return ""


def _row(element, columns: dict[str, list[str]], name: str, **inherited) -> dict:
    return {**inherited, **{c: _text(element, names) for c, names in columns.items()}, ROW: element.sourceline,
            SOURCE: name}


def _numbered(key: str, seen: Counter) -> str:
    seen[key] += 1
    return key if seen[key] == 1 else f"{key}:{seen[key]}"


def _cin_census(root, name: str) -> dict[str, list[dict]]:
    spec = mapping()["cin_census"]
    t = spec["tables"]
    rows: dict[str, list[dict]] = {k: [] for k in t}
    for child in root.iterfind(spec["child"]):
        ids = child.find("ChildIdentifiers")
        child_id = _text(child, [spec["id"]])
        rows["child_identifiers"].append(_row(ids if ids is not None else child, t["child_identifiers"]["columns"],
                                              name))
        referrals, plans = Counter(), Counter()
        for details in child.iterfind("CINdetails"):
            row = _row(details, t["cin_details"]["columns"], name, LAchildID=child_id)
            cin_id = _numbered(f"{child_id}:{row['CINreferralDate']}", referrals)
            row["CINdetailsID"] = cin_id
            rows["cin_details"].append(row)
            for table in ("assessments", "section47", "cp_plans"):
                for element in details.iterfind(t[table]["from"].split("/", 1)[1]):
                    row = _row(element, t[table]["columns"], name, LAchildID=child_id, CINdetailsID=cin_id)
                    if table == "cp_plans":
                        row["CPPID"] = _numbered(row["CPPstartDate"] or "no start date", plans)
                    rows[table].append(row)
    return rows


def _ssda903(root, name: str) -> dict[str, list[dict]]:
    spec = mapping()["ssda903"]
    t = spec["tables"]
    rows: dict[str, list[dict]] = {k: [] for k in t}
    for child in root.iterfind(spec["child"]):
        header = child.find("HEADER")
        if header is None:
            header = etree.SubElement(child, "HEADER")  # no header: the episodes still name no child
        child_id, dob = _text(header, t["header"]["columns"]["CHILD"]), _text(header, t["header"]["columns"]["DOB"])
        rows["header"].append(_row(header, t["header"]["columns"], name))
        for episode in child.iterfind(t["episodes"]["from"]):
            rows["episodes"].append(_row(episode, t["episodes"]["columns"], name, CHILD=child_id))
        for missing in header.iterfind(t["missing"]["from"].split("/", 1)[1]):
            rows["missing"].append(_row(missing, t["missing"]["columns"], name, CHILD=child_id, DOB=dob))
        if any(header.find(e) is not None for e in t["oc3"]["only_with"]):
            rows["oc3"].append(_row(header, t["oc3"]["columns"], name, CHILD=child_id, DOB=dob))
    return rows


def read_xml(path: Path, data: bytes, problems: list[Problem]
             ) -> tuple[str | None, dict[str, pd.DataFrame], int | None]:
    """(which return, table -> frame of stripped strings, the collection year if the return says) from one XML
    file; (None, {}, None) when it is no return."""
    name = Path(path).name
    root = _parse(data, name, problems)
    if root is None:
        return None, {}, None
    kind = which_return(root.tag)
    if kind is None:
        return None, {}, None
    year = (root.findtext("Header/CollectionDetails/Year") or "").strip()
    rows = (_cin_census if kind == "cin_census" else _ssda903)(root, name)
    frames = {}
    for table, found in rows.items():
        columns = list(TABLES[table].columns)
        frame = pd.DataFrame(found, columns=[*columns, ROW, SOURCE]) if found else pd.DataFrame(
            {c: pd.Series(dtype=object) for c in [*columns, ROW, SOURCE]})
        frame[columns] = frame[columns].fillna("").astype(str)
        frame[ROW] = frame[ROW].fillna(0).astype("int32")
        frames[table] = frame
    return kind, frames, int(year) if year.isdigit() else None
