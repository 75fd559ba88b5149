"""/morning shows today's count with its changes, per-source freshness, movements and flags."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pages_helpers import assert_clean, page_text

from loaders.store import Store
from reports.theme import fmt_date, fmt_int, fmt_signed


@pytest.fixture(autouse=True)
def _store(page_store, monkeypatch):
    monkeypatch.setenv("POPDASH_STORE", str(page_store))


@pytest.fixture(scope="module")
def counts(page_store):
    return Store(page_store).population_by_day().set_index("as_of_date")["population"]


def test_headline_count_and_change_since_yesterday(page_run, counts):
    at = page_run("morning")
    assert_clean(at)
    pop = next(m for m in at.metric if m.label == "Population")
    assert pop.value == fmt_int(counts.iloc[-1])
    assert pop.delta == fmt_signed(counts.iloc[-1] - counts.iloc[-2])
    week = next(m for m in at.metric if m.label == "Change since last week")
    assert week.value == fmt_signed(counts.iloc[-1] - counts.iloc[-8])
    # 60 days of history: no snapshot a year old.
    year = next(m for m in at.metric if m.label == "Change since last year")
    assert year.value == "—"


def test_freshness_names_every_source(page_run, page_store):
    at = page_run("morning")
    text = page_text(at)
    for source in ("Roster", "Designations", "Redesignations", "National counts", "Findings log"):
        assert source in text
    latest = Store(page_store).latest_as_of("population")
    assert fmt_date(latest) in text


def test_movements_and_flags_sections(page_run, page_store):
    at = page_run("morning")
    labels = {m.label for m in at.metric}
    assert {"Arrivals", "Departures", "Unit moves", "Open flags", "High severity"} <= labels
    text = page_text(at)
    latest = Store(page_store).latest_as_of("population")
    assert f"From {fmt_date(latest - timedelta(days=1))} to {fmt_date(latest)}" in text
    assert "New since" in text and "Cleared since" in text


def _outside_expanders(node, inside: bool = False):
    """(element, inside an expander?) for every element of the page tree, in page order."""
    from streamlit.testing.v1.element_tree import Expander

    for child in getattr(node, "children", {}).values():
        here = inside or isinstance(child, Expander)
        yield child, here
        yield from _outside_expanders(child, here)


def _frames_in_view(at) -> list:
    """Tables and dataframes drawn outside any expander, in page order, as pandas frames."""
    out = []
    for el, hidden in _outside_expanders(at.main):
        if not hidden and type(el).__name__ in ("Table", "Dataframe"):
            out.append(el.value)
    return out


def test_needs_action_opens_the_page_without_expanding_anything(page_run, page_store):
    from analytics.flags import evaluate_flags
    from analytics.workqueue import work_queue

    store = Store(page_store)
    as_of = store.latest_as_of("population")
    roster = store.frame("population", as_of)
    desig = store.frame("designations", as_of) if as_of in store.as_of_dates("designations") else None
    flags = evaluate_flags(roster, store.facility(), store.rules(), as_of, designations=desig).flags
    high = set(flags.loc[flags["severity"] == "high", "register_number"].astype("str"))
    items = work_queue(roster, store.rules(), as_of).items
    overdue = set(items.loc[items["bucket"] == "Overdue", "register_number"].astype("str"))
    assert high and overdue  # the sample store has both: otherwise this test proves nothing

    at = page_run("morning")
    assert_clean(at)
    assert at.subheader[0].value == "Needs action today"  # the first section of the page
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["High-severity flags"] == fmt_int(len(high))
    assert metrics["Overdue"] == fmt_int((items["bucket"] == "Overdue").sum())
    # The first two frames in view (no expander opened) are the high flags, then the overdue items.
    frames = _frames_in_view(at)
    reg = [next(c for c in f.columns if str(c).lower().startswith("register")) for f in frames[:2]]
    assert set(frames[0][reg[0]].astype("str")) == high
    assert set(frames[1][reg[1]].astype("str")) == overdue
    # The full list stays available further down.
    assert any(e.label == f"All {fmt_int(len(flags))} open flags" for e in at.expander)
