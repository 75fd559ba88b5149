"""Which role sees which page, and who may see identities or import. No Streamlit here.

The roles file (`<store>/roles.toml`) says who holds a role; this module says what a role
allows. A user may hold several roles: the pages add up, and identities are shown when any
role held allows them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dashboard.navigation import VIEW_FILES

ALL_PAGES = frozenset(VIEW_FILES)
AGGREGATE_PAGES = frozenset({"briefing", "designations", "capacity", "program-review", "national"})

ROLE_PAGES: dict[str, frozenset[str]] = {
    # The Case Management Coordinator: everything, identities included, imports.
    "cmc": ALL_PAGES,
    # Case managers: the morning check (with the work queue) and explore with identities, the
    # aggregate pages; no imports.
    "case_manager": frozenset({"morning", "explore"}) | AGGREGATE_PAGES,
    # The Warden and department heads: what is shown in meetings, never an identity.
    "executive": frozenset({"briefing", "capacity", "national", "program-review"}),
    # The AW(P): explore and every aggregate page; identities only when the roles file grants them.
    "analyst": frozenset({"explore"}) | AGGREGATE_PAGES,
    # Whoever keeps the store filled: the data page and imports.
    "admin": frozenset({"data"}),
}
IDENTITY_ROLES = frozenset({"cmc", "case_manager"})
IMPORT_ROLES = frozenset({"cmc", "admin"})
# Roles in the order a user's label lists them.
ORDER = ("cmc", "case_manager", "executive", "analyst", "admin")


@dataclass(frozen=True)
class User:
    """Who is looking: `name` is what the audit log records (an e-mail address or login)."""

    name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    analyst_identities: bool = False  # the roles file's grant to analysts

    @property
    def pages(self) -> frozenset[str]:
        out: frozenset[str] = frozenset()
        for role in self.roles:
            out |= ROLE_PAGES.get(role, frozenset())
        return out

    @property
    def sees_identities(self) -> bool:
        return bool(self.roles & IDENTITY_ROLES) or ("analyst" in self.roles and self.analyst_identities)

    @property
    def may_import(self) -> bool:
        return bool(self.roles & IMPORT_ROLES)

    @property
    def role_label(self) -> str:
        return "+".join(r for r in ORDER if r in self.roles) or "none"

    def may_open(self, page: str) -> bool:
        return page in self.pages
