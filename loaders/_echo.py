"""What an error entry may echo of a rejected cell: never a name or a birth date, even in the wrong column.

In every file kind a cell is echoed only when it is shown to be safe (a roster's columns turn up
in a counts or findings file too, when an export was saved under the wrong name): it has no letters and
is not a date (a number, a code), it is a date that failed to parse in a column of dates, or its
words are all words of popdash's own vocabularies (a security level in the custody column). A
name or a real date anywhere else is hidden, and any other word is described by its shape only
("a 5-letter word"): a surname alone cannot be told from a misspelled code.
"""

from __future__ import annotations

import re

from loaders import _convert as converters
from loaders._dates import parse_date

MASK = "(personal data)"
HIDDEN = "(hidden: looks like a name or a birth date)"
HIDDEN_REGISTER = "(hidden: looks like a register number)"
# A register number (NNNNN-NNN or eight bare digits), in whatever column or file it sits.
REGISTER = re.compile(r"(?<!\d)\d{5}-?\d{3}(?!\d)")
DATE_TYPES = frozenset({"date", "release"})
# A name in the wrong column: "ADAMS, RAYMOND", "Raymond Adams", "O'NEIL-SMITH, J."
_NAME_LIKE = re.compile(r"^\s*[^\W\d_][\w'’.\-]*(\s*,\s*|\s+)[^\W\d_][\w'’.\- ]*$")
_DATE_LIKE = re.compile(r"\d{1,4}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{1,4}")
_WORD = re.compile(r"[^\W\d_]+")
_ONE_WORD = re.compile(r"^[^\W\d_]+(?:['’.\-][^\W\d_]+)*\.?$")
# Letters next to digits ("A1", "CL5", "Z9") are codes, not names, up to this many letters per run.
_CODE_LETTERS = 2


def _vocabulary() -> frozenset[str]:
    """Every word popdash itself reads in a coded column (levels, custody, statuses, yes/no, care words)."""
    tables = (
        converters.LEVELS,
        converters.CUSTODY,
        converters.SEX,
        converters.DIRECTION,
        converters.TRANSFER,
        converters.DESIG_STATUS,
        converters.REDESIG_STATUS,
        converters.REVIEW_TYPE,
        converters.RATING,
        converters.SEVERITY,
        converters._BOOL,
    )
    words = {w for table in tables for spelling in table for w in _WORD.findall(spelling)}
    words |= {w for s in converters.NO_RELEASE.to_pylist() for w in _WORD.findall(s)}
    words |= {"CARE", "LEVEL", "LVL", "CL", "MH", "MHCL", "MCL"}  # the care-level spellings (_CARE)
    return frozenset(words)


VOCABULARY = _vocabulary()
# Month names are safe in a column of dates ("March 4 2026"), and only there: May, June and April are names too.
MONTHS = frozenset(
    w
    for m in (
        [
            "JANUARY",
            "FEBRUARY",
            "MARCH",
            "APRIL",
            "MAY",
            "JUNE",
            "JULY",
            "AUGUST",
            "SEPTEMBER",
            "OCTOBER",
            "NOVEMBER",
            "DECEMBER",
        ]
    )
    for w in (m, m[:3])
)


def masked(column: str, personal: frozenset[str]) -> bool:
    """True for a column whose values an error entry never echoes: names, birth dates, register numbers.

    A register number is pointed at by its line and column: the value itself, well formed,
    repeated or malformed, would name the person in every terminal, log and stored report.
    """
    return column in personal or column == "register_number"


def _shape(value: str) -> str:
    """The value described, not shown: enough to find it in the file by its line and column."""
    if _ONE_WORD.match(value):
        return f"(hidden: a {sum(map(len, _WORD.findall(value)))}-letter word; may be a name)"
    return f"(hidden: {len(value)} characters with letters; may be a name)"


def shown(kind: str, column: str, column_type: str | None, value: object) -> object:
    """The value an error entry of a `kind` file may echo for a rejected cell of `column`."""
    if not isinstance(value, str):
        return value
    value = value.strip()
    if REGISTER.search(value):
        return HIDDEN_REGISTER  # a register number identifies a person on its own, in any file kind
    if not value:
        return value
    dates = column_type in DATE_TYPES
    words = _WORD.findall(value)
    known = all(w.upper() in VOCABULARY or (dates and w.upper() in MONTHS) for w in words)
    if _DATE_LIKE.search(value):
        # A date is echoed only where dates belong and only when it is no real day (a typo, not a birth date).
        return value if dates and known and parse_date(value) is None else HIDDEN
    if not words or known:
        return value  # digits and punctuation (a number, a code), or popdash's own words
    if _NAME_LIKE.match(value):
        return HIDDEN
    if any(c.isdigit() for c in value) and all(len(w) <= _CODE_LETTERS for w in words):
        return value
    return _shape(value)
