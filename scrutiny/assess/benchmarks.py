"""Published benchmarks: England, region, statistical neighbours, the authority, and its quartile.

The Department for Education publishes each measure as an explore-education-statistics
CSV (``time_period``, ``geographic_level``, region and LA codes, then the measure's
own filter and value columns). The catalogue says, per indicator, which file, filters
and column hold the published figure (:class:`~scrutiny.config.catalogue.BenchmarkSource`).

:func:`extract_benchmarks` reads any folder of such files and keeps the small table one
authority's papers need (``scrutiny benchmarks``); the papers read only that table, so
a project never needs the national files beside it. ONS mid-year estimates of the
population aged 0 to 17 travel in the same table (indicator :data:`POPULATION`).

Choices, documented here because the published files are silent on them:

* the statistical-neighbour figure is the mean of the neighbours that have a
  published number that year (the count used is kept);
* the quartile band ranks all authorities with a number that year; band 1 is the
  best quarter by the indicator's polarity (for a neutral indicator, the lowest);
* a paper for period E uses the latest year ending 31 March on or before E, and the
  latest mid-year population estimate on or before E.
"""

from __future__ import annotations

import csv
import datetime
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..files import write_atomic
from ..errors import BenchmarkError
from .published import parse_published

POPULATION = "population_0_17"
ONS_FILE = "ons_mid-year_population_estimates_2012_to_2024.csv"
NEIGHBOURS_FILE = "New_Statistical_Neighbour_Groupings_April_2021.csv"
COLUMNS = ["indicator", "year", "england", "region_name", "region", "statistical_neighbours", "neighbours_used",
           "authority_name", "authority", "quartile", "authorities_ranked", "rank"]
OPTIONAL = {"rank"}  # tables made before it was added still read


def _read(folder: Path, file: str) -> pd.DataFrame:
    path = folder / file
    if not path.is_file():
        raise BenchmarkError(f"{path}: published file not found (download it from explore-education-statistics)")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.columns = [c.strip() for c in frame.columns]
    return frame


def _select(frame: pd.DataFrame, source, path: str) -> pd.DataFrame:
    for column in ["time_period", "geographic_level", source.column, *source.filters]:
        if column not in frame.columns:
            raise BenchmarkError(f"{path}: no column {column!r} (columns: {', '.join(frame.columns)})")
    chosen = frame
    for column, wanted in source.filters.items():
        chosen = chosen.loc[chosen[column].str.strip() == wanted]
    if chosen.empty:
        raise BenchmarkError(f"{path}: no rows where " + " and ".join(f"{c} = {v!r}" for c, v in source.filters.items()))
    return chosen


@dataclass(frozen=True)
class Authority:
    """The authority the papers are about, with the codes the published files use."""

    old_code: str
    new_code: str
    name: str
    region_code: str
    region_name: str
    neighbours: tuple[str, ...]  # old LA codes, closest first


def find_authority(folder: str | Path, code: str) -> Authority:
    """The authority by its old (``305``) or new (``E09000006``) LA code, with its ten neighbours."""
    folder = Path(folder)
    frame = _read(folder, ONS_FILE)
    rows = frame.loc[(frame["geographic_level"] == "Local authority")
                     & ((frame["old_la_code"] == code) | (frame["new_la_code"] == code))]
    if rows.empty:
        raise BenchmarkError(f"LA code {code!r} is not an authority in {folder / ONS_FILE}")
    row = rows.sort_values("time_period").iloc[-1]
    return Authority(row["old_la_code"], row["new_la_code"], row["la_name"], row["region_code"], row["region_name"],
                     tuple(_neighbours(folder, row["old_la_code"])))


def _neighbours(folder: Path, old_code: str) -> list[str]:
    path = folder / NEIGHBOURS_FILE
    if not path.is_file():
        raise BenchmarkError(f"{path}: statistical neighbour groupings not found")
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    header = [h.strip() for h in rows[0]]
    columns = [header.index(f"SN{k}") for k in range(1, 11)]
    for row in rows[1:]:
        if row and row[0].strip() == old_code:
            return [row[k].strip() for k in columns if k < len(row) and row[k].strip()]
    raise BenchmarkError(f"{path}: no statistical neighbours for LA {old_code}")


def _quartile(values: pd.Series, own: float | None, polarity: str) -> int | None:
    """Band 1 (best quarter) to 4 by polarity; a neutral indicator's band 1 is the lowest quarter."""
    if own is None or values.empty:
        return None
    better = values > own if polarity == "high" else values < own
    position = (int(better.sum()) + 0.5 * (int((values == own).sum()) - 1) + 1) / len(values)
    return min(4, max(1, math.ceil(4 * position)))


def _rank(values: pd.Series, own: float | None, polarity: str) -> int | None:
    """The authority's place among all authorities, 1 the best by polarity (a neutral indicator: the lowest).

    Ties share a place, as league tables do.

    >>> _rank(pd.Series([10.0, 20.0, 20.0, 30.0]), 20.0, "high"), _rank(pd.Series([10.0, 20.0]), 10.0, "low")
    (2, 1)
    """
    if own is None or values.empty:
        return None
    better = values > own if polarity == "high" else values < own
    return int(better.sum()) + 1


def published_rows(folder: Path, indicator_id: str, source, polarity: str, authority: Authority) -> list[dict]:
    """One row per published year: England, region, neighbours, the authority and its quartile."""
    frame = _select(_read(folder, source.file), source, source.file)
    frame = frame.assign(_value=[parse_published(v, source.form) for v in frame[source.column]])
    rows = []
    for year, group in sorted(frame.groupby("time_period"), key=lambda kv: kv[0]):
        level = group["geographic_level"]
        england = group.loc[level == "National"]
        region = group.loc[(level == "Regional") & (group["region_code"] == authority.region_code)] \
            if "region_code" in group else group.iloc[0:0]
        las = group.loc[level == "Local authority"]
        own = las.loc[las["old_la_code"] == authority.old_code] if "old_la_code" in las else las.iloc[0:0]
        neighbours = las.loc[las["old_la_code"].isin(authority.neighbours)] if "old_la_code" in las else las.iloc[0:0]
        numbers = neighbours["_value"].dropna()
        ranked = las["_value"].dropna()
        own_value = own["_value"].iloc[0] if len(own) else None
        own_value = None if own_value is None or pd.isna(own_value) else float(own_value)
        if england.empty and las.empty:
            continue
        rows.append({
            "indicator": indicator_id,
            "year": str(year),
            "england": _shown(england, source),
            "region_name": authority.region_name,
            "region": _shown(region, source),
            "statistical_neighbours": f"{numbers.mean():.1f}" if len(numbers) else "x",
            "neighbours_used": str(len(numbers)),
            "authority_name": authority.name,
            "authority": _shown(own, source),
            "quartile": "" if _quartile(ranked, own_value, polarity) is None else str(_quartile(ranked, own_value, polarity)),
            "authorities_ranked": str(len(ranked)),
            "rank": "" if _rank(ranked, own_value, polarity) is None else str(_rank(ranked, own_value, polarity)),
        })
    return rows


def _shown(rows: pd.DataFrame, source) -> str:
    """The published figure (a number in the indicator's unit, or its shorthand letter); ``x`` for no row."""
    if rows.empty:
        return "x"
    text = str(rows[source.column].iloc[0]).strip()
    if source.form != "number":
        value = parse_published(text, source.form)
        return text if value is None else f"{value:.0f}"
    return text


def extract_benchmarks(folder: str | Path, code: str, definitions) -> pd.DataFrame:
    """The published figures one authority's papers need, for every catalogue entry with a benchmark."""
    folder = Path(folder)
    authority = find_authority(folder, code)
    rows: list[dict] = []
    seen: set[str] = set()
    for d in definitions:
        if d.benchmark is None or d.id in seen:
            continue
        seen.add(d.id)
        rows.extend(published_rows(folder, d.id, d.benchmark, d.polarity, authority))
    population = _population(folder, authority)
    rows.extend(population)
    table = pd.DataFrame(rows, columns=COLUMNS)
    table.attrs["authority"] = authority
    return table


def _population(folder: Path, authority: Authority) -> list[dict]:
    from ..config.catalogue import BenchmarkSource

    source = BenchmarkSource(file=ONS_FILE, filters={"age_group": "Children aged 0 to 17 years"},
                             column="population_estimate")
    rows = published_rows(folder, POPULATION, source, "neutral", authority)
    for row in rows:  # a population has no statistical-neighbour mean or quartile worth showing
        row.update(statistical_neighbours="", neighbours_used="0", quartile="", authorities_ranked="0")
    return rows


def write_benchmarks(table: pd.DataFrame, out: str | Path) -> None:
    """Write the table as CSV, atomically, with a comment line naming the authority."""
    authority = table.attrs.get("authority")
    lines = []
    if authority is not None:
        lines.append(f"# {authority.name} ({authority.new_code}, LA {authority.old_code}); region "
                     f"{authority.region_name}; statistical neighbours {' '.join(authority.neighbours)}\n")
    lines.append(table.to_csv(index=False, lineterminator="\n"))
    write_atomic(Path(out), "".join(lines))


# --- what a paper reads ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Benchmark:
    """One indicator's published figures for one year, as the paper shows them."""

    indicator: str
    year: str
    england: str
    region_name: str
    region: str
    statistical_neighbours: str
    neighbours_used: int
    authority_name: str
    authority: str
    quartile: int | None
    authorities_ranked: int
    rank: int | None = None

    def number(self, field: str) -> float | None:
        return parse_published(getattr(self, field))

    @property
    def year_label(self) -> str:
        """'2022-23' for the year ending 31 March 2023."""
        y = int(self.year)
        return f"{y - 1}-{y % 100:02d}"


class BenchmarkTable:
    """The table written by ``scrutiny benchmarks``, read for a paper."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame.fillna("")
        self._years: dict[str, list[Benchmark]] = {}  # indicator -> its years as Benchmarks, oldest first
        for r in self.frame.sort_values("year", key=lambda s: s.astype(int), kind="stable").to_dict("records"):
            self._years.setdefault(r["indicator"], []).append(Benchmark(
                r["indicator"], r["year"], r["england"], r["region_name"], r["region"], r["statistical_neighbours"],
                int(r["neighbours_used"] or 0), r["authority_name"], r["authority"],
                int(r["quartile"]) if r["quartile"] else None, int(r["authorities_ranked"] or 0),
                int(r["rank"]) if r.get("rank", "") else None))

    @classmethod
    def read(cls, path: str | Path) -> BenchmarkTable:
        path = Path(path)
        if not path.is_file():
            raise BenchmarkError(f"{path}: benchmark table not found (make it with `scrutiny benchmarks`)")
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, comment="#")
        missing = [c for c in COLUMNS if c not in frame.columns and c not in OPTIONAL]
        if missing:
            raise BenchmarkError(f"{path}: not a benchmark table (missing columns {', '.join(missing)})")
        return cls(frame)

    def latest(self, indicator_id: str, on_or_before: datetime.date) -> Benchmark | None:
        """The latest year ending 31 March on or before the date."""
        found = self.history(indicator_id, on_or_before, years=1)
        return found[-1] if found else None

    def history(self, indicator_id: str, on_or_before: datetime.date, years: int = 5) -> tuple[Benchmark, ...]:
        """The last ``years`` published years ending 31 March on or before the date, oldest first."""
        last_year = on_or_before.year if on_or_before >= datetime.date(on_or_before.year, 3, 31) \
            else on_or_before.year - 1
        found = [b for b in self._years.get(indicator_id, []) if int(b.year) <= last_year]
        return tuple(found[-years:]) if years > 0 else ()

    def population(self, on: datetime.date) -> int | None:
        """The latest mid-year (30 June) estimate of the authority's population aged 0-17 on or before the date."""
        estimates = [b for b in self._years.get(POPULATION, []) if datetime.date(int(b.year), 6, 30) <= on]
        if not estimates:
            return None
        latest = str(max(int(b.year) for b in estimates))
        value = parse_published(next(b.authority for b in estimates if b.year == latest))  # (the table's first)
        return None if value is None else int(value)
