"""Reference list of federal facilities (public data, MIT licence: reference/LICENSE-federal_prisons).

Used to normalise facility names in `facility_counts` files ("FCI ALICEVILLE",
"ALICEVILLE FCI", "Aliceville" are one facility, code ALI) and by the national view.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from loaders.config import FacilityInfo

SOURCE = Path(__file__).parent / "reference" / "federal_prisons.csv"
TYPES = ("FPC", "FCI", "USP", "FCC", "MDC", "MCC", "FDC", "FMC", "MCFP", "FTC")
_TYPE_WORDS = {
    "FEDERAL CORRECTIONAL INSTITUTION": "FCI", "FEDERAL CORRECTIONAL COMPLEX": "FCC",
    "FEDERAL PRISON CAMP": "FPC", "UNITED STATES PENITENTIARY": "USP", "US PENITENTIARY": "USP",
    "U S PENITENTIARY": "USP", "FEDERAL MEDICAL CENTER": "FMC", "FEDERAL DETENTION CENTER": "FDC",
    "METROPOLITAN DETENTION CENTER": "MDC", "METROPOLITAN CORRECTIONAL CENTER": "MCC",
    "FEDERAL TRANSFER CENTER": "FTC", "MEDICAL CENTER FOR FEDERAL PRISONERS": "MCFP",
}
# Words that qualify a place within a complex ("FCI Beaumont Low", "USP Coleman II", "camp").
_QUALIFIERS = {"LOW", "MEDIUM", "MED", "HIGH", "MINIMUM", "MIN", "CAMP", "SCP", "I", "II", "1", "2", "SATELLITE"}
_SEX = {"male": "M", "female": "F", "mixed": "MIXED"}


def facility_list() -> pd.DataFrame:
    """code, name, security_level, region, state, sex, type, has_camp (+ institution) of every listed facility."""
    return _facility_list().copy()


@lru_cache(maxsize=1)
def _facility_list() -> pd.DataFrame:
    raw = pd.read_csv(SOURCE, dtype=str, keep_default_na=False)
    level = raw["securityLevel"].str.upper().replace({"N/A": None})
    out = pd.DataFrame({
        "code": raw["code"].str.upper(),
        "name": raw["name"].str.strip(),
        "security_level": level,
        "region": raw["region"].str.replace(r"\s+Region$", "", regex=True),
        "state": raw["state"],
        "sex": raw["gender"].map(_SEX),
        "type": raw["type"].str.upper(),
        "has_camp": raw["hasCamp"].str.lower().eq("true"),
        "institution": raw["locationtype"].eq("inst"),
    })
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


def is_home(name: object, home: "FacilityInfo") -> bool:
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


def resolve_facilities(names: pd.Series, home: "FacilityInfo | None" = None) -> pd.Series:
    """resolve_facility over a column (each distinct name resolved once); string dtype, <NA> when unknown.

    With `home` (the facility configuration's own facility), names of the home facility resolve to
    its code first: a fictional or renamed home is not in the reference list.
    """
    distinct = pd.unique(names.dropna())
    table = {n: home.code.upper() if home is not None and is_home(n, home) else resolve_facility(n)
             for n in distinct}
    return names.map(table).astype("string")


def add_facility_codes(frame: pd.DataFrame, warnings: list[str],
                       home: "FacilityInfo | None" = None) -> pd.DataFrame:
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
