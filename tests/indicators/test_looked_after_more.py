"""cla_missing, cla_s20_older_starters and the counts behind them (spec/indicators.md)."""

from __future__ import annotations

from builders import episode, figures, looked_after, result, write_table

# period 2023-11: W12 = 2022-12-01 to 2023-11-30


def missing(child, start, kind="M"):
    return {"CHILD": child, "DOB": "2008-01-01", "MISSING": kind, "MIS_START": start, "MIS_END": ""}


def test_cla_missing_counts_children_missing_while_looked_after_in_w12(tmp_path):
    looked_after(tmp_path, {c: "2008-01-01" for c in "ABCDEFG"}, [
        episode("A", "2022-01-01"),
        episode("B", "2022-01-01"),
        episode("C", "2022-01-01"),
        episode("D", "2022-01-01", "2023-01-01"),            # ended the day D went missing
        episode("E", "2023-01-01", "2023-01-03", ls="V3"),   # short break: never looked after
        episode("F", "2022-06-01", "2022-12-01"),            # overlaps W12 on its first day
        episode("G", "2023-02-01"),
    ])
    write_table(tmp_path, "missing", [
        missing("A", "2023-05-01"),
        missing("B", "2023-05-01", kind="A"),                # away from placement, not missing
        missing("C", "2022-11-30"),                          # the day before W12
        missing("D", "2023-01-01"),                          # not looked after at MIS_START
        missing("E", "2023-01-02"),
        missing("G", "2023-03-01"), missing("G", "2023-11-30"),  # twice: one child
    ])
    assert figures(result(tmp_path, "cla_missing")) == (2, 6, 100 * 2 / 6)


def test_cla_missing_looks_at_every_episode_of_the_child_not_only_the_first_or_last(tmp_path):
    looked_after(tmp_path, {c: "2008-01-01" for c in "HIKL"}, [
        episode("H", "2021-01-01", "2021-06-01"), episode("H", "2022-09-01", "2023-02-01"),
        episode("H", "2023-06-01"),                                    # missing during the middle one
        episode("I", "2022-01-01", "2023-01-01"), episode("I", "2023-06-01"),  # missing in the gap
        episode("K", "2022-01-01", "2023-01-01"), episode("K", "2023-06-01"),  # missing in the last one
        episode("L", "2023-01-01"),
    ])
    write_table(tmp_path, "missing", [
        missing("H", "2023-01-15"), missing("I", "2023-03-01"), missing("K", "2023-07-01"),
        missing("Z", "2023-03-01"),                                    # no episode of care at all
    ])
    assert figures(result(tmp_path, "cla_missing")) == (2, 4, 100 * 2 / 4)


def test_cla_missing_with_empty_missing_file_is_zero_over_the_children(tmp_path):
    looked_after(tmp_path, {"A": "2010-01-01"}, [episode("A", "2023-01-01")])
    write_table(tmp_path, "missing", [])
    assert figures(result(tmp_path, "cla_missing")) == (0, 1, 0.0)


def test_cla_missing_without_missing_file_is_no_data(tmp_path):
    looked_after(tmp_path, {"A": "2010-01-01"}, [episode("A", "2023-01-01")])
    r = result(tmp_path, "cla_missing")
    assert (r.status, r.value) == ("no data", None) and "missing.csv" in r.note


def starters(tmp_path):
    looked_after(tmp_path, {
        "A": "2009-01-01",   # 14 on 2023-01-01, the day care starts
        "B": "2009-01-02",   # 13 the day before their 14th birthday
        "C": "2005-03-01",   # 17 on 2023-02-28
        "D": "2005-03-01",   # 18 on 2023-03-01
        "E": "2008-01-01",   # 15, but accommodated under a care order
        "F": "2008-01-01",   # starts twice in W12: counts twice
        "G": "2008-01-01",   # changes placement in W12: not a start
        "H": "2008-01-01",   # short break
        "I": "2008-01-01",   # started the day before W12
    }, [
        episode("A", "2023-01-01", ls="V2"),
        episode("B", "2023-01-01", ls="V2"),
        episode("C", "2023-02-28", ls="V2"),
        episode("D", "2023-03-01", ls="V2"),
        episode("E", "2023-04-01", ls="C2"),
        episode("F", "2023-01-01", "2023-02-01", ls="V2"), episode("F", "2023-05-01", ls="V2"),
        episode("G", "2022-01-01", "2023-06-01", ls="V2", rec="X1"), episode("G", "2023-06-01", rne="P", ls="V2"),
        episode("H", "2023-06-01", "2023-06-03", ls="V3"),
        episode("I", "2022-11-30", ls="V2"),
    ])
    return tmp_path


def test_cla_s20_older_starters_counts_starts_of_14_to_17_year_olds_under_section_20(tmp_path):
    # starts in W12: A B C D E F F = 7; of them V2 aged 14-17: A C F F = 4
    assert figures(result(starters(tmp_path), "cla_s20_older_starters")) == (4, 7, 100 * 4 / 7)


def test_cla_s20_older_starters_count_is_the_number(tmp_path):
    assert figures(result(starters(tmp_path), "cla_s20_older_starters_count")) == (4, None, 4.0)


def test_cla_count_is_the_number_looked_after_at_the_end(tmp_path):
    looked_after(tmp_path, {"A": "2010-01-01", "B": "2010-01-01"}, [
        episode("A", "2023-01-01"), episode("B", "2023-01-01", "2023-11-30")])
    assert figures(result(tmp_path, "cla_count")) == (1, None, 1.0)
