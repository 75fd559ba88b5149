"""Movements between two roster snapshots: who arrived, left, moved, changed level or custody.

A departure is classified by what explains it, in this order:

- RELEASE: the inmate's projected release date (in the earlier snapshot) is on or before
  the later snapshot's as-of date;
- TRANSFER: a redesignation OUT for that register number whose status is PENDING,
  APPROVED, IN TRANSIT or COMPLETED (DENIED and CANCELLED explain nothing);
- UNEXPLAINED: neither.

The balance earlier + arrivals - departures = later always holds on register-number sets;
what can break it is the data: a register number listed twice or blank, or a count that
disagrees with the total line of the export. Each break is reported in `problems`; a gap
other than one day between the snapshots is reported in `gap_days` and `notes` (movements
then span the whole gap).

A flag that the same inmate carries on both days under another rule of the same family
(MGTV-EXPIRING yesterday, MGTV-EXPIRED today; SEC-BELOW then SEC-ABOVE) is one flag that
changed, listed in `flags_changed` (rule_before -> rule), not one cleared and one new.
The family of a rule is the word before its first hyphen ("MGTV", "SEC").

Outputs carry register numbers and units, never names: the morning page is the CMC's
own working screen; nothing here is meant for circulation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

EXPLAINING_TRANSFER_STATUSES = ("PENDING", "APPROVED", "IN TRANSIT", "COMPLETED")
DEPARTURE_REASONS = ("RELEASE", "TRANSFER", "UNEXPLAINED")
_FLAG_KEY = ["register_number", "rule"]
CHANGED_COLUMNS = ["register_number", "unit", "rule_before", "rule", "severity_before", "severity", "explanation"]


@dataclass(frozen=True)
class Movements:
    """What changed between two snapshots, and whether the counts add up."""

    as_of_before: date | None
    as_of_after: date | None
    gap_days: int | None
    count_before: int
    count_after: int
    arrivals: pd.DataFrame
    departures: pd.DataFrame
    unit_moves: pd.DataFrame
    level_changes: pd.DataFrame
    custody_changes: pd.DataFrame
    flags_appeared: pd.DataFrame
    flags_cleared: pd.DataFrame
    flags_changed: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CHANGED_COLUMNS))
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        """True when the counts add up and agree with the exports' total lines."""
        return not self.problems

    def departures_by_reason(self) -> dict[str, int]:
        """Departure counts per reason, every reason present (0 when none)."""
        counts = self.departures["reason"].value_counts()
        return {r: int(counts.get(r, 0)) for r in DEPARTURE_REASONS}


def text_isin(values: pd.Series, other: pd.Series) -> np.ndarray:
    """values.isin(other) for text columns; pandas 3's Arrow-string isin loops over `other` in Python."""

    def arrow(s: pd.Series) -> pa.Array:
        return pa.array(s.to_numpy(dtype=object, na_value=None), type=pa.string())

    return np.asarray(pc.is_in(arrow(values), value_set=arrow(other.dropna())).fill_null(False), dtype=bool)


def _as_of(frame: pd.DataFrame, given: date | None) -> date | None:
    if given is not None:
        return pd.Timestamp(given).date()
    if "as_of_date" in frame.columns and frame["as_of_date"].notna().any():
        return pd.Timestamp(frame["as_of_date"].dropna().max()).date()
    return None


def _clean(frame: pd.DataFrame, label: str, problems: list[str]) -> pd.DataFrame:
    """One row per register number; blank and repeated register numbers are reported."""
    blank = frame["register_number"].isna()
    if blank.any():
        problems.append(f"{label} snapshot has {int(blank.sum())} row(s) without a register number")
    frame = frame.loc[~blank]
    dupes = frame["register_number"].duplicated()
    if dupes.any():
        problems.append(f"{label} snapshot lists {int(dupes.sum())} register number(s) more than once")
    return frame.loc[~dupes]


def _pick(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    present = [c for c in columns if c in frame.columns]
    return frame[present].reset_index(drop=True)


def _classify(gone: pd.DataFrame, as_of_after: date | None, redesignations: pd.DataFrame | None) -> pd.DataFrame:
    reason = pd.Series("UNEXPLAINED", index=gone.index, dtype="str")
    why = pd.Series("no release date or transfer explains it", index=gone.index, dtype="str")
    if redesignations is not None and not redesignations.empty:
        out = redesignations.loc[
            (redesignations["direction"] == "OUT") & redesignations["status"].isin(EXPLAINING_TRANSFER_STATUSES)
        ]
        hit = text_isin(gone["register_number"], out["register_number"])
        last = out.drop_duplicates("register_number", keep="last").set_index("register_number")
        text = "redesignation out, " + last["status"].astype("str").str.lower()
        if "transfer_type" in last.columns:
            text = text + " (" + last["transfer_type"].fillna("OTHER").astype("str").str.lower() + ")"
        reason = reason.mask(hit, "TRANSFER")
        why = why.mask(hit, gone["register_number"].map(text))
    if "projected_release_date" in gone.columns and as_of_after is not None:
        prd = gone["projected_release_date"]
        released = prd.notna() & (prd <= pd.Timestamp(as_of_after))
        reason = reason.mask(released, "RELEASE")
        why = why.mask(released, "projected release date " + prd.dt.strftime("%Y-%m-%d").astype("str"))
    out = _pick(gone, ["register_number", "unit", "security_level"])
    out["reason"] = reason.to_numpy()
    out["explanation"] = why.to_numpy()
    return out


_TRACKED = ("unit", "security_level", "custody")


def _stayers(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Inmates in both snapshots: register_number and <column>_before / <column>_after of each tracked column."""
    cols = [c for c in _TRACKED if c in before.columns and c in after.columns]
    return before[["register_number", *cols]].merge(
        after[["register_number", *cols]], on="register_number", how="inner", suffixes=("_before", "_after")
    )


def _changes(both: pd.DataFrame, column: str) -> pd.DataFrame:
    """Rows of inmates present in both snapshots whose `column` changed (unit: the later one)."""
    b_col, a_col = f"{column}_before", f"{column}_after"
    cols = ["register_number", "unit", b_col, a_col]
    if b_col not in both.columns:
        return pd.DataFrame(columns=cols)
    b, a = both[b_col], both[a_col]
    b_na, a_na = b.isna().to_numpy(), a.isna().to_numpy()
    differ = (b != a).astype("boolean").fillna(True).to_numpy(dtype=bool)
    changed = (differ & ~(b_na & a_na)) | (b_na ^ a_na)
    rows = both.loc[changed].reset_index(drop=True)
    return pd.DataFrame(
        {"register_number": rows["register_number"], "unit": rows["unit_after"], b_col: rows[b_col], a_col: rows[a_col]}
    )


def diff_flags(before: pd.DataFrame | None, after: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(appeared, cleared): flags keyed on register_number + rule present on one side only."""
    cols = ["register_number", "unit", "rule", "severity", "explanation"]
    empty = pd.DataFrame(columns=cols)
    before = empty if before is None else before
    after = empty if after is None else after
    b_keys = pd.MultiIndex.from_frame(before[_FLAG_KEY].astype("str"))
    a_keys = pd.MultiIndex.from_frame(after[_FLAG_KEY].astype("str"))
    appeared = _pick(after.loc[~a_keys.isin(b_keys)], cols)
    cleared = _pick(before.loc[~b_keys.isin(a_keys)], cols)
    return appeared, cleared


def rule_family(rule: str) -> str:
    """'MGTV-EXPIRED' -> 'MGTV': rules of one family describe one problem in different states."""
    return str(rule).split("-", 1)[0]


def split_changed(appeared: pd.DataFrame, cleared: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(appeared, cleared, changed): a cleared and an appeared flag of one inmate and one rule family
    are one flag that changed rule; the rest stay appeared or cleared."""
    if appeared.empty or cleared.empty:
        return appeared, cleared, pd.DataFrame(columns=CHANGED_COLUMNS)

    def keyed(frame: pd.DataFrame) -> pd.DataFrame:
        # The n-th flag of a family on each side pairs with the n-th of the other (one each in practice).
        out = frame.assign(
            _reg=frame["register_number"].astype("str"), _fam=frame["rule"].astype("str").map(rule_family)
        )
        return out.assign(_n=out.groupby(["_reg", "_fam"]).cumcount())

    a, c = keyed(appeared).reset_index(drop=True), keyed(cleared).reset_index(drop=True)
    key = ["_reg", "_fam", "_n"]
    pairs = a.reset_index(names="_a").merge(c.reset_index(names="_c"), on=key, suffixes=("", "_before"))
    # The merge names the cleared side's rule and severity rule_before and severity_before.
    changed = pd.DataFrame({c: pairs[c] for c in CHANGED_COLUMNS if c in pairs.columns})
    paired_a, paired_c = set(pairs["_a"]), set(pairs["_c"])
    rest_a = appeared.iloc[[i for i in range(len(a)) if i not in paired_a]].reset_index(drop=True)
    rest_c = cleared.iloc[[i for i in range(len(c)) if i not in paired_c]].reset_index(drop=True)
    return rest_a, rest_c, changed.reset_index(drop=True)


def compare_snapshots(
    before: pd.DataFrame,
    after: pd.DataFrame,
    redesignations: pd.DataFrame | None = None,
    flags_before: pd.DataFrame | None = None,
    flags_after: pd.DataFrame | None = None,
    *,
    as_of_before: date | None = None,
    as_of_after: date | None = None,
    reported_total_before: int | None = None,
    reported_total_after: int | None = None,
) -> Movements:
    """Movements from the earlier roster `before` to the later roster `after`.

    As-of dates come from the arguments, else each frame's `as_of_date` column. The
    reported totals are the export's own total lines ("TOTAL: 1,234") when the loader saw one.
    """
    problems: list[str] = []
    notes: list[str] = []
    d0, d1 = _as_of(before, as_of_before), _as_of(after, as_of_after)
    gap = (d1 - d0).days if d0 is not None and d1 is not None else None
    if d1 is None:
        notes.append("the later snapshot's as-of date is unknown: releases cannot be recognised")
    elif d0 is None:
        notes.append("the earlier snapshot's as-of date is unknown: the gap between snapshots cannot be checked")
    elif gap != 1:
        notes.append(f"snapshots are {gap} days apart: movements cover the whole gap")
    for label, frame, total in (("earlier", before, reported_total_before), ("later", after, reported_total_after)):
        if total is not None and int(total) != len(frame):
            problems.append(f"{label} snapshot has {len(frame):,} rows but its total line says {int(total):,}")
    b, a = _clean(before, "earlier", problems), _clean(after, "later", problems)
    gone = b.loc[~text_isin(b["register_number"], a["register_number"])]
    came = a.loc[~text_isin(a["register_number"], b["register_number"])]
    both = _stayers(b, a)
    if len(b) + len(came) - len(gone) != len(a):  # cannot happen on sets; kept as the contract's check
        problems.append("earlier count plus arrivals minus departures does not equal the later count")
    appeared, cleared, changed = split_changed(*diff_flags(flags_before, flags_after))
    appeared["arrived"] = text_isin(appeared["register_number"], came["register_number"])
    cleared["departed"] = text_isin(cleared["register_number"], gone["register_number"])
    return Movements(
        as_of_before=d0,
        as_of_after=d1,
        gap_days=gap,
        count_before=len(b),
        count_after=len(a),
        arrivals=_pick(came, ["register_number", "unit", "security_level", "custody", "arrival_date"]),
        departures=_classify(gone, d1, redesignations),
        unit_moves=_changes(both, "unit").drop(columns="unit"),
        level_changes=_changes(both, "security_level"),
        custody_changes=_changes(both, "custody"),
        flags_appeared=appeared,
        flags_cleared=cleared,
        flags_changed=changed,
        problems=problems,
        notes=notes,
    )
