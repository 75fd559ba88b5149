"""/capacity's planned events: a form to enter one, and the list with a switch and a delete button.

Only a role that may change data (dashboard.roles: those that may import) sees the form and the
controls; everyone else sees the list read-only. Each change goes into the store's audit log
with who made it, and the store records who entered an event and when. Names, scenarios and
units typed here are shown as text, never as Markdown.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import streamlit as st

from dashboard import identity
from dashboard.components.safe_text import md
from dashboard.roles import User
from loaders.config import UNIT_LEVELS, Facility
from loaders.events import (
    BATCH_KINDS,
    KIND_LABELS,
    EventError,
    PlannedEvent,
    add_events,
    check_units,
    delete_event,
    event_from_fields,
    set_enabled,
)
from loaders.store import Store
from reports.theme import fmt_date

_MESSAGE = "_popdash_events_message"
_DEFAULT_AHEAD = 30  # the date a new event starts with: a month after the as-of date


def may_edit(user: User | None) -> bool:
    """Whether this user may enter, switch or delete planned events (the roles that change data)."""
    return user is not None and user.may_import


def _say(kind: str, text: str) -> None:
    st.session_state[_MESSAGE] = (kind, text)


def _audit(user: User, action: str, event: PlannedEvent, event_id: int | None) -> None:
    # Fields only: a name or scenario typed by a person stays in the store, not in the log.
    identity.record(
        "planned-event", user, action=action, event_id=event_id, kind=event.kind, date=event.date, via="dashboard"
    )


def _switch(store: Store, user: User, event_id: int) -> None:
    on = bool(st.session_state.get(f"ev_on_{event_id}"))
    try:
        event = set_enabled(store, event_id, on)
    except EventError as exc:
        _say("error", str(exc))
        return
    _audit(user, "switch-on" if on else "switch-off", event, event_id)


def _delete(store: Store, user: User, event_id: int) -> None:
    try:
        event = delete_event(store, event_id)
    except EventError as exc:
        _say("error", str(exc))
        return
    _audit(user, "delete", event, event_id)
    _say("success", "The planned event was deleted.")


def _level(label: str, key: str, optional: str | None = None) -> str | None:
    """A security level; with `optional`, None is allowed and `optional` says what None means."""
    return st.selectbox(
        label,
        list(UNIT_LEVELS),
        index=None if optional else 1,
        placeholder=optional or "Choose a level",
        format_func=str.title,
        key=key,
    )


def _fields(kind: str, facility: Facility, as_of: date, scenarios: list[str]) -> dict[str, Any]:
    """The form's widgets for one kind of event; returns their values by PlannedEvent field."""
    units = [u.name.strip().upper() for u in facility.units]
    c1, c2 = st.columns(2)
    scenario = c1.selectbox(
        "Scenario",
        scenarios,
        index=0 if scenarios else None,
        accept_new_options=True,
        placeholder="Type a scenario name",
        help="A named set of planned events. Type a new name to start another scenario.",
        key="ev_scenario",
    )
    name = c2.text_input("Event name", max_chars=120, key="ev_name", placeholder="E2 closes for renovation")
    f: dict[str, Any] = {"scenario": scenario, "name": name, "kind": kind}
    c1, c2, c3 = st.columns(3)
    f["date"] = c1.date_input(
        "Date" if kind not in BATCH_KINDS else "Date (or first day)",
        value=as_of + timedelta(days=_DEFAULT_AHEAD),
        format="YYYY-MM-DD",
        key=f"ev_date_{kind}",
    )
    if kind in ("unit_open", "unit_close", "unit_beds", "unit_level"):
        f["unit"] = c2.selectbox(
            "Unit",
            units,
            index=None,
            accept_new_options=kind == "unit_open",
            placeholder="Choose a unit" + (" or type a new one" if kind == "unit_open" else ""),
            key=f"ev_unit_{kind}",
        )
    if kind in ("unit_open", "unit_beds"):
        f["rated_capacity"] = c3.number_input("Rated beds", min_value=0, step=1, value=None, key=f"ev_rated_{kind}")
        f["operational_capacity"] = c1.number_input(
            "Operational beds (optional)", min_value=0, step=1, value=None, key=f"ev_oper_{kind}"
        )
    if kind == "unit_open":
        f["security_level"] = _level(
            "Security level", f"ev_level_{kind}", optional="The unit's own level (new unit: required)"
        )
    if kind == "unit_level":
        f["security_level"] = _level("New security level", f"ev_level_{kind}")
    if kind in BATCH_KINDS:
        f["count"] = c2.number_input("How many", min_value=1, step=1, value=None, key=f"ev_count_{kind}")
        with c3:
            f["security_level"] = _level("Security level", f"ev_level_{kind}")
        c1, c2 = st.columns(2)
        f["end"] = c1.date_input(
            "Last day (optional: spread evenly)", value=None, format="YYYY-MM-DD", key=f"ev_end_{kind}"
        )
        f["unit"] = c2.selectbox(
            "Unit (optional)", units, index=None, placeholder="Spread over the level's units", key=f"ev_unit_{kind}"
        )
    if kind == "designation_rate":
        how = c2.radio("Change given as", ["percent", "per week"], horizontal=True, key=f"ev_rate_how_{kind}")
        value = c3.number_input(
            "Percent" if how == "percent" else "Designations a week (negative: fewer)",
            value=None,
            step=1.0,
            key=f"ev_rate_{kind}",
        )
        f["percent" if how == "percent" else "per_week"] = value
        f["security_level"] = _level("Security level (optional)", f"ev_level_{kind}", optional="Every level")
    f["enabled"] = st.checkbox("Switched on", value=True, key="ev_enabled")
    return f


def _add(
    store: Store, user: User, facility: Facility, fields: dict[str, Any], planned: tuple[PlannedEvent, ...]
) -> None:
    """Check and store one event; a problem is one sentence and nothing is stored."""
    event = event_from_fields(fields)
    same = [e for e in planned if e.scenario == event.scenario]
    if any(e.name == event.name for e in same):
        raise EventError(
            "This scenario already has an event of that name; choose another name or delete the old event first."
        )
    check_units([*same, event], facility.unit_levels)
    (new_id,) = add_events(store, [event], entered_by=user.name)
    _audit(user, "add", event, new_id)
    _say("success", "The planned event was added; the projection above includes it.")
    st.rerun()


def form(store: Store, user: User, facility: Facility, as_of: date, planned: tuple[PlannedEvent, ...]) -> None:
    """The form that enters one planned event (kind first: each kind asks for its own fields)."""
    kind = st.selectbox("Kind of event", list(KIND_LABELS), format_func=KIND_LABELS.__getitem__, key="ev_kind")
    scenarios = sorted({e.scenario for e in planned})
    with st.form("ev_form", border=False):
        fields = _fields(kind, facility, as_of, scenarios)
        submitted = st.form_submit_button("Add the planned event", type="primary")
    if submitted:
        try:
            _add(store, user, facility, fields, planned)
        except EventError as exc:
            st.error(md(str(exc)), icon=":material/error:")


def listing(store: Store, user: User | None, planned: tuple[PlannedEvent, ...]) -> None:
    """Every planned event by scenario: on or off, what it does, who entered it and when."""
    message = st.session_state.pop(_MESSAGE, None)
    if message:
        (st.error if message[0] == "error" else st.success)(md(message[1]))
    if not planned:
        st.caption("No planned events yet." + (" Add one above." if may_edit(user) else ""))
        return
    editable = may_edit(user)
    for scenario in sorted({e.scenario for e in planned}):
        st.markdown(f"**Scenario {md(scenario)}**")
        for e in (e for e in planned if e.scenario == scenario):
            c = st.columns([1.2, 6, 3, 1.3], vertical_alignment="center")
            if editable and user is not None and e.id is not None:
                c[0].toggle(
                    "On",
                    value=e.enabled,
                    key=f"ev_on_{e.id}",
                    on_change=_switch,
                    args=(store, user, e.id),
                    help="Switch the event on or off; an event switched off leaves the projection as it was.",
                )
                c[3].button("Delete", key=f"ev_del_{e.id}", on_click=_delete, args=(store, user, e.id))
            else:
                c[0].markdown("On" if e.enabled else "Off")
            c[1].markdown(f"{md(e.name)}: {md(e.describe())}")
            when = fmt_date(e.entered_at.date()) + f" {e.entered_at:%H:%M} UTC" if e.entered_at else "—"
            c[2].caption(f"entered by {md(e.entered_by or 'unknown')}, {when}")
