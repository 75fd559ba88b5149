"""Tables as a reader sees them: display frames built from analytics results (no Streamlit)."""

from __future__ import annotations

import pandas as pd

from analytics.percent import half_up_percents


def projection_table(proj: pd.DataFrame) -> pd.DataFrame:
    """Pipeline projection per level: level (title case), current, pending in/out, projected, rated
    capacity and the projected population as a whole % of rated capacity."""
    out = proj[["current", "pending_in", "pending_out", "projected", "rated_capacity"]].assign(
        pct_of_rated=half_up_percents(proj["projected"], proj["rated_capacity"])
    )
    out.insert(0, "level", proj["security_level"].astype("str").str.title())
    return out.reset_index(drop=True)
