"""Planned events: the events file, the store's planned_events table and `popdash events` / `project --scenario`."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tomllib

import pytest

from loaders.events import (
    EventError,
    PlannedEvent,
    add_events,
    delete_event,
    events_version,
    list_events,
    parse_events,
    read_events_file,
    scenarios,
    set_enabled,
)
from loaders.store import Store
from popdash.cli import main

EXAMPLE = """
scenario = "E2 renovation"

[[event]]
name = "E2 closes for renovation"
kind = "unit_close"
unit = "e2"
date = 2027-02-01

[[event]]
name = "60 more Lows from the region"
kind = "arrivals"
count = 60
security_level = "low"
date = 2027-02-10
end = 2027-02-19

[[event]]
name = "Designations at this month's pace"
scenario = "busy spring"
kind = "designation_rate"
per_week = 5
date = 2027-01-01
enabled = false
"""


def _one(**kw) -> dict:
    return {"event": [{"name": "x", "scenario": "s", "date": dt.date(2027, 2, 1), **kw}]}


@pytest.mark.parametrize(
    "table, message",
    [
        (dict(kind="unit_close"), "needs unit"),
        (dict(kind="arrivals", security_level="LOW"), "needs count"),
        (dict(kind="arrivals", count=0, security_level="LOW"), "greater than 0"),
        (dict(kind="arrivals", count=5, security_level="LOWER"), "security_level must be one of"),
        (dict(kind="arrivals", count=5, security_level="LOW", end=dt.date(2027, 1, 1)), "end is before date"),
        (dict(kind="unit_beds", unit="A1"), "needs rated_capacity or operational_capacity"),
        (dict(kind="unit_beds", unit="A1", rated_capacity=-1), "greater than or equal to 0"),
        (dict(kind="designation_rate"), "exactly one of percent or per_week"),
        (dict(kind="designation_rate", percent=5, per_week=2), "exactly one of percent or per_week"),
        (dict(kind="unit_close", unit="A1", count=3), "takes no count"),
        (dict(kind="unit_explodes", unit="A1"), "kind"),
    ],
)
def test_a_bad_event_is_one_sentence_naming_the_event(table, message):
    with pytest.raises(EventError, match=message) as info:
        parse_events(_one(**table), "plans.toml")
    text = str(info.value)
    assert text.startswith("plans.toml, event 1 (x)") and text.endswith(".") and "\n" not in text


def test_the_example_file_reads_with_the_default_scenario(tmp_path):
    path = tmp_path / "events.toml"
    path.write_text(EXAMPLE)
    events = read_events_file(path)
    assert [(e.scenario, e.kind, e.enabled) for e in events] == [
        ("E2 renovation", "unit_close", True),
        ("E2 renovation", "arrivals", True),
        ("busy spring", "designation_rate", False),
    ]
    assert events[0].unit == "E2" and events[1].security_level == "LOW"
    assert events[1].describe() == "60 Low arrivals between 2027-02-10 and 2027-02-19"


@pytest.mark.parametrize(
    "text, message",
    [
        ("[[event]\nname=1", "not valid TOML"),
        ("title = 'x'", "unknown top-level key 'title'"),
        ("", r"holds no \[\[event\]\] table"),
    ],
)
def test_an_unusable_file_is_one_sentence(tmp_path, text, message):
    path = tmp_path / "events.toml"
    path.write_text(text)
    with pytest.raises(EventError, match=message):
        read_events_file(path)


def test_a_repeated_name_in_one_scenario_is_refused():
    data = {"event": [_one(kind="unit_close", unit="A1")["event"][0]] * 2}
    with pytest.raises(EventError, match="repeats in scenario"):
        parse_events(data)


def test_store_add_list_switch_delete(tmp_path):
    store = Store(tmp_path / "store")
    assert list_events(store) == [] and events_version(store) == "0"
    ev = PlannedEvent(name="E2 closes", scenario="reno", kind="unit_close", unit="E2", date=dt.date(2027, 2, 1))
    batch = PlannedEvent(
        name="60 Lows", scenario="reno", kind="arrivals", count=60, security_level="LOW", date=dt.date(2027, 2, 10)
    )
    ids = add_events(store, [ev, batch], entered_by="cmc")
    v1 = events_version(store)
    got = list_events(store)
    assert [e.name for e in got] == ["E2 closes", "60 Lows"] and all(e.entered_by == "cmc" for e in got)
    assert got[0].entered_at is not None and got[0].id == ids[0]
    set_enabled(store, ids[0], False)
    assert [e.enabled for e in list_events(store)] == [False, True]
    assert [e.name for e in list_events(store, enabled_only=True)] == ["60 Lows"]
    assert events_version(store) != v1
    # the same scenario and name replaces, keeping the id
    v2 = events_version(store)
    add_events(store, [batch.model_copy(update={"count": 30})])
    assert [e.count for e in list_events(store) if e.kind == "arrivals"] == [30]
    assert [e.id for e in list_events(store)] == ids
    v3 = events_version(store)
    delete_event(store, ids[0])
    assert [e.name for e in list_events(store)] == ["60 Lows"] and scenarios(store) == ["reno"]
    # every change gives a new version (the pages' cache key), and another process sees it
    assert len({v1, v2, v3, events_version(Store(store.path))}) == 4
    with pytest.raises(EventError, match="no planned event with id 99"):
        set_enabled(store, 99, True)


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    from tests._stores import demo_store

    return demo_store(tmp_path_factory.mktemp("events") / "demo", days=30, seed=7)


def test_cli_events_and_project_scenario(small_store, tmp_path, capsys):
    store_dir = tmp_path / "store"
    shutil.copytree(small_store, store_dir)
    store = Store(store_dir)
    as_of = store.latest_as_of("population")
    day = as_of + dt.timedelta(days=20)
    path = tmp_path / "events.toml"
    path.write_text(
        f'scenario = "reno"\n[[event]]\nname = "E2 closes"\nkind = "unit_close"\nunit = "E2"\n'
        f'date = {day.isoformat()}\n[[event]]\nname = "60 Lows"\nkind = "arrivals"\ncount = 60\n'
        f'security_level = "LOW"\ndate = {day.isoformat()}\n'
    )
    s = str(store_dir)
    assert main(["events", "add", str(path), "--store", s, "--by", "cmc"]) == 0
    assert "stored 2 planned event(s)" in capsys.readouterr().out
    from loaders import audit

    logged = [e for _, e in audit.entries(store_dir) if e["event"] == "planned-event"]
    assert [(e["action"], e["kind"], e["via"]) for e in logged] == [
        ("add", "unit_close", "command line"),
        ("add", "arrivals", "command line"),
    ]
    assert "E2 closes" not in json.dumps(logged) and "reno" not in json.dumps(logged)  # fields, not names
    assert main(["events", "list", "--store", s]) == 0
    listed = capsys.readouterr().out
    assert "E2 closes: E2 closes on" in listed and "entered by cmc" in listed
    assert main(["project", "--store", s, "--scenario", "reno", "--horizon", "30", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    fac = [r for r in out["projection"] if r["group"] == "facility"]
    on_day = [r for r in fac if r["date"] == day.isoformat()][0]
    before = [r for r in fac if r["date"] == (day - dt.timedelta(days=1)).isoformat()][0]
    assert on_day["mean_scenario"] - on_day["mean_baseline"] == pytest.approx(60, abs=0.1)
    assert before["mean_scenario"] == pytest.approx(before["mean_baseline"], abs=0.1)
    assert main(["project", "--store", s, "--scenario", "reno", "--horizon", "30"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("SAMPLE DATA") and "2 of 2 planned event(s) switched on" in text
    assert "Capacity crossing" in text
    first = list_events(store)[0].id
    assert main(["events", "disable", str(first), "--store", s]) == 0
    assert "is now off" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["project", "--scenario", "nothing"], "no scenario named 'nothing'"),
        (["events", "enable", "7"], "no planned event with id 7"),
        (["events", "add", "missing.toml"], "events file not found"),
    ],
)
def test_cli_errors_are_one_line(small_store, tmp_path, capsys, argv, message):
    store_dir = tmp_path / "store"
    shutil.copytree(small_store, store_dir)
    assert main([*argv, "--store", str(store_dir)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_the_documented_example_is_a_valid_events_file(facility):
    from pathlib import Path

    from loaders.events import check_units

    text = (Path(__file__).resolve().parent.parent / "docs" / "scenarios.md").read_text()
    block = text.split("```toml\n", 1)[1].split("```", 1)[0]
    events = parse_events(tomllib.loads(block), "docs/scenarios.md")
    check_units(events, facility.unit_levels)
    assert {e.kind for e in events} == {"unit_close", "unit_beds", "arrivals", "unit_level", "designation_rate"}
    assert {e.scenario for e in events} == {"E2 renovation", "busy spring"}
