"""An unchanged extract is taken from the project cache: the same extract, frame for frame, kept privately."""

from __future__ import annotations

import shutil

import pytest

from builders import CIN_CENSUS, SSDA903, same_extract
from scrutiny.data import cache
from scrutiny.data import fingerprint as fp
from scrutiny.data.validate import load_extract
from scrutiny.errors import ExtractStructureError


def _entries(where):
    return sorted(p.name for p in (where / "extract").iterdir() if not p.name.startswith("."))


@pytest.mark.parametrize("kind", ["csv", "returns"])
def test_a_cached_extract_is_the_extract_and_is_not_read_again(kind, synthetic_extract, tmp_path, monkeypatch):
    data = tmp_path / "data"
    if kind == "csv":
        shutil.copytree(synthetic_extract, data)
    else:
        data.mkdir()
        (data / "cin-2024.xml").write_text(CIN_CENSUS)
        (data / "903-2024.xml").write_text(SSDA903)
        (data / "notes.txt").write_text("not a return")  # listed as not read, from the cache too
    where = tmp_path / "cache"
    fresh = load_extract(data)
    first = load_extract(data, cache=where)
    same_extract(fresh, first)
    monkeypatch.setattr("scrutiny.data.validate.read_extract", lambda folder: pytest.fail("read again"))
    again = load_extract(data, cache=where)
    same_extract(fresh, again)
    assert again.fingerprint == first.fingerprint and again.fingerprint is not None
    assert where.stat().st_mode & 0o777 == 0o700 and (where / "extract").stat().st_mode & 0o777 == 0o700
    entry = where / "extract" / again.fingerprint
    assert entry.stat().st_mode & 0o777 == 0o700
    assert {p.stat().st_mode & 0o777 for p in entry.iterdir()} == {0o600}


def test_a_changed_file_a_new_file_or_changed_rules_make_a_new_entry(synthetic_extract, tmp_path, monkeypatch):
    data, where = tmp_path / "data", tmp_path / "cache"
    shutil.copytree(synthetic_extract, data)
    first = load_extract(data, cache=where).fingerprint
    header = data / "header.csv"
    header.write_text(header.read_text() + "Z9,1,22/10/2012,WBRI\n")
    changed = load_extract(data, cache=where)
    assert changed.fingerprint != first and "Z9" in set(changed.tables["header"]["CHILD"])
    (data / "readme.txt").write_text("a new file changes what is listed as not read")
    third = load_extract(data, cache=where).fingerprint
    monkeypatch.setattr(fp, "code_digest", lambda *packages: "other rules")
    fourth = load_extract(data, cache=where).fingerprint
    assert len({first, changed.fingerprint, third, fourth}) == 4
    assert _entries(where) == sorted({first, changed.fingerprint, third, fourth})
    (data / "another.txt").write_text("x")
    load_extract(data, cache=where)
    assert len(_entries(where)) == cache.KEEP and first not in _entries(where)  # the oldest goes


def test_a_damaged_entry_is_read_afresh_and_a_refused_extract_is_never_kept(synthetic_extract, tmp_path):
    data, where = tmp_path / "data", tmp_path / "cache"
    shutil.copytree(synthetic_extract, data)
    kept = load_extract(data, cache=where)
    (where / "extract" / kept.fingerprint / "header.arrow").write_bytes(b"not an Arrow file")
    same_extract(load_extract(data), load_extract(data, cache=where))
    assert cache.read_cached(where, kept.fingerprint, data) is not None  # written again
    (data / "header.csv").write_text("CHILD,SEX\n")  # a structure error: refused, with or without the cache
    with pytest.raises(ExtractStructureError):
        load_extract(data, cache=where)
    assert _entries(where) == [kept.fingerprint]


def test_a_linked_file_is_fingerprinted_by_what_it_points_to(synthetic_extract, tmp_path):
    data, where, store = tmp_path / "data", tmp_path / "cache", tmp_path / "etl"
    shutil.copytree(synthetic_extract, data)
    store.mkdir()
    (data / "header.csv").rename(store / "header.csv")
    (data / "header.csv").symlink_to(store / "header.csv")  # a nightly job's output, linked
    first = load_extract(data, cache=where)
    target = store / "header.csv"
    target.write_text(target.read_text() + "Z9,1,22/10/2012,WBRI\n")  # the job refreshed it
    again = load_extract(data, cache=where)
    assert again.fingerprint != first.fingerprint and "Z9" in set(again.tables["header"]["CHILD"])


def test_a_cache_folder_others_may_read_is_not_used_and_left_as_it_was(synthetic_extract, tmp_path):
    shared = tmp_path / "team-share"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    extract = load_extract(synthetic_extract, cache=shared)
    assert extract.fingerprint is None and not any(shared.iterdir())
    assert shared.stat().st_mode & 0o777 == 0o755


@pytest.mark.parametrize("readers", [1, 2])
def test_an_entry_is_whole_when_the_process_ends_and_is_used_next(readers, synthetic_extract, tmp_path):
    """A process that ends as soon as it has read the extract leaves the entry whole, and the next uses it;
    read by two processes, the entry is written behind, and the process waits for it before it ends."""
    import subprocess
    import sys

    where = tmp_path / "cache"
    code = ("import sys; from scrutiny.data import parallel; from scrutiny.data.validate import load_extract; "
            f"parallel.PARALLEL_BYTES = {0 if readers == 2 else 'parallel.PARALLEL_BYTES'}; "
            "e = load_extract(sys.argv[1], cache=sys.argv[2]); "
            f"assert bool(__import__('scrutiny.data.cache').data.cache._BEHIND) is {readers == 2}; "
            "print(e.fingerprint)")
    done = subprocess.run([sys.executable, "-c", code, str(synthetic_extract), str(where)], capture_output=True,
                          text=True, check=True)
    entry = where / "extract" / done.stdout.strip()
    assert (entry / "meta.json").is_file() and not [p for p in (where / "extract").iterdir() if p.name[0] == "."]
    assert cache.read_cached(where, done.stdout.strip(), synthetic_extract) is not None


@pytest.mark.parametrize("how", ["as told", "a file changed since", "the hasher killed"])
def test_an_extract_hashed_ahead_has_the_fingerprint_it_would_have(how, synthetic_extract, tmp_path, monkeypatch):
    """``scrutiny run`` has a forked process hash the extract while it imports: the fingerprint is the one
    hashing here gives, a digest is taken only for the file as it still is, and a hasher that fails costs time."""
    import os
    import signal
    import threading

    data = tmp_path / "data"
    shutil.copytree(synthetic_extract, data)
    fp.hash_ahead(data)
    (pid, _told), = fp._AHEAD
    here, real = [], fp._sha256
    monkeypatch.setattr(fp, "_sha256", lambda path: here.append(path.name) or real(path))  # (this process's)
    if how == "the hasher killed":
        os.kill(pid, signal.SIGKILL)
    else:  # (it has hashed every file: ended, not yet waited for)
        os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
    if how == "a file changed since":
        fp._taken_up([])  # (its digests kept, and it is waited for)
        with open(data / "header.csv", "a") as header:
            header.write("Z9,1,22/10/2012,WBRI\n")
    fingerprint = fp.extract_fingerprint(data)
    assert not fp._AHEAD
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # (waited for: no process is left behind)
    ours = [n for n in here if (data / n).exists() and (data / n).parent == data]
    assert len(ours) == len(set(ours))  # (none hashed twice here)
    if how == "as told":
        assert ours == []  # every file's digest was the hasher's
    elif how == "a file changed since":
        assert ours == ["header.csv"]
    fp._DIGESTS.clear()
    assert fingerprint == fp.extract_fingerprint(data)  # as hashing here alone gives it
    fp._DIGESTS.clear()
    fp.hash_ahead(data)  # needed before it has hashed much: the smallest files are hashed here meanwhile
    here.clear()
    assert fp.extract_fingerprint(data) == fingerprint and not fp._AHEAD
    mine = [n for n in here if (data / n).exists()]
    smallest_first = [p.name for p in sorted(data.iterdir(), key=lambda p: p.stat().st_size)]
    assert mine == smallest_first[:len(mine)]  # (what this process hashed: the smallest, each once)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        fp.hash_ahead(data)
        assert not fp._AHEAD  # not forked while another thread runs
    finally:
        stop.set()
        other.join()


def test_a_hasher_no_fingerprint_needs_is_stopped_and_waited_for(synthetic_extract):
    import os

    fp.hash_ahead(synthetic_extract)
    (pid, _told), = fp._AHEAD
    fp.stop_hashing()
    assert not fp._AHEAD
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def test_an_entry_left_staged_by_a_process_killed_is_removed_later(tmp_path):
    import os
    import time

    left, fresh = cache.stage(tmp_path), cache.stage(tmp_path)
    (left / "header.arrow").write_bytes(b"records of children")
    long_ago = time.time() - cache.STALE - 60
    os.utime(left, (long_ago, long_ago))
    staged = cache.stage(tmp_path)
    assert not left.exists() and fresh.is_dir() and staged.is_dir()  # (one being written now is left alone)
