"""The designation pipeline of a designations snapshot: what is on its way in and out."""

from __future__ import annotations

from datetime import date

import pandas as pd

from analytics.pipeline import Pipeline, designation_pipeline
from reports.snapshots import SnapshotSource, latest_on_or_before


def pipeline(source: SnapshotSource, as_of: date) -> Pipeline:
    """The pipeline at a designations snapshot date, against the roster and redesignations then in force."""
    roster_day = latest_on_or_before(source, "population", as_of)
    redesignated = latest_on_or_before(source, "redesignations", as_of)
    roster = (
        source.frame("population", as_of=roster_day)
        if roster_day
        else pd.DataFrame({"register_number": pd.Series(dtype="str"), "security_level": pd.Series(dtype="str")})
    )
    return designation_pipeline(
        roster,
        source.frame("designations", as_of=as_of),
        source.frame("redesignations", as_of=redesignated) if redesignated else None,
        source.facility(),
        source.rules(),
        as_of,
    )
