"""The national view: the latest facility counts set against the agency's reference list."""

from __future__ import annotations

import pandas as pd

from analytics.capacity import capacity_sheet
from analytics.national import NationalView, institution_keys_of, national_view
from loaders.config import FacilityInfo
from loaders.reference import facility_list, resolve_facilities
from reports.snapshots import SnapshotSource


def national(source: SnapshotSource) -> tuple[pd.DataFrame, NationalView]:
    """(latest facility_counts snapshot, its NationalView) with the home facility resolved."""
    counts = source.frame("facility_counts", as_of=max(source.as_of_dates("facility_counts")))
    home = source.facility().facility
    # Counts imported before the store had its facility carry no code for the home facility's
    # own name; resolve it now so the home facility is not listed as unmatched.
    code = counts["facility_code"] if "facility_code" in counts.columns else pd.Series(pd.NA, index=counts.index)
    counts = counts.assign(facility_code=code.fillna(resolve_facilities(counts["facility"], home)))
    return counts, national_view(counts, facility_list(), home)


def sheet(counts: pd.DataFrame, home: FacilityInfo | None = None) -> pd.DataFrame:
    """The capacity sheet of the counts' latest date, one row per institution (/national, `popdash capacity`)."""
    return capacity_sheet(counts, institution_keys_of(counts, facility_list(), home))
