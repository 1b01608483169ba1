"""A damaged project file under params/ stops `scrutiny run` (or `scrutiny plan`) with one clear message.

Each case copies a project that has already run the demo month for real, damages one file
under its ``params/`` (the month's parameters, the catalogue, the improvement plan, the
commentary store), runs the command in-process and checks, through ``refused``: a non-zero
exit, no traceback, nothing under ``outputs/`` or ``params/`` changed, and a message that
names the file and the key (or, for a file that cannot be read at all, the line or why).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import pytest
import yaml
from builders import ROOT, copy_project, refused

pytestmark = pytest.mark.e2e

RUN = ["run", "2023-11"]
PLAN = ["plan", "2023-24", "--as-at", "2024-03-31"]
PARAMS = "params/2023-11.yaml"
CATALOGUE = "params/catalogue/2023-24.yaml"
EARLIER = "params/catalogue/2022-23.yaml"
PLAN_FILE = "params/improvement_plan/2023-24.yaml"
STORE = "params/commentary/2023-11.yaml"

BOMB = "\n".join(['lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
                 + [f"lol{k}: &l{k} [{', '.join([f'*l{k - 1}'] * 9)}]" for k in range(1, 9)]) + "\n"


def own(root: Path, relative: str) -> Path:
    """The file in the copy, with any linked folder on its way made a real copy first.

    In a copy of this repository ``params/catalogue`` links back into ``scrutiny/starter``:
    writing through the link would damage the repository itself.
    """
    path = root / relative
    folder = root
    for part in Path(relative).parts[:-1]:
        folder = folder / part
        if folder.is_symlink():
            target = folder.resolve()
            folder.unlink()
            shutil.copytree(target, folder)
    assert not any(p.is_symlink() for p in [path, *path.parents] if p.is_relative_to(root) and p != root)
    return path


def replace(relative: str, old: str, new: str, count: int = 1):
    def damage(root: Path):
        path = own(root, relative)
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {relative}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")
    return damage


def append(relative: str, text: str):
    def damage(root: Path):
        path = own(root, relative)
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return damage


def prepend(relative: str, text: str):
    def damage(root: Path):
        path = own(root, relative)
        path.write_text(text + path.read_text(encoding="utf-8"), encoding="utf-8")
    return damage


def edit(relative: str, change):
    """Change the file's data (through safe_load and safe_dump)."""
    def damage(root: Path):
        path = own(root, relative)
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(raw, root)
        path.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return damage


def indicator(ident: str, **change):
    return edit(CATALOGUE, lambda raw, root: next(e for e in raw["indicators"] if e["id"] == ident).update(change))


def swap(relative: str, make):
    """Replace the file by something that is not a readable YAML file."""
    def damage(root: Path):
        path = own(root, relative)
        path.unlink()
        make(path)
    return damage


def outside_catalogue(raw, root):
    other = root.parent / "other-project" / "params" / "catalogue" / "2023-24.yaml"
    other.parent.mkdir(parents=True)
    shutil.copyfile(root / CATALOGUE, other)
    raw["catalogue"] = str(other)


def benchmarks_elsewhere(raw, root):
    shutil.copyfile(root / "params" / "benchmarks" / "E09000006.csv", root / "data" / "E09000006.csv")
    raw["benchmarks"] = "data/E09000006.csv"


def bad_store(root):
    path = own(root, STORE)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("period: '2023-11'\nentries:\n  cla_rate:\n    text: Rising.\n  cla_rate:\n    text: Falling.\n")


def update(area: int, action: int, status):
    return edit(PLAN_FILE, lambda raw, root: raw["areas"][area]["actions"][action]["updates"][0].update(status=status))


# (id, command, damage, what the one message must say: the file first, then the key and the problem)
CASES = [
    # the month's parameters
    ("params-duplicate-key", RUN, append(PARAMS, "population: 61500\n"),
     [PARAMS, "the key 'population' is given twice (first on line"]),
    ("params-period-mismatch", RUN, replace(PARAMS, "period: 2023-11", "period: 2023-10"),
     [PARAMS, "  period: the period is 2023-10 but the file is for 2023-11"]),
    ("params-alias-bomb", RUN, prepend(PARAMS, BOMB), [PARAMS + ", line 1:", "anchors and aliases"]),
    ("params-alias", RUN, replace(PARAMS, "population: ons", "population: &p ons\nchildren: *p"),
     [PARAMS + ", line 4:", "anchors and aliases"]),
    ("params-typo", RUN, replace(PARAMS, "population: ons", "populaton: ons"), [PARAMS, "populaton: unknown key"]),
    ("params-catalogue-other-project", RUN, edit(PARAMS, outside_catalogue),
     [PARAMS, "  catalogue: '", "other-project/params/catalogue/2023-24.yaml' is not in the project's params/"]),
    ("params-catalogue-escapes", RUN, replace(PARAMS, f"catalogue: {CATALOGUE}", "catalogue: ../../etc/2023-24.yaml"),
     [PARAMS, "  catalogue: '../../etc/2023-24.yaml': no such file"]),
    ("params-catalogue-wrong-year", RUN, replace(PARAMS, f"catalogue: {CATALOGUE}", f"catalogue: {EARLIER}"),
     [PARAMS, f"  catalogue: '{EARLIER}' is the catalogue for 2022-23, but 2023-11 is in the financial year 2023-24"]),
    ("params-catalogue-not-a-year", RUN, replace(PARAMS, f"catalogue: {CATALOGUE}", f"catalogue: {PARAMS}"),
     [PARAMS, f"  catalogue: '{PARAMS}' is not in the project's params/catalogue/ folder"]),
    ("params-benchmarks-elsewhere", RUN, edit(PARAMS, benchmarks_elsewhere),
     [PARAMS, "  benchmarks: 'data/E09000006.csv' is not in the project's params/benchmarks/ folder"]),
    ("params-data-missing", RUN, replace(PARAMS, "data: data/demo", "data: data/demo-december"),
     [PARAMS, "  data: 'data/demo-december': no such folder"]),
    ("params-data-a-file", RUN, replace(PARAMS, "data: data/demo", "data: data/demo/header.csv"),
     [PARAMS, "  data: 'data/demo/header.csv' is not a folder"]),
    ("params-published", RUN, replace(PARAMS, "published: null", "published: outputs/elsewhere.json"),
     [PARAMS, "  published: 'outputs/elsewhere.json': the ledger of published figures is always"]),
    ("params-population-yes", RUN, replace(PARAMS, "population: ons", "population: yes"),
     [PARAMS, "  population: true is not a population"]),
    ("params-impossible-date", RUN, replace(PARAMS, "meeting_date: '2024-01-04'", "meeting_date: 2024-02-30"),
     [PARAMS + ", line", "'2024-02-30' is not a date"]),
    ("params-not-utf8", RUN, lambda root: own(root, PARAMS).write_bytes(
        own(root, PARAMS).read_bytes().replace(b"All Wards", b"All W\xe4rds")),
     [PARAMS + ", line", "not UTF-8 text (byte 0xe4)"]),
    ("params-tab", RUN, replace(PARAMS, "  ward: All Wards", "\tward: All Wards"),
     [PARAMS + ", line", "not valid YAML"]),
    ("params-too-deep", RUN, append(PARAMS, "notes: " + "[" * 60 + "]" * 60 + "\n"),
     [PARAMS + ", line", "nested more than 40 levels deep"]),
    ("params-a-folder", RUN, swap(PARAMS, lambda p: p.mkdir()), [PARAMS, "is a folder, not a file"]),
    ("params-a-fifo", RUN, swap(PARAMS, os.mkfifo), [PARAMS, "not a regular file"]),
    ("params-too-large", RUN, append(PARAMS, "# " + "x" * (6 * 1024 * 1024) + "\n"),
     [PARAMS, "too large for a project file (the limit is 5 MB)"]),
    # the year's catalogue, and an earlier year's that the trends read
    ("catalogue-percent-target", RUN, indicator("cla_placement_stability_long", target=120),
     [CATALOGUE, "indicator cla_placement_stability_long, field target: 120 is above 100"]),
    ("catalogue-percent-tolerance", RUN, indicator("cla_missing", tolerance=150),
     [CATALOGUE, "indicator cla_missing, field tolerance: 150 is above 100"]),
    ("catalogue-percent-range", RUN, indicator("cla_s20_older_starters", range={"low": 15.0, "high": 130.0}),
     [CATALOGUE, "indicator cla_s20_older_starters, field range: high 130 is above 100"]),
    ("catalogue-nan", RUN, replace(CATALOGUE, "    target: 70\n", "    target: .nan\n"),
     [CATALOGUE, "indicator cla_placement_stability_long, field target: Input should be a finite number"]),
    ("catalogue-inf", RUN, indicator("cla_missing", tolerance=float("inf")),
     [CATALOGUE, "indicator cla_missing, field tolerance: Input should be a finite number"]),
    ("catalogue-negative-tolerance", RUN, indicator("cla_missing", tolerance=-2.0),
     [CATALOGUE, "indicator cla_missing, field tolerance: Input should be greater than or equal to 0"]),
    ("catalogue-duplicate-key", RUN, replace(CATALOGUE, "    target: 70\n", "    target: 70\n    target: 75\n"),
     [CATALOGUE + ", line", "the key 'target' is given twice"]),
    ("catalogue-year-mismatch", RUN, replace(CATALOGUE, 'year: "2023-24"', 'year: "2022-23"'),
     [CATALOGUE, "field year: the year is 2022-23 but the file is for 2023-24"]),
    ("catalogue-alias-bomb", RUN, prepend(CATALOGUE, BOMB), [CATALOGUE + ", line 1:", "anchors and aliases"]),
    ("earlier-catalogue-duplicate-key", RUN, replace(EARLIER, 'year: "2022-23"', 'year: "2022-23"\nyear: "2021-22"'),
     [EARLIER + ", line", "the key 'year' is given twice"]),
    # the commentary store
    ("store-duplicate-key", RUN, bad_store,
     [STORE + ", line 5:", "the key 'cla_rate' is given twice (first on line 3)"]),
    # the improvement plan
    ("plan-year-mismatch", PLAN, replace(PLAN_FILE, "year: 2023-24", "year: 2024-25"),
     [PLAN_FILE, "  year: the year is 2024-25 but the file is for 2023-24"]),
    ("plan-duplicate-key", PLAN, replace(PLAN_FILE, "title: CHILDREN'S", "title: PLAN\ntitle: CHILDREN'S"),
     [PLAN_FILE + ", line", "the key 'title' is given twice"]),
    ("plan-nan-split", PLAN, update(0, 0, {"achieved": float("nan"), "significant progress": 0.5}),
     [PLAN_FILE, "action 1.1, updates.0.status: achieved: nan is not a share of the action"]),
    ("plan-alias-bomb", PLAN, prepend(PLAN_FILE, BOMB), [PLAN_FILE + ", line 1:", "anchors and aliases"]),
]


def _starter_digest() -> str:
    found = hashlib.sha256()
    for path in sorted((ROOT / "scrutiny" / "starter").rglob("*")):
        if path.is_file():
            found.update(str(path).encode() + path.read_bytes())
    return found.hexdigest()


@pytest.mark.parametrize("argv, damage, words", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_damaged_project_file_is_refused_naming_file_and_key(demo_project, tmp_path, capsys, never_hang,
                                                              argv, damage, words):
    starter = _starter_digest()
    root = copy_project(demo_project[0], tmp_path / "project")
    damage(root)
    start = time.perf_counter()
    err = refused(root, argv, capsys)
    elapsed = time.perf_counter() - start
    assert _starter_digest() == starter, "a case wrote through a link into the repository's starter files"
    assert str(root / words[0]) in err, err  # the file, by its path
    for word in words[1:]:
        assert word in err, err
    assert len(err.strip().splitlines()) <= 3, err  # one message: a line, or the file and its problems
    assert elapsed < 30, f"refused only after {elapsed:.1f} s"


def test_there_are_at_least_twenty_cases():
    assert len(CASES) >= 20 and len({c[0] for c in CASES}) == len(CASES)


def test_a_linked_params_folder_is_copied_before_it_is_damaged(tmp_path):
    """As in a copy of this repository, whose params/catalogue links to scrutiny/starter/catalogue."""
    starter = _starter_digest()
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "catalogue").symlink_to(ROOT / "scrutiny" / "starter" / "catalogue")
    replace(CATALOGUE, 'year: "2023-24"', 'year: "2022-23"')(tmp_path)
    assert not (tmp_path / "params" / "catalogue").is_symlink()
    assert 'year: "2022-23"' in (tmp_path / CATALOGUE).read_text()
    assert (tmp_path / EARLIER).read_bytes() == (ROOT / "scrutiny" / "starter" / EARLIER.removeprefix("params/")
                                                 ).read_bytes()
    assert _starter_digest() == starter
