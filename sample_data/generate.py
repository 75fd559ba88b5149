"""The synthetic sample data set of the fictional FCC Example (code XMP).

`generate(out_dir)` writes daily rosters produced by the flow model in `_flow.py`,
the pending designations and redesignations of the last day, a findings log and
a national facility_counts file, all consistent with one another. Every person
and number is made up; the same seed gives byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd

from loaders.config import LEVELS, Facility, Level, level_rank, load_facility, load_rules
from sample_data import _codes as F
from sample_data import _names as N
from sample_data._events import Person
from sample_data._findings import findings_frame
from sample_data._flow import Flow, FlowRates
from sample_data._national import HOME_NAME, facility_counts_frame, pick_facility

FACILITY_FILE = Path(__file__).with_name("facility.toml")
DEFAULT_END = dt.date(2026, 11, 21)
LEVEL_CODES = {F.MIN: "MIN", F.LOW: "LOW", F.MED: "MED", F.HIGH: "HI", F.UNAS: "UNAS"}
LEVEL_FULL = {F.MIN: "MINIMUM", F.LOW: "LOW", F.MED: "MEDIUM", F.HIGH: "HIGH", F.UNAS: "UNASSIGNED"}
CUSTODY_CODES = ("MAX", "IN", "OUT", "COMM")
ROSTER_HEADER = (
    "Reg No",
    "Name",
    "Sex",
    "DOB",
    "Unit",
    "Qtrs",
    "Sec Lvl",
    "Sec Pts",
    "Cust",
    "PSF",
    "MGTV",
    "MGTV Exp",
    "Med Care Lvl",
    "MH Care Lvl",
    "Arr Date",
    "Init Class Date",
    "Last Review",
    "Proj Rel Date",
    "Rel Method",
    "Detainer",
    "CIM",
    "CM",
)
README = """FCC Example sample data
=======================

Everything in this folder is FICTIONAL. FCC Example (code XMP) does not exist.
Inmate names are random pairings of common given names and surnames, register
numbers are random, and every count, date and finding is made up by a
simulation (popdash sample, seed {seed}). facility_counts.csv uses the names of
real federal facilities (public list, MIT licence) with FICTIONAL numbers: they
are not those facilities' populations or capacities.
"""


def generate(
    out_dir: str | os.PathLike[str],
    days: int = 730,
    seed: int = 7,
    *,
    end: dt.date | None = None,
    rates: FlowRates | None = None,
) -> dict:
    """Write the sample data set into out_dir and return a summary of what was written.

    `rates` changes the flow rates of the simulation (sample_data._flow.FlowRates); the
    default is the shipped sample data.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    end = end or DEFAULT_END
    start = end - dt.timedelta(days=days - 1)
    out = Path(out_dir)
    _prepare(out)
    facility = load_facility(FACILITY_FILE)
    flow = _run_flow(facility, days, seed, start, rates)
    dates = _DateText(start)
    people = _people(flow, dates)
    rosters = _write_rosters(out, flow, people, facility, dates, days)
    rng = np.random.default_rng(seed + 1)
    desig = _designations(flow, people, dates, days - 1, rng)
    redes = _redesignations(flow, people, dates, days - 1, rng)
    desig.to_csv(out / f"designations_{end.isoformat()}.csv", index=False)
    redes.to_csv(out / f"redesignations_{end.isoformat()}.csv", index=False)
    findings = findings_frame(end, np.random.default_rng(seed + 2))
    findings.to_csv(out / "findings.csv", index=False)
    counts = facility_counts_frame(
        start,
        days,
        np.random.default_rng(seed + 3),
        rosters["population"],
        facility.rated_capacity,
        _home_pending(flow, days),
    )
    counts.to_csv(out / "facility_counts.csv", index=False)
    shutil.copyfile(FACILITY_FILE, out / "facility.toml")
    (out / "README.txt").write_text(README.format(seed=seed))
    return {
        "out_dir": str(out),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "days": days,
        "seed": seed,
        "roster_files": days,
        "roster_rows": int(sum(rosters["population"])),
        "population_first": int(rosters["population"][0]),
        "population_last": int(rosters["population"][-1]),
        "designations": len(desig),
        "redesignations": len(redes),
        "findings": len(findings),
        "facility_counts": len(counts),
    }


def _prepare(out: Path) -> None:
    """An empty folder, or an earlier sample set (whose rosters go, so no stale day is left behind)."""
    if out.exists() and any(out.iterdir()):
        readme = out / "README.txt"
        if not (readme.is_file() and readme.read_text(errors="replace").startswith(README[:23])):
            raise ValueError(f"{out} is not empty and holds no earlier sample data; choose an empty folder")
        for old in (out / "roster").glob("roster_*.csv"):
            old.unlink()
    (out / "roster").mkdir(parents=True, exist_ok=True)


def _run_flow(facility: Facility, days: int, seed: int, start: dt.date, rates: FlowRates | None = None) -> Flow:
    rules = load_rules()
    codes = {"MINIMUM": F.MIN, "LOW": F.LOW, "MEDIUM": F.MED, "HIGH": F.HIGH, "ADMINISTRATIVE": F.ADMIN}
    unit_levels = [codes[facility.unit_level(u.name)] for u in facility.units]
    caps = [u.operational_capacity or u.rated_capacity for u in facility.units]
    lookup = rules.psf_lookup()
    floors = [max([level_rank(lookup[nm].floor_m) for nm in name.split(";") if nm] or [0]) for name in F.PSF_NAMES]
    ranges = rules.points["M"]
    points_lo = [ranges[cast(Level, lv)][0] for lv in LEVELS[1:]]  # LEVELS holds the Level names, in order
    flow = Flow(unit_levels, caps, floors, points_lo, days, seed, rates=rates)
    flow.run(start.weekday())
    return flow


class _DateText:
    """Day numbers -> date text, vectorised through a lookup table."""

    def __init__(self, start: dt.date) -> None:
        self.start = start

    def __call__(self, day: np.ndarray, fmt: str = "%m/%d/%Y") -> np.ndarray:
        day = np.asarray(day, dtype=np.int64)
        out = np.full(day.shape, "", dtype=object)
        ok = day != F.NO
        if ok.any():
            stamps = pd.Timestamp(self.start) + pd.to_timedelta(day[ok], unit="D")
            out[ok] = np.asarray(stamps.strftime(fmt), dtype=object)
        return out

    def date(self, day: int) -> dt.date:
        return self.start + dt.timedelta(days=int(day))

    def one(self, day: int, fmt: str = "%m/%d/%Y") -> str:
        """One day number as text ('' for no date): cheaper than the vectorised call for a scalar."""
        return "" if day == F.NO else self.date(day).strftime(fmt)


def _people(flow: Flow, dates: _DateText) -> pd.DataFrame:
    """Static text per person: register number, name, dates that never change."""
    n, P = flow.n + 8, flow.p  # a few spare slots for people who never arrive
    serial = P["serial"][:n]
    district = np.asarray(N.DISTRICT_CODES, dtype=object)[P["district"][:n] % len(N.DISTRICT_CODES)]
    reg = np.char.add(np.char.add(np.char.zfill(serial.astype(str), 5), "-"), district.astype(str))
    last = np.asarray(N.SURNAMES, dtype=object)[P["last"][:n] % len(N.SURNAMES)]
    first = np.asarray(N.GIVEN_NAMES, dtype=object)[P["first"][:n] % len(N.GIVEN_NAMES)]
    return pd.DataFrame(
        {
            "reg": reg.astype(object),
            "last": last,
            "first": first,
            "dob": dates(P["birth"][:n]),
            "arrival": dates(P["arrival"][:n]),
            "prd": np.where(P["life"][:n] == 1, "LIFE", dates(P["prd"][:n])).astype(object),
            "relm": np.asarray(N.RELEASE_METHODS, dtype=object)[P["relm"][:n] % len(N.RELEASE_METHODS)],
            "detainer": np.where(P["detainer"][:n] == 1, "Y", "N").astype(object),
            "cim": np.asarray(("",) + N.CIM_CATEGORIES, dtype=object)[np.where(P["cim"][:n] == F.NO, 0, P["cim"][:n])],
        }
    )


def _case_managers(unit_names: list[str]) -> dict[str, tuple[str, str]]:
    """Two made-up case managers per unit, as 'INITIAL. SURNAME'."""
    out = {}
    for k, unit in enumerate(unit_names):
        a, b = (7 * k + 3) % len(N.SURNAMES), (11 * k + 29) % len(N.SURNAMES)
        out[unit] = (
            f"{N.INITIALS[k % len(N.INITIALS)]}. {N.SURNAMES[a]}",
            f"{N.INITIALS[(k + 5) % len(N.INITIALS)]}. {N.SURNAMES[b]}",
        )
    return out


def _segment_lines(
    flow: Flow, people: pd.DataFrame, facility: Facility, dates: _DateText
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """One CSV line per segment, sorted as the export sorts (unit, name)."""
    seg = flow.segments()
    units = [u.name for u in facility.units]
    unit = np.asarray(units, dtype=object)[seg["unit"]]
    person = seg["person"]
    pp = people.iloc[person]
    cms = _case_managers(units)
    cm = np.array([cms[u][s % 2] for u, s in zip(unit, flow.p["serial"][person])], dtype=object)
    bed = seg["bed"]
    qtrs = [f"{u}-{b // 2:03d}{'LU'[b % 2]}" for u, b in zip(unit, bed)]
    cols = [
        pp["reg"].to_numpy(),
        ('"' + pp["last"] + ", " + pp["first"] + '"').to_numpy(),
        np.full(len(unit), "M", dtype=object),
        pp["dob"].to_numpy(),
        unit,
        np.asarray(qtrs, dtype=object),
        np.asarray([LEVEL_CODES[s] for s in seg["scored"]], dtype=object),
        seg["points"].astype(str).astype(object),
        np.asarray(CUSTODY_CODES, dtype=object)[seg["custody"]],
        np.asarray(F.PSF_NAMES, dtype=object)[seg["psf"]],
        np.asarray(F.MGTV_NAMES, dtype=object)[seg["mgtv"]],
        dates(seg["mgtv_exp"]),
        seg["med"].astype(str).astype(object),
        seg["mh"].astype(str).astype(object),
        pp["arrival"].to_numpy(),
        dates(seg["init_class"]),
        dates(seg["last_review"]),
        pp["prd"].to_numpy(),
        pp["relm"].to_numpy(),
        pp["detainer"].to_numpy(),
        pp["cim"].to_numpy(),
        cm,
    ]
    lines = np.asarray([",".join(row) for row in zip(*cols)], dtype=object)
    order = np.lexsort((pp["reg"].to_numpy(), pp["first"].to_numpy(), pp["last"].to_numpy(), seg["unit"]))
    return {k: v[order] for k, v in seg.items()}, lines[order]


def _write_rosters(
    out: Path, flow: Flow, people: pd.DataFrame, facility: Facility, dates: _DateText, days: int
) -> dict[str, list[int]]:
    seg, lines = _segment_lines(flow, people, facility, dates)
    header = ",".join(ROSTER_HEADER)
    population = []
    live = seg["start"] < days
    start, end, lines = seg["start"][live], seg["end"][live], lines[live]
    for t in range(days):
        on = (start <= t) & (end > t)
        population.append(int(on.sum()))
        text = header + "\n" + "\n".join(lines[on]) + "\n"
        (out / "roster" / f"roster_{dates.date(t).isoformat()}.csv").write_text(text, encoding="utf-8")
    return {"population": population}


def _designations(
    flow: Flow, people: pd.DataFrame, dates: _DateText, last: int, rng: np.random.Generator
) -> pd.DataFrame:
    """Pending designations on the last day: the next arrivals of the flow model, plus two it cannot take."""
    P, n = flow.p, flow.n
    idx = np.nonzero((P["arrival"][:n] > last) & (P["desig_day"][:n] <= last) & (P["via_transfer"][:n] == 0))[0]
    rows = []
    for i in idx:
        arrival = int(P["arrival"][i])
        u = rng.random()
        if u < 0.15:
            status, expected = "VOLUNTARY SURRENDER", arrival
        elif arrival - last <= 4:
            status, expected = "IN TRANSIT", arrival
        elif u < 0.35:
            status, expected = "HOLDOVER", F.NO
        else:
            status, expected = "AWAITING TRANSPORT", arrival if u < 0.6 else F.NO
        rows.append(_desig_row(flow, people, dates, i, status, int(P["desig_day"][i]), expected, rng))
    for k, spare in enumerate((n, n + 1)):  # need more security than the complex has
        row = _desig_row(flow, people, dates, spare, ("AWAITING TRANSPORT", "HOLDOVER")[k], last - 4 - 5 * k, F.NO, rng)
        row.update(
            security_level="HIGH",
            custody="IN",
            psf="",
            mgtv="",
            mgtv_expires="",
            medical_care_level="1",
            mental_health_care_level="1",
            projected_release_date=dates.one(last + 3000 + 400 * k),
        )
        rows.append(row)
    frame = pd.DataFrame(rows)
    return frame.sort_values(["designation_date_sort", "register_number"]).drop(columns="designation_date_sort")


def _desig_row(
    flow: Flow,
    people: pd.DataFrame,
    dates: _DateText,
    i: Person,
    status: str,
    desig_day: int,
    expected: int,
    rng: np.random.Generator,
) -> dict:
    P, p = flow.p, people.iloc[i]
    custody = int(P["custody"][i]) if P["custody"][i] != F.NO else F.C_IN
    return {
        "register_number": p["reg"],
        "last_name": p["last"],
        "first_name": p["first"],
        "sex": "M",
        "security_level": LEVEL_FULL.get(int(P["desig_level"][i]), "HIGH"),
        "custody": CUSTODY_CODES[custody],
        "psf": F.PSF_NAMES[int(P["psf"][i]) % len(F.PSF_NAMES)] if P["psf"][i] != F.NO else "",
        "mgtv": F.MGTV_NAMES[int(P["mgtv"][i])] if P["mgtv"][i] != F.NO else "",
        "mgtv_expires": dates.one(P["mgtv_exp"][i]),
        "medical_care_level": str(int(P["med"][i])) if P["med"][i] != F.NO else "1",
        "mental_health_care_level": str(int(P["mh"][i])) if P["mh"][i] != F.NO else "1",
        "projected_release_date": p["prd"],
        "status": status,
        "designation_date": dates.one(desig_day),
        "designation_date_sort": desig_day,
        "expected_arrival_date": dates.one(expected),
        "current_location": str(rng.choice(N.HOLDOVER_LOCATIONS)) if status == "HOLDOVER" else "",
        "sentencing_district": str(rng.choice(N.SENTENCING_DISTRICTS)),
    }


def _redesignations(
    flow: Flow, people: pd.DataFrame, dates: _DateText, last: int, rng: np.random.Generator
) -> pd.DataFrame:
    """Every redesignation requested up to the last day, both directions, with its status then."""
    rows = []
    # requests of the period, and older ones still under way on its first day
    records = [
        r
        for r in flow.redesignations
        if r["request"] <= last and (r["decision"] >= 0 or (r["move"] != F.NO and r["move"] >= 0))
    ]
    for k, i in enumerate(range(flow.n + 2, flow.n + 5)):  # inbound requests that never come
        request = last - 40 - 17 * k
        records.append(
            dict(
                person=i,
                direction="IN",
                transfer_type=("NEARER RELEASE", "PROGRAM", "LESSER SECURITY")[k],
                request=request,
                decision=request + 12,
                outcome=("DENIED", "CANCELLED", "DENIED")[k],
                move=F.NO,
                level=F.MED,
                target=F.MED,
            )
        )
    for r in sorted(records, key=lambda r: (r["request"], r["person"])):
        status, decision, move = _status(r, last)
        if (
            r["direction"] == "OUT"
            and status != "COMPLETED"
            and not flow.present[r["person"]]
            and flow.depart[r["person"]] <= last
        ):
            continue  # a refused request of someone who has left since: not in the export
        other = pick_facility(r["transfer_type"], r["target"] if r["direction"] == "OUT" else r["level"], rng)
        rows.append(
            {
                "register_number": people["reg"].iat[r["person"]],
                "direction": r["direction"],
                "transfer_type": r["transfer_type"],
                "request_date": dates.one(r["request"], "%Y-%m-%d"),
                "status": status,
                "from_facility": HOME_NAME if r["direction"] == "OUT" else other,
                "to_facility": other if r["direction"] == "OUT" else HOME_NAME,
                "security_level": LEVEL_FULL[r["level"]],
                "target_security_level": LEVEL_FULL[r["target"]],
                "decision_date": dates.one(decision, "%Y-%m-%d"),
                "expected_move_date": dates.one(move, "%Y-%m-%d"),
            }
        )
    return pd.DataFrame(rows)


def _home_pending(flow: Flow, days: int) -> tuple[np.ndarray, np.ndarray]:
    """Per day: designations and approved transfers on their way in, approved transfers out."""
    P, n = flow.p, flow.n
    spans_in = [
        (int(d), int(a))
        for d, a, v in zip(P["desig_day"][:n], P["arrival"][:n], P["via_transfer"][:n])
        if v == 0 and d != F.NO
    ]
    spans_in += [
        (r["decision"], r["move"]) for r in flow.redesignations if r["direction"] == "IN" and r["outcome"] == "APPROVED"
    ]
    spans_out = [
        (r["decision"], r["move"])
        for r in flow.redesignations
        if r["direction"] == "OUT" and r["outcome"] == "APPROVED"
    ]
    return _open_per_day(spans_in, days), _open_per_day(spans_out, days)


def _open_per_day(spans: list[tuple[int, int]], days: int) -> np.ndarray:
    """How many [start, stop) spans cover each day."""
    delta = np.zeros(days + 1, dtype=np.int64)
    for a, b in spans:
        a, b = max(a, 0), min(b, days)
        if a < b:
            delta[a] += 1
            delta[b] -= 1
    return np.cumsum(delta)[:days]


def _status(r: dict, last: int) -> tuple[str, int, int]:
    """Status, decision day and move day of a redesignation as seen on the last day."""
    if r["decision"] > last:
        return "PENDING", F.NO, F.NO
    if r["outcome"] != "APPROVED":
        return r["outcome"], r["decision"], F.NO
    if r["move"] <= last:
        return "COMPLETED", r["decision"], r["move"]
    if r["direction"] == "IN" and r["move"] - last <= 3:
        return "IN TRANSIT", r["decision"], r["move"]
    return "APPROVED", r["decision"], r["move"]
