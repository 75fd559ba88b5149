"""/designations, /capacity and /national show the numbers of the store, not approximations."""

from __future__ import annotations

import pandas as pd
import pytest
from pages_helpers import assert_clean, page_text, run_page

from analytics.percent import half_up_percent
from loaders.store import Store
from reports.theme import fmt_int


@pytest.fixture(autouse=True)
def _store(page_store, monkeypatch):
    monkeypatch.setenv("POPDASH_STORE", str(page_store))


@pytest.fixture(scope="module")
def store(page_store) -> Store:
    return Store(page_store)


def _metric(at, label):
    return next(m for m in at.metric if m.label == label).value


def test_designations_counts(store):
    at = run_page("designations")
    assert_clean(at)
    desig = store.frame("designations")
    assert _metric(at, "Pending designations") == fmt_int(len(desig))
    as_of = pd.Timestamp(store.latest_as_of("designations"))
    over_60 = int(((as_of - desig["designation_date"]).dt.days > 60).sum())
    assert _metric(at, "Waiting over 60 days") == fmt_int(over_60)
    assert len(at.get("plotly_chart")) >= 3
    proj = next(d.value for d in at.dataframe if "pct_of_rated" in d.value.columns)
    assert proj["level"].iloc[-1] == "Facility"
    assert (
        proj["projected"].iloc[-1]
        == proj["current"].iloc[-1] + proj["pending_in"].iloc[-1] - proj["pending_out"].iloc[-1]
    )


@pytest.mark.parametrize(("basis", "label"), [("rated", "Rated capacity"), ("operational", "Operational capacity")])
def test_capacity_definition_switch(store, facility, basis, label):
    at = run_page("capacity", {"capacity": basis.capitalize()} if basis != "rated" else None)
    assert_clean(at)
    pop = len(store.frame("population"))
    cap = facility.rated_capacity if basis == "rated" else facility.operational_capacity
    assert _metric(at, "Population") == fmt_int(pop)
    assert _metric(at, label) == fmt_int(cap)
    assert _metric(at, "Occupancy") == f"{half_up_percent(pop, cap)} %"  # rounded as the briefing rounds it
    text = page_text(at)
    assert "Track record" in text and f"passes its {label.lower()}" in text


def test_national_totals(store):
    at = run_page("national")
    assert_clean(at)
    counts = store.frame("facility_counts")
    latest = counts[counts["date"] == counts["date"].max()]
    assert _metric(at, "Population, all facilities") == fmt_int(int(latest["population"].sum()))
    assert len(at.get("plotly_chart")) >= 3
