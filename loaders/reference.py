"""Reference list of federal facilities (public data, MIT licence: reference/LICENSE-federal_prisons).

Used to normalise facility names in `facility_counts` files ("FCI ALICEVILLE",
"ALICEVILLE FCI", "Aliceville" are one facility, code ALI) and by the national view.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from loaders.config import FacilityInfo

SOURCE = Path(__file__).parent / "reference" / "federal_prisons.csv"
TYPES = ("FPC", "FCI", "USP", "FCC", "MDC", "MCC", "FDC", "FMC", "MCFP", "FTC")
_TYPE_WORDS = {
    "FEDERAL CORRECTIONAL INSTITUTION": "FCI",
    "FEDERAL CORRECTIONAL COMPLEX": "FCC",
    "FEDERAL PRISON CAMP": "FPC",
    "UNITED STATES PENITENTIARY": "USP",
    "US PENITENTIARY": "USP",
    "U S PENITENTIARY": "USP",
    "FEDERAL MEDICAL CENTER": "FMC",
    "FEDERAL DETENTION CENTER": "FDC",
    "METROPOLITAN DETENTION CENTER": "MDC",
    "METROPOLITAN CORRECTIONAL CENTER": "MCC",
    "FEDERAL TRANSFER CENTER": "FTC",
    "MEDICAL CENTER FOR FEDERAL PRISONERS": "MCFP",
}
# Words that qualify a place within a complex ("FCI Beaumont Low", "USP Coleman II", "camp"), each
# with the one spelling a member key uses: "MED" and "MEDIUM" are one level, "2" and "II" one numeral.
_QUALIFIER_WORDS = {
    "LOW": "LOW",
    "MEDIUM": "MEDIUM",
    "MED": "MEDIUM",
    "HIGH": "HIGH",
    "MINIMUM": "CAMP",
    "MIN": "CAMP",
    "CAMP": "CAMP",
    "SCP": "CAMP",
    "SATELLITE": "CAMP",
    "I": "I",
    "II": "II",
    "III": "III",
    "1": "I",
    "2": "II",
    "3": "III",
}
_QUALIFIERS = set(_QUALIFIER_WORDS)
_SEX = {"male": "M", "female": "F", "mixed": "MIXED"}


def facility_list() -> pd.DataFrame:
    """code, name, security_level, region, state, sex, type, has_camp (+ institution) of every listed facility."""
    return _facility_list().copy()


@lru_cache(maxsize=1)
def _facility_list() -> pd.DataFrame:
    raw = pd.read_csv(SOURCE, dtype=str, keep_default_na=False)
    level = raw["securityLevel"].str.upper().replace({"N/A": None})
    out = pd.DataFrame(
        {
            "code": raw["code"].str.upper(),
            "name": raw["name"].str.strip(),
            "security_level": level,
            "region": raw["region"].str.replace(r"\s+Region$", "", regex=True),
            "state": raw["state"],
            "sex": raw["gender"].map(_SEX),
            "type": raw["type"].str.upper(),
            "has_camp": raw["hasCamp"].str.lower().eq("true"),
            "institution": raw["locationtype"].eq("inst"),
        }
    )
    for col in ("code", "name", "security_level", "region", "state", "sex", "type"):
        out[col] = out[col].astype("string")
    return out


def _split_name(text: str) -> tuple[str, set[str]]:
    """(place, type codes) of a facility name such as 'FCI ALICEVILLE' or 'Aliceville FCI'."""
    t = re.sub(r"[^A-Z0-9 ]+", " ", text.upper().replace(".", ""))
    t = re.sub(r"\s+", " ", t).strip()
    types: set[str] = set()
    for words, code in _TYPE_WORDS.items():
        if words in t:
            types.add(code)
            t = t.replace(words, " ")
    kept = []
    for w in t.split():
        if w in TYPES:
            types.add(w)
        elif w not in _QUALIFIERS:
            kept.append(w)
    return " ".join(kept), types


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, list[tuple[str, str]]], set[str]]:
    fl = _facility_list()
    inst = fl[fl["institution"]]
    places: dict[str, list[tuple[str, str]]] = {}
    for code, name, typ in zip(inst["code"], inst["name"], inst["type"]):
        places.setdefault(_split_name(name)[0], []).append((code, typ))
    return places, set(fl["code"])


def resolve_facility(name: object) -> str | None:
    """Facility code for a name as written ('FCI ALICEVILLE', 'Aliceville', 'ALI'), None when unknown."""
    if not isinstance(name, str) or not name.strip():
        return None
    places, codes = _index()
    bare = name.strip().upper()
    if bare in codes:
        return bare
    place, types = _split_name(name)
    found = places.get(place, [])
    if types:
        typed = [c for c, t in found if t in types]
        if len(typed) == 1:
            return typed[0]
        # "USP Beaumont" belongs to the complex when the list has only the complex.
        found = [(c, t) for c, t in found if t == "FCC"] or found
    return found[0][0] if len(found) == 1 else None


def is_home(name: object, home: FacilityInfo) -> bool:
    """True when a written name denotes the home facility: its code, or its name normalised as above.

    "FCC EXAMPLE", "Example FCC", "Example" and "XMP" are all FCC Example (code XMP). A type
    word other than the home's own does not match, except within a complex (FCC), whose member
    institutions ("FCI Example Low") belong to it.
    """
    if not isinstance(name, str) or not name.strip():
        return False
    if name.strip().upper() == home.code.upper():
        return True
    place, types = _split_name(name)
    home_place, _ = _split_name(home.name)
    return bool(place) and place == home_place and (not types or home.type in types or home.type == "FCC")


def resolve_facilities(names: pd.Series, home: FacilityInfo | None = None) -> pd.Series:
    """resolve_facility over a column (each distinct name resolved once); string dtype, <NA> when unknown.

    With `home` (the facility configuration's own facility), names of the home facility resolve to
    its code first: a fictional or renamed home is not in the reference list.
    """
    distinct = pd.unique(names.dropna())
    table = {n: home.code.upper() if home is not None and is_home(n, home) else resolve_facility(n) for n in distinct}
    return names.map(table).astype("string")


def add_facility_codes(frame: pd.DataFrame, warnings: list[str], home: FacilityInfo | None = None) -> pd.DataFrame:
    """Fill `facility_code` from the facility names (the home facility's by its own name and code);
    list the names that match nothing."""
    resolved = resolve_facilities(frame["facility"], home)
    if "facility_code" in frame.columns:
        resolved = frame["facility_code"].fillna(resolved)
    unmatched = sorted(set(frame.loc[resolved.isna() & frame["facility"].notna(), "facility"]))
    if unmatched:
        shown = ", ".join(unmatched[:10]) + (f" and {len(unmatched) - 10} more" if len(unmatched) > 10 else "")
        warnings.append(f"facility names not in the reference list (kept as written): {shown}")
    return frame.assign(facility_code=resolved)


# --- institutions: the unit a count belongs to --------------------------------------------------
# The reference list has one row per complex (FCC Coleman, COX) and none per member, so a code
# alone cannot tell FCI Coleman Low from USP Coleman I. The institution key is the code plus the
# member words of the name as written (type other than the listed one, level, numeral, camp):
# "COX FCI LOW", "COX USP I", "ALI CAMP"; the listed institution itself is its bare code ("ALI").
_LEVELS = ("LOW", "MEDIUM", "HIGH")
_NUMERALS = ("I", "II", "III")
_LEVEL_TYPE = {"LOW": "FCI", "MEDIUM": "FCI", "HIGH": "USP"}  # a complex's LOW or MEDIUM member is an FCI


def _words(text: str) -> tuple[str, set[str], set[str]]:
    """(place, type codes, canonical qualifier words) of a name as written."""
    place, types = _split_name(text)
    upper = re.sub(r"[^A-Z0-9 ]+", " ", text.upper().replace(".", ""))
    quals = {_QUALIFIER_WORDS[w] for w in upper.split() if w in _QUALIFIER_WORDS}
    if "FPC" in types:
        types.discard("FPC")
        quals.add("CAMP")
    return place, types, quals


def member_of(name: object, listed_type: object = None, listed_level: object = None) -> str:
    """Which institution of a listed facility a written name denotes: "" for the facility itself.

    "FCI ALICEVILLE", "Aliceville FCI", "Aliceville Low" are Aliceville itself (listed FCI, LOW): "".
    "Aliceville Camp" and "FPC Aliceville" are "CAMP". Within a complex (listed FCC):
    "FCI Coleman Low" and "Coleman Low" are "FCI LOW", "USP Coleman 1" is "USP I", "FCC Coleman" "".
    """
    if not isinstance(name, str) or not name.strip():
        return ""
    typ = str(listed_type).upper() if isinstance(listed_type, str) else ""
    level = str(listed_level).upper() if isinstance(listed_level, str) else ""
    _, types, quals = _words(name)
    if "CAMP" in quals:  # a camp is one institution whatever else the name says
        return "" if typ == "FPC" else "CAMP"
    types -= {typ, "FCC"}
    # The listed level names the listed institution itself; a complex has no level of its own.
    levels = [lv for lv in _LEVELS if lv in quals and (typ == "FCC" or lv != level)]
    if "USP" in types | {typ}:  # a penitentiary is HIGH: "USP Allenwood High" is USP Allenwood
        levels = [lv for lv in levels if lv != "HIGH"]
    if typ == "FCC" and not types and levels:
        types = {_LEVEL_TYPE[levels[0]]}
    parts = sorted(types) + levels + [n for n in _NUMERALS if n in quals]
    return " ".join(parts)


def member_label(name: str, member: str) -> str:
    """A member's name for people: ("Coleman", "FCI LOW") -> "FCI Coleman Low", ("Aliceville", "CAMP") ->
    "Aliceville Camp"."""
    words = member.split()
    if words == ["CAMP"]:
        return f"{name} Camp"
    types = [w for w in words if w not in _LEVELS and w not in _NUMERALS]
    rest = [w.title() for w in words if w in _LEVELS] + [w for w in words if w in _NUMERALS]
    return " ".join(types + [name] + rest)


def institution_keys(names: pd.Series, codes: pd.Series, listed_type: pd.Series, listed_level: pd.Series) -> pd.Series:
    """One key per institution for each written name (all four aligned); string dtype.

    A resolved code gives `code` or `code MEMBER` (see member_of). A name with no code is keyed
    by its place and every type and qualifier word, so "FCI Nowhere" and "Nowhere FCI" are one
    and "Nowhere Camp" another.
    """
    # Each distinct (name, code, type, level) is keyed once: a long history repeats a few hundred names.
    columns = (names, codes, listed_type, listed_level)
    combined = np.zeros(len(names), dtype=np.int64)
    for col in columns:
        ids, uniques = pd.factorize(col, use_na_sentinel=False)
        combined = combined * (len(uniques) + 1) + ids
    _, first, group = np.unique(combined, return_index=True, return_inverse=True)
    values = [[None if pd.isna(v) else v for v in col.iloc[first]] for col in columns]
    keys = [_key(*row) for row in zip(*values)]
    return pd.Series(pd.array(keys, dtype="string")[group.ravel()], index=names.index)


def _key(name: object, code: object, listed_type: object, listed_level: object) -> object:
    if not isinstance(name, str) or not name.strip():
        return pd.NA
    if isinstance(code, str) and code:
        return f"{code} {member_of(name, listed_type, listed_level)}".strip()
    place, types, quals = _words(name)
    return " ".join([place or name.strip().upper()] + sorted(types | quals))


def resolve_institutions(names: pd.Series, home: FacilityInfo | None = None) -> pd.Series:
    """Institution key of each written name (see institution_keys), codes resolved as in resolve_facilities."""
    codes = resolve_facilities(names, home)
    ref = _facility_list().drop_duplicates("code").set_index("code")
    types = codes.map(ref["type"])
    levels = codes.map(ref["security_level"])
    if home is not None:
        own = codes == home.code.upper()
        types = types.mask(own.fillna(False), home.type)
        levels = levels.mask(own.fillna(False), home.security_level)
    return institution_keys(names, codes, types, levels)
