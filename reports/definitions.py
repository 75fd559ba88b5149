"""The names of the figures that have more than one useful definition, and where each is shown.

One copy of the labels, for every page, command and file: a figure that reads differently
on two surfaces carries a label that says which definition it is, and the page showing one
points to the others.
"""

from __future__ import annotations

# Counts per security level (analytics.level_counts).
LEVEL_LABELS = {
    "housing": "Housing level",
    "required": "Required level",
    "scored": "Scored level",
}
LEVEL_MEANINGS = {
    "housing": "the level of the unit each inmate is housed in",
    "required": "security points plus PSF floors",
    "scored": "security points only",
}
LEVEL_PAGES = {
    "housing": "/capacity",
    "required": "/briefing and /explore (required_level)",
    "scored": "/designations and /explore (security_level)",
}

# Pending moves: counted from this institution's own exports, or as a national sheet writes them.
PENDING_LABELS = {
    "exports": "pending from the designations exports",
    "sheet": "pending from the facility_counts sheet",
}
PENDING_MEANINGS = {
    "exports": "every pending designation plus redesignations PENDING, APPROVED or IN TRANSIT, each inmate once",
    "sheet": "the pending in and out columns of the national facility_counts file, as written",
}
PENDING_PAGES = {"exports": "/designations and /briefing", "sheet": "/national and `popdash capacity`"}


def level_label(definition: str) -> str:
    """'Housing level (the level of the unit each inmate is housed in)'."""
    return f"{LEVEL_LABELS[definition]} ({LEVEL_MEANINGS[definition]})"


def other_levels(shown: str) -> str:
    """A caption for a page counting by one level definition: which it is and where the others are."""
    others = "; ".join(
        f"by {LEVEL_LABELS[d].lower()} ({LEVEL_MEANINGS[d]}) on {LEVEL_PAGES[d]}" for d in LEVEL_LABELS if d != shown
    )
    return f"Counted by {level_label(shown).lower()}. The same inmates counted {others}."


def other_pending(shown: str) -> str:
    """A caption for a page showing pending moves under one definition: which it is and where the other is."""
    other = next(d for d in PENDING_LABELS if d != shown)
    return (
        f"Pending here: {PENDING_LABELS[shown]} ({PENDING_MEANINGS[shown]}). "
        f"The {PENDING_LABELS[other]} ({PENDING_MEANINGS[other]}) is on {PENDING_PAGES[other]}."
    )
