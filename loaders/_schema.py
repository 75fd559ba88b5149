"""Column specifications of the five CSV kinds (data-contract.md) and header matching."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from loaders._headers import ABBREVIATIONS, closest, keys, splits, words

KINDS: tuple[str, ...] = ("population", "designations", "redesignations", "facility_counts", "findings")

# Columns whose values are personal data: masked in error reports.
PERSONAL = frozenset({"last_name", "first_name", "name", "birth_date"})


@dataclass(frozen=True)
class Col:
    name: str
    type: str  # how values are validated: see loaders/_convert.py
    required: bool = False
    aliases: tuple[str, ...] = ()


def _c(name: str, type_: str, *aliases: str, required: bool = False) -> Col:
    return Col(name, type_, required, aliases)


_REGISTER = _c(
    "register_number",
    "register",
    "reg no",
    "regno",
    "reg num",
    "register no",
    "inmate reg",
    "reg",
    "reg #",
    "register",
    "register num",
    "inmate reg no",
    "reg number",
    required=True,
)
_LAST = _c("last_name", "text", "last", "lastname", "surname")
_FIRST = _c("first_name", "text", "first", "firstname")
_NAME = _c("name", "name", "inmate name", "full name")
_SEX = _c("sex", "sex", "gender")
_PSF = _c("psf", "psf", "public safety factor", "public safety factors", "psfs")
_MGTV = _c("mgtv", "upper", "management variable", "mgtvs")
_MGTV_EXP = _c("mgtv_expires", "date", "mgtv exp", "mgtv expiration", "mgtv exp date", "mgtv expiration date")
_MCL = _c("medical_care_level", "care", "med care lvl", "care level", "mcl", "medical care level", "med care level")
_MHCL = _c("mental_health_care_level", "care", "mh care lvl", "mh level", "mh care level", "mhcl")
_PRD = _c(
    "projected_release_date",
    "release",
    "proj rel date",
    "prj rel dt",
    "release date",
    "prd",
    "projected release",
    "proj rel dt",
)
# Derived, never read from a file: True where projected_release_date says LIFE (or DEATH).
_LIFE = _c("life_sentence", "derived_bool")
DERIVED = frozenset({"derived_bool"})
_ASOF = _c("as_of_date", "date", "report date", "as of", "asof", "as of date")
_CUSTODY = _c("custody", "custody", "cus", "cust", "custody level")

POPULATION = (
    _REGISTER,
    _c("unit", "unit", "housing unit", "unit name", "hu", required=True),
    _c("security_level", "level", "sec lvl", "sec level", "security", "seclvl", "security lvl", required=True),
    _c("custody", "custody", "cus", "cust", "custody level", required=True),
    _c("arrival_date", "date", "arr date", "date arrived", "arrived", "arrival", "arrival dt", required=True),
    _LAST,
    _FIRST,
    _NAME,
    _SEX,
    _c("birth_date", "date", "dob", "date of birth", "birth dt"),
    _c("quarters", "text", "qtrs", "bed", "bed assignment"),
    _c("security_points", "int", "points", "sec points", "sec pts", "security pts", "score"),
    _PSF,
    _MGTV,
    _MGTV_EXP,
    _c("msl", "level_opt", "management security level"),
    _MCL,
    _MHCL,
    _c("initial_classification_date", "date", "init class date", "initial class", "initial classification"),
    _c(
        "last_program_review_date",
        "date",
        "last review",
        "last team",
        "program review date",
        "last program review",
        "last review date",
    ),
    _PRD,
    _LIFE,
    _c("release_method", "upper", "rel method", "release type"),
    _c("detainer", "bool", "detainers"),
    _c("cim", "upper", "cim category", "cim status"),
    _c("case_manager", "text", "cm", "caseworker", "case mgr"),
    _ASOF,
)

DESIGNATIONS = (
    _REGISTER,
    _c("security_level", "level", "sec lvl", "sec level", "security", "seclvl", required=True),
    _c("designation_date", "date", "desig date", "date designated", "designated", required=True),
    _LAST,
    _FIRST,
    _NAME,
    _SEX,
    _c("custody", "custody_opt", "cus", "cust", "custody level"),
    _PSF,
    _MGTV,
    _MGTV_EXP,
    _MCL,
    _MHCL,
    _PRD,
    _LIFE,
    _c("status", "desig_status", "designation status"),
    _c("expected_arrival_date", "date", "expected arrival", "exp arr date", "eta"),
    _c("current_location", "text", "location", "current loc"),
    _c("sentencing_district", "text", "district", "sent district"),
    _ASOF,
)

REDESIGNATIONS = (
    _REGISTER,
    _c("direction", "direction", "in out", "dir", required=True),
    _c("transfer_type", "transfer_type", "transfer reason", "type", "reason", required=True),
    _c("request_date", "date", "requested", "date requested", "req date", required=True),
    _c("status", "redesig_status", "request status", required=True),
    _c("from_facility", "text", "from", "from facl", "from institution"),
    _c("to_facility", "text", "to", "to facl", "to institution"),
    _c("security_level", "level_opt", "sec lvl", "sec level", "security", "current security level"),
    _c("target_security_level", "level_opt", "target level", "target sec lvl", "new security level"),
    _c("decision_date", "date", "decided", "date decided"),
    _c("expected_move_date", "date", "expected move", "move date"),
    _ASOF,
)

FACILITY_COUNTS = (
    _c("facility", "text", "title", "name", "institution", "facility name", "facl", required=True),
    _c("date", "date", "datetime of data", "as of", "as of date", "count date", required=True),
    _c("population", "int", "count", "total population", "inmates", required=True),
    _c("facility_code", "upper", "code", "facl code"),
    _c("security_level", "upper", "sec level", "security", "securitylevel"),
    _c("region", "text"),
    _c("sex", "upper", "gender"),
    _c("rated_capacity", "int", "rated", "capacity", "rated cap"),
    _c("pending_in", "int", "pend in", "pending inbound"),
    _c("pending_out", "int", "pend out", "pending outbound"),
)

FINDINGS = (
    _c("review_date", "date", "date of review", "review", required=True),
    _c("discipline", "text", "program area", "area", required=True),
    _c("finding", "text", "finding text", "description", required=True),
    _c("facility", "text", "institution", "facl"),
    _c("review_type", "review_type", "type of review"),
    _c("rating", "rating", "overall rating"),
    _c("finding_id", "text", "id", "finding no", "finding number"),
    _c("policy_reference", "text", "policy", "policy ref", "program statement", "ps"),
    _c("severity", "severity", "finding type"),
    _c("corrective_action_due", "date", "action due", "due date", "cap due"),
    _c("corrective_action_closed", "date", "action closed", "closed date", "date closed", "cap closed"),
    _c("responsible", "text", "responsible party", "owner"),
)

SPECS: dict[str, tuple[Col, ...]] = {
    "population": POPULATION,
    "designations": DESIGNATIONS,
    "redesignations": REDESIGNATIONS,
    "facility_counts": FACILITY_COUNTS,
    "findings": FINDINGS,
}

_STRIP = re.compile(r"[\s_\-.()#/\\'\"]+")


def norm_header(text: str) -> str:
    """Header text as compared: lower case, no spaces/underscores/hyphens/dots, no trailing colon."""
    t = text.strip().lstrip("\ufeff").lower().rstrip(":")
    return _STRIP.sub("", t).rstrip(":")


def lookup(kind: str) -> dict[str, str]:
    """Normalised header spelling -> canonical column name for one kind (exact spellings)."""
    out: dict[str, str] = {}
    for col in SPECS[kind]:
        if col.type in DERIVED:
            continue
        for spelling in (col.name, *col.aliases):
            out.setdefault(norm_header(spelling), col.name)
    return out


def token_lookup(kind: str) -> dict[frozenset[str], str]:
    """Expanded word set -> canonical column for one kind; ValueError when two columns share one.

    Built from every spelling of `lookup`, so an abbreviation in ABBREVIATIONS reaches every
    column whose name or alias contains the full word.
    """
    out: dict[frozenset[str], str] = {}
    for col in SPECS[kind]:
        if col.type in DERIVED:
            continue
        for spelling in (col.name.replace("_", " "), *col.aliases):
            for key in keys(spelling):
                if out.setdefault(key, col.name) != col.name:
                    raise ValueError(f"{kind}: the header words {sorted(key)} name both {out[key]} and {col.name}")
    return out


LOOKUPS: dict[str, dict[str, str]] = {k: lookup(k) for k in KINDS}
TOKEN_LOOKUPS: dict[str, dict[frozenset[str], str]] = {k: token_lookup(k) for k in KINDS}
# Every word a header may be cut into when written without spaces: the abbreviations and
# the words of every spelling of every kind.
VOCABULARY: frozenset[str] = frozenset(
    {w for w in ABBREVIATIONS if w.isalnum()}
    | {w for spec in SPECS.values() for c in spec for s in (c.name.replace("_", " "), *c.aliases) for w in words(s)}
)


@functools.lru_cache(maxsize=4096)
def resolve(header: str, kind: str) -> tuple[str | None, bool]:
    """(canonical column, matched exactly) of one header text; (None, False) when not recognised.

    Exact spellings (canonical name or alias, ignoring case and punctuation) come first. Then the
    header's words, abbreviations expanded, are compared as a set (a header written without spaces
    is cut into known words first); a header whose readings name two different columns (an
    ambiguous abbreviation or cut) is not recognised rather than guessed.
    """
    exact = LOOKUPS[kind].get(norm_header(header))
    if exact is not None:
        return exact, True
    table = TOKEN_LOOKUPS[kind]
    found = {table[k] for k in keys(header) if k in table}
    run = words(header)
    if not found and len(run) == 1:  # one run of letters such as INITCLASSDT: try cutting it into words
        found = {table[k] for cut in splits(run[0], VOCABULARY) for k in keys(" ".join(cut)) if k in table}
    return (found.pop(), False) if len(found) == 1 else (None, False)


def match_header(fields: list[str], kind: str) -> tuple[list[str | None], list[str]]:
    """Canonical name per field (None for unknown or repeated) and the unknown header texts.

    Exact spellings claim their column before abbreviated ones, whatever the field order.
    """
    resolved = [resolve(f, kind) for f in fields]
    names: list[str | None] = [None] * len(fields)
    seen: set[str] = set()
    for exact_pass in (True, False):
        for i, (canon, exact) in enumerate(resolved):
            if canon is not None and exact == exact_pass and canon not in seen:
                seen.add(canon)
                names[i] = canon
    unknown = [
        f.strip() or f"(unnamed column {i})" for i, (f, n) in enumerate(zip(fields, names), start=1) if n is None
    ]
    return names, unknown


def suggestions(fields: list[str], kind: str) -> dict[str, str]:
    """Unrecognised header text -> the closest column of the kind the file does not have."""
    names, _ = match_header(fields, kind)
    absent = {
        c.name: [c.name.replace("_", " "), *c.aliases]
        for c in SPECS[kind]
        if c.name not in names and c.type not in DERIVED
    }
    out: dict[str, str] = {}
    for field, name in zip(fields, names):
        if name is None and field.strip() and resolve(field, kind)[0] is None:  # not a repeated column
            guess = closest(field, absent)
            if guess is not None:
                out[field.strip()] = guess
    return out


def not_recognised(header: str, column: str | None) -> str:
    """The sentence for one unrecognised header, with the column it probably is."""
    return f"{header} was not recognised" + (f"; did you mean {column}?" if column else "")


def header_hints(unknown: list[str], kind: str) -> dict[str, str]:
    """Column -> "X was not recognised; did you mean column?" from a report's unknown headers.

    For pages that say a rule was skipped for a missing column: the stored check report keeps
    the headers that were not recognised, and this names the one that is probably the column.
    """
    out: dict[str, str] = {}
    for header, column in suggestions(list(unknown), kind).items():
        out.setdefault(column, not_recognised(header, column))
    return out


def hint_absent(reason: str, unknown: list[str], kind: str) -> str:
    """A sentence saying a column is absent, plus the unrecognised header that is probably it.

    "the roster has no initial_classification_date column" with `Init Clss Dt` among the
    unknown headers gains "; Init Clss Dt was not recognised; did you mean ...?".
    """
    hints = header_hints(unknown, kind)
    return "; ".join([reason] + [text for column, text in hints.items() if re.search(rf"\b{column}\b", reason)])


def score(fields: list[str], kind: str) -> int:
    """How many fields of a candidate header row are columns of the kind."""
    return len({c for c in (resolve(f, kind)[0] for f in fields) if c is not None})


def guess_kind(fields: list[str]) -> str | None:
    """The kind a header row belongs to, from its telling columns; None when it cannot tell."""
    have = {kind: {c for c in match_header(fields, kind)[0] if c} for kind in KINDS}
    if {"direction", "transfer_type"} <= have["redesignations"]:
        return "redesignations"
    if "designation_date" in have["designations"]:
        return "designations"
    if {"discipline", "finding"} <= have["findings"]:
        return "findings"
    if {"population", "facility"} <= have["facility_counts"]:
        return "facility_counts"
    if {"unit", "custody"} <= have["population"] or {"register_number", "unit"} <= have["population"]:
        return "population"
    complete = [k for k in KINDS if all(c.name in have[k] for c in SPECS[k] if c.required)]
    return complete[0] if len(complete) == 1 else None
