"""Synthetic extracts for a fictional authority: every contract file, deterministic for a seed.

From a small authority to the size of England (``children=80_000``: about 80,000
children looked after at the end, ten years of episode history, over 600,000
referrals a year). Everything is drawn with numpy, a whole table at a time, so a
national extract takes about a minute.

The proportions follow the published England figures (Children looked after in
England; Characteristics of children in need; the workforce census), scaled by the
number looked after: for every child looked after at 31 March England has about
0.42 starting care a year, 7.7 referrals a year, 0.75 child protection plans
starting a year and 0.26 FTE case-holding social workers. Ages at entry, legal
statuses, placement moves, adoption, re-referrals, assessment and conference
timeliness, plan durations and care leavers' activity and accommodation are tuned
so the indicators land near England's. A few deliberate record errors exercise the
data-quality section. No real child is behind any row.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .periods import Period
from .schema import TABLES

FOSTER = np.array(["U1", "U2", "U3", "U4", "U5", "U6"])
OTHER_PLACES = np.array(["R1", "K2", "P1", "H5", "S1", "Z1", "R2", "P2"])
ENDINGS = np.array(["E4A", "E13", "E8", "E45", "E41", "E46", "E17", "E15", "E2"])
ENDING_WEIGHTS = [0.33, 0.22, 0.17, 0.12, 0.06, 0.05, 0.025, 0.02, 0.005]
CHANGE_REASONS = np.array(["CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD", "LAREQ", "OTHER"])
ABUSE = np.array(["NEG", "EMO", "PHY", "SAB", "MUL"])
SOURCES = np.array(["1A", "1B", "2A", "2B", "3A", "3B", "3C", "4", "5A", "5B", "6", "7", "8", "9", "10"])
NEEDS = np.array(["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9"])
ETHNIC = np.array(["WBRI", "WOTH", "MWBC", "BAFR", "BCRB", "AIND", "OOTH"])
EET = np.array(["F1", "P1", "F2", "P2", "F4", "F5"])
NOT_EET = np.array(["G4", "G5", "G6", "0"])
ACCOM_TYPES = np.array(list("BCDEGHKRSTUVWXYZ"))

# ages at entry (England: under 1, 1-4, 5-9, 10-15, 16 and over), in days
AGE_BANDS = np.array([(0, 365), (365, 5 * 365), (5 * 365, 10 * 365), (10 * 365, 16 * 365), (16 * 365, 18 * 365 - 30)])
AGE_SHARES = [0.19, 0.15, 0.17, 0.33, 0.16]
STARTS_PER_CHILD_LOOKED_AFTER = 0.49  # a year; tuned so the stock at the end is about `children`
REFERRALS_PER_CHILD_LOOKED_AFTER = 7.7
WORKERS_PER_CHILD_LOOKED_AFTER = 0.26
CIN_YEARS = 6  # re-referrals look back 24 months, plans two years; the paper shows 13 months after a 24-month baseline


@dataclass(frozen=True)
class SynthConfig:
    children: int = 300
    seed: int = 1
    as_at: Period = Period(2023, 11)
    years: int = 10


def _day(date) -> int:
    return int(np.datetime64(date, "D").astype(np.int64))


def _iso(days: np.ndarray) -> np.ndarray:
    text = np.datetime_as_string(np.asarray(days, dtype=np.int64).astype("datetime64[D]"), unit="D")
    return np.where(np.asarray(days) < 0, "", text)


def _uk(days: np.ndarray) -> np.ndarray:
    """dd/mm/YYYY, the SSDA903 CSV convention; blank for -1."""
    iso = pd.Series(_iso(days))
    text = iso.str[8:10] + "/" + iso.str[5:7] + "/" + iso.str[0:4]
    return np.where(iso == "", "", text.to_numpy())


def _ids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    return (prefix + pd.Series(numbers).astype(str).str.zfill(width)).to_numpy()


def _add_years(days: np.ndarray, years: int) -> np.ndarray:
    """The same calendar date ``years`` on (29 February to 28 February)."""
    shifted = pd.DatetimeIndex(days.astype("datetime64[D]")) + pd.DateOffset(years=years)
    return shifted.to_numpy().astype("datetime64[D]").astype(np.int64)


def _write(out: Path, table: str, frame: pd.DataFrame) -> None:
    spec = TABLES[table]
    frame.reindex(columns=list(spec.columns), fill_value="").to_csv(out / spec.file, index=False, lineterminator="\n")


def synthesise(out: str | Path, children: int = 300, seed: int = 1, as_at: Period | str = Period(2023, 11)) -> Path:
    """Write a synthetic extract to ``out``: about ``children`` looked after at the end of ``as_at``."""
    cfg = SynthConfig(children, seed, Period.parse(as_at))
    rng = np.random.default_rng(seed)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    header, episodes, leavers = _looked_after(cfg, rng)
    _write(out, "missing", _missing(cfg, rng, header, episodes))
    _write(out, "oc3", _oc3(cfg, rng, leavers))
    _inject_errors(rng, episodes)
    _write(out, "header", header.assign(DOB=_uk(header["DOB"].to_numpy())))
    _write(out, "episodes", episodes.assign(DECOM=_uk(episodes["DECOM"].to_numpy()),
                                            DEC=_uk(episodes["DEC"].to_numpy())))
    for name, frame in _children_in_need(cfg, rng).items():
        _write(out, name, frame)
    _write(out, "caseloads", _caseloads(cfg, rng))
    _write(out, "manual_outturns", _manual(cfg, rng))
    return out


# --- children looked after ---------------------------------------------------------------


def _looked_after(cfg: SynthConfig, rng):
    end = _day(cfg.as_at.end)
    start = int(_add_years(np.array([end]), -cfg.years)[0])
    n = max(1, int(cfg.children * STARTS_PER_CHILD_LOOKED_AFTER * cfg.years))
    entry = rng.integers(start, end, n)
    band = rng.choice(len(AGE_SHARES), n, p=AGE_SHARES)
    age_days = rng.uniform(AGE_BANDS[band, 0], AGE_BANDS[band, 1]).astype(np.int64)
    dob = entry - age_days
    age = age_days / 365.25
    eighteen = _add_years(dob, 18)

    long_stay = rng.random(n) < np.where(age < 12, 0.72, 0.5)
    stay = np.where(long_stay, rng.exponential(4.2, n), rng.exponential(0.35, n))
    leave = np.minimum(entry + (stay * 365).astype(np.int64) + 1, eighteen)
    adopted = (age < 4) & long_stay & (rng.random(n) < 0.45)
    leave = np.where(adopted, np.minimum(entry + rng.uniform(600, 1250, n).astype(np.int64), eighteen), leave)
    placed = leave - rng.uniform(90, 300, n).astype(np.int64)  # moved in with the adopters
    adopted &= (placed > entry)
    closed = leave <= end
    last = np.minimum(leave, end)
    span = np.maximum(last - entry, 0)

    unstable = rng.random(n) < 0.22
    rate = np.where(unstable, rng.uniform(1.4, 3.0, n), rng.uniform(0.01, 0.12, n))
    moves = np.where(span >= 2, rng.poisson(rate * span / 365.25), 0)
    owner = np.repeat(np.arange(n), moves)
    move_day = entry[owner] + 1 + (rng.random(owner.size) * (span[owner] - 1)).astype(np.int64)
    keep = ~adopted[owner] | (move_day < placed[owner])
    owner, move_day = owner[keep], move_day[keep]
    adoptive = np.flatnonzero(adopted & (placed <= end))

    # one row per episode start: entry (kind 0), a move (1), moving in with the adopters (2)
    child = np.concatenate([np.arange(n), owner, adoptive])
    begin = np.concatenate([entry, move_day, placed[adoptive]])
    kind = np.concatenate([np.zeros(n, int), np.ones(owner.size, int), np.full(adoptive.size, 2)])
    order = np.lexsort((kind, begin, child))
    child, begin, kind = child[order], begin[order], kind[order]
    first_of_day = np.r_[True, (child[1:] != child[:-1]) | (begin[1:] != begin[:-1])]
    child, begin, kind = child[first_of_day], begin[first_of_day], kind[first_of_day]
    is_last = np.r_[child[1:] != child[:-1], True]
    finish = np.where(is_last, np.where(closed[child], leave[child], -1), np.r_[begin[1:], 0])

    m = child.size
    roll = rng.random(m)
    same_carer_adopts = rng.random(m) < 0.25
    rne = np.where(kind == 0, "S", np.where(kind == 2, np.where(same_carer_adopts, "T", "P"),
                                           np.where(roll < 0.12, "L", np.where(roll < 0.2, "T", "P"))))
    older = age[child] >= 14
    base_ls = np.where((older & (rng.random(n)[child] < 0.55)) | (rng.random(n)[child] < 0.25), "V2", "C2")
    after_l = pd.Series(rne == "L").groupby(child).cumsum().to_numpy() > 0
    ls = np.where(kind == 2, "E1", np.where(after_l, "C1", base_ls))
    fostered = (age[child] < 15) | (rng.random(n)[child] < 0.5)
    base_place = np.where(fostered, rng.choice(FOSTER, n)[child], rng.choice(OTHER_PLACES, n)[child])
    new_place = np.where(rng.random(m) < 0.75, rng.choice(FOSTER, m), rng.choice(OTHER_PLACES, m))
    place = pd.Series(np.where(kind == 0, base_place, np.where(rne == "P", new_place, None)))
    place = place.groupby(child).ffill().to_numpy()
    place = np.where(kind == 2, np.where(rne == "T", rng.choice(["A5", "A6"], m), rng.choice(["A3", "A4"], m)), place)
    ending = np.where(adopted[child], rng.choice(["E11", "E12"], m, p=[0.85, 0.15]),
                      rng.choice(ENDINGS, m, p=ENDING_WEIGHTS))
    rec = np.where(finish < 0, "", np.where(is_last, ending, "X1"))
    reason = np.where(np.isin(rne, ["P", "T", "B", "U"]), rng.choice(CHANGE_REASONS, m), "")
    episodes = pd.DataFrame({
        "CHILD": child, "DECOM": begin, "RNE": rne, "LS": ls, "CIN": rng.choice(["N1", "N1", "N1", "N2", "N4",
                                                                                   "N8"], m),
        "PLACE": place, "PLACE_PROVIDER": rng.choice(["PR1", "PR1", "PR4", "PR5", "PR2"], m), "DEC": finish,
        "REC": rec, "REASON_PLACE_CHANGE": reason})

    # some return to care: a second period of care after a gap
    again = leave + rng.uniform(60, 700, n).astype(np.int64)
    returns = closed & ~adopted & (rng.random(n) < 0.1) & (again < np.minimum(end, eighteen - 60))
    r = np.flatnonzero(returns)
    back = np.minimum(again[r] + rng.exponential(500, r.size).astype(np.int64) + 1, eighteen[r])
    back_closed = back <= end
    episodes = pd.concat([episodes, pd.DataFrame({
        "CHILD": r, "DECOM": again[r], "RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": rng.choice(FOSTER, r.size),
        "PLACE_PROVIDER": "PR1", "DEC": np.where(back_closed, back, -1),
        "REC": np.where(back_closed, rng.choice(ENDINGS, r.size, p=ENDING_WEIGHTS), ""), "REASON_PLACE_CHANGE": ""})])
    final_leave = leave.copy()
    final_leave[r] = np.where(back_closed, back, end + 1)
    final_closed = closed.copy()
    final_closed[r] = back_closed

    ids = _ids(f"C{cfg.seed:02d}", np.arange(n), 7)
    header = pd.DataFrame({"CHILD": ids, "SEX": rng.choice(["1", "2"], n), "DOB": dob, "ETHNIC": rng.choice(ETHNIC, n)})
    episodes = episodes.sort_values(["CHILD", "DECOM"], kind="stable")
    episodes["CHILD"] = ids[episodes["CHILD"].to_numpy()]
    sb_header, sb_episodes = _short_breaks(cfg, rng, end)
    header = pd.concat([header, sb_header], ignore_index=True)
    episodes = pd.concat([episodes, sb_episodes], ignore_index=True)
    # care leavers: left care aged 16 or over
    left = final_closed & (final_leave - dob >= 16 * 365.25)
    leavers = pd.DataFrame({"CHILD": ids[left], "DOB": dob[left]})
    return header, episodes, leavers


def _short_breaks(cfg, rng, end):
    k = max(2, cfg.children // 25)
    dob = end - rng.uniform(5 * 365, 16 * 365, k).astype(np.int64)
    ids = _ids(f"B{cfg.seed:02d}", np.arange(k), 6)
    count = rng.integers(1, 5, k)
    owner = np.repeat(np.arange(k), count)
    first = end - rng.uniform(30, 700, k).astype(np.int64)
    step = rng.integers(20, 90, owner.size)
    offset = pd.Series(step).groupby(owner).cumsum().to_numpy() - step
    begin = first[owner] + offset
    finish = begin + rng.integers(1, 4, owner.size)
    keep = finish <= end
    owner, begin, finish = owner[keep], begin[keep], finish[keep]
    header = pd.DataFrame({"CHILD": ids, "SEX": "1", "DOB": dob, "ETHNIC": "WBRI"})
    episodes = pd.DataFrame({"CHILD": ids[owner], "DECOM": begin, "RNE": "S", "LS": "V3", "CIN": "N1", "PLACE": "R1",
                             "PLACE_PROVIDER": "PR1", "DEC": finish, "REC": "E13", "REASON_PLACE_CHANGE": ""})
    return header, episodes


def _inject_errors(rng, episodes: pd.DataFrame) -> None:
    """A few records that break the contract, as real extracts have."""
    if len(episodes) < 50:
        return
    rows = episodes.index.to_numpy()
    picks = rng.choice(len(rows), size=3, replace=False)
    episodes.iloc[picks[0], episodes.columns.get_loc("PLACE")] = "Q9"  # unknown code
    closed = np.flatnonzero(episodes["DEC"].to_numpy() >= 0)
    victim = closed[int(rng.integers(closed.size))]
    decom, dec = episodes.iloc[victim][["DECOM", "DEC"]]
    episodes.iloc[victim, episodes.columns.get_loc("DECOM")] = dec  # DEC before DECOM
    episodes.iloc[victim, episodes.columns.get_loc("DEC")] = decom
    episodes.iloc[picks[2], episodes.columns.get_loc("RNE")] = ""  # blank code


def _missing(cfg, rng, header, episodes):
    end = _day(cfg.as_at.end)
    recent = end - 3 * 365
    ep = episodes.loc[episodes["LS"] != "V3"]
    begin = np.maximum(ep["DECOM"].to_numpy(), recent)
    finish = np.where(ep["DEC"].to_numpy() < 0, end, ep["DEC"].to_numpy())
    chosen = (finish > begin) & (rng.random(len(ep)) < 0.11)
    count = np.where(chosen, rng.integers(1, 4, len(ep)), 0)
    owner = np.repeat(np.arange(len(ep)), count)
    day = begin[owner] + (rng.random(owner.size) * (finish[owner] - begin[owner])).astype(np.int64)
    back = day + rng.integers(0, 5, owner.size)
    child = ep["CHILD"].to_numpy()[owner]
    dob = header.set_index("CHILD")["DOB"].reindex(child).to_numpy()
    frame = pd.DataFrame({"CHILD": child, "DOB": _uk(dob),
                          "MISSING": np.where(rng.random(owner.size) < 0.7, "M", "A"), "MIS_START": _uk(day),
                          "MIS_END": _uk(np.where(back <= end, back, -1))})
    return frame.sort_values(["CHILD", "MIS_START"], kind="stable")


def _oc3(cfg, rng, leavers):
    end = _day(cfg.as_at.end)
    age = (end - leavers["DOB"].to_numpy()) / 365.25
    group = leavers.loc[(age >= 17.5) & (age < 22)]
    k = len(group)
    in_touch = rng.choice(["YES", "NO", "REFU", "NREQ", "DIED", "RHOM"], k, p=[0.86, 0.05, 0.03, 0.025, 0.005, 0.03])
    eet = rng.random(k) < 0.56
    activ = np.where(eet, rng.choice(EET, k), rng.choice(NOT_EET, k, p=[0.35, 0.35, 0.2, 0.1]))
    kind = rng.choice(ACCOM_TYPES, k)
    suitable = rng.random(k) < 0.89
    accom = np.where(suitable, np.char.add(kind, "1"), np.where(rng.random(k) < 0.7, np.char.add(kind, "2"), "0"))
    return pd.DataFrame({"CHILD": group["CHILD"].to_numpy(), "DOB": _uk(group["DOB"].to_numpy()),
                         "IN_TOUCH": in_touch, "ACTIV": activ, "ACCOM": accom})


# --- children in need ------------------------------------------------------------------


def _children_in_need(cfg, rng):
    end = _day(cfg.as_at.end)
    start = int(_add_years(np.array([end]), -CIN_YEARS)[0])
    per_year = cfg.children * REFERRALS_PER_CHILD_LOOKED_AFTER
    n = max(1, int(per_year * CIN_YEARS * 0.70))
    first = rng.integers(start, end + 1, n)
    dob = first - rng.uniform(0, 17 * 365, n).astype(np.int64)
    ids = _ids(f"N{cfg.seed:02d}", np.arange(n), 8)
    child_ids = pd.DataFrame({"LAchildID": ids, "PersonBirthDate": _iso(dob), "Sex": rng.choice(["M", "F"], n)})

    # further referrals: each one is followed by another with probability 0.35
    extra = rng.geometric(0.65, n) - 1
    owner = np.repeat(np.arange(n), extra)
    short = rng.random(owner.size) < 0.23 / 0.35
    gap = np.where(short, rng.uniform(14, 365, owner.size), rng.uniform(366, 1000, owner.size)).astype(np.int64)
    offset = pd.Series(gap).groupby(owner).cumsum().to_numpy()
    child = np.concatenate([np.arange(n), owner])
    day = np.concatenate([first, first[owner] + offset])
    keep = day <= end
    child, day = child[keep], day[keep]
    order = np.lexsort((day, child))
    child, day = child[order], day[order]
    r = child.size
    nfa = rng.random(r) < 0.065
    close = np.where(nfa, day, day + rng.exponential(150, r).astype(np.int64) + 10)
    closed = close <= end
    cin_ids = _ids(f"R{cfg.seed:02d}", np.arange(r), 8)
    details = pd.DataFrame({
        "LAchildID": ids[child], "CINdetailsID": cin_ids, "CINreferralDate": _iso(day),
        "ReferralSource": rng.choice(SOURCES, r), "PrimaryNeedCode": rng.choice(NEEDS, r),
        "CINclosureDate": _iso(np.where(closed, close, -1)),
        "ReasonForClosure": np.where(closed, rng.choice(["RC1", "RC2", "RC3", "RC4", "RC8"], r), ""),
        "ReferralNFA": np.where(nfa, "true", "false")})

    assessed = ~nfa & (rng.random(r) < 0.92)
    a_start = day + rng.integers(0, 6, r)
    slow = rng.random(r) < 0.2
    a_end = a_start + np.where(slow, rng.uniform(50, 110, r), rng.gamma(4, 7, r) + 5).astype(np.int64)
    a = assessed & (a_start <= end)
    assessments = pd.DataFrame({"LAchildID": ids[child[a]], "CINdetailsID": cin_ids[a],
                                "AssessmentActualStartDate": _iso(a_start[a]),
                                "AssessmentAuthorisationDate": _iso(np.where(a_end[a] <= end, a_end[a], -1))})

    enquiry = assessed & (rng.random(r) < 0.3)
    s_start = day + rng.integers(0, 10, r)
    fast = rng.random(r) < 0.8
    icpc = s_start + np.where(fast, rng.uniform(8, 21, r), rng.uniform(22, 40, r)).astype(np.int64)
    conference = enquiry & (rng.random(r) < 0.4)
    s = enquiry & (s_start <= end)
    held = conference & (icpc <= end)
    s47 = pd.DataFrame({"LAchildID": ids[child[s]], "CINdetailsID": cin_ids[s], "S47ActualStartDate": _iso(s_start[s]),
                        "DateOfInitialCPC": _iso(np.where(held[s], icpc[s], -1)),
                        "ICPCnotRequired": np.where(conference[s], "false", "true")})

    p = np.flatnonzero(held & (rng.random(r) < 0.85))
    long_plan = rng.random(p.size) < 0.012
    months = np.where(long_plan, rng.uniform(22, 36, p.size), rng.gamma(3, 2.7, p.size))
    p_end = icpc[p] + (months * 30.4).astype(np.int64) + 30
    earlier_plans = (rng.random(n) < 0.2).astype(int)[child[p]]  # plans before the extract began
    previous = earlier_plans + pd.Series(np.ones(p.size, int)).groupby(child[p]).cumcount().to_numpy()
    plans = pd.DataFrame({"LAchildID": ids[child[p]], "CINdetailsID": cin_ids[p],
                          "CPPID": _ids(f"P{cfg.seed:02d}", np.arange(p.size), 8), "CPPstartDate": _iso(icpc[p]),
                          "CPPendDate": _iso(np.where(p_end <= end, p_end, -1)),
                          "InitialCategoryOfAbuse": rng.choice(ABUSE, p.size), "NumberOfPreviousCPP": previous})
    return {"child_identifiers": child_ids, "cin_details": details, "assessments": assessments,
            "section47": s47, "cp_plans": plans}


# --- local tables ------------------------------------------------------------------------


def _caseloads(cfg, rng):
    workers = max(4, int(cfg.children * WORKERS_PER_CHILD_LOOKED_AFTER * 0.8))
    fte = np.where(rng.random(workers) < 0.8, 1.0, rng.choice([0.5, 0.6, 0.8], workers))
    backs = np.arange(36, -1, -1)
    periods = np.array([str(cfg.as_at.shift(-int(b))) for b in backs])
    pressure = 15.3 + 2.5 * np.sin(backs / 5)
    cases = rng.poisson(np.outer(pressure, fte))
    cases[rng.random(cases.shape) < 0.04] = 0
    return pd.DataFrame({"period": np.repeat(periods, workers),
                         "worker_id": np.tile(_ids("SW", np.arange(workers), 5), backs.size),
                         "fte": np.tile([f"{f:.1f}" for f in fte], backs.size), "cases": cases.ravel()})


def _manual(cfg, rng):
    """Manual returns: apprenticeships (year to date), health assessments, agency staff (%), and former
    unaccompanied asylum-seeking care leavers in education, employment or training (a small group)."""
    rows = []
    for back in range(36, -1, -1):  # the 13 months shown and their 24-month control-chart baseline
        period = cfg.as_at.shift(-back)
        months_in = (period.month - 4) % 12 + 1
        if back == 7:  # a month the leaving care service did not return: "not supplied", never zero
            continue
        rows.append({"indicator": "care_leavers_apprenticeships", "period": str(period),
                     "numerator": int(min(6, months_in * rng.uniform(0.3, 0.7))), "denominator": "", "value": ""})
        eligible = max(1, int(cfg.children * 0.7 * rng.uniform(0.95, 1.05)))
        rows.append({"indicator": "cla_health_assessments", "period": str(period),
                     "numerator": int(eligible * rng.uniform(0.84, 0.95)), "denominator": eligible, "value": ""})
        rows.append({"indicator": "workforce_agency_rate", "period": str(period), "numerator": "",
                     "denominator": "", "value": f"{rng.uniform(12, 24):.1f}"})
        # former unaccompanied asylum-seeking children aged 19 to 21: a small group, shown as numbers
        uasc = max(1, int(round(cfg.children * 0.025 * rng.uniform(0.8, 1.2))))
        rows.append({"indicator": "care_leavers_uasc_eet", "period": str(period),
                     "numerator": int(rng.binomial(uasc, 0.6)), "denominator": uasc, "value": ""})
    return pd.DataFrame(rows)
