"""Planned events: what the institution knows is coming, kept in the store (docs/scenarios.md).

A planned event belongs to a scenario (a named set) and is one of:

- `unit_open`, `unit_close`, `unit_beds`: a unit's rated / operational beds change on a date;
- `unit_level`: a unit changes security level on a date;
- `arrivals`, `departures`: a planned batch (count, level, optional unit) on a date or spread
  evenly over `date`..`end`;
- `designation_rate`: designations run `percent` higher (or `per_week` more) from a date.

The models are pure (analytics reads them); the store functions keep them in the DuckDB table
`planned_events`, created on first use so older stores need no migration.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
import tomllib
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from loaders.config import UNIT_LEVELS

if TYPE_CHECKING:
    from loaders.store import Store

Kind = Literal["unit_open", "unit_close", "unit_beds", "unit_level", "arrivals", "departures", "designation_rate"]
UNIT_KINDS = ("unit_open", "unit_close", "unit_beds", "unit_level")
BATCH_KINDS = ("arrivals", "departures")
# the fields each kind must have (beyond name, scenario, kind, date)
_NEEDS: dict[str, tuple[str, ...]] = {
    "unit_open": ("unit", "rated_capacity"),
    "unit_close": ("unit",),
    "unit_beds": ("unit",),
    "unit_level": ("unit", "security_level"),
    "arrivals": ("count", "security_level"),
    "departures": ("count", "security_level"),
    "designation_rate": (),
}
_ALLOWED: dict[str, set[str]] = {
    "unit_open": {"unit", "rated_capacity", "operational_capacity", "security_level"},
    "unit_close": {"unit"},
    "unit_beds": {"unit", "rated_capacity", "operational_capacity"},
    "unit_level": {"unit", "security_level"},
    "arrivals": {"count", "security_level", "unit", "end"},
    "departures": {"count", "security_level", "unit", "end"},
    "designation_rate": {"percent", "per_week", "security_level"},
}
_COMMON = {"name", "scenario", "kind", "date", "enabled", "entered_by", "entered_at", "id"}


# What each kind is called where people choose one (the /capacity form).
KIND_LABELS: dict[str, str] = {
    "unit_open": "A unit opens",
    "unit_close": "A unit closes",
    "unit_beds": "A unit's beds change",
    "unit_level": "A unit changes security level",
    "arrivals": "A batch of arrivals",
    "departures": "A batch of departures",
    "designation_rate": "Designations change pace",
}


class EventError(ValueError):
    """A planned event or events file that cannot be used; the message is one sentence."""


class PlannedEvent(BaseModel):
    """One planned event (see the module docstring for what each kind means)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=120)
    scenario: str = Field(min_length=1, max_length=80)
    kind: Kind
    date: dt.date
    enabled: bool = True
    unit: str | None = Field(default=None, min_length=1, max_length=40)
    rated_capacity: int | None = Field(default=None, ge=0)
    operational_capacity: int | None = Field(default=None, ge=0)
    security_level: str | None = None
    count: int | None = Field(default=None, gt=0)
    end: dt.date | None = None
    percent: float | None = Field(default=None, gt=-100)
    per_week: float | None = None
    entered_by: str | None = Field(default=None, max_length=80)
    entered_at: dt.datetime | None = None
    id: int | None = None

    @field_validator("name", "scenario", "unit", "entered_by", mode="before")
    @classmethod
    def _strip(cls, v: object) -> object:
        return v.strip() if isinstance(v, str) else v

    @field_validator("unit", "security_level", mode="before")
    @classmethod
    def _upper(cls, v: object) -> object:
        return v.strip().upper() if isinstance(v, str) else v

    @field_validator("security_level")
    @classmethod
    def _level(cls, v: str | None) -> str | None:
        if v is not None and v not in UNIT_LEVELS:
            raise ValueError(f"security_level must be one of {', '.join(UNIT_LEVELS)}, not {v!r}")
        return v

    @model_validator(mode="after")
    def _fits_kind(self) -> PlannedEvent:
        given = {k for k in type(self).model_fields if getattr(self, k) is not None} - _COMMON
        extra = sorted(given - _ALLOWED[self.kind])
        if extra:
            raise ValueError(f"a {self.kind} event takes no {extra[0]}")
        missing = [k for k in _NEEDS[self.kind] if getattr(self, k) is None]
        if missing:
            raise ValueError(f"a {self.kind} event needs {missing[0]}")
        if self.kind == "unit_beds" and self.rated_capacity is None and self.operational_capacity is None:
            raise ValueError("a unit_beds event needs rated_capacity or operational_capacity")
        if self.kind == "designation_rate" and (self.percent is None) == (self.per_week is None):
            raise ValueError("a designation_rate event needs exactly one of percent or per_week")
        if self.end is not None and self.end < self.date:
            raise ValueError("end is before date")
        return self

    def details(self) -> dict[str, Any]:
        """The kind-specific fields that are set (what the store keeps as JSON)."""
        return {
            k: (v.isoformat() if isinstance(v, dt.date) else v)
            for k in sorted(_ALLOWED[self.kind])
            if (v := getattr(self, k)) is not None
        }

    def describe(self) -> str:
        """The event in plain words, for lists under charts and the command line."""
        when = self.date.isoformat()
        level = (self.security_level or "").title()
        if self.kind == "unit_open":
            return f"{self.unit} opens on {when} with {self.rated_capacity} rated beds"
        if self.kind == "unit_close":
            return f"{self.unit} closes on {when}; its occupants move to the other units of its level"
        if self.kind == "unit_beds":
            beds = [
                f"{v} {k.split('_')[0]}"
                for k in ("rated_capacity", "operational_capacity")
                if (v := getattr(self, k)) is not None
            ]
            return f"{self.unit} has {' and '.join(beds)} beds from {when}"
        if self.kind == "unit_level":
            return f"{self.unit} becomes {level} on {when}"
        if self.kind in BATCH_KINDS:
            where = (
                f" to {self.unit}"
                if self.kind == "arrivals" and self.unit
                else (f" from {self.unit}" if self.unit else "")
            )
            span = f"between {when} and {self.end.isoformat()}" if self.end else f"on {when}"
            return f"{self.count} {level} {self.kind}{where} {span}"
        change = f"{self.percent:+g} %" if self.percent is not None else f"{self.per_week:+g} a week"
        of = f" {level}" if self.security_level else ""
        return f"{of.strip() + ' ' if of else ''}designations {change} from {when}".capitalize()


def _sentence(exc: ValidationError, where: str) -> EventError:
    first = exc.errors()[0]
    field = ".".join(str(x) for x in first["loc"])
    msg = first["msg"].removeprefix("Value error, ")
    more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
    return EventError(f"{where}{': ' + field if field else ''}: {msg}{more}.")


def event_from_fields(fields: dict[str, Any]) -> PlannedEvent:
    """One event from a form's fields (blank ones left out); a problem is one sentence naming the field.

    The sentence never repeats what was typed: a name may hold anything.
    """
    given = {k: v for k, v in fields.items() if v is not None and not (isinstance(v, str) and not v.strip())}
    try:
        return PlannedEvent.model_validate(given)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = " ".join(str(x) for x in first["loc"]).replace("_", " ")
        msg = str(first["msg"]).removeprefix("Value error, ").rstrip(".")
        kind = given.get("kind")
        if kind in KIND_LABELS:  # "a unit_beds event needs ..." reads as the form names the kind
            msg = msg.replace(f"a {kind} event", f"this kind of event ({KIND_LABELS[str(kind)].lower()})")
        if field:
            msg = f"{field.capitalize()}: {msg[:1].lower()}{msg[1:]}"
        else:
            msg = msg[:1].upper() + msg[1:]
        raise EventError(msg.replace("_", " ") + ".") from None


def parse_events(data: dict[str, Any], source: str = "events file") -> list[PlannedEvent]:
    """Validate the `[[event]]` tables of a parsed events file."""
    unknown = sorted(set(data) - {"event", "scenario"})
    if unknown:
        raise EventError(f"{source}: unknown top-level key {unknown[0]!r}; events go in [[event]] tables.")
    tables = data.get("event", [])
    if not isinstance(tables, list) or not tables:
        raise EventError(f"{source} holds no [[event]] table.")
    default_scenario = data.get("scenario")
    out = []
    for n, table in enumerate(tables, start=1):
        if not isinstance(table, dict):
            raise EventError(f"{source}: event {n} is not a table.")
        table = {"scenario": default_scenario, **table} if default_scenario else table
        for key in ("entered_by", "entered_at", "id"):
            table.pop(key, None)  # the store sets these, never the file
        try:
            out.append(PlannedEvent.model_validate(table))
        except ValidationError as exc:
            label = table.get("name") if isinstance(table.get("name"), str) else None
            raise _sentence(exc, f"{source}, event {n}" + (f" ({label[:60]})" if label else "")) from None
    names = [(e.scenario, e.name) for e in out]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise EventError(f"{source}: the event name {dupes[0][1]!r} repeats in scenario {dupes[0][0]!r}.")
    return out


def read_events_file(path: str | os.PathLike[str]) -> list[PlannedEvent]:
    """Read and validate a TOML events file."""
    p = Path(path)
    try:
        with p.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise EventError(f"events file not found: {p.name}.") from None
    except IsADirectoryError:
        raise EventError(f"{p.name} is a folder, not an events file.") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise EventError(f"{p.name} is not valid TOML ({str(exc).rstrip('.')}).") from None
    return parse_events(data, p.name)


def check_units(events: list[PlannedEvent], units: dict[str, str]) -> None:
    """Every unit named must be one of the facility's (unit name -> level); a new unit must be opened."""
    known = {u.strip().upper() for u in units}
    opened = {e.unit for e in events if e.kind == "unit_open"}
    for e in events:
        if e.unit and e.unit not in known and e.unit not in opened:
            raise EventError(f"event {e.name!r} names unit {e.unit}, which the facility file does not list.")
        if e.kind == "unit_open" and e.unit not in known and e.security_level is None:
            raise EventError(f"event {e.name!r} opens the new unit {e.unit}; give its security_level.")


# ---- the store's planned_events table ------------------------------------------------------

TABLE_DDL = """
CREATE TABLE IF NOT EXISTS planned_events (
    id BIGINT PRIMARY KEY,
    scenario VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    date DATE NOT NULL,
    details VARCHAR NOT NULL,
    enabled BOOLEAN NOT NULL,
    entered_by VARCHAR,
    entered_at TIMESTAMP NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    UNIQUE (scenario, name)
)"""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _has_table(con: Any) -> bool:
    row = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'planned_events'").fetchone()
    return bool(row and row[0])


def add_events(store: Store, events: list[PlannedEvent], entered_by: str | None = None) -> list[int]:
    """Add events (an event with the same scenario and name is replaced); returns their ids."""
    from loaders._duck import connect

    now, ids = _now(), []
    with connect(store.db, read_only=False) as con:
        con.execute(TABLE_DDL)
        con.execute("BEGIN TRANSACTION")
        try:
            for e in events:
                old = con.execute(
                    "SELECT id FROM planned_events WHERE scenario = ? AND name = ?", [e.scenario, e.name]
                ).fetchone()
                if old:
                    con.execute("DELETE FROM planned_events WHERE id = ?", [old[0]])
                    new_id = old[0]
                else:
                    top = con.execute("SELECT coalesce(max(id), 0) + 1 FROM planned_events").fetchone()
                    new_id = top[0] if top else 1
                con.execute(
                    "INSERT INTO planned_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        new_id,
                        e.scenario,
                        e.name,
                        e.kind,
                        e.date,
                        json.dumps(e.details()),
                        e.enabled,
                        entered_by or e.entered_by,
                        now,
                        now,
                    ],
                )
                ids.append(int(new_id))
            _bump(store)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    _bump(store)
    return ids


def list_events(store: Store, scenario: str | None = None, enabled_only: bool = False) -> list[PlannedEvent]:
    """The store's planned events (one scenario's when named), oldest date first."""
    from loaders._duck import connect

    with connect(store.db, read_only=True) as con:
        if not _has_table(con):
            return []
        where, params = " WHERE TRUE", []
        if scenario is not None:
            where, params = where + " AND scenario = ?", [scenario]
        if enabled_only:
            where += " AND enabled"
        rows = con.execute(
            "SELECT id, scenario, name, kind, date, details, enabled, entered_by, entered_at "
            f"FROM planned_events{where} ORDER BY date, id",
            params,
        ).fetchall()
    return [
        PlannedEvent.model_validate(
            {
                "id": r[0],
                "scenario": r[1],
                "name": r[2],
                "kind": r[3],
                "date": r[4],
                **json.loads(r[5]),
                "enabled": r[6],
                "entered_by": r[7],
                "entered_at": r[8],
            }
        )
        for r in rows
    ]


def scenarios(store: Store) -> list[str]:
    """Names of the scenarios the store holds."""
    return sorted({e.scenario for e in list_events(store)})


def set_enabled(store: Store, event_id: int, enabled: bool) -> PlannedEvent:
    """Switch one event on or off."""
    return _change(
        store,
        event_id,
        "UPDATE planned_events SET enabled = ?, changed_at = ? WHERE id = ?",
        [enabled, _now(), event_id],
    )


def delete_event(store: Store, event_id: int) -> PlannedEvent:
    """Remove one event for good."""
    return _change(store, event_id, "DELETE FROM planned_events WHERE id = ?", [event_id])


def _change(store: Store, event_id: int, sql: str, params: list[Any]) -> PlannedEvent:
    from loaders._duck import connect

    found = [e for e in list_events(store) if e.id == event_id]
    if not found:
        raise EventError(f"the store holds no planned event with id {event_id}.")
    with connect(store.db, read_only=False) as con:
        _bump(store)
        con.execute(sql, params)
    _bump(store)
    return found[0]


EVENTS_VERSION = "EVENTS_VERSION"  # beside the store's VERSION; rewritten on every change of an event


def _bump(store: Store) -> None:
    """A new events version, written before the change commits and again after it.

    Before: a reader that sees it waits for our lock and then reads the new events. After: a
    reader that cached the old events under the old version recomputes. Same as Store.VERSION.
    """
    from loaders._archive import write_atomic

    write_atomic(store.path / EVENTS_VERSION, f"{time.time_ns()}-{uuid.uuid4().hex[:8]}\n".encode())


def events_version(store: Store) -> str:
    """Changes whenever an event is added, switched or removed: a cache key beside store.version().

    A file read, not a database query: pages ask on every rerun (a query cost about 0.1 s of a
    0.2 s /briefing rerun). A store whose events were never changed has none: "0".
    """
    try:
        return (store.path / EVENTS_VERSION).read_text(encoding="utf-8").strip() or "0"
    except FileNotFoundError:
        return "0"
