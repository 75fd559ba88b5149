"""/explore: a view seeded from the URL query string reopens exactly, with the right numbers."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from pages_helpers import assert_clean, run_page

from loaders.store import Store


@pytest.fixture(autouse=True)
def _store(page_store, monkeypatch):
    monkeypatch.setenv("POPDASH_STORE", str(page_store))


@pytest.fixture(scope="module")
def roster(page_store):
    s = Store(page_store)
    df = s.frame("population")
    return df.assign(unit_level=df["unit"].map(s.facility().unit_levels))


def _all_widgets(at):
    for kind in ("selectbox", "multiselect", "text_input", "toggle"):
        yield from getattr(at, kind)


def test_default_view_hides_names_and_groups_by_unit(page_run, roster):
    at = page_run("explore")
    assert_clean(at)
    counts = at.dataframe[0].value.set_index("unit")["rows"]
    assert counts.to_dict() == roster["unit"].value_counts().to_dict()
    rows = at.dataframe[-1].value
    assert len(rows) == len(roster)
    assert not {"last_name", "first_name", "birth_date"} & set(rows.columns)
    assert "register_number" in rows.columns


def test_query_string_reopens_the_view(roster):
    query = {"kind": "population", "f1": "security_level", "in1": ["LOW"], "by1": "unit_level", "by2": "unit"}
    at = run_page("explore", query)
    assert_clean(at)
    widgets = {w.key: w.value for w in _all_widgets(at)}
    assert widgets["kind"] == "population"
    assert widgets["f1"] == "security_level"
    assert widgets["in1"] == ["LOW"]
    assert widgets["by1"] == "unit_level"
    assert widgets["by2"] == "unit"
    low = roster[roster["security_level"] == "LOW"]
    expected = low.groupby(["unit_level", "unit"]).size()
    table = at.dataframe[0].value.set_index(["unit_level", "unit"])["rows"]
    assert table.sort_index().to_dict() == {k: int(v) for k, v in expected.sort_index().items()}


def test_typed_condition_from_the_url_and_drill(roster):
    query = {
        "f1": "days_to_release",
        "q1": "< 365",
        "f2": "unit_level",
        "in2": ["MEDIUM"],
        "f3": "security_level",
        "in3": ["LOW"],
        "by1": "unit",
        "drill": "A1",
    }
    at = run_page("explore", query)
    assert_clean(at)
    as_of = pd.Timestamp(roster["as_of_date"].iloc[0])
    days = (roster["projected_release_date"] - as_of).dt.days
    want = roster[(days < 365).fillna(False) & (roster["unit_level"] == "MEDIUM") & (roster["security_level"] == "LOW")]
    drilled = at.dataframe[-1].value
    assert len(drilled) == int((want["unit"] == "A1").sum())
    assert set(drilled["unit"]) <= {"A1"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"f1": "security_points", "q1": ">= twelve"}, "not a number"),
        ({"f1": "arrival_date", "q1": "03/04/2026..2026-05-01"}, "YYYY-MM-DD"),
    ],
)
def test_bad_condition_in_the_url_is_one_sentence(query, message):
    at = run_page("explore", query)
    assert not at.exception
    assert any(message in str(w.value) for w in at.warning)


@pytest.mark.parametrize("query", [{"kind": "no-such-kind"}, {"by1": "__class__"}, {"f1": "last_name"}])
def test_unknown_values_from_the_url_are_ignored(query, roster):
    at = run_page("explore", query)
    assert_clean(at)
    widgets = {w.key: w.value for w in _all_widgets(at)}
    assert widgets["kind"] == "population"
    assert widgets["by1"] == "unit" and widgets["f1"] == "—"


def test_rows_table_gives_text_columns_their_widths(page_run):
    """PSF is mostly blank, so without a width its values were cut short ("SERIOU")."""
    at = page_run("explore")
    assert_clean(at)
    config = json.loads(at.dataframe[-1].proto.columns)
    assert config["psf"]["width"] >= 120
    assert config["psf"]["label"] == "PSF"
    assert config["unit"]["width"] == 72
    assert "width" not in config.get("security_points", {})


def test_required_level_column_reproduces_the_briefing_level_mix(page_store):
    from analytics.briefing import required_level_counts

    s = Store(page_store)
    as_of = s.latest_as_of("population")
    expected = required_level_counts(s.frame("population", as_of), s.rules(), as_of, s.facility().facility.sex)
    at = run_page("explore", {"kind": "population", "by1": "required_level"})
    assert_clean(at)
    counts = at.dataframe[0].value.set_index("required_level")["rows"]
    assert counts.to_dict() == {k: int(v) for k, v in expected.items()}
    # Required differs from scored somewhere in the sample (PSF floors), else the column adds nothing.
    rows = at.dataframe[-1].value
    assert (rows["required_level"] != rows["security_level"].astype("str")).any()


@pytest.mark.parametrize("which", ["newest", "older"])
def test_the_as_of_date_is_always_set(page_store, which):
    dates = [d.isoformat() for d in Store(page_store).as_of_dates("population")]
    query = {"kind": "population"} | ({"asof": dates[-5]} if which == "older" else {})
    at = run_page("explore", query)
    assert_clean(at)
    picked = next(w for w in at.selectbox if w.key == "asof_pick")
    assert picked.value == (dates[-1] if which == "newest" else dates[-5])
    # Written to the query string also when it is the newest (the browser test checks the address bar).
    assert at.query_params["asof"] in (picked.value, [picked.value])


def test_a_link_to_a_snapshot_the_store_lacks_says_so(page_store):
    newest = Store(page_store).latest_as_of("population").isoformat()
    at = run_page("explore", {"kind": "population", "asof": "1999-01-01"})
    assert not at.exception
    assert any("1999-01-01 is not in the store" in w.value and newest in w.value for w in at.warning)
