"""Daily flow model behind the sample rosters.

Each person is one slot in fixed-size arrays. Every day applies releases and
transfers out, arrivals, initial classifications, program reviews (with the
reclassifications they bring), unit moves, SHU stays, redesignation requests and
the odd data-entry slip. A person whose roster line changed opens a new
*segment* (a run of days with an identical line), so writing a day's roster is
a filter over segments rather than a rebuild. Days are integers: 0 is the first
roster day, `days - 1` the last; negative days are the past before it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from sample_data._codes import (
    ADMIN,
    ALLOWED,
    C_COMM,
    C_IN,
    C_OUT,
    DEFAULT_CUSTODY,
    LIFE_YEARS,
    LOW,
    MED,
    MGTV_DOWN,
    MGTV_UP,
    MIN,
    MUTABLE,
    NO,
    PSF_LOW,
    PSF_MED,
    SCHEDULE,
    STATIC,
    UNAS,
)
from sample_data._events import Events, Person


@dataclass(frozen=True)
class FlowRates:
    """The flow rates of the simulation; the defaults give the shipped sample data.

    Other values make a history with other dynamics (bench/bench_institution.py measures the
    projection on one the tests never see).
    """

    growth: float = 48.0  # population the target grows by over two years
    swing: float = 22.0  # amplitude of the yearly swing of the target
    pull: float = 0.07  # share of the gap to the target that arrivals close per day
    transfer_share: float = 0.28  # arrivals that come by redesignation rather than designation
    designation_lag: float = 11.0  # scale of the gamma(2, .) days from designation to arrival
    sentence_scale: float = 1.0  # multiplies the mean years left to serve at arrival


class Flow(Events):
    """The simulation; call `run()`, then read `segments()`, `people` and `redesignations`."""

    def __init__(
        self,
        unit_levels: Sequence[int],
        unit_caps: Sequence[float],
        psf_floor: Sequence[int],
        points_lo: Sequence[int],
        days: int,
        seed: int,
        look: int = 75,
        rates: FlowRates | None = None,
    ) -> None:
        self.rates = rates or FlowRates()
        self.rng = np.random.default_rng(seed)
        self.days, self.look = days, look
        self.unit_levels = np.asarray(unit_levels)
        self.unit_caps = np.asarray(unit_caps, dtype=float)
        self.psf_floor = np.asarray(psf_floor)  # PSF index -> floor level (MIN when none)
        self.points_lo = points_lo  # lower bounds of LOW, MEDIUM, HIGH
        self.groups = {lv: np.nonzero(self.unit_levels == lv)[0] for lv in (MIN, LOW, MED)}
        self.shu = int(np.nonzero(self.unit_levels == ADMIN)[0][0])
        cap = 2200 + 6 * (days + look)
        self.n = 0
        self.p = {c: np.full(cap, NO, dtype=np.int64) for c in MUTABLE + STATIC + SCHEDULE}
        self.present = np.zeros(cap, dtype=bool)
        self.dirty = np.zeros(cap, dtype=bool)
        self.cur_seg = np.full(cap, -1, dtype=np.int64)
        self.depart = np.full(cap, NO, dtype=np.int64)
        self.depart_reason = np.zeros(cap, dtype=np.int8)  # 1 release, 2 transfer
        self.unit_count = np.zeros(len(unit_levels), dtype=np.int64)
        self.seg_chunks: list[dict] = []
        self.seg_end = np.full(1 << 16, NO, dtype=np.int64)
        self.nseg = 0
        self.redesignations: list[dict] = []
        self.departures: list[int] = []
        serials = self.rng.choice(np.arange(1, 100000), size=cap, replace=False)
        self.p["serial"][:] = serials

    # ---- levels -------------------------------------------------------------
    def level_of_points(self, pts: int) -> int:
        return int(np.searchsorted(self.points_lo, pts, side="right"))

    def required(self, i: Person) -> int:
        s = self.p["scored"][i]
        base = self.level_of_points(self.p["points"][i]) if s == UNAS else s
        return max(base, int(self.psf_floor[self.p["psf"][i]]))

    def mgtv_active(self, i: Person, t: int) -> bool:
        return self.p["mgtv"][i] > 0 and self.p["mgtv_exp"][i] >= t

    def target(self, t: int) -> float:
        """Population the complex is steered towards: slow growth plus a yearly swing."""
        return 1785 + self.rates.growth * t / 730 + self.rates.swing * math.sin(2 * math.pi * (t - 60) / 365.25)

    # ---- people -------------------------------------------------------------
    def _points(self, level: int) -> int:
        lo = [0] + list(self.points_lo)
        hi = [lo[1] - 1, lo[2] - 1, lo[3] - 1, lo[3] + 8]
        low = 3 if level == MIN else lo[level]
        return int(self.rng.integers(low, hi[level] + 1))

    def create(self, arrival: int, level: int, t_now: int, weekday: Callable[[int], int]) -> int:
        """A new person placed at `level` (MIN/LOW/MED), arriving on `arrival`."""
        r, P = self.rng, self.p
        i = self.n
        self.n += 1
        P["district"][i] = r.integers(0, 1000)
        P["first"][i], P["last"][i] = r.integers(0, 1000), r.integers(0, 1000)
        P["birth"][i] = arrival - int(r.integers(20 * 365, 62 * 365))
        P["detainer"][i] = int(r.random() < 0.12)
        P["cim"][i] = int(r.integers(1, 5)) if r.random() < 0.03 else 0
        P["relm"][i] = r.integers(0, 1000)
        P["med"][i] = 2 if r.random() < 0.3 else 1
        P["mh"][i] = 2 if r.random() < 0.15 else 1
        mean_years = {MIN: 1.4, LOW: 3.6, MED: 5.0}[level] * self.rates.sentence_scale
        rem = int(min(LIFE_YEARS * 365, r.exponential(mean_years * 365)))
        prd = t_now + 1 + rem if arrival < t_now else arrival + 90 + rem
        P["prd"][i] = weekday(prd)
        P["life"][i] = int(rem == LIFE_YEARS * 365)  # the export says LIFE, not this far-off date
        scored, psf, mgtv = level, 0, 0
        u = r.random()
        if level == LOW and u < 0.18:
            scored, psf = MIN, int(r.choice(PSF_LOW))
        elif level == LOW and u < 0.22:
            scored, mgtv = MED, int(r.choice(MGTV_DOWN))
        elif level == MED and u < 0.06:
            scored, psf = LOW, int(r.choice(PSF_MED))
        elif level == MED and u < 0.11:
            scored, mgtv = LOW, int(r.choice(MGTV_UP))
        elif level == MED and u < 0.20:
            psf = int(r.choice(PSF_LOW))
        elif level == MIN and u < 0.03:
            psf, mgtv = 1, 6
        elif level == MIN and u < 0.05:
            scored, mgtv = LOW, 7
        P["scored"][i], P["psf"][i], P["mgtv"][i] = scored, psf, mgtv
        P["points"][i] = self._points(scored)
        if mgtv and r.random() < 0.6:
            P["mgtv_exp"][i] = arrival + int(r.integers(120, 720))
        cust = {MED: (C_IN, 0.8), LOW: (C_IN, 0.4), MIN: (C_COMM, 0.3)}[level]
        P["custody"][i] = cust[0] if r.random() < cust[1] else C_OUT
        P["arrival"][i], P["desig_level"][i] = arrival, scored
        P["home"][i] = level
        return i

    def place(self, i: Person, level: int, t: int) -> None:
        """Put person i in the emptiest-looking unit of a level group."""
        units = self.groups[level]
        free = np.maximum(self.unit_caps[units] - self.unit_count[units], 0.5)
        u = int(self.rng.choice(units, p=free / free.sum())) if len(units) > 1 else int(units[0])
        self._set_unit(i, u)
        self.p["home"][i] = level
        if self.p["custody"][i] not in ALLOWED[level]:
            self.p["custody"][i] = DEFAULT_CUSTODY[level]

    def _set_unit(self, i: Person, u: int) -> None:
        old = self.p["unit"][i]
        if 0 <= old < NO and self.present[i]:
            self.unit_count[old] -= 1
        self.p["unit"][i] = u
        self.p["bed"][i] = self.rng.integers(1, int(self.unit_caps[u] // 2) + 1) * 2 + self.rng.integers(0, 2)
        if self.present[i]:
            self.unit_count[u] += 1
        self.dirty[i] = True

    def next_review(self, i: Person, t: int) -> int:
        # Teams keep the 90-day cycle once release could fall within 12 months before the next review.
        near = self.p["prd"][i] - t <= 365 + 180
        due = t + (90 if near else 180)
        r = self.rng.random()
        if r < 0.9:
            return due - int(self.rng.integers(0, 22))
        return due + int(self.rng.integers(1, 45))  # late reviews happen

    # ---- the run ------------------------------------------------------------
    def run(self, wd0: int, warm: int = 180) -> None:
        """Simulate from `warm` days before day 0 to the last day plus the look-ahead; wd0 = weekday of day 0.

        The warm-up lets transfers, moves and reviews already be under way on the first roster day.
        """
        self.wd0, self.t0 = wd0, -warm
        self.force_unclassified = self.days - 37
        self.slips = self._plan_slips()
        self._initial(self.t0)
        for t in range(self.t0, self.days + self.look):
            self._day(t)

    def weekday(self, d: int) -> int:
        return (self.wd0 + d) % 7

    def weekday_back(self, d: int) -> int:
        """The working day on or before d (releases do not fall on weekends)."""
        wd = self.weekday(d)
        return d - (wd - 4) if wd > 4 else d

    def _initial(self, t0: int) -> None:
        """The population on day t0, before the warm-up: people mid-sentence, classified and reviewed."""
        r, P = self.rng, self.p
        levels = r.choice([MED, LOW, MIN], size=1790, p=[0.468, 0.367, 0.165])
        for level in levels:
            arrival = t0 - 1 - int(min(3650, r.exponential(620)))
            i = self.create(arrival, int(level), t0, self.weekday_back)
            self.present[i] = True
            self.place(i, int(level), t0)
            ic = arrival + int(r.integers(7, 27))
            if ic >= t0:
                P["class_day"][i] = ic
                if r.random() < 0.1:
                    P["scored"][i] = UNAS
                continue
            P["init_class"][i] = ic
            if P["mgtv_exp"][i] != NO and P["mgtv_exp"][i] < t0:
                P["mgtv_exp"][i] = t0 + int(r.integers(-20, 540))  # renewed since; a few lapsed
            interval = 90 if P["prd"][i] - t0 <= 365 else 180
            lr = t0 - int(r.integers(0, interval))
            if lr - ic > 30:
                P["last_review"][i] = lr
            base = P["last_review"][i] if P["last_review"][i] != NO else ic
            P["review_day"][i] = max(self.next_review(i, base), t0 + int(r.integers(1, 30)))
            if level != MIN and r.random() < 0.022:
                self._to_shu(i, t0)
        self._close_day(t0)

    def _day(self, t: int) -> None:
        P, n = self.p, self.n
        pres = self.present[:n]
        for i in np.nonzero(pres & (P["prd"][:n] == t))[0]:
            self._leave(i, t, 1)
        for i in np.nonzero(pres & (P["transfer_day"][:n] == t))[0]:
            if self.present[i]:
                self._leave(i, t, 2)
        if self.weekday(t) < 5:
            self._arrivals(t)
        n = self.n
        pres = self.present[:n]
        for i in np.nonzero(pres & (P["class_day"][:n] == t))[0]:
            self._classify(i, t)
        for i in np.nonzero(pres & (P["review_day"][:n] == t))[0]:
            self._review(i, t)
        for i in np.nonzero(pres & (P["move_day"][:n] == t))[0]:
            P["move_day"][i] = NO
            P["shu_until"][i] = NO
            self.place(i, int(P["move_level"][i]), t)
        for i in np.nonzero(pres & (P["shu_until"][:n] == t))[0]:
            P["shu_until"][i] = NO
            self.place(i, int(P["home"][i]), t)
        for i in np.nonzero(pres & (P["fix_day"][:n] == t))[0]:
            self._fix(i, t)
        for i in np.nonzero(pres & (P["mgtv_day"][:n] == t))[0]:
            P["mgtv_day"][i] = NO
            P["mgtv"][i], P["mgtv_exp"][i] = 2, t + int(self.rng.integers(180, 400))
            self.dirty[i] = True
        self._random_events(t)
        for kind in self.slips.get(t, ()):
            self._slip(kind, t)
        self._close_day(t)

    def _close_day(self, t: int) -> None:
        """Open a segment for every present person whose roster line changed today."""
        n = self.n
        idx = np.nonzero(self.dirty[:n] & self.present[:n])[0]
        start = t
        old = self.cur_seg[idx]
        self.seg_end[old[old >= 0]] = start
        ids = np.arange(self.nseg, self.nseg + len(idx))
        self.nseg += len(idx)
        if self.nseg > len(self.seg_end):
            grown = np.full(2 * self.nseg, NO, dtype=np.int64)
            grown[: len(self.seg_end)] = self.seg_end
            self.seg_end = grown
        chunk = {c: self.p[c][idx].copy() for c in MUTABLE}
        chunk["person"], chunk["start"] = idx, np.full(len(idx), start, dtype=np.int64)
        self.seg_chunks.append(chunk)
        self.cur_seg[idx] = ids
        self.dirty[:n] = False

    def _leave(self, i: Person, t: int, reason: int) -> None:
        self.present[i] = False
        self.unit_count[self.p["unit"][i]] -= 1
        self.seg_end[self.cur_seg[i]] = t
        self.cur_seg[i] = -1
        self.depart[i], self.depart_reason[i] = t, reason
        self.departures.append(t)

    # ---- arrivals -------------------------------------------------------------
    def _arrivals(self, t: int) -> None:
        r, P = self.rng, self.p
        recent = [d for d in self.departures[-120:] if d > t - 28]
        per_weekday = (len(recent) / 20.0) if t >= self.t0 + 28 else 1.9 * 7 / 5
        pop = int(self.present[: self.n].sum())
        weight = (0.85, 1.15, 1.2, 1.05, 0.75)[self.weekday(t)]
        lam = max(0.0, weight * per_weekday + self.rates.pull * (self.target(t) - pop))
        home = P["home"][: self.n][self.present[: self.n]]
        for _ in range(int(r.poisson(lam))):
            counts = {lv: int((home == lv).sum()) for lv in (MIN, LOW, MED)}
            tgt = self.target(t)
            deficit = np.array([0.135 * tgt - counts[MIN], 0.367 * tgt - counts[LOW], 0.468 * tgt - counts[MED]])
            w = np.maximum(deficit + 4, 0.05)
            level = int(r.choice([MIN, LOW, MED], p=w / w.sum()))
            i = self.create(t, level, t, self.weekday_back)
            self.present[i] = True
            self.place(i, level, t)
            home = np.append(home, level)
            self._arrival_paperwork(i, t, level)

    def _arrival_paperwork(self, i: Person, t: int, level: int) -> None:
        """Where the arrival came from (designation or transfer) and when it is classified."""
        r, P = self.rng, self.p
        if r.random() < self.rates.transfer_share:
            P["via_transfer"][i] = 1
            request = t - int(r.integers(30, 120))
            kind = r.choice(
                ["LESSER SECURITY", "NEARER RELEASE", "PROGRAM", "ADMINISTRATIVE"], p=[0.35, 0.4, 0.15, 0.1]
            )
            self.redesignations.append(
                dict(
                    person=i,
                    direction="IN",
                    transfer_type=str(kind),
                    request=request,
                    decision=request + int(r.integers(7, 28)),
                    outcome="APPROVED",
                    move=t,
                    level=int(P["scored"][i]),
                    target=level,
                )
            )
        else:
            P["via_transfer"][i] = 0
            P["desig_day"][i] = t - 3 - int(r.gamma(2.0, self.rates.designation_lag))
        if t >= self.force_unclassified and self.force_unclassified >= 0:
            self.force_unclassified = -1  # the data-entry slip: never classified
            P["scored"][i] = UNAS
            return
        if P["via_transfer"][i] == 0 and r.random() < 0.1:
            P["scored"][i] = UNAS
        late = r.random() < 0.07
        P["class_day"][i] = t + int(r.integers(29, 47) if late else r.integers(7, 28))

    def _classify(self, i: Person, t: int) -> None:
        P = self.p
        P["init_class"][i] = t
        if P["scored"][i] == UNAS:
            P["scored"][i] = self.level_of_points(P["points"][i])
        P["review_day"][i] = self.next_review(i, t)
        self.dirty[i] = True

    # ---- results --------------------------------------------------------------
    def segments(self) -> dict[str, np.ndarray]:
        """Every segment: person, start, end (exclusive) and the mutable columns."""
        out = {c: np.concatenate([ch[c] for ch in self.seg_chunks]) for c in self.seg_chunks[0]}
        out["end"] = self.seg_end[: self.nseg].copy()
        return out
