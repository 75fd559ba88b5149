"""Display tables: readable columns, exact percentages, missing values kept missing."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.components.tables import projection_table


def test_projection_table_columns_and_levels():
    proj = pd.DataFrame(
        {
            "security_level": pd.Series(["MINIMUM", "HIGH", "FACILITY"], dtype="str"),
            "current": pd.array([535, 3, 1817], dtype="Int64"),
            "pending_in": pd.array([26, 2, 91], dtype="Int64"),
            "pending_out": pd.array([21, 1, 40], dtype="Int64"),
            "projected": pd.array([540, 4, 1868], dtype="Int64"),
            "rated_capacity": pd.array([250, None, 1856], dtype="Int64"),
            "crowding_pct": pd.array([116, None, 1], dtype="Int64"),
        }
    )
    t = projection_table(proj)
    assert list(t.columns) == [
        "level",
        "current",
        "pending_in",
        "pending_out",
        "projected",
        "rated_capacity",
        "pct_of_rated",
    ]
    assert list(t["level"]) == ["Minimum", "High", "Facility"]
    assert t["pct_of_rated"].tolist()[0] == 216 and t["pct_of_rated"].isna().tolist() == [False, True, False]
    assert t["pct_of_rated"].iloc[2] == 101  # 1868 / 1856 = 100.6 %


@pytest.mark.parametrize(
    ("column", "heading"),
    [
        ("register_number", "Register number"),
        ("unit", "Unit"),
        ("days left", "Days left"),
        ("80 % band", "80 % band"),
        ("mgtv_expires", "MGTV expires"),
        ("psf", "PSF"),
        ("finding_id", "Finding ID"),
        ("identity", "Identity"),  # only whole words are abbreviations
        ("", ""),
    ],
)
def test_heading(column, heading):
    from dashboard.components.widgets import heading as make

    assert make(column) == heading


def test_headings_keep_given_labels_and_formats():
    import streamlit as st

    from dashboard.components.widgets import _with_headings

    frame = pd.DataFrame({"case_manager": ["A"], "due_date": [1], "hidden": [0], "given": [2]})
    cfg = _with_headings(
        frame, {"due_date": st.column_config.NumberColumn(format="localized"), "hidden": None, "given": "Mine"}
    )
    assert cfg["case_manager"] == "Case manager"
    assert cfg["due_date"]["label"] == "Due date" and cfg["due_date"]["type_config"]["format"] == "localized"
    assert cfg["hidden"] is None and cfg["given"] == "Mine"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1742, "1,742"),
        (1742.4, "1,742"),
        (None, "—"),
        (float("nan"), "—"),
        (pd.NA, "—"),
    ],
)
def test_fmt_int_missing(value, text):
    from reports.theme import fmt_int

    assert fmt_int(value) == text
