"""Level order, PSF floors and the required level R(i)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.levels import as_of_timestamp, level_names, level_ranks, required_levels

AS_OF = pd.Timestamp("2026-11-22")


def test_ranks_and_names_round_trip():
    ranks = level_ranks(
        pd.Series(["MINIMUM", "LOW", "MEDIUM", "HIGH", "UNASSIGNED", None, "ADMINISTRATIVE"], dtype="str")
    )
    assert list(ranks) == [0, 1, 2, 3, -1, -1, -1]
    assert list(level_names(ranks)) == ["MINIMUM", "LOW", "MEDIUM", "HIGH", "", "", ""]


@pytest.mark.parametrize("value", ["2026-11-22", pd.Timestamp("2026-11-22 13:45"), "2026-11-22T08:00:00+05:00"])
def test_as_of_is_a_midnight_timestamp(value):
    assert as_of_timestamp(value) == AS_OF


def frame(**cols) -> pd.DataFrame:
    n = len(next(iter(cols.values())))
    base = {"security_level": ["LOW"] * n}
    out = pd.DataFrame({**base, **cols})
    for c in ("security_level", "psf", "sex"):
        if c in out:
            out[c] = out[c].astype("str")
    if "projected_release_date" in out:
        out["projected_release_date"] = pd.to_datetime(out["projected_release_date"])
    return out


@pytest.mark.parametrize(
    "scored, psf, sex, expected",
    [
        ("MINIMUM", None, "M", "MINIMUM"),
        ("MINIMUM", "SEX OFFENDER", "M", "LOW"),
        ("MINIMUM", "sxo", "M", "LOW"),  # aliases, any case
        ("LOW", "DISRUPTIVE GROUP", "M", "HIGH"),
        ("LOW", "DISRUPTIVE GROUP", "F", "LOW"),
        ("LOW", "SERIOUS ESCAPE", "M", "MEDIUM"),
        ("LOW", "SERIOUS ESCAPE", "F", "LOW"),
        ("HIGH", "SEX OFFENDER", "M", "HIGH"),  # a floor never lowers the scored level
        ("MINIMUM", "UNHEARD OF", "M", "LOW"),
        ("MINIMUM", "SEX OFFENDER; PRISON DISTURBANCE", "F", "MEDIUM"),
        ("UNASSIGNED", "DSG", "M", ""),  # no scored level: no required level
    ],
)
def test_required_level(rules, scored, psf, sex, expected):
    req = required_levels(frame(security_level=[scored], psf=[psf], sex=[sex]), rules, AS_OF, "M")
    assert level_names(req.required)[0] == expected


@pytest.mark.parametrize(
    "years, days, level, phrase",
    [
        (10, 0, "LOW", "SENTENCE LENGTH (10 years or less to release)"),
        (10, 1, "LOW", "SENTENCE LENGTH (more than 10 years to release)"),
        (20, 0, "LOW", "SENTENCE LENGTH (more than 10 years to release)"),
        (20, 1, "MEDIUM", "SENTENCE LENGTH (more than 20 years to release)"),
        (30, 0, "MEDIUM", "SENTENCE LENGTH (more than 20 years to release)"),
        (30, 1, "HIGH", "SENTENCE LENGTH (more than 30 years to release)"),
        (None, None, "LOW", "SENTENCE LENGTH (release date unknown)"),
    ],
)
def test_sentence_length_ladder(rules, years, days, level, phrase):
    prd = None if years is None else AS_OF + pd.DateOffset(years=years) + pd.Timedelta(days=days)
    req = required_levels(
        frame(security_level=["MINIMUM"], psf=["SENTENCE LENGTH"], projected_release_date=[prd]), rules, AS_OF, "M"
    )
    assert level_names(req.floor)[0] == level
    assert req.explain(np.array([0]))[0] == f"scored MINIMUM; PSF {phrase} raises to {level}; "


def test_sentence_length_on_29_february(rules):
    leap = pd.Timestamp("2028-02-29")
    prd = [leap + pd.DateOffset(years=20), leap + pd.DateOffset(years=20) + pd.Timedelta(days=1)]
    req = required_levels(frame(psf=["SLG", "SLG"], projected_release_date=prd), rules, leap, "M")
    assert list(level_names(req.floor)) == ["LOW", "MEDIUM"]


def test_unknown_psf_names_are_collected(rules):
    req = required_levels(frame(psf=["ZED;SXO", "ZED", "ALPHA", None]), rules, AS_OF, "M")
    assert req.unknown_psf == ("ALPHA", "ZED") and req.unknown_rows == 3


def test_without_psf_column_required_is_scored(rules):
    req = required_levels(frame(security_level=["MINIMUM", "HIGH"]), rules, AS_OF, "M")
    assert list(level_names(req.required)) == ["MINIMUM", "HIGH"]
