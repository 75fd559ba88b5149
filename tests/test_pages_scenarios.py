"""/capacity's planned events: who may edit them, what an edit stores and audits, and what others see."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from pages_helpers import assert_clean, page_text, run_page

from dashboard import identity
from dashboard.roles import User
from loaders import audit
from loaders.events import PlannedEvent, add_events, list_events
from loaders.store import Store

NAME = "Smith <b>x</b>"


@pytest.fixture(scope="module")
def plans_store(page_store, tmp_path_factory):
    """A copy of the page store holding one planned batch of arrivals (the page store stays without plans)."""
    path = tmp_path_factory.mktemp("plans") / "demo"
    shutil.copytree(page_store, path)
    store = Store(path)
    day = store.latest_as_of("population") + dt.timedelta(days=10)
    add_events(
        store,
        [PlannedEvent(name=NAME, scenario="plan", kind="arrivals", count=40, security_level="LOW", date=day)],
        entered_by="cmc@agency.gov",
    )
    return path


@pytest.fixture()
def as_user(monkeypatch, plans_store):
    monkeypatch.setenv("POPDASH_STORE", str(plans_store))

    def use(roles: set[str]) -> User:
        user = User(f"{'-'.join(sorted(roles))}@agency.gov", frozenset(roles))
        monkeypatch.setenv(identity.MODE_ENV, "oidc")
        monkeypatch.setattr(identity, "current_user", lambda: user)
        return user

    return use


def _planned(at):
    return [e for e in at.toggle if str(e.key).startswith("ev_on_")]


@pytest.mark.parametrize(
    "roles, edits",
    [({"cmc"}, True), ({"admin", "executive"}, True), ({"executive"}, False), ({"analyst"}, False)],
)
def test_only_roles_that_change_data_get_the_controls(as_user, roles, edits):
    as_user(roles)
    at = run_page("capacity", timeout=600)
    assert_clean(at)
    assert bool(_planned(at)) is edits
    assert bool([b for b in at.button if b.label == "Delete"]) is edits
    assert bool([x for x in at.expander if x.label == "Add a planned event"]) is edits
    text = page_text(at)
    assert "40 Low arrivals on" in text and "Scenario plan" in text  # everyone sees the list and the scenario
    assert NAME not in text and "Smith \\<b\\>x\\</b\\>" in text  # the typed name as text, not markup


def test_a_switch_and_an_addition_are_stored_and_audited(as_user, plans_store):
    user = as_user({"cmc"})
    store = Store(plans_store)
    at = run_page("capacity", timeout=600)
    first = _planned(at)[0]
    first.set_value(False).run()
    assert [e.enabled for e in list_events(store)] == [False]
    at.selectbox(key="ev_kind").set_value("departures").run()
    at.text_input(key="ev_name").input("Ten to the camp")
    at.number_input(key="ev_count_departures").set_value(10)
    next(b for b in at.button if b.label == "Add the planned event").click().run()
    assert_clean(at)
    events = list_events(store)
    assert [(e.kind, e.count, e.scenario, e.entered_by) for e in events if e.kind == "departures"] == [
        ("departures", 10, "plan", user.name)
    ]
    logged = [e for _, e in audit.entries(plans_store) if e["event"] == "planned-event"]
    assert [(e["action"], e["kind"], e["user"]) for e in logged[-2:]] == [
        ("switch-off", "arrivals", user.name),
        ("add", "departures", user.name),
    ]
    assert "Smith" not in str(logged) and "Ten to the camp" not in str(logged)
    # The same name again in the same scenario is one sentence, and nothing more is stored.
    next(b for b in at.button if b.label == "Add the planned event").click().run()
    assert [e.value for e in at.error] == [
        "This scenario already has an event of that name; choose another name or delete the old event first."
    ]
    assert len(list_events(store)) == 2
