"""Sign-in settings (`<store>/auth.toml`) and who holds which role (`<store>/roles.toml`).

Both files sit beside the store they guard, so one store carries its own door. No file, no
sign-in: `popdash serve` then runs in local mode (one local user, loopback only).
Validated with pydantic; a mistake is one sentence naming the file and the setting.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from loaders.errors import PopdashError

AUTH_FILE = "auth.toml"
ROLES_FILE = "roles.toml"
ROLES = ("cmc", "case_manager", "executive", "analyst", "admin")
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class AuthConfigError(PopdashError):
    """auth.toml or roles.toml cannot be used; the message is one sentence."""


class Oidc(BaseModel):
    """OpenID Connect through Streamlit's st.login (the names of Streamlit's [auth] table)."""

    model_config = ConfigDict(extra="forbid")
    server_metadata_url: str
    client_id: str
    client_secret: str
    redirect_uri: str
    cookie_secret: str | None = None
    # The claim carrying the user's groups (Entra ID and Keycloak send "groups"; AD FS often "role").
    groups_claim: str = "groups"
    scope: str = "openid email profile"


class Proxy(BaseModel):
    """A reverse proxy in front signs people in and passes who they are in request headers."""

    model_config = ConfigDict(extra="forbid")
    user_header: str = "X-Forwarded-Email"
    groups_header: str = "X-Forwarded-Groups"
    groups_separator: str = ","


class AuthConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mode: Literal["oidc", "proxy"]
    oidc: Oidc | None = None
    proxy: Proxy | None = None


class RoleGrant(BaseModel):
    model_config = ConfigDict(extra="forbid")
    groups: list[str] = Field(default_factory=list)
    emails: list[str] = Field(default_factory=list)
    # Only the analyst role takes it: may an analyst see names and register numbers?
    identities: bool = False


class RolesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # Shown to a signed-in user who holds no role: whom to ask.
    contact: str = "the Case Management Coordinator"
    roles: dict[Literal["cmc", "case_manager", "executive", "analyst", "admin"], RoleGrant] = Field(
        default_factory=dict
    )


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise AuthConfigError(f"{path} cannot be read ({type(exc).__name__}).") from None
    except tomllib.TOMLDecodeError as exc:
        raise AuthConfigError(f"{path} is not valid TOML ({exc}).") from None


def _invalid(path: Path, exc: ValidationError) -> AuthConfigError:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "the file"
    return AuthConfigError(f"{path}: {where}: {err['msg']}.")


def load_auth(store: str | os.PathLike[str]) -> AuthConfig | None:
    """The store's sign-in settings, or None when it has no auth.toml (local mode)."""
    path = Path(store) / AUTH_FILE
    if not path.exists():
        return None
    try:
        cfg = AuthConfig.model_validate(_read_toml(path))
    except ValidationError as exc:
        raise _invalid(path, exc) from None
    if cfg.mode == "oidc" and cfg.oidc is None:
        raise AuthConfigError(f"{path}: mode is oidc but there is no [oidc] table.")
    if cfg.mode == "proxy" and cfg.proxy is None:
        cfg = cfg.model_copy(update={"proxy": Proxy()})
    return cfg


def load_roles(store: str | os.PathLike[str]) -> RolesFile:
    """The store's roles file; without one, nobody signed in holds a role."""
    path = Path(store) / ROLES_FILE
    if not path.exists():
        return RolesFile()
    try:
        roles = RolesFile.model_validate(_read_toml(path))
    except ValidationError as exc:
        raise _invalid(path, exc) from None
    for name, grant in roles.roles.items():
        if grant.identities and name != "analyst":
            raise AuthConfigError(f"{path}: roles.{name}.identities: only the analyst role takes this option.")
    return roles


def roles_for(roles: RolesFile, email: str | None, groups: list[str]) -> tuple[frozenset[str], bool]:
    """(roles held, analyst identity grant) for a user, by e-mail address or group (case-insensitive)."""
    mail = (email or "").strip().lower()
    held = {g.strip().lower() for g in groups}
    out: set[str] = set()
    grant = False
    for name, rule in roles.roles.items():
        if (mail and mail in {e.strip().lower() for e in rule.emails}) or held & {
            g.strip().lower() for g in rule.groups
        }:
            out.add(name)
            grant = grant or rule.identities
    return frozenset(out), grant


def ensure_cookie_secret(store: str | os.PathLike[str]) -> bool:
    """Give auth.toml's [oidc] table a random cookie secret when it has none; True when one was written.

    The secret is appended to the file (comments kept) and never printed; the file becomes 0600.
    """
    path = Path(store) / AUTH_FILE
    cfg = load_auth(store)
    if cfg is None or cfg.mode != "oidc" or (cfg.oidc and cfg.oidc.cookie_secret):
        return False
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    # Insert right after the [oidc] header, so the key lands in that table whatever follows it.
    at = next(i for i, line in enumerate(lines) if line.strip().replace(" ", "") == "[oidc]")
    lines.insert(at + 1, f'cookie_secret = "{secrets.token_urlsafe(48)}"  # generated by popdash; keep it private')
    tmp = path.with_suffix(".toml.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, path)
    os.chmod(path, 0o600)
    load_auth(store)  # still valid
    return True


def _toml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_streamlit_secrets(cfg: AuthConfig, folder: Path) -> Path:
    """Streamlit's [auth] table from the oidc settings, in `folder/secrets.toml` (0600 in a 0700 folder)."""
    o = cfg.oidc
    if o is None or not o.cookie_secret:
        raise AuthConfigError("Sign-in needs a cookie secret; run popdash auth init first.")
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    path = folder / "secrets.toml"
    body = "\n".join(
        [
            "# Written by popdash serve from auth.toml at each start; do not edit.",
            "[auth]",
            f"redirect_uri = {_toml_str(o.redirect_uri)}",
            f"cookie_secret = {_toml_str(o.cookie_secret)}",
            f"client_id = {_toml_str(o.client_id)}",
            f"client_secret = {_toml_str(o.client_secret)}",
            f"server_metadata_url = {_toml_str(o.server_metadata_url)}",
            "[auth.client_kwargs]",
            f"scope = {_toml_str(o.scope)}",
            "",
        ]
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(body)
    os.chmod(path, 0o600)
    return path


def is_loopback(address: str) -> bool:
    """Whether a listen address is reachable from this machine only."""
    # Only the usual names count: anything else must be said out loud (sign-in or the insecure flag).
    return address.strip().lower() in LOOPBACK
