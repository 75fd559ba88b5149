"""Header words: abbreviations real exports use, expanded so that `INIT CLASS DT` reads as
`initial classification date`.

A header is split into words (spaces, punctuation, `#`, camelCase), each word is replaced by its
full form from ABBREVIATIONS, filler words are dropped, and the words are compared as a set, so
word order does not matter. `loaders._schema` builds one such key per column spelling; a key that
two columns of one kind would share is refused when the module loads (see `_schema.token_lookup`).
"""

from __future__ import annotations

import difflib
import functools
import itertools
import re

# Word as written -> its full form(s). A word with two meanings lists both ("exp" is "expected"
# in EXP ARR DT and "expires" in MGTV EXP); a header matches when exactly one reading names a column.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "dt": ("date",),
    "dte": ("date",),
    "dat": ("date",),
    "no": ("number",),
    "num": ("number",),
    "nbr": ("number",),
    "nmbr": ("number",),
    "#": ("number",),
    "lvl": ("level",),
    "lev": ("level",),
    "lv": ("level",),
    "sec": ("security",),
    "secur": ("security",),
    "team": ("program review",),
    "prog": ("program",),
    "pgm": ("program",),
    "rev": ("review",),
    "rvw": ("review",),
    "init": ("initial",),
    "ini": ("initial",),
    "intl": ("initial",),
    "class": ("classification",),
    "cls": ("classification",),
    "classif": ("classification",),
    "proj": ("projected",),
    "prj": ("projected",),
    "projd": ("projected",),
    "rel": ("release",),
    "rls": ("release",),
    "exp": ("expires", "expected"),
    "expires": ("expires",),
    "expiration": ("expires",),
    "expiry": ("expires",),
    "expir": ("expires",),
    "expct": ("expected",),
    "expd": ("expected",),
    "med": ("medical",),
    "mh": ("mental health",),
    "cust": ("custody",),
    "cus": ("custody",),
    "cstdy": ("custody",),
    "hsg": ("housing",),
    "hous": ("housing",),
    "arr": ("arrival",),
    "arrv": ("arrival",),
    "arrived": ("arrival",),
    "desig": ("designation",),
    "dsg": ("designation",),
    "designated": ("designation",),
    "redesig": ("redesignation",),
    "reg": ("register",),
    "pts": ("points",),
    "pt": ("points",),
    "mgmt": ("management",),
    "mgt": ("management",),
    "var": ("variable",),
    "fac": ("facility",),
    "facl": ("facility",),
    "inst": ("institution",),
    "pend": ("pending",),
    "pop": ("population",),
    "cnt": ("count",),
    "mgr": ("manager",),
    "loc": ("location",),
    "cur": ("current",),
    "curr": ("current",),
    "req": ("request",),
    "rqst": ("request",),
    "requested": ("request",),
    "stat": ("status",),
    "sts": ("status",),
    "tgt": ("target",),
    "xfer": ("transfer",),
    "trans": ("transfer",),
    "rsn": ("reason",),
    "mv": ("move",),
    "dtnr": ("detainer",),
    "qtr": ("quarters",),
    "qtrs": ("quarters",),
    "mthd": ("method",),
    "meth": ("method",),
    "dist": ("district",),
    "sent": ("sentencing",),
    "rpt": ("report",),
    "desc": ("description",),
    "resp": ("responsible",),
    "sev": ("severity",),
    "rtg": ("rating",),
    "ref": ("reference",),
    "pol": ("policy",),
    "corr": ("corrective",),
    "actn": ("action",),
    "clsd": ("closed",),
    "decn": ("decision",),
    "cap": ("capacity",),
    "gndr": ("gender",),
    "yr": ("year",),
}
FILLER = frozenset({"of", "the"})  # "Date of Birth" is "birth date"

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_WORD = re.compile(r"#|[a-z0-9]+")


def words(header: str) -> list[str]:
    """The words of a header as written: `InitClassDt` and `INIT_CLASS_DT` both give init, class, dt."""
    return _WORD.findall(_CAMEL.sub(" ", header.strip().lstrip("\ufeff")).lower())


def keys(header: str) -> set[frozenset[str]]:
    """Every reading of a header as a set of full words (one per meaning of its ambiguous words)."""
    options = []
    for w in words(header):
        if w in FILLER:
            continue
        options.append([tuple(full.split()) for full in ABBREVIATIONS.get(w, (w,))])
    out = set()
    for combo in itertools.product(*options):
        out.add(frozenset(word for full in combo for word in full))
    return {k for k in out if k}


def splits(run: str, vocabulary: frozenset[str], limit: int = 64) -> list[list[str]]:
    """Ways to cut a run of letters written without spaces (`INITCLASSDT`) into known words."""

    @functools.cache
    def tails(start: int) -> tuple[tuple[str, ...], ...]:
        if start == len(run):
            return ((),)
        out: list[tuple[str, ...]] = []
        for end in range(start + 2, len(run) + 1):  # no one-letter words: they would cut anything
            head = run[start:end]
            if head in vocabulary:
                out += [(head, *rest) for rest in tails(end)][: limit - len(out)]
        return tuple(out)

    return [list(t) for t in tails(0) if len(t) > 1]


def closest(header: str, spellings: dict[str, list[str]]) -> str | None:
    """The column whose spellings look most like `header` (None when nothing is close).

    Compares the header's expanded words with each spelling's: half the words in common, or
    letters nearly the same (difflib, for typing slips such as `Hsng Unt`).
    """
    mine = max(keys(header), key=len, default=frozenset())
    text = " ".join(sorted(mine))
    best: tuple[float, str] | None = None
    for column, forms in spellings.items():
        for form in forms:
            for theirs in keys(form):
                shared = len(mine & theirs) / max(len(mine | theirs), 1)
                ratio = difflib.SequenceMatcher(None, text, " ".join(sorted(theirs))).ratio()
                # Half the words in common, or nearly the same letters; anything less is a guess.
                value = shared if shared >= 0.5 else (ratio * 0.9 if ratio >= 0.75 else 0.0)
                if value and (best is None or value > best[0]):
                    best = (value, column)
    return best[1] if best is not None else None
