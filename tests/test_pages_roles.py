"""Role gating in the app: the one identity function is replaced, everything after it is the real gate."""

from __future__ import annotations

import re

import pytest
from pages_helpers import page_text, run_page

from dashboard import identity
from dashboard.roles import ROLE_PAGES, User

REGISTER = re.compile(r"\d{5}-\d{3}")
REFUSAL = "Your role does not include this page"


@pytest.fixture()
def as_user(monkeypatch, page_store):
    monkeypatch.setenv("POPDASH_STORE", str(page_store))

    def use(user: User | None, mode: str = "oidc") -> None:
        monkeypatch.setenv(identity.MODE_ENV, mode)
        monkeypatch.setattr(identity, "current_user", lambda: user)

    return use


@pytest.mark.parametrize(
    "role, visible",
    [
        ("cmc", {"morning", "briefing", "explore", "designations", "capacity", "program-review", "data", "national"}),
        ("case_manager", {"morning", "briefing", "explore", "designations", "capacity", "program-review", "national"}),
        ("executive", {"briefing", "capacity", "national", "program-review"}),
        ("analyst", {"briefing", "explore", "designations", "capacity", "program-review", "national"}),
        ("admin", {"data"}),
    ],
)
def test_each_role_has_its_pages(role, visible):
    assert User("x", frozenset({role})).pages == visible == ROLE_PAGES[role]


@pytest.mark.parametrize(
    "roles, grant, sees",
    [
        ({"cmc"}, False, True),
        ({"case_manager"}, False, True),
        ({"executive"}, False, False),
        ({"analyst"}, False, False),
        ({"analyst"}, True, True),
        ({"admin"}, False, False),
        ({"executive", "case_manager"}, False, True),
        (set(), True, False),
    ],
)
def test_who_sees_identities(roles, grant, sees):
    assert User("x", frozenset(roles), grant).sees_identities is sees


@pytest.mark.parametrize(
    "role, page, allowed",
    [
        ("executive", "explore", False),
        ("executive", "data", False),
        ("executive", "morning", False),
        ("executive", "capacity", True),
        ("admin", "briefing", False),
        ("case_manager", "data", False),
    ],
)
def test_a_typed_url_meets_the_gate(as_user, page_store, role, page, allowed):
    as_user(User("someone@agency.gov", frozenset({role})))
    at = _typed(page)
    assert not at.exception
    refused = [e.value for e in at.error if REFUSAL in str(e.value)]
    assert bool(refused) is not allowed
    if not allowed:
        assert refused == ["Your role does not include this page; ask the Case Management Coordinator if you need it."]
        assert not at.dataframe and not at.get("plotly_chart")
        last = list(audit_entries(page_store))[-1]
        assert last["event"] == "denied" and last["page"] == page and last["user"] == "someone@agency.gov"


def _typed(page: str):
    """Open a page by its address, whichever page is the user's first."""
    from pages_helpers import APP, PAGES
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    return at.switch_page(PAGES[page]).run()


def audit_entries(store):
    from loaders import audit

    return (e for _, e in audit.entries(store))


def test_no_role_gets_one_sentence_naming_whom_to_ask(as_user):
    as_user(User("new.hire@agency.gov", frozenset()))
    at = run_page("morning")
    assert [e.value for e in at.error] == [
        "You are signed in as new.hire@agency.gov but hold no popdash role; ask the Case Management Coordinator "
        "to add you to the roles file."
    ]


def test_nobody_signed_in_sees_only_the_sign_in_button(as_user):
    as_user(None)
    at = run_page("morning")
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.dataframe and not at.metric


@pytest.mark.parametrize("grant", [False, True])
def test_analyst_identities_leave_the_data_unless_granted(as_user, grant):
    as_user(User("awp@agency.gov", frozenset({"analyst"}), grant))
    at = run_page("explore", {"names": "true", "kind": "population"})
    assert not at.exception
    shown = set()
    for df in at.dataframe:
        shown |= set(df.value.columns)
    assert ("register_number" in shown) is grant
    assert not shown & {"last_name", "first_name", "birth_date"} or grant
    assert bool([t for t in at.toggle if t.label == "Show names"]) is grant
    assert bool(REGISTER.search(page_text(at))) is False or grant


def test_local_mode_is_one_cmc_user_and_says_so(monkeypatch, page_store):
    monkeypatch.setenv("POPDASH_STORE", str(page_store))
    monkeypatch.setenv(identity.MODE_ENV, "local")
    at = run_page("morning")
    assert any("Local mode, no sign-in" in str(c.value) for c in at.sidebar.caption)
    assert any(REGISTER.search(df.value.to_string()) for df in at.dataframe)  # the CMC sees identities


def test_insecure_mode_says_so_on_the_page(monkeypatch, page_store):
    monkeypatch.setenv("POPDASH_STORE", str(page_store))
    monkeypatch.setenv(identity.MODE_ENV, "insecure")
    monkeypatch.setenv(identity.ADDRESS_ENV, "0.0.0.0")
    at = run_page("capacity")
    assert at.error[0].value.startswith("Sign-in is off and popdash listens on 0.0.0.0")
