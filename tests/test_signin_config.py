"""auth.toml and roles.toml, and what `popdash serve` does with them before Streamlit starts."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tomllib

import pytest

from loaders import audit
from loaders.auth_config import AuthConfigError, ensure_cookie_secret, load_auth, load_roles, roles_for
from popdash.commands import serve
from popdash.errors import InputError

OIDC = """# sign-in through the agency's provider
mode = "oidc"

[oidc]
server_metadata_url = "https://idp.agency.gov/.well-known/openid-configuration"
client_id = "popdash"
client_secret = "s3cret-client"
redirect_uri = "https://popdash.agency.gov/oauth2callback"
"""

ROLES = """contact = "Jane Roe, CMC (ext. 4411)"
[roles.cmc]
emails = ["CMC@agency.gov"]
[roles.executive]
groups = ["Warden-Staff"]
[roles.analyst]
groups = ["awp"]
identities = true
"""


@pytest.mark.parametrize(
    "email, groups, roles, grant",
    [
        ("cmc@agency.gov", [], {"cmc"}, False),
        ("someone@agency.gov", ["warden-staff"], {"executive"}, False),
        ("someone@agency.gov", ["AWP", "Warden-Staff"], {"analyst", "executive"}, True),
        ("someone@agency.gov", ["others"], set(), False),
        (None, [], set(), False),
    ],
)
def test_roles_by_email_or_group(tmp_path, email, groups, roles, grant):
    (tmp_path / "roles.toml").write_text(ROLES)
    held, granted = roles_for(load_roles(tmp_path), email, groups)
    assert held == roles and granted is grant


def test_identities_option_is_for_analysts_only(tmp_path):
    (tmp_path / "roles.toml").write_text("[roles.executive]\ngroups = ['w']\nidentities = true\n")
    with pytest.raises(AuthConfigError, match="only the analyst role"):
        load_roles(tmp_path)


@pytest.mark.parametrize(
    "text, words",
    [
        ("mode = 'oidc'\n", "no [oidc] table"),
        ("mode = 'ldap'\n", "mode"),
        ("mode = \n", "not valid TOML"),
        ("mode = 'oidc'\n[oidc]\nclient_id = 'x'\n", "oidc.server_metadata_url"),
    ],
)
def test_a_bad_auth_file_is_one_sentence(tmp_path, text, words):
    (tmp_path / "auth.toml").write_text(text)
    with pytest.raises(AuthConfigError, match=words.replace("[", r"\[").replace("]", r"\]")):
        load_auth(tmp_path)


def test_cookie_secret_is_generated_once_kept_private_and_secrets_written_outside(tmp_path, capsys):
    (tmp_path / "auth.toml").write_text(OIDC)
    mode, secrets = serve.sign_in_mode(tmp_path, "0.0.0.0", insecure=False)
    assert mode == "oidc"
    secret = load_auth(tmp_path).oidc.cookie_secret
    assert secret and len(secret) >= 40
    assert stat.S_IMODE(os.stat(tmp_path / "auth.toml").st_mode) == 0o600
    assert "# sign-in through" in (tmp_path / "auth.toml").read_text()  # comments kept
    assert not ensure_cookie_secret(tmp_path) and load_auth(tmp_path).oidc.cookie_secret == secret
    assert secret not in capsys.readouterr().out
    assert secrets.parent == tmp_path / serve.SECRETS_DIR
    assert stat.S_IMODE(os.stat(secrets).st_mode) == 0o600 and stat.S_IMODE(os.stat(secrets.parent).st_mode) == 0o700
    auth = tomllib.loads(secrets.read_text())["auth"]
    assert auth["cookie_secret"] == secret and auth["redirect_uri"].endswith("/oauth2callback")
    assert auth["client_kwargs"]["scope"] == "openid email profile"
    cmd = serve.streamlit_command(serve.app_path(), 8501, "0.0.0.0", secrets)
    assert f"--secrets.files={secrets}" in cmd and "--server.enableXsrfProtection=true" in cmd
    assert "--server.address=0.0.0.0" in cmd


@pytest.mark.parametrize(
    "auth, address, insecure, result",
    [
        (None, "127.0.0.1", False, "local"),
        (None, "localhost", False, "local"),
        (None, "0.0.0.0", False, "Refusing to listen on 0.0.0.0 without sign-in"),
        (None, "10.1.2.3", True, "insecure"),
        ("mode = 'proxy'\n", "127.0.0.1", False, "proxy"),
        ("mode = 'proxy'\n", "0.0.0.0", False, "loopback address only"),
        ("mode = 'proxy'\n", "0.0.0.0", True, "loopback address only"),  # the flag never weakens sign-in
    ],
)
def test_serve_address_rules(tmp_path, auth, address, insecure, result):
    if auth:
        (tmp_path / "auth.toml").write_text(auth)
    if result in ("local", "insecure", "proxy"):
        assert serve.sign_in_mode(tmp_path, address, insecure)[0] == result
    else:
        with pytest.raises(InputError, match=result):
            serve.sign_in_mode(tmp_path, address, insecure)


def test_serve_on_every_address_without_sign_in_refuses_in_one_line(tmp_path):
    store = tmp_path / "store"
    store.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "popdash", "serve", "--store", str(store), "--address", "0.0.0.0", "--port", "8599"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "--insecure-no-sign-in" in done.stderr
    assert not audit.audit_path(store).exists()  # nothing started, nothing recorded
