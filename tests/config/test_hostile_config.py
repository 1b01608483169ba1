"""Hostile project files: every bad YAML, number, name or path is one clear refusal naming the file and key."""

from __future__ import annotations

import os
import re
import shutil
import time
import tracemalloc
from pathlib import Path

import pytest
import yaml
from builders import CATALOGUE, PARAMS, ROOT, new_project

from scrutiny.config.catalogue import load_catalogue
from scrutiny.config.params import load_params, validate_params
from scrutiny.config.plan import load_plan
from scrutiny.config.yaml_files import MAX_BYTES, read_yaml
from scrutiny.errors import CatalogueError, CommentaryError, ConfigError, ParamsError, PlanError

PLAN = ROOT / "params" / "improvement_plan" / "2023-24.yaml"

BILLION_LAUGHS = "\n".join(
    [f'{chr(97)}: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(97 + k)}: &{chr(97 + k)} [{','.join(['*' + chr(96 + k)] * 9)}]" for k in range(1, 9)]) + "\n"


@pytest.fixture(autouse=True)
def _quick(never_hang):
    """A refusal is quick: a case that blocks (a FIFO opened for reading) fails instead of hanging."""
    yield


def refuse(path, error=ConfigError) -> ConfigError:
    with pytest.raises(error) as info:
        read_yaml(path, error, "not found")
    assert str(path) in str(info.value) and info.value.file == str(path)
    return info.value


# --- reading YAML ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text, words, line, key", [
    ("a: 1\nb: 2\na: 3\n", "the key 'a' is given twice (first on line 1): keep one", 3, "a"),
    ("cover:\n  ward: x\n  title: t\n  ward: y\n", "the key 'ward' is given twice (first on line 2)", 4, "ward"),
    ("- {id: x, id: y}\n", "the key 'id' is given twice", 1, "id"),
    ("b:\n  <<: {x: 1}\n  x: 2\n", "the key 'x' is given twice", 3, "x"),
    ("a: &x [1]\nb: *x\n", "YAML anchors and aliases (&name, *name) are not allowed", 1, None),
    ("a: 1\nb: &x 2\n", "YAML anchors and aliases", 2, None),
    ("a: [" + "[" * 100 + "]" * 101 + "\n", "nested more than 40 levels deep", 1, None),
    ("a: 1\nd: 2024-02-30\n", "'2024-02-30' is not a date: day is out of range for month", 2, None),
    ("n: 1" + "0" * 5000 + "\n", "cannot be read as int: Exceeds the limit (4300 digits)", 1, None),
    ("a: 1\nd: !!timestamp hello\n", "'hello' is not a date", 2, None),
    ("d: !!bool maybe\n", "'maybe' cannot be read as bool", 1, None),
    ("d: !!set [1]\n", "expected a mapping, but found sequence", 1, None),
    ("a: 1\n b: 2\n", "not valid YAML: mapping values are not allowed here", 2, None),
    ("a:\n\tb: 1\n", "not valid YAML: found character '\\t' that cannot start any token", 2, None),
    ("a: 1\nb: [1, 2\nc: 3\n", "not valid YAML: while parsing a flow sequence (line 2)", 3, None),
    ("a: 1\n---\nb: 2\n", "not valid YAML: expected a single document in the stream", 2, None),
    ("a: 1\nb: x\x00y\n", "not valid YAML: the character U+0000 is not allowed", 2, None),
    ("a: !!python/object/apply:os.system [ls]\n", "could not determine a constructor", 1, None),
])
def test_bad_yaml_is_refused_with_file_line_and_key(tmp_path, text, words, line, key):
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    err = refuse(path)
    assert f"{path}, line {line}: " in str(err) and words in str(err)
    assert (err.row, err.key) == (line, key)


def test_good_yaml_reads_as_safe_load_does(tmp_path):
    text = "a: 1\nb: [1, {c: 2024-02-29}]\nd: {e: null, f: 'x'}\n"
    (tmp_path / "f.yaml").write_text("\ufeff" + text, encoding="utf-8")  # a byte order mark is fine
    assert read_yaml(tmp_path / "f.yaml", ConfigError, "x") == yaml.safe_load(text)
    (tmp_path / "e.yaml").write_text("")
    assert read_yaml(tmp_path / "e.yaml", ConfigError, "x") is None


def test_a_billion_laughs_is_refused_at_once_without_memory(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(BILLION_LAUGHS)
    assert yaml.compose(BILLION_LAUGHS) is not None  # the bomb is valid YAML: only the reader stops it
    tracemalloc.start()
    start = time.perf_counter()
    err = refuse(path)
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert f"{path}, line 1: YAML anchors and aliases" in str(err)
    assert elapsed < 0.05 and peak < 2_000_000


@pytest.mark.parametrize("make, words", [
    (lambda p: p.mkdir(), "is a folder, not a file"),
    (lambda p: os.mkfifo(p), "not a regular file"),
    (lambda p: p.symlink_to("/dev/zero"), "not a regular file"),
    (lambda p: p.symlink_to(p), "cannot be read (Too many levels of symbolic links)"),
    (lambda p: p.write_bytes(b"a: caf\xe9\n"), "line 1: not UTF-8 text (byte 0xe9): save the file as UTF-8"),
    (lambda p: p.write_text("a: 1\n", encoding="utf-16"), "line 1: not UTF-8 text (byte 0xff)"),
    (lambda p: os.truncate(p.write_bytes(b"") or p, MAX_BYTES + 1),
     "is too large for a project file (the limit is 5 MB)"),
    (lambda p: None, "not found"),
])
def test_a_path_that_is_not_a_small_utf8_file_is_refused_before_it_is_read(tmp_path, make, words):
    path = tmp_path / "2023-11.yaml"
    make(path)
    start = time.perf_counter()
    err = refuse(path)
    assert words in str(err) and time.perf_counter() - start < 1


def test_a_fifo_swapped_in_after_the_check_does_not_block(tmp_path, monkeypatch):
    from scrutiny.config import yaml_files

    path = tmp_path / "f.yaml"
    path.write_text("a: 1\n")
    real_stat = os.stat

    def stat_then_swap(p, *a, **k):  # the file is checked, then replaced by a FIFO before it is opened
        found = real_stat(p, *a, **k)
        if Path(p) == path:
            path.unlink()
            os.mkfifo(path)
        return found

    monkeypatch.setattr(yaml_files.os, "stat", stat_then_swap)
    assert "not a regular file" in str(refuse(path))


@pytest.mark.parametrize("error", [ParamsError, CatalogueError, PlanError, CommentaryError])
def test_every_project_file_reader_refuses_the_same_way(tmp_path, error):
    path = tmp_path / "x.yaml"
    path.write_text("period: 2023-11\nperiod: 2023-12\n")
    err = refuse(path, error)
    assert type(err) is error and err.key == "period"


# --- the catalogue ----------------------------------------------------------------------------------


def _catalogue(tmp_path, change, name="2023-24.yaml") -> CatalogueError:
    raw = yaml.safe_load(CATALOGUE.read_text())
    change(raw)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(raw))
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert str(info.value).startswith(f"{path}: the catalogue is not valid:\n")
    return info.value


NAN, INF = float("nan"), float("inf")


def _entry(number, **change):
    return lambda raw: raw["indicators"][number].update(change)


LONG = "indicator cla_placement_stability_long, field"  # a percentage with a target
FINITE = "Input should be a finite number"


@pytest.mark.parametrize("change, line, key", [
    (_entry(1, target=120), f"{LONG} target: 120 is above 100, and the indicator is a percentage (0 to 100)",
     "indicators.1.target"),
    (_entry(1, target=100), None, None),  # 100% is a fair target
    (_entry(1, tolerance=150), f"{LONG} tolerance: 150 is above 100", "indicators.1.tolerance"),
    (_entry(1, tolerance=-1), f"{LONG} tolerance: Input should be greater than or equal to 0",
     "indicators.1.tolerance"),
    (_entry(1, target=-5), f"{LONG} target: -5 is below 0, which no indicator can be", "indicators.1.target"),
    (_entry(1, target=NAN), f"{LONG} target: {FINITE}", "indicators.1.target"),
    (_entry(1, tolerance=INF), f"{LONG} tolerance: {FINITE}", "indicators.1.tolerance"),
    (_entry(1, target=-INF), f"{LONG} target: {FINITE}", "indicators.1.target"),
    (_entry(0, range={"low": 40.0, "high": NAN}), f"indicator cla_rate, field range.high: {FINITE}",
     "indicators.0.range.high"),
    (_entry(0, range={"low": 40.0, "high": 250.0}), None, None),  # a rate per 10,000 may pass 100
    (_entry(0, range={"low": -1.0, "high": 50.0}), "indicator cla_rate, field range: low -1 is below 0",
     "indicators.0.range"),
    (lambda raw: next(e for e in raw["indicators"] if e["id"] == "cla_s20_older_starters").update(
        range={"low": 15.0, "high": 101.0}),
     "indicator cla_s20_older_starters, field range: high 101 is above 100, and the indicator is a percentage",
     None),
    (lambda raw: raw.update(year="2023-25"), "\n  field year: '2023-25' is not a financial year", "year"),
    (lambda raw: raw.update(year="2022-23"), "\n  field year: the year is 2022-23 but the file is for 2023-24", "year"),
])
def test_catalogue_numbers_a_percentage_cannot_take_are_refused(tmp_path, change, line, key):
    if line is None:
        raw = yaml.safe_load(CATALOGUE.read_text())
        change(raw)
        (tmp_path / "2023-24.yaml").write_text(yaml.safe_dump(raw))
        load_catalogue(tmp_path / "2023-24.yaml")
        return
    err = _catalogue(tmp_path, change)
    assert line in str(err)
    if key:
        assert err.key == key


def test_nan_written_as_yaml_is_refused(tmp_path):
    text = CATALOGUE.read_text().replace("    target: 70\n", "    target: .nan\n", 1)
    (tmp_path / "2023-24.yaml").write_text(text)
    with pytest.raises(CatalogueError, match="cla_placement_stability_long, field target: Input should be a finite"):
        load_catalogue(tmp_path / "2023-24.yaml")


def test_the_shipped_catalogues_hold_the_year_they_are_named_for():
    for path in sorted((ROOT / "scrutiny" / "starter" / "catalogue").glob("*.yaml")):
        assert load_catalogue(path).year == path.stem


# --- period parameters ------------------------------------------------------------------------------


def project(tmp_path, link=False, **change) -> Path:
    """A project with the month's params (``change`` applied) and an extract folder; its params file."""
    root = tmp_path / "p"
    if link:  # as in this repository: params/catalogue and params/benchmarks link to the starter files
        (root / "params").mkdir(parents=True)
        for folder in ("catalogue", "benchmarks"):
            (root / "params" / folder).symlink_to(ROOT / "scrutiny" / "starter" / folder)
    else:
        new_project(root)
    (root / "data" / "demo").mkdir(parents=True)
    path = root / "params" / "2023-11.yaml"
    path.write_text(yaml.safe_dump({**PARAMS, "benchmarks": "params/benchmarks/E09000006.csv", **change}))
    return path


def refused_params(path: Path) -> ParamsError:
    with pytest.raises(ParamsError) as info:
        load_params(path)
    assert str(path) in str(info.value) and info.value.file == str(path)
    return info.value


@pytest.mark.parametrize("link", [False, True])
def test_the_demo_layout_is_accepted_links_or_not(tmp_path, link):
    path = project(tmp_path, link=link)
    params = load_params(path)
    starter = ROOT / "scrutiny" / "starter" / "catalogue" / "2023-24.yaml"
    assert Path(params.catalogue) == (starter if link else path.parent / "catalogue" / "2023-24.yaml").resolve()
    assert Path(params.benchmarks).name == "E09000006.csv" and Path(params.data).is_dir()


def test_data_may_be_outside_the_project(tmp_path):
    extract = tmp_path / "secure" / "extract-2023-11"
    extract.mkdir(parents=True)
    assert load_params(project(tmp_path, data=str(extract))).data == str(extract)


def test_a_period_that_is_not_the_files_is_refused_naming_both(tmp_path):
    path = project(tmp_path, period="2023-10")
    err = refused_params(path)
    assert str(err) == (f"{path}: the parameters are not valid:\n"
                        "  period: the period is 2023-10 but the file is for 2023-11")
    assert err.key == "period"


@pytest.mark.parametrize("name", ["november.yaml", "2023-13.yaml", "2023-11.yml", "2023-11.yaml.bak"])
def test_a_params_file_is_named_for_its_month(tmp_path, name):
    path = project(tmp_path)
    moved = path.rename(path.with_name(name))
    err = refused_params(moved)
    assert "is named for its month, YYYY-MM.yaml" in str(err) and repr(name) in str(err)


def _elsewhere(tmp_path) -> str:
    other = tmp_path / "other" / "2023-24.yaml"
    other.parent.mkdir()
    shutil.copyfile(CATALOGUE, other)
    return str(other)


@pytest.mark.parametrize("change, key, words", [
    ({"data": "data/nowhere"}, "data", "'data/nowhere': no such folder"),
    ({"data": "params/2023-11.yaml"}, "data", "'params/2023-11.yaml' is not a folder"),
    ({"data": "data/\x00demo"}, "data", "is not a path: it holds a control character"),
    ({"data": ""}, "data", "String should have at least 1 character"),
    ({"catalogue": "params/catalogue/2022-23.yaml"}, "catalogue",
     "'params/catalogue/2022-23.yaml' is the catalogue for 2022-23, but 2023-11 is in the financial year 2023-24"),
    ({"catalogue": "params/catalogue/2024-25.yaml"}, "catalogue", "'params/catalogue/2024-25.yaml': no such file"),
    ({"catalogue": "params/catalogue"}, "catalogue", "'params/catalogue': no such file"),
    ({"catalogue": "params/catalogue/../../../other/2023-24.yaml"}, "catalogue",
     "is not in the project's params/catalogue/ folder"),
    ({"catalogue": "ELSEWHERE"}, "catalogue", "is not in the project's params/catalogue/ folder"),
    ({"catalogue": "params/2023-11.yaml"}, "catalogue", "is not in the project's params/catalogue/ folder"),
    ({"catalogue": "params/catalogue/current.yaml"}, "catalogue", "a catalogue is named for its financial year"),
    ({"benchmarks": "params/benchmarks/E09000007.csv"}, "benchmarks", "no such file (make it with"),
    ({"benchmarks": "params/catalogue/2023-24.yaml"}, "benchmarks", "not in the project's params/benchmarks/ folder"),
    ({"benchmarks": "params/benchmarks/notes.txt"}, "benchmarks", "is not a CSV table"),
    ({"published": "/tmp/ledger.json"}, "published", "the ledger of published figures is always outputs/published"),
    ({"population": True}, "population", "true is not a population"),
    ({"population": 61500.5}, "population", "61500.5 is not a population: give the number of children aged 0-17"),
    ({"population": "61,500"}, "population", "'61,500' is not a population"),
])
def test_paths_and_values_in_the_params_are_refused_naming_the_key_and_value(tmp_path, change, key, words):
    elsewhere = _elsewhere(tmp_path)  # tmp_path/other/2023-24.yaml: a good catalogue, in the wrong place
    if change.get("catalogue") == "ELSEWHERE":
        change = {"catalogue": elsewhere}
    path = project(tmp_path, **change)
    (path.parent / "catalogue" / "current.yaml").write_text(CATALOGUE.read_text())
    (path.parent / "benchmarks" / "notes.txt").write_text("notes")
    err = refused_params(path)
    assert f"\n  {key}: " in str(err) and words in str(err), str(err)
    assert err.key == key
    value = change[key]
    if isinstance(value, str) and value and "\x00" not in value:
        assert repr(value) in str(err)  # the value as the user wrote it


def test_every_path_problem_is_listed_at_once(tmp_path):
    err = refused_params(project(tmp_path, period="2023-10", data="nowhere", catalogue="params/catalogue/x.yaml"))
    assert re.findall(r"^  (\w+):", str(err), re.MULTILINE) == ["period", "data", "catalogue"]


def test_a_catalogue_folder_reached_through_a_loop_of_links_is_refused(tmp_path):
    path = project(tmp_path, catalogue="params/loop/2023-24.yaml")
    (path.parent / "loop").symlink_to(path.parent / "loop")
    assert "'params/loop/2023-24.yaml': no such file" in str(refused_params(path))


def test_a_bad_date_in_the_params_file_names_its_line(tmp_path):
    path = project(tmp_path)
    path.write_text(path.read_text().replace("meeting_date: '2024-02-01'", "meeting_date: 2024-02-30"))
    err = refused_params(path)
    line = path.read_text().splitlines().index("  meeting_date: 2024-02-30") + 1
    assert f"{path}, line {line}: '2024-02-30' is not a date" in str(err)


def test_the_notebook_still_validates_absolute_paths_without_a_project(tmp_path):
    params = validate_params({**PARAMS, "data": str(tmp_path), "catalogue": str(CATALOGUE)}, "notebook parameters")
    assert params.catalogue == str(CATALOGUE)
    with pytest.raises(ParamsError, match="notebook parameters: the parameters are not valid"):
        validate_params({**PARAMS, "populaton": 1}, "notebook parameters")


# --- the improvement plan ---------------------------------------------------------------------------


def _plan(tmp_path, change, name="2023-24.yaml") -> PlanError:
    raw = yaml.safe_load(PLAN.read_text())
    change(raw)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    with pytest.raises(PlanError) as info:
        load_plan(path)
    assert str(path) in str(info.value)
    return info.value


def _split(value):
    return lambda raw: raw["areas"][0]["actions"][0]["updates"][0].update(status=value)


@pytest.mark.parametrize("change, name, words, key", [
    (lambda raw: raw.update(year="2024-25"), "2023-24.yaml", "  year: the year is 2024-25 but the file is for 2023-24",
     "year"),
    (lambda raw: None, "2024-25.yaml", "  year: the year is 2023-24 but the file is for 2024-25", "year"),
    (lambda raw: raw.update(year="2023-2024"), "2023-24.yaml", "year: '2023-2024' is not a financial year", "year"),
    (lambda raw: None, "plan.yaml", "an improvement plan file is named for its financial year, YYYY-YY.yaml", "year"),
    (_split({"achieved": NAN, "significant progress": 0.5}), "2023-24.yaml",
     "action 1.1, updates.0.status: achieved: nan is not a share of the action", "areas.0.actions.0.updates.0.status"),
    (_split({"achieved": INF, "significant progress": -INF}), "2023-24.yaml", "achieved: inf is not a share", None),
    (_split({"achieved": True}), "2023-24.yaml", "achieved: True is not a share", None),
    (_split({"achieved": 0.5, "done": 0.5}), "2023-24.yaml", "'done' is not a status: use 'achieved'", None),
    (_split("nearly done"), "2023-24.yaml", "action 1.1, updates.0.status: 'nearly done' is not a status", None),
])
def test_plan_year_and_numbers(tmp_path, change, name, words, key):
    err = _plan(tmp_path, change, name)
    assert words in str(err) and len(str(err).splitlines()) == (1 if name == "plan.yaml" else 2), str(err)
    if key:
        assert err.key == key


def test_the_shipped_plan_holds_its_year():
    assert load_plan(PLAN).year == PLAN.stem
