"""A planned event entered on /capacity, as a CMC would: both projections drawn, the crossing date moves,
the briefing lists the event in plain words, and nothing typed (nor any inmate) reaches the briefing."""

from __future__ import annotations

import json
import re
import shutil
from datetime import timedelta

import pytest
from conftest import serving, settle

from loaders import audit
from loaders.store import Store
from reports.theme import fmt_date

# Typed into the form: markup, a register number and a name-like word, none of which may reach the briefing.
EVENT_NAME = "Smith <b>12345-678</b> batch"
SCENARIO = "Region sends Lows"
COUNT = 400  # enough to pass rated capacity on the event's day in the 60-day sample


@pytest.fixture(scope="module")
def own_store(page_store, tmp_path_factory):
    """A copy of the page store: the events entered here must not reach other tests."""
    path = tmp_path_factory.mktemp("scenario-browser") / "demo"
    shutil.copytree(page_store, path)
    return path


_TRACES = """() => {
    const plots = [...document.querySelectorAll('.js-plotly-plot')];
    const p = plots.find(el => (el.layout?.title?.text || '').includes('projection'));
    return p ? p.data.map(t => t.name || '') : [];
}"""


def _plot_traces(page) -> list[str]:
    """The legend names of the projection chart on /capacity."""
    return page.evaluate(_TRACES)


def _choose(page, label: str, option: str) -> None:
    box = page.locator("[data-testid=stSelectbox]").filter(has_text=label).first
    box.locator("input").click()
    page.keyboard.type(option)
    page.locator("[role=option]").filter(has_text=re.compile(f"^{re.escape(option)}$")).first.click()


def test_an_event_entered_on_capacity_reaches_the_briefing(own_store, browser):
    store = Store(own_store)
    as_of = store.latest_as_of("population")
    day = as_of + timedelta(days=12)
    names = store.frame("population")[["last_name", "first_name"]].stack().astype(str).unique()

    with serving(own_store) as url:
        page = browser.new_context(viewport={"width": 1500, "height": 2400}).new_page()
        page.set_default_timeout(120_000)  # clicks and fields; page runs wait on Streamlit's signals below
        page.goto(f"{url}/capacity")
        settle(page, timeout=600_000)
        main = page.get_by_test_id("stMain")
        assert "No planned events yet" in main.inner_text()
        baseline_line = next(t for t in main.inner_text().splitlines() if t.startswith("Rated capacity ("))
        assert fmt_date(day) not in baseline_line

        # The form: kind first, then its own fields.
        _choose(page, "Kind of event", "A batch of arrivals")
        settle(page)
        scenario = page.locator("[data-testid=stSelectbox]").filter(has_text="Scenario").first.locator("input")
        scenario.click()
        scenario.fill(SCENARIO)
        scenario.press("Enter")
        page.get_by_label("Event name").fill(EVENT_NAME)
        when = page.get_by_test_id("stDateInput").filter(has_text="Date (or first day)").locator("input")
        when.fill(day.isoformat())
        when.press("Enter")
        page.get_by_label("How many").fill(str(COUNT))
        page.get_by_role("button", name="Add the planned event").click()
        # The run the click starts ends with the message; then every part has drawn again.
        page.get_by_text("The planned event was added").wait_for(timeout=600_000)
        settle(page, timeout=600_000)

        text = main.inner_text()
        assert "The planned event was added" in text
        traces = _plot_traces(page)
        assert "Baseline projected" in traces and f"{SCENARIO} projected" in traces
        moved = next(t for t in text.splitlines() if t.startswith(f"Scenario {SCENARIO}, rated capacity ("))
        assert f"passed around {fmt_date(day)}" in moved  # the crossing moves to the day the batch arrives
        assert f"{COUNT} Low arrivals on {day.isoformat()}" in text  # listed under the chart in plain words
        assert EVENT_NAME in text  # the list on /capacity shows the name as typed, as text

        page.goto(f"{url}/briefing")
        settle(page, timeout=600_000)
        brief = page.get_by_test_id("stMain").inner_text()
        assert f"Scenario A, planned events: {COUNT} Low arrivals on {day.isoformat()}." in brief
        assert "Planned events against rated capacity" in brief
        # Nothing typed and no identity: not the event's name, not the scenario's, no register number.
        assert "Smith" not in brief and SCENARIO not in brief and not re.search(r"\d{5}-\d{3}", brief)
        words = set(re.findall(r"[A-Za-z']+", brief.upper()))
        assert not words & {n.upper() for n in names if len(n) > 3} - {"SAMPLE", "DATA"}
        charts = page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot')].map(p => p.data)")
        assert SCENARIO not in json.dumps(charts) and "Smith" not in json.dumps(charts)

        # The change is in the audit log with who made it, and only the event's fields.
        entry = [e for _, e in audit.entries(own_store) if e.get("event") == "planned-event"][-1]
        assert entry["action"] == "add" and entry["user"] == "local" and entry["kind"] == "arrivals"
        assert "Smith" not in json.dumps(entry)

        # Switched off, the scenario leaves the chart and the baseline stands alone again.
        page.goto(f"{url}/capacity")
        settle(page, timeout=600_000)
        assert f"{SCENARIO} projected" in _plot_traces(page)
        page.locator("[data-testid=stCheckbox]").filter(has_text=re.compile(r"^\s*On\s*$")).first.click()
        page.wait_for_function(
            f"() => !({_TRACES})().includes({json.dumps(SCENARIO + ' projected')})", timeout=600_000, polling=200
        )
        settle(page, timeout=600_000)
        assert "Baseline projected" not in _plot_traces(page) and "Projected" in _plot_traces(page)
        assert [e for _, e in audit.entries(own_store) if e.get("event") == "planned-event"][-1]["action"] == (
            "switch-off"
        )
        page.context.close()
