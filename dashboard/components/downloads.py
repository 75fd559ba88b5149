"""Files people download from the dashboard: CSV that a spreadsheet cannot execute.

No Streamlit here, so the function is tested on its own.
"""

from __future__ import annotations

import pandas as pd

# A cell starting with one of these is a formula to Excel / LibreOffice (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """Prefix a text cell that a spreadsheet would read as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` where every text cell starting with = + - @ (or tab / CR) is made inert."""
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_string_dtype(s) or s.dtype == object:
            text = s.astype("str")
            risky = text.str.startswith(FORMULA_STARTS).fillna(False) & s.notna()
            if risky.any():
                out[col] = text.where(~risky, "'" + text).where(s.notna(), None)
    # Header cells travel in the file too.
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM, so Excel reads accents right), formulas neutralised, dates as YYYY-MM-DD."""
    safe = neutralise_formulas(frame)
    return safe.to_csv(index=False, date_format="%Y-%m-%d").encode("utf-8-sig")
