"""Synthetic extracts for a fictional authority: every contract file, deterministic for a seed.

The patterns follow the published England picture closely enough for the paper to
look real (ages at entry, legal statuses, placement moves, adoption, re-referrals,
assessment timeliness, plan durations, care leavers' activity and accommodation,
caseloads), and a handful of deliberate record errors exercise the data-quality
section. No real child is behind any row.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .periods import Period
from .schema import TABLES

DAY = dt.timedelta(days=1)
FOSTER = ["U1", "U2", "U3", "U4", "U5", "U6"]
OTHER_PLACES = ["R1", "K2", "P1", "H5", "S1", "Z1", "R2", "P2"]
ENDINGS = ["E4A", "E13", "E8", "E45", "E41", "E46", "E17", "E15", "E2"]
ENDING_WEIGHTS = [0.33, 0.22, 0.17, 0.12, 0.06, 0.05, 0.025, 0.02, 0.005]
CHANGE_REASONS = ["CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD", "LAREQ", "OTHER"]
ABUSE = ["NEG", "EMO", "PHY", "SAB", "MUL"]
SOURCES = ["1A", "1B", "2A", "2B", "3A", "3B", "3C", "4", "5A", "5B", "6", "7", "8", "9", "10"]


@dataclass(frozen=True)
class SynthConfig:
    children: int = 300
    seed: int = 1
    as_at: Period = Period(2023, 11)
    years: int = 10


def _d(x: dt.date, iso: bool) -> str:
    return "" if x is None else (x.isoformat() if iso else x.strftime("%d/%m/%Y"))


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class _Writer:
    def __init__(self, out: Path):
        self.out = out
        out.mkdir(parents=True, exist_ok=True)

    def write(self, table: str, rows: list[dict]) -> None:
        spec = TABLES[table]
        with open(self.out / spec.file, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(spec.columns))
            writer.writeheader()
            writer.writerows(rows)


def synthesise(out: str | Path, children: int = 300, seed: int = 1, as_at: Period | str = Period(2023, 11)) -> Path:
    """Write a synthetic extract to ``out``: about ``children`` looked after at the end of ``as_at``."""
    cfg = SynthConfig(children, seed, Period.parse(as_at))
    rng = np.random.default_rng(seed)
    out = Path(out)
    writer = _Writer(out)
    header, episodes, leavers = _looked_after(cfg, rng)
    writer.write("header", header)
    writer.write("episodes", episodes)
    writer.write("missing", _missing(cfg, rng, header, episodes))
    writer.write("oc3", _oc3(cfg, rng, leavers))
    for name, rows in _children_in_need(cfg, rng).items():
        writer.write(name, rows)
    writer.write("caseloads", _caseloads(cfg, rng))
    writer.write("manual_outturns", _manual(cfg, rng))
    return out


# --- children looked after ---------------------------------------------------------------


def _looked_after(cfg: SynthConfig, rng):
    end = cfg.as_at.end
    start = _add_years(end, -cfg.years)
    span = (end - start).days
    # stock ~ entries per year x mean years in care (about 2.3 here, censored at 18)
    per_year = cfg.children / 2.1
    n_entries = int(per_year * cfg.years)
    header, episodes, leavers = [], [], []
    for child_no in range(1, n_entries + 1):
        child = f"C{cfg.seed:02d}{child_no:06d}"
        entry = start + dt.timedelta(days=int(rng.integers(0, span)))
        age_band = rng.choice(5, p=[0.19, 0.15, 0.17, 0.33, 0.16])
        age_days = int(rng.uniform(*[(0, 365), (365, 5 * 365), (5 * 365, 10 * 365), (10 * 365, 16 * 365),
                                     (16 * 365, 18 * 365 - 30)][age_band]))
        dob = entry - dt.timedelta(days=age_days)
        header.append({"CHILD": child, "SEX": str(rng.choice([1, 2])), "DOB": _d(dob, False),
                       "ETHNIC": str(rng.choice(["WBRI", "WOTH", "MWBC", "BAFR", "BCRB", "AIND", "OOTH"]))})
        eps, left_at = _one_child(cfg, rng, child, dob, entry, end)
        episodes.extend(eps)
        if left_at is not None and (left_at - dob).days >= 16 * 365:  # left care aged 16 or over
            leavers.append((child, dob))
    episodes.extend(_short_breaks(cfg, rng, header, start, end))
    _inject_errors(rng, episodes)
    return header, episodes, leavers


def _one_child(cfg, rng, child, dob, entry, end):
    """Episodes of one child's periods of care (a second period for some)."""
    rows = []
    age = (entry - dob).days / 365.25
    eighteen = _add_years(dob, 18)
    long_stay = rng.random() < (0.72 if age < 12 else 0.5)
    years = rng.exponential(4.2 if long_stay else 0.35)
    leave = min(entry + dt.timedelta(days=int(years * 365) + 1), eighteen)
    adopted = age < 4 and long_stay and rng.random() < 0.45
    if adopted:
        leave = min(entry + dt.timedelta(days=int(rng.uniform(420, 900))), eighteen)
    unstable = rng.random() < 0.22
    rate = rng.uniform(1.4, 3.0) if unstable else rng.uniform(0.02, 0.3)
    care_end = leave if leave <= end else None
    last = min(leave, end)
    n_moves = rng.poisson(rate * max((last - entry).days, 0) / 365.25)
    move_days = sorted({int(x) for x in rng.uniform(1, max((last - entry).days, 2), n_moves)})
    changes = [entry + dt.timedelta(days=d) for d in move_days]
    if adopted:
        placed = leave - dt.timedelta(days=int(rng.uniform(90, 300)))
        changes = [c for c in changes if c < placed] + ([placed] if entry < placed <= end else [])
    ls = "V2" if (age >= 14 and rng.random() < 0.55) or rng.random() < 0.25 else "C2"
    place = str(rng.choice(FOSTER)) if age < 15 or rng.random() < 0.5 else str(rng.choice(OTHER_PLACES))
    starts = [entry] + changes
    for k, begin in enumerate(starts):
        finish = starts[k + 1] if k + 1 < len(starts) else care_end
        if k == 0:
            rne, reason = "S", ""
        else:
            if adopted and begin == starts[-1]:
                same = rng.random() < 0.25  # a foster carer who adopts
                rne, place = ("T" if same else "P"), str(rng.choice(["A5", "A6"] if same else ["A3", "A4"]))
                ls = "E1"
            else:
                kind = rng.random()
                if kind < 0.12:
                    rne = "L"
                    ls = "C1" if ls in ("C2", "V2") else ls
                elif kind < 0.2:
                    rne = "T"
                else:
                    rne = "P"
                    place = str(rng.choice(FOSTER)) if rng.random() < 0.75 else str(rng.choice(OTHER_PLACES))
            reason = "" if rne == "L" else str(rng.choice(CHANGE_REASONS))
        if finish is None:
            rec = ""
        elif k + 1 < len(starts):
            rec = "X1"
        else:
            rec = str(rng.choice(["E11", "E12"], p=[0.85, 0.15])) if adopted else str(
                rng.choice(ENDINGS, p=ENDING_WEIGHTS))
        rows.append({"CHILD": child, "DECOM": _d(begin, False), "RNE": rne, "LS": ls,
                     "CIN": str(rng.choice(["N1", "N1", "N1", "N2", "N3", "N4", "N5", "N8"])), "PLACE": place,
                     "PLACE_PROVIDER": str(rng.choice(["PR1", "PR1", "PR4", "PR5", "PR2"])),
                     "DEC": _d(finish, False) if finish else "", "REC": rec, "REASON_PLACE_CHANGE": reason})
    # some return to care: a second period of care after a gap
    if care_end is not None and not adopted and rng.random() < 0.1:
        again = care_end + dt.timedelta(days=int(rng.uniform(60, 700)))
        if again < min(end, eighteen - dt.timedelta(days=60)):
            back = min(again + dt.timedelta(days=int(rng.exponential(500)) + 1), eighteen)
            rows.append({"CHILD": child, "DECOM": _d(again, False), "RNE": "S", "LS": "C2", "CIN": "N1",
                         "PLACE": str(rng.choice(FOSTER)), "PLACE_PROVIDER": "PR1",
                         "DEC": _d(back, False) if back <= end else "",
                         "REC": str(rng.choice(ENDINGS, p=ENDING_WEIGHTS)) if back <= end else "",
                         "REASON_PLACE_CHANGE": ""})
            care_end = back if back <= end else None
    return rows, care_end


def _short_breaks(cfg, rng, header, start, end):
    rows = []
    for k in range(max(2, cfg.children // 25)):
        child = f"B{cfg.seed:02d}{k:05d}"
        dob = end - dt.timedelta(days=int(rng.uniform(5 * 365, 16 * 365)))
        header.append({"CHILD": child, "SEX": "1", "DOB": _d(dob, False), "ETHNIC": "WBRI"})
        day = end - dt.timedelta(days=int(rng.uniform(30, 700)))
        for _ in range(int(rng.integers(1, 5))):
            stop = day + dt.timedelta(days=int(rng.integers(1, 4)))
            if stop > end:
                break
            rows.append({"CHILD": child, "DECOM": _d(day, False), "RNE": "S", "LS": "V3", "CIN": "N1",
                         "PLACE": "R1", "PLACE_PROVIDER": "PR1", "DEC": _d(stop, False), "REC": "E13",
                         "REASON_PLACE_CHANGE": ""})
            day = stop + dt.timedelta(days=int(rng.integers(20, 90)))
    return rows


def _inject_errors(rng, episodes):
    """A few records that break the contract, as real extracts have."""
    if len(episodes) < 50:
        return
    picks = rng.choice(len(episodes), size=3, replace=False)
    episodes[int(picks[0])]["PLACE"] = "Q9"  # unknown code
    closed = [i for i in range(len(episodes)) if episodes[i]["DEC"]]
    victim = episodes[closed[int(rng.integers(len(closed)))]]
    victim["DEC"], victim["DECOM"] = victim["DECOM"], victim["DEC"]  # DEC before DECOM
    episodes[int(picks[2])]["RNE"] = ""  # blank code


def _missing(cfg, rng, header, episodes):
    end = cfg.as_at.end
    dob = {h["CHILD"]: h["DOB"] for h in header}
    rows = []
    recent = end - dt.timedelta(days=3 * 365)
    for ep in episodes:
        if not ep["DECOM"] or ep["LS"] in ("V3", "V4"):
            continue
        begin = dt.datetime.strptime(ep["DECOM"], "%d/%m/%Y").date()
        finish = dt.datetime.strptime(ep["DEC"], "%d/%m/%Y").date() if ep["DEC"] else end
        if finish < recent or finish <= begin or rng.random() > 0.09:
            continue
        for _ in range(int(rng.integers(1, 4))):
            day = begin + dt.timedelta(days=int(rng.integers(0, (finish - begin).days)))
            if day < recent:
                continue
            back = day + dt.timedelta(days=int(rng.integers(0, 5)))
            rows.append({"CHILD": ep["CHILD"], "DOB": dob.get(ep["CHILD"], ""),
                         "MISSING": "M" if rng.random() < 0.7 else "A", "MIS_START": _d(day, False),
                         "MIS_END": _d(back, False) if back <= end else ""})
    return rows


def _oc3(cfg, rng, leavers):
    rows = []
    end = cfg.as_at.end
    for child, dob in leavers:
        age = (end - dob).days / 365.25
        if not 17.5 <= age < 22:
            continue
        in_touch = str(rng.choice(["YES", "NO", "REFU", "NREQ", "DIED", "RHOM"],
                                  p=[0.86, 0.05, 0.03, 0.025, 0.005, 0.03]))
        eet = rng.random() < 0.54
        activ = str(rng.choice(["F1", "P1", "F2", "P2", "F4", "F5"])) if eet else str(
            rng.choice(["G4", "G5", "G6", "0"], p=[0.35, 0.35, 0.2, 0.1]))
        accom = (str(rng.choice(list("BCDEGHKRSTUVWXYZ"))) + "1") if rng.random() < 0.86 else (
            str(rng.choice(list("BCDEGHKRSTUVWXYZ"))) + "2" if rng.random() < 0.7 else "0")
        rows.append({"CHILD": child, "DOB": _d(dob, False), "IN_TOUCH": in_touch, "ACTIV": activ, "ACCOM": accom})
    return rows


# --- children in need ------------------------------------------------------------------


def _children_in_need(cfg, rng):
    end = cfg.as_at.end
    start = _add_years(end, -4)
    span = (end - start).days
    per_year = cfg.children * 7.3
    n_first = int(per_year * 4 * 0.78)
    ids, details, assessments, s47s, plans = [], [], [], [], []
    ref_no = plan_no = 0
    for k in range(n_first):
        child = f"N{cfg.seed:02d}{k:07d}"
        dob = start + dt.timedelta(days=int(rng.integers(0, span))) - dt.timedelta(days=int(rng.uniform(0, 17 * 365)))
        ids.append({"LAchildID": child, "PersonBirthDate": _d(dob, True), "Sex": str(rng.choice(["M", "F"]))})
        day = start + dt.timedelta(days=int(rng.integers(0, span)))
        previous_plans = 1 if rng.random() < 0.14 else 0
        while day <= end:
            ref_no += 1
            cin = f"R{ref_no:08d}"
            nfa = rng.random() < 0.08
            close = day if nfa else day + dt.timedelta(days=int(rng.exponential(150)) + 10)
            details.append({"LAchildID": child, "CINdetailsID": cin, "CINreferralDate": _d(day, True),
                            "ReferralSource": str(rng.choice(SOURCES)), "PrimaryNeedCode": str(
                                rng.choice(["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9"])),
                            "CINclosureDate": _d(close, True) if close <= end else "",
                            "ReasonForClosure": str(rng.choice(["RC1", "RC2", "RC3", "RC4", "RC8"]))
                            if close <= end else "", "ReferralNFA": "true" if nfa else "false"})
            if not nfa and rng.random() < 0.92:
                a_start = day + dt.timedelta(days=int(rng.integers(0, 6)))
                slow = rng.random() < 0.2
                a_days = int(rng.uniform(50, 110)) if slow else int(rng.gamma(4, 7)) + 5
                a_end = a_start + dt.timedelta(days=a_days)
                if a_start <= end:
                    assessments.append({"LAchildID": child, "CINdetailsID": cin,
                                        "AssessmentActualStartDate": _d(a_start, True),
                                        "AssessmentAuthorisationDate": _d(a_end, True) if a_end <= end else ""})
                if rng.random() < 0.22:
                    s_start = day + dt.timedelta(days=int(rng.integers(0, 10)))
                    icpc = None
                    if rng.random() < 0.45:
                        icpc = s_start + dt.timedelta(days=int(rng.uniform(8, 21)) if rng.random() < 0.8 else
                                                      int(rng.uniform(22, 40)))
                    if s_start <= end:
                        s47s.append({"LAchildID": child, "CINdetailsID": cin, "S47ActualStartDate": _d(s_start, True),
                                     "DateOfInitialCPC": _d(icpc, True) if icpc and icpc <= end else "",
                                     "ICPCnotRequired": "false" if icpc else "true"})
                    if icpc and icpc <= end and rng.random() < 0.85:
                        plan_no += 1
                        months = rng.exponential(8) if rng.random() < 0.975 else rng.uniform(22, 36)
                        p_end = icpc + dt.timedelta(days=int(months * 30.4) + 30)
                        plans.append({"LAchildID": child, "CINdetailsID": cin, "CPPID": f"P{plan_no:07d}",
                                      "CPPstartDate": _d(icpc, True), "CPPendDate": _d(p_end, True) if p_end <= end
                                      else "", "InitialCategoryOfAbuse": str(rng.choice(ABUSE)),
                                      "NumberOfPreviousCPP": str(previous_plans)})
                        previous_plans += 1
            roll = rng.random()
            if roll < 0.21:
                day = day + dt.timedelta(days=int(rng.uniform(14, 365)))
            elif roll < 0.34:
                day = day + dt.timedelta(days=int(rng.uniform(366, 1000)))
            else:
                break
    return {"child_identifiers": ids, "cin_details": details, "assessments": assessments,
            "section47": s47s, "cp_plans": plans}


# --- local tables ------------------------------------------------------------------------


def _caseloads(cfg, rng):
    rows = []
    workers = max(4, cfg.children // 5)
    fte = [1.0 if rng.random() < 0.8 else float(rng.choice([0.5, 0.6, 0.8])) for _ in range(workers)]
    for back in range(36, -1, -1):
        period = cfg.as_at.shift(-back)
        pressure = 15.5 + 2.5 * np.sin(back / 5)
        for w in range(workers):
            cases = 0 if rng.random() < 0.04 else int(rng.poisson(pressure * fte[w]))
            rows.append({"period": str(period), "worker_id": f"SW{w:04d}", "fte": f"{fte[w]:.1f}", "cases": cases})
    return rows


def _manual(cfg, rng):
    """Manual returns: apprenticeships (year to date), health assessments and agency staff (%)."""
    rows = []
    for back in range(24, -1, -1):
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
    return rows
