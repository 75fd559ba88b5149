"""/morning shows today's count with its changes, per-source freshness, movements and flags."""
from __future__ import annotations

from datetime import timedelta

import pytest
from pages_helpers import assert_clean, page_text, run_page

from reports.theme import fmt_date, fmt_int, fmt_signed
from loaders.store import Store


@pytest.fixture(autouse=True)
def _store(page_store, monkeypatch):
    monkeypatch.setenv("POPDASH_STORE", str(page_store))


@pytest.fixture(scope="module")
def counts(page_store):
    daily = Store(page_store).population_by_day().set_index("as_of_date")["population"]
    return daily


def test_headline_count_and_change_since_yesterday(counts):
    at = run_page("morning")
    assert_clean(at)
    pop = next(m for m in at.metric if m.label == "Population")
    assert pop.value == fmt_int(counts.iloc[-1])
    assert pop.delta == fmt_signed(counts.iloc[-1] - counts.iloc[-2])
    week = next(m for m in at.metric if m.label == "Change since last week")
    assert week.value == fmt_signed(counts.iloc[-1] - counts.iloc[-8])
    # 60 days of history: no snapshot a year old.
    year = next(m for m in at.metric if m.label == "Change since last year")
    assert year.value == "—"


def test_freshness_names_every_source(page_store):
    at = run_page("morning")
    text = page_text(at)
    for source in ("Roster", "Designations", "Redesignations", "National counts", "Findings log"):
        assert source in text
    latest = Store(page_store).latest_as_of("population")
    assert fmt_date(latest) in text


def test_movements_and_flags_sections(page_store):
    at = run_page("morning")
    labels = {m.label for m in at.metric}
    assert {"Arrivals", "Departures", "Unit moves", "Open flags", "High severity"} <= labels
    text = page_text(at)
    latest = Store(page_store).latest_as_of("population")
    assert f"From {fmt_date(latest - timedelta(days=1))} to {fmt_date(latest)}" in text
    assert "New since" in text and "Cleared since" in text
