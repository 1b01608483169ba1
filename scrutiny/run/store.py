"""The commentary store's file: ``params/commentary/<key>.yaml``, its model, its name, reading and writing.

Owner-only (folder 0700, files 0600): it holds Part 2 text. Written atomically, texts as
literal blocks so git diffs read line by line, never with YAML anchors (the reader refuses them).
Imports: config, files, errors.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..config.validation import describe_validation, first_key
from ..config.yaml_files import read_yaml
from ..errors import CommentaryError
from ..files import PRIVATE_DIR_MODE, PRIVATE_MODE, write_atomic

SUMMARY = "summary"


class Entry(BaseModel):
    """One indicator's commentary for one month."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str
    changed_by: str = ""
    changed_at: str = ""
    carried_from: str | None = Field(default=None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    by_exception: bool = False  # written for an indicator that was not below expectation: always shown
    acknowledged: tuple[str, ...] = ()  # small-number phrases the analyst has checked are safe to publish


class Unplaced(BaseModel):
    """Text the analyst wrote in a notebook cell that is not a commentary cell: kept, never dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str
    after: str = ""  # the commentary cell (or section) it followed, to say where it was
    changed_by: str = ""
    changed_at: str = ""


class Store(BaseModel):
    """``params/commentary/<period>.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    period: str
    entries: dict[str, Entry] = Field(default_factory=dict)
    unplaced: tuple[Unplaced, ...] = ()

    def text(self, key: str) -> str | None:
        entry = self.entries.get(key)
        return None if entry is None else entry.text

    def replace(self, key: str, entry: Entry) -> Store:
        return self.model_copy(update={"entries": {**self.entries, key: entry}})


# a month (2023-11) or a plan update (plan-2023-24-2024-03-31): the only names a store file may have
STORE_KEY = re.compile(r"^(\d{4}-(0[1-9]|1[0-2])|plan-\d{4}-\d{2}-\d{4}-\d{2}-\d{2})$")


def store_path(root: Path, period: str) -> Path:
    """``params/commentary/<key>.yaml``; a key that is not a month or a plan update is refused."""
    if not isinstance(period, str) or not STORE_KEY.match(period):
        raise CommentaryError(f"{period!r} is not a commentary store name: expected a month (2023-11) or a plan "
                              "update (plan-2023-24-2024-03-31)", key="period")
    return Path(root) / "params" / "commentary" / f"{period}.yaml"


def load_store(root: Path, period: str) -> Store:
    path = store_path(root, period)
    if not path.exists():
        return Store(period=period)
    raw = read_yaml(path, CommentaryError, "commentary store not found")
    try:
        store = Store.model_validate(raw)
    except ValidationError as exc:
        raise CommentaryError(describe_validation(exc, str(path), "the commentary store is"), file=str(path),
                              key=first_key(exc)) from None
    if store.period != period:  # a copied store: never let it write over another month's commentary
        raise CommentaryError(f"{path}: period is {store.period!r} but the file is for {period!r}. Put "
                              f"period: {period!r} in the file (or move it to the right month's file).",
                              file=str(path), key="period")
    return store


class _Literal(str):
    pass


class _StoreDumper(yaml.SafeDumper):
    """Plain YAML: texts as literal blocks, and never an anchor or alias (the reader refuses them)."""

    def ignore_aliases(self, data):
        return True


_StoreDumper.add_representer(_Literal, lambda d, s: d.represent_scalar("tag:yaml.org,2002:str", s, style="|"))


def save_store(root: Path, store: Store) -> Path:
    """Write the store atomically, texts as literal blocks so that git diffs read well."""
    path = store_path(root, store.period)
    data = {"period": store.period, "entries": {}}
    for key in sorted(store.entries, key=lambda k: (k != SUMMARY, k)):
        data["entries"][key] = _literal(store.entries[key].model_dump(exclude_defaults=True))
    if store.unplaced:
        data["unplaced"] = [_literal(u.model_dump(exclude_defaults=True)) for u in store.unplaced]
    header = ("# Management commentary for one month, kept by `scrutiny run` (see scrutiny/run/commentary.py).\n"
              "# Edit the texts here or in the executed notebook, not both between runs.\n")
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(PRIVATE_DIR_MODE)  # Part 2 words: only the owner may list or read them
    text = yaml.dump(data, Dumper=_StoreDumper, sort_keys=False, allow_unicode=True, width=100)
    write_atomic(path, header + text, PRIVATE_MODE)
    return path


def _literal(item: dict) -> dict:
    text = item.get("text", "")
    item["text"] = _Literal(text) if "\n" in text else text
    return item
