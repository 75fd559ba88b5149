"""Inmates per security level under each of the three definitions the pages use.

- housing level: the level of the unit an inmate is housed in (facility file; /capacity);
- required level: security points plus PSF floors, R(i) of domain.md section 5 (/briefing);
- scored level: the security points alone, the roster's `security_level` (/designations).

The three differ on purpose (a scored-MINIMUM inmate with a PSF needs a LOW bed and may be
housed in a MEDIUM unit under an MGTV); each page labels which one it shows
(`reports.definitions`). Computed here once, with the functions the pages themselves use.
"""

from __future__ import annotations

import pandas as pd

from analytics.briefing import required_level_counts
from analytics.capacity import capacity_view
from analytics.pipeline import POPULATION_LEVELS, _level
from loaders.config import Facility, Rules

DEFINITIONS = ("housing", "required", "scored")
ROWS = ("MINIMUM", "LOW", "MEDIUM", "HIGH", "ADMINISTRATIVE", "UNASSIGNED")


def level_counts(roster: pd.DataFrame, facility: Facility, rules: Rules, as_of: object) -> pd.DataFrame:
    """One row per level (MINIMUM .. ADMINISTRATIVE, UNASSIGNED): housing, required, scored (Int64).

    A definition that has no such level shows <NA> (no inmate is scored ADMINISTRATIVE, no
    unit is UNASSIGNED), never 0. Housing counts leave out inmates in units the facility file
    does not list (`CapacityView.unknown_units` names them).
    """
    housing = capacity_view(roster, facility).levels.set_index("security_level")["population"]
    required = required_level_counts(roster, rules, as_of, facility.facility.sex)
    scored = _level(roster["security_level"]).value_counts()
    out = pd.DataFrame(index=pd.Index(ROWS, name="level"))
    out["housing"] = pd.array([housing.get(lv) if lv != "UNASSIGNED" else None for lv in ROWS], dtype="Int64")
    out["required"] = pd.array(
        [int(required.get(lv, 0)) if lv != "ADMINISTRATIVE" else None for lv in ROWS], dtype="Int64"
    )
    out["scored"] = pd.array(
        [int(scored.get(lv, 0)) if lv in POPULATION_LEVELS else None for lv in ROWS], dtype="Int64"
    )
    return out.reset_index()
