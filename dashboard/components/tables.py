"""Tables as a reader sees them: display frames built from analytics results (no Streamlit)."""
from __future__ import annotations

import numpy as np
import pandas as pd


def pct_of(part: pd.Series, whole: pd.Series) -> pd.Series:
    """part / whole as a whole percent rounded half up (Int64), exactly; missing where either is
    missing or the whole is not above zero."""
    part, whole = part.astype("Int64"), whole.astype("Int64").set_axis(part.index)
    known = part.notna() & whole.notna() & (whole > 0)
    p = part.fillna(0).to_numpy(dtype="int64")
    w = np.maximum(whole.fillna(1).to_numpy(dtype="int64"), 1)
    # floor(100 p / w + 1/2) = floor((200 p + w) / 2w), in integers.
    return pd.Series(pd.array((200 * p + w) // (2 * w), dtype="Int64"), index=part.index).where(known, pd.NA)


def projection_table(proj: pd.DataFrame) -> pd.DataFrame:
    """Pipeline projection per level: level (title case), current, pending in/out, projected, rated
    capacity and the projected population as a whole % of rated capacity."""
    out = proj[["current", "pending_in", "pending_out", "projected", "rated_capacity"]].assign(
        pct_of_rated=pct_of(proj["projected"], proj["rated_capacity"]))
    out.insert(0, "level", proj["security_level"].astype("str").str.title())
    return out.reset_index(drop=True)
