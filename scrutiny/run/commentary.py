"""The commentary store: every word an analyst writes, kept in plain text under ``params/``.

Analysts write in the period's executed notebook, in markdown cells tagged
``commentary:<indicator id>`` (and ``commentary:summary`` for the opening remarks).
The store, ``params/commentary/<YYYY-MM>.yaml``, holds the same texts, readable and
diffable in git, each with who last changed it and when. ``scrutiny run``:

1. **harvests** the executed notebook into the store before anything is overwritten;
2. stops with :class:`CommentaryConflict` if a cell was edited in the notebook *and*
   its entry was edited in the store since the last run, naming the cells;
3. **carries forward** last month's text for an indicator still below expectation,
   marked so, to be updated;
4. **writes** the store's texts into the new run, recording in each cell's metadata a
   fingerprint of what it wrote, which is how the next run tells who edited what.

Nothing is ever deleted: an indicator no longer below expectation keeps its entry
(not shown in the paper, listed in the run's summary).
"""

from __future__ import annotations

import datetime
import getpass
import hashlib
import os
import re
import subprocess
from dataclasses import dataclass, field, replace
from pathlib import Path

import nbformat

from ..assess.disclosure import small_numbers
from ..assess.suppress import SMALL_RANGE
from ..data.periods import Period
from ..errors import CommentaryConflict, CommentaryError, ConfigError

COMMENTARY_PREFIX = "commentary:"
PLACEHOLDER = "*Management commentary to be written for this indicator.*"
AREA_PLACEHOLDER = "*Commentary to be written for this outcome area.*"  # the plan paper's own words
SUMMARY_PLACEHOLDER = "*Opening remarks on this month's performance (optional).*"
_MARKER = re.compile(r"^\*\*Carried forward from (?P<month>[A-Z][a-z]+ \d{4}): update this commentary, then "
                     r"delete this line\.\*\*\n\n?")


from .prompts import PROMPT_MARK, prompt, without_prompt  # noqa: E402,F401 (the box, re-exported)
from .store import (STORE_KEY, SUMMARY, Entry, Store, Unplaced, load_store, save_store,  # noqa: E402,F401
                    store_path)  # the store's API, re-exported


# --- texts in the notebook -------------------------------------------------------------------------


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def marker(carried_from: str) -> str:
    return (f"**Carried forward from {Period.parse(carried_from).label}: update this commentary, then delete this "
            "line.**\n\n")


def cell_text(entry: Entry) -> str:
    """What the notebook cell shows for an entry: the text, after the carried-forward mark if any."""
    return (marker(entry.carried_from) if entry.carried_from else "") + entry.text


def from_cell(source: str, box: str | None = None) -> tuple[str, str | None]:
    """(text, carried_from) from a cell's source; the mark stays only while the analyst leaves it."""
    source = without_prompt(source, box)
    match = _MARKER.match(source)
    if not match:
        return source, None
    month = datetime.datetime.strptime(match["month"], "%B %Y")
    return source[match.end():], f"{month:%Y-%m}"


@dataclass(frozen=True)
class Cell:
    """A commentary cell found in an executed notebook."""

    key: str
    source: str
    written: str | None  # fingerprint of what the last run wrote there (None: the analyst added the cell)
    by_exception: bool = False
    box: str | None = None  # the box the run wrote there, while the cell had no words


STORE_RECORD = "scrutiny_commentary"  # notebook metadata: fingerprints of the store's texts at the run


@dataclass(frozen=True)
class Harvest:
    """What an executed notebook holds: its commentary cells, and the store as the run saw it."""

    cells: dict[str, Cell]
    recorded: dict[str, str] | None  # key -> fingerprint of the store's text when the notebook was written
    unplaced: tuple[tuple[str, str], ...] = ()  # (text, after) of markdown cells that are not commentary cells

TEMPLATE_TAG = "template"  # a cell the notebook itself carries (not the analyst's words)
CELLS_MARKED = "scrutiny_cells_marked"  # notebook metadata: every cell the run wrote carries a tag
_RUN_TAGS = (TEMPLATE_TAG, "injected-parameters", "parameters")


def record_store(store: Store) -> dict[str, str]:
    return {key: fingerprint(cell_text(entry)) for key, entry in sorted(store.entries.items())}


def harvest(path: Path) -> Harvest:
    """Commentary cells by key from an executed notebook (nothing if there is none).

    A notebook that cannot be read is refused, not skipped: it may hold the analyst's words.
    """
    path = Path(path)
    if not path.exists():
        return Harvest({}, None)
    if not path.is_file():
        raise CommentaryError(f"{path}: should be the executed notebook but is not a file: move it aside and run "
                              "again. Nothing was changed.", file=str(path))
    try:
        return _harvest(nbformat.read(path, as_version=4))
    except (OSError, ValueError, KeyError, AttributeError, TypeError, nbformat.ValidationError) as exc:
        raise CommentaryError(
            f"{path}: cannot be read as a notebook ({type(exc).__name__}: {str(exc)[:200]}). It may hold commentary, "
            "so nothing was changed: repair it (or move it aside to start the month afresh) and run again.",
            file=str(path)) from None


def _harvest(nb) -> Harvest:
    """Every word in the notebook that the run did not write itself, by where it belongs.

    A cell tagged ``commentary:<key>`` is that key's text whatever its type (a stray key in
    Jupyter can turn markdown into code); a second cell with the same tag, and any other
    cell the run did not write (markdown, raw, or code in a notebook whose own cells are all
    tagged), is kept as unplaced text.
    """
    recorded = nb.metadata.get(STORE_RECORD)
    marked = bool(nb.metadata.get(CELLS_MARKED))
    found: dict[str, Cell] = {}
    unplaced: list[tuple[str, str]] = []
    after = "the start of the notebook"
    for cell in nb.cells:
        tags = [str(t) for t in cell.get("metadata", {}).get("tags", [])]
        source = str(cell.get("source", ""))
        keys = [t.removeprefix(COMMENTARY_PREFIX) for t in tags if t.startswith(COMMENTARY_PREFIX)]
        for key in keys:
            if key in found:  # a copy-and-pasted cell: both texts are kept
                if source.strip() and source != found[key].source:
                    unplaced.append((source, f"commentary:{key} (a second cell with the same tag)"))
                continue
            meta = cell.get("metadata", {}).get("scrutiny", {})
            found[key] = Cell(key, source, meta.get("written"), meta.get("by_exception", "written" not in meta),
                              meta.get("box") if isinstance(meta.get("box"), str) else None)
            after = f"commentary:{key}"
        if keys or not source.strip() or any(t in _RUN_TAGS or t.startswith("exception:") for t in tags):
            continue  # commentary, empty, or written by the run itself
        if cell.cell_type in ("markdown", "raw") or (cell.cell_type == "code" and marked):
            where = after if cell.cell_type == "markdown" else f"{after} (a {cell.cell_type} cell)"
            unplaced.append((source, where))
    return Harvest(found, dict(recorded) if isinstance(recorded, dict) else None, tuple(unplaced))


def editor() -> str:
    """Who is running: git's user.name, else the login name."""
    try:
        name = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    return name or os.environ.get("USER") or getpass.getuser()


def _is_placeholder(text: str, box: str | None = None) -> bool:
    return without_prompt(text, box).strip() in ("", PLACEHOLDER, AREA_PLACEHOLDER, SUMMARY_PLACEHOLDER)


def reconcile(store: Store, found: Harvest, who: str, when: str, known: set[str] | None = None,
              store_saved: str | None = None) -> Store:
    """The store with every edit made in the notebook since the last run; a conflict stops it.

    A cell was edited in the notebook when its text is not what the run wrote there; an
    entry was edited in the store when its text is not what the store held at that run
    (it is then attributed to ``who`` at ``store_saved``, the store file's save time).
    Text in markdown cells that are not commentary cells is kept as unplaced text.
    """
    if found.recorded is not None and store_saved:
        for key, entry in store.entries.items():
            if fingerprint(cell_text(entry)) != found.recorded.get(key):
                store = store.replace(key, entry.model_copy(update={"changed_by": who, "changed_at": store_saved}))
    kept = {fingerprint(u.text) for u in store.unplaced}
    extra = tuple(Unplaced(text=text, after=after, changed_by=who, changed_at=when)
                  for text, after in found.unplaced if fingerprint(text) not in kept)
    if extra:
        store = store.model_copy(update={"unplaced": store.unplaced + extra})
    conflicts = []
    for key, cell in sorted(found.cells.items()):
        entry = store.entries.get(key)
        stored = cell_text(entry) if entry else None
        edited_in_notebook = cell.written is None or fingerprint(cell.source) != cell.written
        if not edited_in_notebook or cell.source == stored:
            continue
        if found.recorded is not None:
            edited_in_store = entry is not None and fingerprint(stored) != found.recorded.get(key)
        else:  # a notebook from before the store recorded itself
            edited_in_store = entry is not None and (cell.written is None or fingerprint(stored) != cell.written)
        if edited_in_store:
            conflicts.append(key)
            continue
        if _is_placeholder(cell.source, cell.box) and entry is None:
            continue
        text, carried = from_cell(cell.source, cell.box)
        by_exception = (cell.by_exception and (known is None or key in known)) or (entry.by_exception if entry
                                                                                   else False)
        store = store.replace(key, Entry(text=text, changed_by=who, changed_at=when, carried_from=carried,
                                         by_exception=by_exception,
                                         acknowledged=entry.acknowledged if entry else ()))
    if conflicts:
        listed = ", ".join(f"commentary:{k}" for k in conflicts)
        raise CommentaryConflict(
            f"Commentary for {store.period} was edited both in the executed notebook and in "
            f"{Path('params') / 'commentary' / (store.period + '.yaml')} since the last run: {listed}. "
            "Nothing was changed. Keep the text you want in one place (copy it into the store, or undo the "
            "store's change) and run again.")
    return store


# --- planning the next run ----------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """What the next run writes: cells by key, and what is kept but not shown."""

    store: Store
    cells: dict[str, str]  # key -> cell source, in the order they appear
    kept: tuple[str, ...] = ()  # entries not shown this month (no longer below expectation)
    carried: tuple[str, ...] = ()
    by_exception: tuple[str, ...] = field(default=())
    known: frozenset[str] | None = None  # the ids commentary may be about (None: any)
    harvested: int = 0  # texts taken from the notebook into the store this run


def plan(store: Store, previous: Store | None, exceptions: list[str], who: str, when: str,
         known: set[str] | None = None, placeholder: str = PLACEHOLDER) -> Planned:
    """Cells for the summary, every exception (carried forward where last month had text), and by-exception ones."""
    carried = []
    for key in exceptions:
        if key in store.entries or previous is None:
            continue
        before = previous.entries.get(key)
        if before is not None and not _is_placeholder(before.text):
            store = store.replace(key, Entry(text=before.text, changed_by=who, changed_at=when,
                                             carried_from=previous.period))
            carried.append(key)
    cells = {SUMMARY: cell_text(store.entries[SUMMARY]) if SUMMARY in store.entries else SUMMARY_PLACEHOLDER}
    for key in exceptions:
        cells[key] = cell_text(store.entries[key]) if key in store.entries else placeholder
    extra = tuple(k for k, e in store.entries.items() if e.by_exception and k not in cells
                  and (known is None or k in known))
    for key in extra:
        cells[key] = cell_text(store.entries[key])
    kept = tuple(k for k in store.entries if k not in cells)
    return Planned(store, cells, kept, tuple(carried), extra, frozenset(known) if known is not None else None)


@dataclass(frozen=True)
class Status:
    """Where a month's commentary stands."""

    written: tuple[str, ...]
    carried: tuple[str, ...]
    missing: tuple[str, ...]
    kept: tuple[str, ...]
    by_exception: tuple[str, ...]

    small_numbers: tuple[tuple[str, str], ...] = ()  # (key, phrase) in public commentary, not acknowledged
    unknown: tuple[str, ...] = ()  # entries for no indicator of any catalogue (a mistyped tag?)
    unplaced: tuple[Unplaced, ...] = ()  # text kept from cells that are not commentary cells

    def problems_for_final(self, names: dict[str, str] | None = None) -> list[str]:
        """What stops a final paper, each naming the indicator as members know it ("Indicator 16: ...")."""
        names = names or {}

        def who(k):
            return f"{names[k]} (commentary:{k})" if k in names else f"commentary:{k}"

        return ([f"{who(k)}: no commentary written" for k in self.missing]
                + [f"commentary:{k}: no indicator has this id (a mistyped tag?): retag the cell or remove the entry"
                   for k in self.unknown]
                + [f"{who(k)}: still marked as carried forward (update it and delete the mark)"
                   for k in self.carried]
                + [f"{who(k)}: {phrase!r} puts a number from {SMALL_RANGE} next to words about children in the "
                   f"public paper: reword it, or add it under `acknowledged:` for {k} in the store once checked"
                   for k, phrase in self.small_numbers])


def status(store: Store, exceptions: list[str], public: set[str] | None = None,
           known: set[str] | frozenset[str] | None = None) -> Status:
    written, carried, missing = [], [], []
    for key in exceptions:
        entry = store.entries.get(key)
        if entry is None or _is_placeholder(entry.text):
            missing.append(key)
        elif entry.carried_from:
            carried.append(key)
        else:
            written.append(key)
    shown = set(exceptions) | {SUMMARY}
    unknown = tuple(k for k in store.entries if known is not None and k != SUMMARY and k not in known)
    by_exception = tuple(k for k, e in store.entries.items() if e.by_exception and k not in shown
                         and k not in unknown)
    kept = tuple(k for k in store.entries if k not in shown and k not in by_exception and k not in unknown)
    public = ({SUMMARY} | set(exceptions) | set(by_exception)) if public is None else public | {SUMMARY}
    flagged = tuple((k, phrase) for k in sorted(shown | set(by_exception)) if k in public and k in store.entries
                    for phrase in small_numbers(store.entries[k].text)
                    if phrase not in store.entries[k].acknowledged)
    return Status(tuple(written), tuple(carried), tuple(missing), kept, by_exception, flagged, unknown,
                  store.unplaced)


def check_readable(root: Path, key: str, notebook: Path, previous: str | None = None) -> None:
    """Refuse now, before any computing, a store or notebook that cannot be read (they are read again later)."""
    load_store(root, key)
    if previous:
        load_store(root, previous)
    harvest(notebook)


def prepare_commentary(root: Path, key: str, exceptions: list[str], notebook: Path, final: bool = False,
                       public: set[str] | None = None, previous: str | None = None,
                       known: set[str] | None = None, names: dict[str, str] | None = None,
                       placeholder: str = PLACEHOLDER) -> Planned:
    """Harvest, reconcile, carry forward and save: the store is complete before the run writes anything.

    ``key`` names the store (a month, ``2023-11``, or a plan update, ``plan-2023-24-2024-03-31``);
    ``previous`` names the store whose texts are carried forward (last month's), if any.
    Raises :class:`CommentaryConflict` (nothing changed) or, for a final run that is not
    ready, :class:`CommentaryError` listing what is wrong (the store is saved first).
    """
    who = editor()
    store = load_store(root, key)
    before = store
    path = store_path(root, key)
    if Path(notebook).exists():
        store = reconcile(store, harvest(notebook), who, modified_at(notebook), known,
                          modified_at(path) if path.exists() else None)
    harvested = sum(1 for k, e in store.entries.items() if before.entries.get(k, None) is None
                    or before.entries[k].text != e.text) + len(store.unplaced) - len(before.unplaced)
    planned = plan(store, load_store(root, previous) if previous else None, exceptions, who, now(), known,
                   placeholder)
    planned = replace(planned, harvested=harvested)
    if planned.store.entries or planned.store.unplaced or path.exists():  # no empty files for untouched months
        save_store(root, planned.store)
    if final:
        problems = status(planned.store, exceptions, public, known).problems_for_final(names)
        if problems:
            raise CommentaryError(f"{key} cannot be final yet:\n  " + "\n  ".join(problems)
                                  + "\nNothing was written; the commentary store is up to date.")
    return planned


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()


def modified_at(path: Path) -> str:
    """When a file was last saved (UTC, seconds), for attributing what was harvested from it."""
    stamp = datetime.datetime.fromtimestamp(Path(path).stat().st_mtime, datetime.timezone.utc)
    return stamp.replace(microsecond=0).isoformat()


def known_ids(root: Path, catalogue) -> set[str]:
    """The ids commentary may be about: every indicator of any catalogue in the project, and the summary."""
    from ..config.catalogue import load_catalogue

    ids = {d.id for d in catalogue.indicators} | {SUMMARY}
    folder = Path(root) / "params" / "catalogue"
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
        try:
            ids |= {d.id for d in load_catalogue(path).indicators}
        except ConfigError:  # a broken old catalogue names no ids; the current one is checked elsewhere
            continue
    return ids
