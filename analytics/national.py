"""National view over facility_counts: per-facility trends, totals by level and region, a league table.

Facilities are identified by institution (`facility_key`): the `facility_code` the loader
resolves through the reference facility list ("FCI ALICEVILLE", "ALICEVILLE FCI" and "Aliceville"
are one facility, ALI) plus the member words that tell the institutions of a complex apart
(`loaders.reference.member_of`): "FCI Coleman Low" (COX FCI LOW), "FCI Coleman Medium" (COX FCI
MEDIUM) and "USP Coleman I" (COX USP I) are three series, each its own trend, league row and
capacity, never summed into the complex. A name that matches nothing is kept as its own facility
under its name as written, listed in `unmatched`, and counted in the totals under level / region
UNKNOWN: reported, never dropped.

Two rows naming the same institution for one date ("FCI ALICEVILLE" and "Aliceville") count
once (the last row wins) and are reported.

Security level of a row, first found: the file's own `security_level`; a level word in the
name (LOW, MEDIUM, HIGH, MINIMUM, CAMP, FPC...); the reference list; the facility type (USP is
HIGH, detention and medical centres are ADMINISTRATIVE); else UNKNOWN. Region: the file's
`region`, else the reference list's, else UNKNOWN.

Pure: the reference list is an argument (`loaders.reference.facility_list()` at the call site).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from analytics.capacity import crowding_pct
from loaders.config import FacilityInfo
from loaders.reference import institution_keys, member_label

UNKNOWN = "UNKNOWN"
LEVEL_ORDER = ("MINIMUM", "LOW", "MEDIUM", "HIGH", "ADMINISTRATIVE", UNKNOWN)
_NAME_LEVEL = [  # first match wins; words, not substrings ("MEDIUM" inside a place name is unlikely)
    (r"\b(?:MINIMUM|MIN|CAMP|SCP|FPC|SATELLITE)\b", "MINIMUM"),
    (r"\bLOW\b", "LOW"),
    (r"\b(?:MEDIUM|MED)\b", "MEDIUM"),
    (r"\bHIGH\b", "HIGH"),
]
_TYPE_LEVEL = [
    (r"\b(?:USP|PENITENTIARY)\b", "HIGH"),
    (r"\b(?:MDC|MCC|FDC|FMC|MCFP|FTC|DETENTION|MEDICAL CENTER|TRANSFER CENTER)\b", "ADMINISTRATIVE"),
]


@dataclass(frozen=True)
class NationalView:
    """Everything the national page shows."""

    latest_date: date | None
    trends: (
        pd.DataFrame
    )  # facility_key, facility_code, facility, date, population, rated_capacity, crowding_pct, change
    by_level: pd.DataFrame  # date, security_level, population, rows
    by_region: pd.DataFrame  # date, region, population, rows
    league: pd.DataFrame  # latest date: rank, facility_code, facility, security_level, region, population, ...
    unmatched: list[str]
    notes: list[str] = field(default_factory=list)


def _first_match(names: pd.Series, table: list[tuple[str, str]]) -> pd.Series:
    upper = names.astype("str").str.upper()
    out = pd.Series(pd.NA, index=names.index, dtype="str")
    for pattern, level in reversed(table):  # reversed so the first pattern is applied last and wins
        out = out.mask(upper.str.contains(pattern, regex=True), level)
    return out


def _reference(reference: pd.DataFrame | None, home: FacilityInfo | None = None) -> pd.DataFrame:
    """code -> type, security_level, region and label; the home facility added when the list lacks it."""
    cols = ["code", "name", "type", "security_level", "region"]
    if reference is None:
        ref = pd.DataFrame({c: pd.Series(dtype="str") for c in cols}).set_index("code")
    else:
        ref = reference.rename(columns={"securityLevel": "security_level"})
        ref = ref.reindex(columns=cols).astype("str").drop_duplicates("code").set_index("code")
        ref["security_level"] = ref["security_level"].str.upper().where(ref["security_level"].str.upper() != "N/A")
        ref["region"] = ref["region"].str.replace(r"\s+Region$", "", regex=True)
    ref["label"] = ref["type"] + " " + ref["name"]
    code = home.code.upper() if home is not None else None
    if home is not None and code not in ref.index:
        # A fictional or new home facility: its own configuration says what it is.
        # its place without the type word, as the list writes names ("FCC Example" -> "Example")
        place = " ".join(re.sub(rf"\b{re.escape(home.type)}\b", " ", home.name, flags=re.IGNORECASE).split())
        own = pd.DataFrame(
            {
                "name": [place or home.name],
                "type": [home.type],
                "security_level": [home.security_level],
                "region": [home.region or pd.NA],
                "label": [home.name],
            },
            index=pd.Index([code], name="code"),
            dtype="str",
        )
        ref = pd.concat([ref, own]) if len(ref) else own
    return ref


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name].astype("str")
    return pd.Series(pd.NA, index=frame.index, dtype="str")


def _institutions(written: pd.Series, code: pd.Series, ref: pd.DataFrame) -> pd.DataFrame:
    """`key` and `label` of each (spelling, code) pair, in the order the pairs first appear."""
    folded = written.str.upper().str.replace(r"\s+", " ", regex=True)
    key = institution_keys(written, code, code.map(ref["type"]), code.map(ref["security_level"]))
    key = key.astype("str").fillna(folded)
    member = pd.Series(
        [k[len(cd) + 1 :] if isinstance(cd, str) and k != cd else "" for k, cd in zip(key, code)],
        index=written.index,
        dtype="str",
    )
    # One label per institution: the list's for a listed one, built from its place for a member,
    # else the first spelling in the file.
    label = code.map(ref["label"]).where(member == "")
    built = [member_label(str(n), m) if m else None for n, m in zip(code.map(ref["name"]), member)]
    label = label.fillna(pd.Series(built, index=written.index, dtype="str"))
    label = key.map(label.groupby(key).first()).fillna(key.map(written.groupby(key).first()))
    return pd.DataFrame({"key": key, "label": label})


def _resolved(written: pd.Series, code: pd.Series, ref: pd.DataFrame) -> pd.DataFrame:
    """`key` and `label` of each row (aligned with `written`).

    Both depend only on (spelling, code): resolved once per distinct pair (about a hundred)
    rather than once per row (tens of thousands over two years of daily counts).
    """
    ids, _ = pd.factorize(written.fillna("") + "\x1f" + code.fillna(""))
    first = pd.Series(range(len(ids))).groupby(ids).first().to_numpy()
    pairs = _institutions(written.iloc[first].reset_index(drop=True), code.iloc[first].reset_index(drop=True), ref)
    return pd.DataFrame(
        {
            "key": pd.Series(pairs["key"].to_numpy()[ids], index=written.index, dtype="str"),
            "label": pd.Series(pairs["label"].to_numpy()[ids], index=written.index, dtype="str"),
        }
    )


def institution_keys_of(
    counts: pd.DataFrame, reference: pd.DataFrame | None, home: FacilityInfo | None = None
) -> pd.Series:
    """The institution of each facility_counts row, keyed as the national view keys it."""
    written = counts["facility"].astype("str").str.strip()
    return _resolved(written, _column(counts, "facility_code"), _reference(reference, home))["key"]


def _rows(counts: pd.DataFrame, ref: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """One row per facility (or member of a complex) and date, with key, label, level and region resolved."""
    c = counts.sort_values("line", kind="stable") if "line" in counts.columns else counts
    written = c["facility"].astype("str").str.strip()
    code = _column(c, "facility_code")
    resolved = _resolved(written, code, ref)
    key, label = resolved["key"], resolved["label"]
    dup = pd.DataFrame({"k": key, "d": c["date"]}).duplicated(keep="last")
    if dup.any():
        notes.append(
            f"{int(dup.sum())} row(s) repeat a facility already counted for the same date "
            "(another spelling or a repeated line): the last one is used"
        )
    names = pd.Series(pd.unique(written), dtype="str")
    by_name = _first_match(names, _NAME_LEVEL).set_axis(names)
    by_type = _first_match(names, _TYPE_LEVEL).set_axis(names)
    level = _column(c, "security_level").fillna(written.map(by_name))
    level = level.fillna(code.map(ref["security_level"])).fillna(written.map(by_type))
    region = _column(c, "region").str.replace(r"\s+Region$", "", regex=True).fillna(code.map(ref["region"]))
    out = pd.DataFrame(
        {
            "facility_key": key,
            "facility_code": code,
            "facility": label,
            "written": written,
            "date": c["date"],
            "population": c["population"].astype("Int64"),
            "rated_capacity": (
                c["rated_capacity"] if "rated_capacity" in c.columns else pd.Series(pd.NA, index=c.index)
            ).astype("Int64"),
            "security_level": level.fillna(UNKNOWN),
            "region": region.fillna(UNKNOWN),
        }
    )
    return out.loc[~dup.to_numpy()]


def _trends(rows: pd.DataFrame) -> pd.DataFrame:
    g = rows.groupby(["facility_key", "date"], sort=True)
    t = g[["facility_code", "facility"]].first()
    t["population"] = g["population"].sum(min_count=1).astype("Int64")
    # A complex with one member's rated capacity unknown has no known capacity (not a partial one).
    partial = rows["rated_capacity"].isna().groupby([rows["facility_key"], rows["date"]]).any()
    t["rated_capacity"] = g["rated_capacity"].sum().astype("Int64").mask(partial, pd.NA)
    t = t.reset_index()
    t["crowding_pct"] = crowding_pct(t["population"], t["rated_capacity"])
    t["change"] = t.groupby("facility_key")["population"].diff().astype("Int64")
    return t


def _totals(rows: pd.DataFrame, by: str, order: tuple[str, ...] | None = None) -> pd.DataFrame:
    t = rows.groupby(["date", by], sort=True).agg(population=("population", "sum"), rows=("population", "size"))
    t = t.reset_index().astype({"population": "int64", "rows": "int64"})
    if order is not None:
        rank = {lv: i for i, lv in enumerate(order)}
        t = t.sort_values(
            ["date", by], key=lambda s: s.map(rank).fillna(len(rank)) if s.name == by else s, kind="stable"
        ).reset_index(drop=True)
    return t


def _one(values: pd.Series) -> str:
    distinct = values.dropna().unique()
    return str(distinct[0]) if len(distinct) == 1 else "MIXED"


def national_view(
    counts: pd.DataFrame, reference: pd.DataFrame | None = None, home: FacilityInfo | None = None
) -> NationalView:
    """Trends, totals by security level and region, and the latest-date league table.

    `home`: the facility configuration's own facility (`Facility.facility`); when its code is not in
    the reference list, rows under that code take its name, level and region from it.
    """
    notes: list[str] = []
    ref = _reference(reference, home)
    rows = _rows(counts.loc[counts["date"].notna()], ref, notes)
    unmatched = sorted(set(rows.loc[rows["facility_code"].isna(), "written"]))
    trends = _trends(rows)
    latest = rows["date"].max() if len(rows) else None
    league = trends.loc[trends["date"] == latest].copy() if latest is not None else trends.iloc[:0].copy()
    at_latest = rows.loc[rows["date"] == latest].groupby("facility_key")
    league["security_level"] = league["facility_key"].map(at_latest["security_level"].agg(_one)).astype("str")
    league["region"] = league["facility_key"].map(at_latest["region"].agg(_one)).astype("str")
    league = league.sort_values(["population", "facility"], ascending=[False, True], kind="stable")
    league.insert(0, "rank", range(1, len(league) + 1))
    stale = trends["facility_key"].nunique() - len(league)
    if stale:
        notes.append(f"{stale} facilities have no count on the latest date and are not in the league table")
    league = league[
        [
            "rank",
            "facility_code",
            "facility",
            "security_level",
            "region",
            "population",
            "rated_capacity",
            "crowding_pct",
            "change",
        ]
    ].reset_index(drop=True)
    return NationalView(
        latest_date=latest.date() if latest is not None else None,
        trends=trends,
        by_level=_totals(rows, "security_level", LEVEL_ORDER),
        by_region=_totals(rows, "region"),
        league=league,
        unmatched=unmatched,
        notes=notes,
    )
