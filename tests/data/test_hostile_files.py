"""Hostile or broken files: each a structure error naming file, row and column, quickly, never a hang or traceback."""

from __future__ import annotations

import errno
import os
import time

import pytest
from builders import episode, looked_after, write_table

from scrutiny import cli
from scrutiny.data import load, reading
from scrutiny.data.schema import TABLES
from scrutiny.data.validate import load_extract
from scrutiny.errors import ExtractStructureError

EXPECTED = ", ".join(t.file for t in TABLES.values())


pytestmark = pytest.mark.usefixtures("read_or_mapped")  # (tests/data/conftest.py)


def problems(folder) -> list[str]:
    started = time.perf_counter()
    with pytest.raises(ExtractStructureError) as info:
        load_extract(folder)
    assert time.perf_counter() - started < 10
    return [str(p) for p in info.value.problems]


def caseloads(folder, *rows):
    write_table(folder, "caseloads", [{"period": "2023-11", "worker_id": f"W{k}", "fte": fte, "cases": cases}
                                      for k, (fte, cases) in enumerate(rows)])


# -- the folder ----------------------------------------------------------------------------------

def test_an_empty_folder_is_refused(tmp_path):
    assert problems(tmp_path) == [f"{tmp_path}: no contract file found in {tmp_path} (it is empty): "
                                  f"expected one of {EXPECTED}, or a Children in Need census or SSDA903 XML "
                                  "return; is the path right?"]


def test_a_folder_of_unrelated_files_is_refused_naming_what_it_holds(tmp_path):
    (tmp_path / "Episodes.xlsx").write_bytes(b"PK\x03\x04")
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "extract").mkdir()
    (tmp_path / "extract" / "episodes.csv").write_text("CHILD\n")
    (found,) = problems(tmp_path)
    assert found.startswith(f"{tmp_path}: no contract file found in {tmp_path} (it holds Episodes.xlsx, extract, "
                            "notes.txt): expected one of header.csv, episodes.csv")
    assert found.endswith("; is the path right?")


def test_a_missing_folder_or_a_file_in_its_place(tmp_path):
    assert problems(tmp_path / "nowhere") == [f"{tmp_path / 'nowhere'}: extract folder not found: is the path right?"]
    (tmp_path / "file").write_text("x")
    assert problems(tmp_path / "file") == [f"{tmp_path / 'file'}: is not a folder: is the path right?"]


# -- what is there in a contract file's place ----------------------------------------------------

def test_a_named_pipe_does_not_hang(tmp_path):
    caseloads(tmp_path, ("1.0", "5"))
    os.mkfifo(tmp_path / "episodes.csv")
    assert problems(tmp_path) == ["episodes.csv: is a named pipe (FIFO), not a CSV file"]


def test_a_named_pipe_swapped_in_after_the_check_does_not_hang(tmp_path, monkeypatch):
    """A race: the type check sees a regular file, then a pipe is opened. It opens without waiting, and is refused."""
    import threading

    caseloads(tmp_path, ("1.0", "5"))
    pipe = tmp_path / "episodes.csv"
    os.mkfifo(pipe)
    real_stat = os.stat
    monkeypatch.setattr(load.os, "stat", lambda path, *a, **k: real_stat(
        tmp_path / "caseloads.csv" if str(path) == str(pipe) else path, *a, **k))
    found = []
    reader = threading.Thread(target=lambda: found.extend(problems(tmp_path)), daemon=True)
    reader.start()
    reader.join(timeout=10)
    if reader.is_alive():  # it hung on the pipe: let it go before failing
        os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
    assert not reader.is_alive(), "reading a named pipe hung"
    assert found == ["episodes.csv: is a named pipe (FIFO), not a CSV file"]


def test_a_folder_a_dangling_link_and_an_unreadable_file(tmp_path, monkeypatch):
    (tmp_path / "header.csv").mkdir()
    (tmp_path / "oc3.csv").symlink_to(tmp_path / "gone.csv")
    caseloads(tmp_path, ("1.0", "5"))

    def refuse(path):
        if str(path).endswith("caseloads.csv"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return os.open(path, os.O_RDONLY)

    monkeypatch.setattr(reading, "_open", refuse)
    assert problems(tmp_path) == [
        "header.csv: is a folder, not a CSV file",
        f"oc3.csv: is a symbolic link to '{tmp_path / 'gone.csv'}', which does not exist",
        "caseloads.csv: cannot be read (Permission denied): check who may read it",
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_a_file_nobody_may_read(tmp_path):
    caseloads(tmp_path, ("1.0", "5"))
    (tmp_path / "caseloads.csv").chmod(0)
    try:
        assert problems(tmp_path) == ["caseloads.csv: cannot be read (Permission denied): check who may read it"]
    finally:
        (tmp_path / "caseloads.csv").chmod(0o600)


def test_a_loop_of_links_is_refused(tmp_path):
    (tmp_path / "episodes.csv").symlink_to(tmp_path / "header.csv")
    (tmp_path / "header.csv").symlink_to(tmp_path / "episodes.csv")
    assert problems(tmp_path) == ["header.csv: cannot be read (Too many levels of symbolic links)",
                                  "episodes.csv: cannot be read (Too many levels of symbolic links)"]


def test_a_large_file_is_mapped_or_streamed_only_when_asked(tmp_path):
    import mmap

    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    small.write_bytes(b"x" * reading.MAPPED_BYTES)
    large.write_bytes(b"x" * (reading.MAPPED_BYTES + 1))
    found = []
    assert isinstance(reading._read_bytes(large, "large.csv", found, how=reading.MAPPED), mmap.mmap)
    assert isinstance(reading._read_bytes(large, "large.csv", found, how=reading.STREAMED), reading.Streamed)
    for how in (reading.MAPPED, reading.STREAMED):
        assert type(reading._read_bytes(small, "small.csv", found, how=how)) is bytes
    assert reading._read_bytes(large, "large.csv", found) == large.read_bytes() and not found


def test_a_streamed_file_reads_as_its_bytes_and_a_file_cut_short_as_a_short_read(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "_BLOCK", 7)  # (a line's end found across blocks, slices read in several)
    path = tmp_path / "large.csv"
    data = b"LAchildID,Sex\n" + b"".join(b"C%05d,%d\r\n" % (n, n % 2 + 1) for n in range(200))
    path.write_bytes(data)
    monkeypatch.setattr(reading, "MAPPED_BYTES", 0)
    streamed = reading._read_bytes(path, "large.csv", [], how=reading.STREAMED)
    assert len(streamed) == len(data) and bytes(streamed) == data
    for start, stop in ((0, 4), (5, 40), (len(data) - 9, None), (30, 30)):
        assert streamed[start:stop] == data[start:stop]
    for sub in (b"\n", b"\r\n", b"C00150,", b"absent"):
        assert streamed.find(sub) == data.find(sub)
    with streamed.stream() as stream:
        assert stream.read() == data
    with streamed.stream() as stream:  # (as pyarrow reads it: a block at a time, into what it parses)
        assert b"".join(iter(lambda: stream.read_buffer(50).to_pybytes(), b"")) == data
    assert b"".join(bytes(block) for block in streamed.blocks()) == data
    into = bytearray(60)
    assert streamed.readinto(into, len(data) - 20) == 20 and into[:20] == data[-20:]
    with open(path, "ab") as handle:  # grown since it was opened (a quote, a byte not ASCII): not read
        handle.write(b'C99999,"\xff\n')
    with streamed.stream() as stream:
        assert stream.read() == data
    assert bytes(streamed) == data and streamed.find(b"C99999") == -1
    with open(path, "r+b") as handle:  # cut short while it is open: reads stop where it ends now
        handle.truncate(100)
    assert bytes(streamed) == data[:100] and streamed.find(b"C00150") == -1
    assert b"".join(bytes(block) for block in streamed.blocks()) == data[:100]
    with streamed.stream() as stream:
        assert stream.read() == data[:100]


def test_a_link_to_a_good_file_is_read(tmp_path):
    caseloads(tmp_path / "elsewhere", ("1.0", "5"))
    (tmp_path / "caseloads.csv").symlink_to(tmp_path / "elsewhere" / "caseloads.csv")
    assert len(load_extract(tmp_path).tables["caseloads"]) == 1


# -- what is in the file -------------------------------------------------------------------------

LATER = "; leave it blank if it has not happened yet"


@pytest.mark.parametrize("value, hint", [("01/01/0001", ""), ("29/02/0000", ""), ("31/12/9999", LATER),
                                         ("31/12/1899", ""), ("01/01/2101", LATER)])
def test_implausible_dates_are_refused_without_overflow(tmp_path, value, hint):
    looked_after(tmp_path, {"A": "01/01/2012"}, [episode("A", "01/01/2023"), episode("A", value, rne="P")])
    assert problems(tmp_path) == [f"episodes.csv, row 3, column DECOM: {value!r} is not a plausible date (expected "
                                  f"01/01/1900 to 31/12/2100{hint})"]


def test_implausible_iso_dates_and_the_range_ends_themselves(tmp_path):
    write_table(tmp_path, "cp_plans", [
        {"LAchildID": "A", "CPPID": "1", "CPPstartDate": "0001-01-01"},
        {"LAchildID": "B", "CPPID": "2", "CPPstartDate": "1900-01-01", "CPPendDate": "2100-12-31"},
        {"LAchildID": "C", "CPPID": "3", "CPPstartDate": "2023-01-01", "CPPendDate": "9999-12-31"},
    ])
    assert problems(tmp_path) == [
        "cp_plans.csv, row 2, column CPPstartDate: '0001-01-01' is not a plausible date (expected 01/01/1900 to "
        "31/12/2100)",
        "cp_plans.csv, row 4, column CPPendDate: '9999-12-31' is not a plausible date (expected 01/01/1900 to "
        "31/12/2100; leave it blank if it has not happened yet)",
    ]


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "NaN", "Infinity", "+INF", "1e999"])
def test_numbers_that_are_not_finite_are_refused(tmp_path, value):
    caseloads(tmp_path, ("1.0", "5"), (value, "5"), ("1.0", value))
    assert problems(tmp_path) == [f"caseloads.csv, row 3, column fte: {value!r} is not a finite number",
                                  f"caseloads.csv, row 4, column cases: {value!r} is not a finite number"]


def test_other_text_in_a_number_column_is_still_a_record_error(tmp_path):
    caseloads(tmp_path, ("1.0", "5"), ("one", "5"))
    extract = load_extract(tmp_path)
    assert list(extract.record_errors["message"]) == ["Full-time equivalent (FTE) is not a number (fte 'one' is not a number)"]


def test_a_contract_column_named_twice(tmp_path):
    (tmp_path / "header.csv").write_text("CHILD,SEX,DOB,ETHNIC, DOB,NOTE,NOTE\nA,1,01/01/2012,WBRI,02/02/2012,,\n")
    assert problems(tmp_path) == ["header.csv, row 1, column DOB: appears more than once in the header row "
                                  "(fields 3 and 5): which one holds the data?"]


def test_an_extra_column_named_twice_is_ignored(tmp_path):
    (tmp_path / "header.csv").write_text("CHILD,SEX,DOB,ETHNIC,NOTE,NOTE\nA,1,01/01/2012,WBRI,x,y\n")
    assert len(load_extract(tmp_path).tables["header"]) == 1


def test_bytes_that_are_not_utf8_are_located(tmp_path):
    (tmp_path / "header.csv").write_bytes(b"CHILD,SEX,DOB,ETHNIC\nA,1,01/01/2012,WBRI\nB,1,01/01/2012,W\xe9\n"
                                          b"C,1,01/01/2012,W\xe9\n")
    assert problems(tmp_path) == ["header.csv, row 3, column ETHNIC: byte 0xE9 is not UTF-8 text; 2 rows have such "
                                  "bytes: save the file as CSV UTF-8"]


def test_a_byte_order_mark_is_allowed_and_rows_still_count_from_the_header(tmp_path):
    (tmp_path / "header.csv").write_bytes("\ufeffCHILD,SEX,DOB,ETHNIC\nA,1,01/01/2012,WBRI\nA,1,01/01/2012,WBRI\n"
                                          .encode())
    assert problems(tmp_path) == ["header.csv, row 3, column CHILD: duplicate CHILD 'A' (first at row 2)"]


@pytest.mark.parametrize("data, message", [
    ("CHILD,SEX,DOB,ETHNIC\n".encode("utf-16"), "header.csv: is UTF-16 text, not UTF-8: save it as CSV UTF-8"),
    (b"PK\x03\x04\x14\x00\x06\x00",
     "header.csv: is a spreadsheet workbook or an archive, not CSV: save it as CSV UTF-8"),
    (b"CHILD,SEX,DOB,ETHNIC\nA,1,01/01/2012,WB\x00RI\n", "header.csv, row 2, column ETHNIC: holds a NUL byte: this is "
                                                          "not a text file"),
    (b"", "header.csv: is empty: a CSV file needs at least a header row"),
])
def test_files_that_are_not_csv_text(tmp_path, data, message):
    (tmp_path / "header.csv").write_bytes(data)
    assert problems(tmp_path) == [message]


def test_a_huge_single_line_is_refused_quickly(tmp_path):
    (tmp_path / "episodes.csv").write_text("x" * 50_000_000)
    assert problems(tmp_path) == ["episodes.csv, row 1: holds a value longer than 131,072 characters: not a CSV file "
                                  "this contract expects (is it the right file?)"]


@pytest.mark.parametrize("size", [200_000, 30_000_000])  # inside and beyond pyarrow's block
def test_a_huge_value_in_a_row_is_refused_naming_the_row(tmp_path, size):
    caseloads(tmp_path, ("1.0", "5"), ("1.0", "6"), ("1.0", "7"))
    path = tmp_path / "caseloads.csv"
    lines = path.read_text().splitlines()
    lines[2] = lines[2].replace("W1", "W" * size)
    path.write_text("\n".join(lines) + "\n")
    assert problems(tmp_path) == ["caseloads.csv, row 3: holds a value longer than 131,072 characters: not a CSV "
                                  "file this contract expects (is it the right file?)"]


def test_all_problems_are_reported_together(tmp_path):
    os.mkfifo(tmp_path / "episodes.csv")
    write_table(tmp_path, "header", [{"CHILD": "A", "DOB": "31/12/9999"}])
    caseloads(tmp_path, ("nan", "5"))
    found = problems(tmp_path)
    assert found == ["header.csv, row 2, column DOB: '31/12/9999' is not a plausible date (expected 01/01/1900 to "
                     "31/12/2100; leave it blank if it has not happened yet)",
                     "episodes.csv: is a named pipe (FIFO), not a CSV file",
                     "caseloads.csv, row 2, column fte: 'nan' is not a finite number"]


def test_scrutiny_compute_refuses_with_one_clear_message(tmp_path, capsys):
    os.mkfifo(tmp_path / "episodes.csv")
    capsys.readouterr()
    code = cli.main(["compute", "--data", str(tmp_path), "--period", "2023-11"])
    out, err = capsys.readouterr()
    assert code != 0 and out == "" and "Traceback" not in err
    assert err == (f"The extract in {tmp_path} has 1 structure problem(s); nothing was written:\n"
                   "  episodes.csv: is a named pipe (FIFO), not a CSV file\n")


@pytest.mark.parametrize("how", [reading.MAPPED, reading.STREAMED])
@pytest.mark.parametrize("odd, at", [(b" ", "last"), (b'"', "middle"), (b"\t", "first"), ("é".encode(), "middle"),
                                     (b"\x00", "last"), (b"", "middle")])
def test_the_bytes_a_file_holds_are_found_in_whichever_block_they_are(tmp_path, monkeypatch, how, odd, at):
    from scrutiny.data import load

    monkeypatch.setattr(reading, "_BLOCK", 64)  # (the file looked through in blocks of 64 bytes)
    monkeypatch.setattr(load, "_BLOCK", 64)
    monkeypatch.setattr(reading, "MAPPED_BYTES", 0)
    rows = [b"C%05d,1" % n for n in range(60)]
    rows[{"first": 0, "middle": 30, "last": 59}[at]] += odd
    path = tmp_path / "large.csv"
    path.write_bytes(b"\n".join(rows) + b"\n")
    data = reading._read_bytes(path, "large.csv", [], how=how)
    assert load._present(data) == load._present(path.read_bytes()) == frozenset(odd)


def test_a_streamed_file_is_read_again_as_soon_as_a_block_holds_what_it_was_read_as_not_holding():
    from scrutiny.data import load

    found = set()
    load._look(b"C1,2 ,3\n", found, stop=True)  # (a space: the file is trimmed, not read again)
    assert found == {32}
    for odd in (b'"', b"\x00", "é".encode()):
        with pytest.raises(load._Unassumed):
            load._look(b"C1,2" + odd + b"\n", set(found), stop=True)
        whole = set(found)
        load._look(b"C1,2" + odd + b"\n", whole)  # (looked through whole, as _present does: no stop)
        assert whole == found | set(odd)


def test_every_byte_pyarrow_parses_of_a_streamed_file_is_looked_at(tmp_path, monkeypatch):
    from scrutiny.data import load
    from scrutiny.data.schema import TABLES

    monkeypatch.setattr(reading, "MAPPED_BYTES", 0)
    path = tmp_path / "header.csv"
    path.write_bytes(b"CHILD,SEX,DOB,ETHNIC\n" + b"".join(b"C%06d,1,01/02/2012,WBRI\n" % n for n in range(20_000)))
    streamed = reading._read_bytes(path, "header.csv", [], how=reading.STREAMED)
    seen = []
    assert load._read_fast(streamed, None, TABLES["header"], set(), look=seen.append) is not None
    assert b"".join(seen) == path.read_bytes()
