"""A damaged or hostile extract stops `scrutiny run` with one clear message, before papermill starts.

Each case copies a project that has already run the demo month for real, damages the
extract its parameters point to (``data/demo``), runs ``scrutiny run 2023-11`` in-process
and checks, through ``refused``: a non-zero exit, no traceback, nothing under ``outputs/``
or ``params/`` changed, and a message naming the file and, where there is one, the row
(as a spreadsheet numbers it: the header is row 1) and the column; for a problem with
the folder itself, the folder.
"""

from __future__ import annotations

import csv
import errno
import io
import os
import time
from pathlib import Path

import pytest
from builders import copy_project, refused

pytestmark = pytest.mark.e2e

RUN = ["run", "2023-11"]
DATA = Path("data") / "demo"
PLAUSIBLE = "is not a plausible date (expected 01/01/1900 to 31/12/2100"
TOO_LONG = "holds a value longer than 131,072 characters"


def set_cell(name: str, row: int, column: str, value: str):
    """Damage: put ``value`` in ``column`` of spreadsheet row ``row`` of file ``name``."""

    def damage(folder: Path, monkeypatch=None) -> None:
        path = folder / name
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
        rows[row - 1][rows[0].index(column)] = value
        with open(path, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)

    return damage


def edit_bytes(name: str, change):
    def damage(folder: Path, monkeypatch=None) -> None:
        path = folder / name
        path.write_bytes(change(path.read_bytes()))

    return damage


def replace_with(name: str, make):
    """Damage: remove the file and put ``make(path)`` in its place."""

    def damage(folder: Path, monkeypatch=None) -> None:
        path = folder / name
        path.unlink()
        make(path)

    return damage


def chmod_000(name: str):
    def damage(folder: Path, monkeypatch=None) -> None:
        (folder / name).chmod(0)

    return damage


def denied(name: str):
    """Damage, simulated: opening ``name`` fails with EACCES (as root, chmod 000 stops no one reading)."""

    def damage(folder: Path, monkeypatch=None) -> None:
        from scrutiny.data import reading

        real_open = reading._open

        def refuse(path):
            if Path(path).name == name:
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return real_open(path)

        monkeypatch.setattr(reading, "_open", refuse)

    return damage


def line(row: int, change):
    """A bytes change applied to line ``row`` (1 = the header)."""

    def apply(data: bytes) -> bytes:
        lines = data.split(b"\n")
        lines[row - 1] = change(lines[row - 1])
        return b"\n".join(lines)

    return apply


def both(*damages):
    def damage(folder: Path, monkeypatch=None) -> None:
        for d in damages:
            d(folder, monkeypatch)

    return damage


def empty_folder(folder: Path, monkeypatch=None) -> None:
    for path in folder.iterdir():
        path.unlink()


def unrelated_files(folder: Path, monkeypatch=None) -> None:
    for path in folder.iterdir():
        path.rename(path.with_name("2023-11 " + path.name))
    (folder / "README.txt").write_text("the extract is on the shared drive\n")


def rename_column(name: str, old: str, new: str):
    return edit_bytes(name, line(1, lambda header: header.replace(old.encode(), new.encode())))


def duplicate_column(name: str, column: str):
    """Damage: append a second ``column`` to the header and a value to every row."""

    def damage(folder: Path, monkeypatch=None) -> None:
        path = folder / name
        rows = list(csv.reader(io.StringIO(path.read_text(), newline="")))
        width = len(rows[0])
        rows = [rows[0] + [column]] + [r + [r[rows[0].index(column)]] for r in rows[1:] if len(r) == width]
        with open(path, "w", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)

    return damage


# (id, damage, words the message must contain: the file, with its row and column where there is one,
# or the folder, written {folder})
CASES = [
    ("fifo-named-like-episodes", replace_with("episodes.csv", os.mkfifo),
     ["episodes.csv: is a named pipe (FIFO), not a CSV file"]),
    ("folder-named-like-header", replace_with("header.csv", Path.mkdir),
     ["header.csv: is a folder, not a CSV file"]),
    ("dangling-link-named-like-oc3", replace_with("oc3.csv", lambda p: p.symlink_to(p.with_name("gone.csv"))),
     ["oc3.csv: is a symbolic link to", "gone.csv', which does not exist"]),
    ("unreadable-file-chmod-000", chmod_000("cp_plans.csv"),
     ["cp_plans.csv: cannot be read (Permission denied)"]),
    ("unreadable-file-simulated", denied("section47.csv"),
     ["section47.csv: cannot be read (Permission denied)"]),
    ("date-0001-in-a-uk-date-file", set_cell("episodes.csv", 3, "DECOM", "01/01/0001"),
     ["episodes.csv, row 3, column DECOM: '01/01/0001'", PLAUSIBLE]),
    ("date-9999-as-never", set_cell("episodes.csv", 2, "DEC", "31/12/9999"),
     ["episodes.csv, row 2, column DEC: '31/12/9999'", PLAUSIBLE, "leave it blank"]),
    ("date-0001-in-an-iso-date-file", set_cell("cp_plans.csv", 4, "CPPstartDate", "0001-01-01"),
     ["cp_plans.csv, row 4, column CPPstartDate: '0001-01-01'", PLAUSIBLE]),
    ("date-1899-a-typing-slip", set_cell("header.csv", 5, "DOB", "31/12/1899"),
     ["header.csv, row 5, column DOB: '31/12/1899'", PLAUSIBLE]),
    ("number-inf", set_cell("caseloads.csv", 3, "fte", "inf"),
     ["caseloads.csv, row 3, column fte: 'inf' is not a finite number"]),
    ("number-minus-inf", set_cell("caseloads.csv", 6, "cases", "-inf"),
     ["caseloads.csv, row 6, column cases: '-inf' is not a finite number"]),
    ("number-nan", set_cell("cp_plans.csv", 2, "NumberOfPreviousCPP", "nan"),
     ["cp_plans.csv, row 2, column NumberOfPreviousCPP: 'nan' is not a finite number"]),
    ("number-NaN", set_cell("manual_outturns.csv", 3, "value", "NaN"),
     ["manual_outturns.csv, row 3, column value: 'NaN' is not a finite number"]),
    ("number-overflowing-to-inf", set_cell("manual_outturns.csv", 2, "numerator", "1e999"),
     ["manual_outturns.csv, row 2, column numerator: '1e999' is not a finite number"]),
    ("column-named-twice", duplicate_column("episodes.csv", "PLACE"),
     ["episodes.csv, row 1, column PLACE: appears more than once in the header row"]),
    ("required-column-missing", rename_column("missing.csv", "MIS_START", "MIS_STRT"),
     ["missing.csv, row 1, column MIS_START: required column is missing from the header row"]),
    ("latin-1-byte", edit_bytes("header.csv", line(5, lambda b: b[:-4] + b"\xe9" + b[-3:])),
     ["header.csv, row 5, column ETHNIC: byte 0xE9 is not UTF-8 text"]),
    ("utf-16-file", edit_bytes("oc3.csv", lambda b: b.decode().encode("utf-16")),
     ["oc3.csv: is UTF-16 text, not UTF-8"]),
    ("byte-order-mark-and-a-duplicate-child",
     edit_bytes("header.csv", lambda b: b"\xef\xbb\xbf" + line(2, lambda r: r + b"\n" + r)(b)),
     ["header.csv, row 3, column CHILD: duplicate CHILD", "(first at row 2)"]),
    ("huge-single-line", edit_bytes("episodes.csv", lambda b: b"x" * 50_000_000),
     ["episodes.csv, row 1: " + TOO_LONG]),
    ("huge-value-in-a-row", edit_bytes("cin_details.csv", line(4, lambda b: b"R" * 20_000_000 + b)),
     ["cin_details.csv, row 4: " + TOO_LONG]),
    ("nul-byte", edit_bytes("section47.csv", line(3, lambda b: b.replace(b",", b",\x00", 1))),
     ["section47.csv, row 3, column CINdetailsID: holds a NUL byte"]),
    ("workbook-saved-as-csv", edit_bytes("assessments.csv", lambda b: b"PK\x03\x04\x14\x00\x06\x00" + b[:64]),
     ["assessments.csv: is a spreadsheet workbook or an archive, not CSV"]),
    ("zero-byte-file", edit_bytes("child_identifiers.csv", lambda b: b""),
     ["child_identifiers.csv: is empty"]),
    ("ragged-row", edit_bytes("cp_plans.csv", line(7, lambda b: b + b",extra")),
     ["cp_plans.csv, row 7: has 8 fields where the header has 7"]),
    ("empty-folder", empty_folder,
     ["{folder}: no contract file found in {folder} (it is empty)", "expected one of header.csv, episodes.csv",
      "is the path right?"]),
    ("folder-of-unrelated-files", unrelated_files,
     ["{folder}: no contract file found in {folder} (it holds 2023-11 assessments.csv", "is the path right?"]),
    ("several-problems-together",
     both(replace_with("episodes.csv", os.mkfifo), set_cell("header.csv", 2, "DOB", "01/01/0001"),
          set_cell("caseloads.csv", 2, "fte", "inf")),
     ["has 3 structure problem(s)", "episodes.csv: is a named pipe", "header.csv, row 2, column DOB",
      "caseloads.csv, row 2, column fte"]),
]


AS_ROOT = pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode (simulated instead)")


@pytest.mark.parametrize("damage, words", [
    pytest.param(damage, words, id=name, marks=[AS_ROOT] if name == "unreadable-file-chmod-000" else [])
    for name, damage, words in CASES])
def test_a_damaged_extract_is_refused_naming_file_row_and_column(demo_project, tmp_path, capsys, monkeypatch,
                                                                 never_hang, damage, words):
    root = copy_project(demo_project[0], tmp_path / "project")
    damage(root / DATA, monkeypatch)
    start = time.perf_counter()
    err = refused(root, RUN, capsys)
    elapsed = time.perf_counter() - start
    for word in words:
        assert word.format(folder=root / DATA) in err, err
    assert "nothing was written" in err, err
    assert len(err.strip().splitlines()) <= 2 + len(words), err  # the heading and one line per problem
    assert elapsed < 10, f"refused only after {elapsed:.1f} s"
    assert not (root / "outputs" / "2023-11" / "confidential" / "paper.failed.ipynb").exists()


def test_there_are_at_least_twenty_cases():
    assert len(CASES) >= 20 and len({c[0] for c in CASES}) == len(CASES)
