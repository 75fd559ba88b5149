"""The one percentage rule: a whole number rounded half up, as the agency's capacity sheet prints it.

floor(100 x part / whole + 0.5), so 0.5 -> 1, 12.5 -> 13 and -2.5 -> -2. Counts are rounded in
integer arithmetic, never in binary floating point (12.5 % is 13 %, not 12 %). A whole of zero
or less, or a missing part or whole, gives no percentage at all (missing is never zero).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


def half_up_percent(part: float, whole: float) -> int | None:
    """One percentage rounded half up; None when the whole is 0."""
    if not whole:
        return None
    if isinstance(part, int) and isinstance(whole, int):
        return (200 * part + whole) // (2 * whole)  # exact for counts: no float rounding at .5
    return math.floor(part * 100 / whole + 0.5)


def half_up_percents(part: pd.Series, whole: pd.Series) -> pd.Series:
    """Percentages of counts rounded half up (Int64), exactly; missing where either side is
    missing or the whole is not above zero."""
    part, whole = part.astype("Int64"), whole.astype("Int64").set_axis(part.index)
    known = part.notna() & whole.notna() & (whole > 0)
    p = part.fillna(0).to_numpy(dtype="int64")
    w = np.maximum(whole.fillna(1).to_numpy(dtype="int64"), 1)
    # floor(100 p / w + 1/2) = floor((200 p + w) / 2w); // floors towards -inf.
    return pd.Series(pd.array((200 * p + w) // (2 * w), dtype="Int64"), index=part.index).where(known, pd.NA)
