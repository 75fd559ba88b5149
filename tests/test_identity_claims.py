"""Who signs in through OpenID Connect: the name and roles popdash takes from the provider's claims."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from dashboard import identity
from loaders.auth_config import AuthConfig, Oidc, RoleGrant, RolesFile

_OIDC = AuthConfig(
    mode="oidc",
    oidc=Oidc(
        server_metadata_url="https://sign-in.example.gov/.well-known/openid-configuration",
        client_id="popdash",
        client_secret="not-a-secret",
        redirect_uri="http://127.0.0.1:8501/oauth2callback",
    ),
)
_ROLES = RolesFile(
    roles={"cmc": RoleGrant(emails=["cmc@example.gov"]), "case_manager": RoleGrant(groups=["unit-team"])}
)


class _Claims(dict):
    """st.user after a sign-in: the provider's claims, read with .get."""

    is_logged_in = True


@pytest.mark.parametrize(
    ("claims", "name", "roles"),
    [
        ({"email": "cmc@example.gov", "sub": "u-1"}, "cmc@example.gov", {"cmc"}),  # role by address
        ({"sub": "u-2", "groups": ["unit-team"]}, "u-2", {"case_manager"}),  # no address: the subject, role by group
        ({"email": True, "sub": "u-3"}, "u-3", set()),  # a claim that is not text is no address
        ({"email": ["cmc@example.gov"], "sub": "u-4"}, "u-4", set()),  # nor is a list of them
    ],
)
def test_the_user_comes_from_text_claims(monkeypatch, tmp_path, claims, name, roles):
    monkeypatch.setattr(identity, "mode", lambda: "oidc")
    monkeypatch.setattr(identity, "store_path", lambda: tmp_path)
    monkeypatch.setattr(identity, "load_auth", lambda _store: _OIDC)
    monkeypatch.setattr(identity, "roles_file", lambda: _ROLES)
    monkeypatch.setattr(identity, "st", SimpleNamespace(user=_Claims(claims)))
    user = identity.current_user()
    assert user is not None
    assert (user.name, set(user.roles)) == (name, roles)
