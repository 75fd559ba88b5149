"""The generated parts of docs/inputs.md: columns and spellings per kind, value spellings,
header abbreviations, and the rules file's settings, all read from the code.

`python -m tests.docs_inputs` rewrites those parts in place; tests/test_docs.py fails when
they are out of date.
"""

from __future__ import annotations

import re
from pathlib import Path

from loaders import _convert as cv
from loaders._headers import ABBREVIATIONS, FILLER
from loaders._schema import DERIVED, KINDS, SPECS, Col
from loaders.config import DEFAULT_RULES

DOC = Path(__file__).resolve().parent.parent / "docs" / "inputs.md"

# What each value type accepts, in words (every type of loaders/_schema.py needs a line).
TYPES: dict[str, str] = {
    "text": "text, kept as written (spaces trimmed)",
    "upper": "text, upper-cased",
    "register": "register number NNNNN-NNN (eight digits without the hyphen are accepted)",
    "date": "a date (see [Dates](#dates))",
    "release": "a date, or LIFE, LIFE SENTENCE or DEATH for no release",
    "int": "whole number >= 0 (1,535 and 12.0 are accepted)",
    "care": "care level 1 to 4 (also CL2, CARE 2, CARE LEVEL 2, MH2, MCL2, LVL 2)",
    "bool": "Y or N (also YES/NO, TRUE/FALSE, 1/0)",
    "psf": "PSF names separated by `;` (names the rules file does not know still count, as LOW)",
    "level": "security level (blank reads as UNASSIGNED)",
    "level_opt": "security level, without UNASSIGNED",
    "custody": "custody level",
    "custody_opt": "custody level",
    "sex": "sex",
    "direction": "direction",
    "transfer_type": "transfer type",
    "desig_status": "designation status",
    "redesig_status": "redesignation status",
    "review_type": "review type",
    "rating": "rating",
    "severity": "finding severity",
    "name": "`LAST, FIRST` in one column, split into last_name and first_name",
    "unit": "a unit name of the facility file (any case); not checked without a facility file",
}
ENUMS = {
    "security level": cv.LEVELS,
    "custody level": cv.CUSTODY,
    "sex": cv.SEX,
    "direction": cv.DIRECTION,
    "transfer type": cv.TRANSFER,
    "designation status": cv.DESIG_STATUS,
    "redesignation status": cv.REDESIG_STATUS,
    "review type": cv.REVIEW_TYPE,
    "rating": cv.RATING,
    "finding severity": cv.SEVERITY,
}


def _spellings(col: Col) -> str:
    return ", ".join(f"`{s}`" for s in dict.fromkeys((col.name, *col.aliases)))


def columns_block() -> str:
    """One table per kind: column, required, value, accepted header spellings."""
    out = []
    for kind in KINDS:
        out += [
            f"### {kind}",
            "",
            "| column | required | value | header spellings accepted as they are |",
            "|---|---|---|---|",
        ]
        for col in SPECS[kind]:
            if col.type in DERIVED:
                continue
            out.append(f"| `{col.name}` | {'yes' if col.required else 'no'} | {TYPES[col.type]} | {_spellings(col)} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def values_block() -> str:
    """Each enumeration: its values and the other spellings that read as each."""
    out = ["| value of | canonical values (other spellings accepted) |", "|---|---|"]
    for what, table in ENUMS.items():
        groups: dict[str, list[str]] = {}
        for spelling, canon in table.items():
            groups.setdefault(canon, [])
            if spelling != canon:
                groups[canon].append(spelling)
        shown = "; ".join(
            f"`{c}`" + (f" ({', '.join(f'`{s}`' for s in alts)})" if alts else "") for c, alts in groups.items()
        )
        out.append(f"| {what} | {shown} |")
    return "\n".join(out) + "\n"


def abbreviations_block() -> str:
    """The word table, grouped by full word: full word(s) <- the abbreviations read as it."""
    by_meaning: dict[str, list[str]] = {}
    for short, fulls in ABBREVIATIONS.items():
        for full in fulls:
            by_meaning.setdefault(full, []).append(short)
    out = ["| read as | written in headers |", "|---|---|"]
    for full, shorts in sorted(by_meaning.items()):
        out.append(f"| {full} | {', '.join(f'`{s}`' for s in sorted(shorts))} |")
    out += ["", "Words dropped before comparing: " + ", ".join(f"`{w}`" for w in sorted(FILLER)) + "."]
    return "\n".join(out) + "\n"


def rules_block() -> str:
    """Every setting of the shipped rules file with its value, source tag and note."""
    out = ["| table | setting | shipped value | source | note |", "|---|---|---|---|---|"]
    table, array = "", ""
    for line in DEFAULT_RULES.read_text(encoding="utf-8").splitlines():
        code, _, note = line.partition("#")
        code = code.strip()
        tag, rest = _tag(note)
        if array:  # inside a list written over several lines: one row per item
            if code.startswith("]"):
                array = ""
            elif code:
                out.append(f"| `{table}` | `{array}` (one of) | `{code.rstrip(',')}` | {tag} | {rest} |")
            continue
        head = re.match(r"^\[\[?[^\]]+\]\]?$", code)
        if head:
            table = code
            if note.strip():
                out.append(f"| `{table}` | (the whole table) | | {tag} | {rest} |")
        elif "=" in code:
            key, _, value = (x.strip() for x in code.partition("="))
            if value == "[":
                array = key
            else:
                out.append(f"| `{table}` | `{key}` | `{value}` | {tag} | {rest} |")
    return "\n".join(out) + "\n"


def _tag(note: str) -> tuple[str, str]:
    """([P]/[S]/[U] or "", the rest of a comment)."""
    m = re.match(r"^(\[[PSU]\])\s*(.*)$", note.strip())
    return (m.group(1), m.group(2)) if m else ("", note.strip())


def needs_block() -> str:
    """The roster columns each flag rule and work-queue task reads (a rule is skipped without them)."""
    from analytics.flags import ROSTER_RULES
    from analytics.workqueue import _NEEDS

    out = ["| flag rule or work-queue task | roster columns it needs |", "|---|---|"]
    for rule, (_, needs) in ROSTER_RULES.items():
        cols = dict.fromkeys(("register_number", "unit") + needs)
        extra = " and `medical_care_level` or `mental_health_care_level`" if rule == "CARE-LEVEL" else ""
        out.append(f"| {rule} (flag) | {', '.join(f'`{c}`' for c in cols)}{extra} |")
    out.append(
        "| DESIG-LEVEL (flag) | a designations export with `security_level`, `designation_date`, `psf`, `mgtv` |"
    )
    for task, needs in _NEEDS.items():
        out.append(f"| {task.lower()} (work queue) | {', '.join(f'`{c}`' for c in needs)} |")
    return "\n".join(out) + "\n"


BLOCKS = {
    "columns": columns_block,
    "needs": needs_block,
    "values": values_block,
    "abbreviations": abbreviations_block,
    "rules": rules_block,
}


def render(text: str) -> str:
    """The doc with every generated block replaced by its fresh content."""
    for name, fn in BLOCKS.items():
        pattern = re.compile(rf"(<!-- generated: {name} -->\n).*?(<!-- end generated: {name} -->)", re.S)
        if not pattern.search(text):
            raise ValueError(f"docs/inputs.md lacks the generated block {name}")
        body = fn()
        text = pattern.sub(lambda m, body=body: m.group(1) + "\n" + body + "\n" + m.group(2), text)
    return text


if __name__ == "__main__":
    DOC.write_text(render(DOC.read_text(encoding="utf-8")), encoding="utf-8")
