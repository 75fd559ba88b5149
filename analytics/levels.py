"""Security levels: their order, PSF floors and the required level R(i) (domain.md section 5).

Levels are handled as integer ranks (MINIMUM=0 .. HIGH=3) so that every comparison is
vectorised; -1 stands for "no level" (UNASSIGNED, ADMINISTRATIVE, missing, or no PSF).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from loaders.config import LEVELS, Rules
from loaders.errors import PopdashError

NO_LEVEL = -1
RANK: dict[str, int] = {lvl: i for i, lvl in enumerate(LEVELS)}
SENTENCE_LENGTH = "SENTENCE LENGTH"


def level_ranks(levels: pd.Series | np.ndarray) -> np.ndarray:
    """Rank of each level (MINIMUM=0 .. HIGH=3); -1 for anything else (UNASSIGNED, ADMINISTRATIVE, missing)."""
    codes, uniques = pd.factorize(levels)  # a handful of distinct values: map those, not every row
    table = np.array([RANK.get(u, NO_LEVEL) for u in uniques] + [NO_LEVEL], dtype=np.int64)
    return table[codes]


def level_names(ranks: np.ndarray) -> np.ndarray:
    """Level name of each rank; '' for -1."""
    table = np.array(list(LEVELS) + [""], dtype=object)
    return table[np.asarray(ranks)]  # -1 indexes the trailing ''


def as_of_timestamp(as_of: object) -> pd.Timestamp:
    """The as-of date as a midnight Timestamp (accepts date, datetime, str, Timestamp)."""
    ts = pd.Timestamp(as_of)
    if ts is pd.NaT:
        raise PopdashError("the as-of date is missing")
    return ts.tz_localize(None).normalize() if ts.tzinfo else ts.normalize()


def sex_codes(frame: pd.DataFrame, default_sex: str) -> np.ndarray:
    """True where the inmate is female: the roster's sex, else the facility's."""
    if "sex" in frame:
        return frame["sex"].fillna(default_sex).eq("F").to_numpy(dtype=bool)
    return np.full(len(frame), default_sex == "F")


@dataclass(frozen=True)
class _PsfTable:
    """What one distinct psf text (e.g. 'SEX OFFENDER;DSG') means, per sex."""

    floor_m: int
    floor_f: int
    names_m: str  # PSF names at the male floor, comma-separated ('' when none)
    names_f: str
    sentence_length: bool
    unknown: tuple[str, ...]


def _read_psf(text: str, rules: Rules) -> _PsfTable:
    lookup = rules.psf_lookup()
    floors: list[tuple[str, int, int]] = []
    unknown: list[str] = []
    has_sl = False
    for raw in text.split(";"):
        name = " ".join(raw.split()).upper()
        if not name:
            continue
        rule = lookup.get(name)
        if name == SENTENCE_LENGTH or (rule is not None and rule.name == SENTENCE_LENGTH):
            has_sl = True  # its floor depends on the release date: resolved per inmate
        elif rule is None:  # domain.md: an unknown PSF counts as LOW and is reported
            unknown.append(name)
            floors.append((f"{name} (unknown, counted as LOW)", RANK["LOW"], RANK["LOW"]))
        else:
            floors.append((rule.name, RANK[rule.floor_m], RANK[rule.floor_f]))
    fm = max((f[1] for f in floors), default=NO_LEVEL)
    ff = max((f[2] for f in floors), default=NO_LEVEL)
    names_m = ", ".join(dict.fromkeys(n for n, m, _ in floors if m == fm))
    names_f = ", ".join(dict.fromkeys(n for n, _, f in floors if f == ff))
    return _PsfTable(fm, ff, names_m, names_f, has_sl, tuple(unknown))


def _no_rows() -> np.ndarray:
    # Only required_levels builds RequiredLevels, and it always passes the explanation columns.
    return np.empty(0, dtype=object)


@dataclass(frozen=True)
class RequiredLevels:
    """R(i) for every row of a frame, with what is needed to explain it."""

    scored: np.ndarray  # rank of the scored level; -1 for UNASSIGNED / missing
    floor: np.ndarray  # highest PSF floor; -1 when no PSF
    required: np.ndarray  # max(scored, floor); -1 when scored is -1 (no required level)
    unknown_psf: tuple[str, ...] = ()  # PSF names the rules file does not know, sorted
    unknown_rows: int = 0  # rows carrying at least one of them
    _names: np.ndarray = field(default_factory=_no_rows, repr=False)  # PSF names at the non-sentence floor
    _static: np.ndarray = field(default_factory=_no_rows, repr=False)  # floor from PSFs other than SENTENCE LENGTH
    _sl: np.ndarray = field(default_factory=_no_rows, repr=False)  # SENTENCE LENGTH floor; -1 when not carried
    _sl_phrase: np.ndarray = field(default_factory=_no_rows, repr=False)

    def explain(self, positions: np.ndarray) -> pd.Series:
        """'scored LOW; PSF SEX OFFENDER raises to LOW; ' for the given rows ('scored LOW; ' when no PSF raises it)."""
        pos = np.asarray(positions, dtype=np.int64)
        scored, floor = self.scored[pos], self.floor[pos]
        static, sl = self._static[pos], self._sl[pos]
        names = []
        for nm, st, s, f, slp in zip(self._names[pos], static, sl, floor, self._sl_phrase[pos]):
            parts = ([nm] if st == f and nm else []) + ([slp] if s == f and s != NO_LEVEL else [])
            names.append(", ".join(parts))
        out = pd.Series(names, dtype="str")
        raises = (floor >= scored) & (floor != NO_LEVEL)
        head = "scored " + pd.Series(level_names(scored), dtype="str") + "; "
        psf = ("PSF " + out + " raises to " + pd.Series(level_names(floor), dtype="str") + "; ").where(raises, "")
        return head + psf


def _sentence_floor(
    prd: pd.Series | None, female: np.ndarray, rules: Rules, as_of: pd.Timestamp, life: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """SENTENCE LENGTH floor rank and phrase per row ("more than N years" = release after as-of + N years).

    `life`: rows whose sentence is life (no release date): the rules' `life` level, one key for both sexes.
    """
    n = len(female)
    sl = rules.sentence_length
    default = RANK[sl.default]
    rank = np.full(n, default, dtype=np.int64)
    phrase = np.full(n, f"{SENTENCE_LENGTH} (release date unknown)", dtype=object)
    if prd is None:
        return _life(rank, phrase, life, sl.life)
    known = prd.notna().to_numpy()
    phrase[known] = SENTENCE_LENGTH
    for sex_is_f, sex in ((False, "M"), (True, "F")):
        ladder = sl.ladder(sex)
        rows = female == sex_is_f
        done = ~rows
        if ladder:
            low_years = ladder[-1][0]
            phrase[rows & known] = f"{SENTENCE_LENGTH} ({low_years} years or less to release)"
        for years, lvl in ladder:  # most years first: the first step met wins
            met = (prd > as_of + pd.DateOffset(years=years)).to_numpy(dtype=bool) & ~done
            rank[met] = RANK[lvl]
            phrase[met] = f"{SENTENCE_LENGTH} (more than {years} years to release)"
            done |= met
    return _life(rank, phrase, life, sl.life)


def _life(rank: np.ndarray, phrase: np.ndarray, life: np.ndarray | None, level: str) -> tuple[np.ndarray, np.ndarray]:
    """Lifers take the `life` level whatever their release date column held (it is NaT)."""
    if life is not None and life.any():
        rank[life] = RANK[level]
        phrase[life] = f"{SENTENCE_LENGTH} (life sentence)"
    return rank, phrase


def required_levels(frame: pd.DataFrame, rules: Rules, as_of: object, default_sex: str) -> RequiredLevels:
    """R(i) = max(scored security level, every PSF floor) for every row of a roster or designations frame."""
    as_of = as_of_timestamp(as_of)
    n = len(frame)
    scored = level_ranks(frame["security_level"])
    female = sex_codes(frame, default_sex)
    if "psf" in frame:
        codes, uniques = pd.factorize(frame["psf"])
    else:
        codes, uniques = np.full(n, -1, dtype=np.int64), []
    tables = [_read_psf(str(u), rules) for u in uniques]
    # Index len(tables) is the "no PSF" row, so code -1 lands on it.
    tables.append(_PsfTable(NO_LEVEL, NO_LEVEL, "", "", False, ()))
    fm = np.array([t.floor_m for t in tables])[codes]
    ff = np.array([t.floor_f for t in tables])[codes]
    nm = np.array([t.names_m for t in tables], dtype=object)[codes]
    nf = np.array([t.names_f for t in tables], dtype=object)[codes]
    has_sl = np.array([t.sentence_length for t in tables])[codes]
    static = np.where(female, ff, fm)
    names = np.where(female, nf, nm)
    prd = frame.get("projected_release_date", None)
    life = frame["life_sentence"].fillna(False).to_numpy(dtype=bool) if "life_sentence" in frame else None
    sl_rank, sl_phrase = _sentence_floor(prd, female, rules, as_of, life)
    sl_base = _sentence_base(rules, female)
    sl = np.where(has_sl, np.maximum(sl_rank, sl_base), NO_LEVEL)
    floor = np.maximum(static, sl)
    required = np.where(scored == NO_LEVEL, NO_LEVEL, np.maximum(scored, floor))
    has_unknown = np.array([bool(t.unknown) for t in tables])[codes]
    unknown = tuple(sorted({name for t in tables for name in t.unknown}))
    return RequiredLevels(scored, floor, required, unknown, int(has_unknown.sum()), names, static, sl, sl_phrase)


def _sentence_base(rules: Rules, female: np.ndarray) -> np.ndarray:
    """The SENTENCE LENGTH entry's own floor in the PSF list (LOW by default: any PSF rules out MINIMUM)."""
    rule = rules.psf_lookup().get(SENTENCE_LENGTH)
    if rule is None:
        return np.full(len(female), NO_LEVEL)
    return np.where(female, RANK[rule.floor_f], RANK[rule.floor_m])
