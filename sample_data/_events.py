"""What happens to people already here: program reviews and reclassification, redesignation
requests, SHU stays, unit moves, and the data-entry slips the flags should catch.

A mixin of `Flow` (sample_data/_flow.py): the methods use its arrays and random generator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

import numpy as np

from sample_data._codes import ALLOWED, C_COMM, C_IN, C_MAX, C_OUT, HIGH, LOW, MED, MIN, NO, UNAS

# A person's slot in the flow's arrays: loops over np.nonzero hand out numpy integers.
Person: TypeAlias = int | np.integer


class Events:
    """Reviews, requests, moves and slips; mixed into Flow."""

    # What Flow provides, declared so that these methods are checked against it.
    rng: np.random.Generator
    p: dict[str, np.ndarray]  # one array per column, indexed by person
    n: int
    days: int
    shu: int
    present: np.ndarray
    dirty: np.ndarray
    unit_count: np.ndarray
    unit_caps: np.ndarray
    unit_levels: np.ndarray
    groups: dict[int, np.ndarray]
    redesignations: list[dict]
    if TYPE_CHECKING:

        def level_of_points(self, pts: int) -> int: ...
        def required(self, i: Person) -> int: ...
        def mgtv_active(self, i: Person, t: int) -> bool: ...
        def place(self, i: Person, level: int, t: int) -> None: ...
        def _set_unit(self, i: Person, u: int) -> None: ...
        def next_review(self, i: Person, t: int) -> int: ...
        def weekday(self, d: int) -> int: ...

    # ---- reviews and reclassification ----------------------------------------
    def _review(self, i: Person, t: int) -> None:
        r, P = self.rng, self.p
        P["last_review"][i] = t
        P["review_day"][i] = self.next_review(i, t)
        pts = P["points"][i] - int(r.binomial(2, 0.3))
        if r.random() < 0.04:
            pts += int(r.integers(2, 9))  # incident reports since the last review
        P["points"][i] = max(0, pts)
        if P["scored"][i] != UNAS:
            P["scored"][i] = self.level_of_points(P["points"][i])
        home = int(P["home"][i])
        if r.random() < 0.15 and P["unit"][i] != self.shu:
            step = {C_IN: C_OUT, C_OUT: C_COMM}.get(int(P["custody"][i]))
            if step is not None and step in ALLOWED[home]:
                P["custody"][i] = step
        if P["mgtv"][i] and P["mgtv_exp"][i] < t:
            u = r.random()
            if u < 0.5:
                P["mgtv_exp"][i] = t + int(r.integers(180, 540))
            elif u < 0.7:
                P["mgtv"][i], P["mgtv_exp"][i] = 0, NO
        self.dirty[i] = True
        self._realign(i, t)

    def _realign(self, i: Person, t: int) -> None:
        """Act on a required level that no longer matches the placement."""
        r, P = self.rng, self.p
        need, home = self.required(i), int(P["home"][i])
        # a slip stays as entered until someone corrects the record (see _fix)
        busy = P["transfer_day"][i] != NO or P["move_day"][i] != NO or P["fix_kind"][i] != NO
        if need == home or self.mgtv_active(i, t) or busy:
            return
        if need == HIGH:
            self._to_shu(i, t)
            P["shu_until"][i] = NO
            self._request_out(i, t, "GREATER SECURITY" if r.random() < 0.6 else "DISCIPLINARY", quick=True)
        elif need > home:
            P["move_day"][i], P["move_level"][i] = t + int(r.integers(2, 20)), need
        else:
            room = self.unit_count[self.groups[need]].sum() < 0.98 * self.unit_caps[self.groups[need]].sum()
            if room and r.random() < 0.6:
                P["move_day"][i], P["move_level"][i] = t + int(r.integers(3, 30)), need
            elif P["prd"][i] - t < 200:
                # too near release to transfer: the team keeps the placement and records why
                P["mgtv"][i], P["mgtv_exp"][i] = 2, P["prd"][i]
            else:
                self._request_out(i, t, "LESSER SECURITY")

    def _request_out(self, i: Person, t: int, kind: str, quick: bool = False) -> None:
        """A redesignation away from the complex; approved ones become a transfer."""
        r, P = self.rng, self.p
        open_request = P["open_request"][i]
        if P["prd"][i] - t < 200 or P["transfer_day"][i] != NO or (open_request != NO and open_request >= t):
            return
        request = t + int(r.integers(0, 10))
        decision = request + int(r.integers(3, 12) if quick else r.integers(5, 35))
        u = r.random()
        outcome = "APPROVED" if quick or u < 0.78 else ("DENIED" if u < 0.93 else "CANCELLED")
        move = decision + int(r.integers(5, 25) if quick else r.integers(10, 60))
        level = int(P["scored"][i]) if P["scored"][i] != UNAS else self.level_of_points(P["points"][i])
        rec = dict(
            person=i,
            direction="OUT",
            transfer_type=kind,
            request=request,
            decision=decision,
            outcome=outcome,
            move=move if outcome == "APPROVED" else NO,
            level=level,
            target=self.required(i),
        )
        self.redesignations.append(rec)
        P["open_request"][i] = decision  # one request at a time
        if outcome == "APPROVED":
            P["transfer_day"][i] = move
            P["move_day"][i] = NO
        elif outcome == "DENIED" and kind == "LESSER SECURITY":
            P["mgtv_day"][i] = decision  # kept here: the placement needs an MGTV

    def _to_shu(self, i: Person, t: int) -> None:
        r, P = self.rng, self.p
        self._set_unit(i, self.shu)
        if r.random() < 0.15:
            P["custody"][i] = C_MAX
        elif P["custody"][i] == C_COMM:
            P["custody"][i] = C_OUT
        P["shu_until"][i] = t + 3 + int(r.geometric(1 / 28))

    # ---- everyday churn -------------------------------------------------------
    def _pick(self, mask: np.ndarray, k: int) -> list[Person]:
        idx = np.nonzero(mask)[0]
        if len(idx) == 0 or k == 0:
            return []
        return list(self.rng.choice(idx, size=min(k, len(idx)), replace=False))

    def _random_events(self, t: int) -> None:
        r, P, n = self.rng, self.p, self.n
        pres = self.present[:n]
        idle = (
            pres
            & (P["transfer_day"][:n] == NO)
            & (P["move_day"][:n] == NO)
            & (P["unit"][:n] != self.shu)
            & (P["fix_kind"][:n] == NO)
        )
        if self.weekday(t) < 5:
            movable = idle & np.isin(P["home"][:n], (LOW, MED))
            for i in self._pick(movable, int(r.poisson(3.0))):
                self.place(i, int(P["home"][i]), t)
        if self.unit_count[self.shu] < 60:
            for i in self._pick(idle, int(r.poisson(0.85))):
                self._to_shu(i, t)
        if self.weekday(t) < 5:
            eligible = idle & (P["prd"][:n] - t > 240)
            for i in self._pick(eligible, int(r.poisson(0.5))):
                kind = str(
                    r.choice(
                        ["NEARER RELEASE", "PROGRAM", "ADMINISTRATIVE", "MEDICAL", "OTHER"],
                        p=[0.55, 0.15, 0.12, 0.1, 0.08],
                    )
                )
                if kind == "MEDICAL":
                    P["med"][i] = 3  # needs a care-level-3 institution
                    self.dirty[i] = True
                self._request_out(i, t, kind)

    # ---- data-entry slips the flags should catch --------------------------------
    SLIP_KINDS = ("camp_psf", "med_in_low", "max_in_low", "care3")

    def _plan_slips(self) -> dict[int, list[tuple[str, str]]]:
        """Slips now and then through history (fixed after a while) and a few left on the last day."""
        r = self.rng
        plan: dict[int, list[tuple[str, str]]] = {}
        for day in range(int(r.integers(10, 40)), self.days - 30, 41):
            plan.setdefault(day, []).append(("history", self.SLIP_KINDS[(day // 41) % 4]))
        for k, kind in enumerate(self.SLIP_KINDS):
            plan.setdefault(self.days - 3 - 4 * k, []).append(("last", kind))
        return plan

    def _slip(self, spec: tuple[str, str], t: int) -> None:
        when, kind = spec
        r, P, n = self.rng, self.p, self.n
        lv = self.unit_levels[np.minimum(P["unit"][:n], len(self.unit_levels) - 1)]
        calm = self.present[:n] & (P["transfer_day"][:n] == NO) & (P["move_day"][:n] == NO) & (P["fix_day"][:n] == NO)
        if kind == "camp_psf":
            cand = calm & (lv == MIN) & (P["psf"][:n] == 0) & (P["mgtv"][:n] == 0)
        elif kind == "med_in_low":
            cand = calm & (lv == MED) & (P["scored"][:n] == MED) & (P["mgtv"][:n] == 0)
        elif kind == "max_in_low":
            cand = calm & (lv == LOW)
        else:
            cand = calm & (P["med"][:n] == 2) & (P["unit"][:n] != self.shu)
        picked = self._pick(cand, 1)
        if not picked:
            return
        i = picked[0]
        if kind == "camp_psf":
            P["psf"][i] = int(r.choice([1, 2]))
        elif kind == "med_in_low":
            self._set_unit(i, int(r.choice(self.groups[LOW])))
        elif kind == "max_in_low":
            P["custody"][i] = C_MAX
        else:
            P["med"][i] = 3
        self.dirty[i] = True
        P["fix_day"][i] = t + int(r.integers(2, 25)) if when == "history" else NO
        P["fix_kind"][i] = self.SLIP_KINDS.index(kind)

    def _fix(self, i: Person, t: int) -> None:
        P = self.p
        kind = self.SLIP_KINDS[int(P["fix_kind"][i])]
        P["fix_day"][i], P["fix_kind"][i] = NO, NO
        if kind == "camp_psf":
            P["psf"][i] = 0
        elif kind == "med_in_low":
            self.place(i, MED, t)
        elif kind == "max_in_low":
            P["custody"][i] = C_IN
        else:
            P["med"][i] = 2
        self.dirty[i] = True
