"""`popdash serve`: start the dashboard on a store (the demo store of sample data by default)."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

from loaders.auth_config import (
    AuthConfigError,
    ensure_cookie_secret,
    is_loopback,
    load_auth,
    load_roles,
    write_streamlit_secrets,
)
from loaders.store import STORE_ENV, demo_store_path, resolve_store_path
from popdash.errors import InputError
from sample_data.demo_store import ensure_demo_store

DEMO_ENV = "POPDASH_DEMO"
# How the dashboard learns who may sign in: "local" (no sign-in, loopback only), "insecure" (no
# sign-in on another address, said on every page), "oidc" or "proxy" (from the store's auth.toml).
MODE_ENV = "POPDASH_AUTH_MODE"
ADDRESS_ENV = "POPDASH_ADDRESS"
SECRETS_DIR = ".streamlit-secrets"  # inside the store folder: never in the repository

# The theme and these settings live in dashboard/.streamlit/config.toml, read because the server
# starts in that folder; the privacy settings are passed as flags too, so they hold even if a user's
# own ~/.streamlit/config.toml says otherwise.
SETTINGS = {
    "server.headless": "true",
    "server.fileWatcherType": "none",
    "server.runOnSave": "false",
    "browser.gatherUsageStats": "false",  # no outbound connection
    # Named, so Streamlit does not ask a web service for this machine's external address at start.
    "browser.serverAddress": "localhost",
    "client.showErrorDetails": "none",  # no tracebacks on a shared screen
    "client.toolbarMode": "minimal",
}


def app_path() -> Path:
    """dashboard/app.py of the installed dashboard package (not of the current folder).

    Found, not imported: the dashboard runs in its own Streamlit process, and the command
    line never imports the dashboard.
    """
    spec = importlib.util.find_spec("dashboard")
    if spec is None or spec.origin is None:
        raise InputError("The dashboard is not installed.")
    return Path(spec.origin).resolve().parent / "app.py"


def streamlit_command(app: Path, port: int, address: str = "127.0.0.1", secrets: Path | None = None) -> list[str]:
    """The command line that runs the dashboard with popdash's settings."""
    flags = [f"--{name}={value}" for name, value in SETTINGS.items()]
    # XSRF protection stays on whatever a user's own config says; the address is always named
    # (Streamlit's default, no address, listens on every interface).
    flags += ["--server.enableXsrfProtection=true", f"--server.address={address}"]
    if secrets is not None:
        flags.append(f"--secrets.files={secrets}")
    return [sys.executable, "-m", "streamlit", "run", str(app), f"--server.port={port}", *flags]


def sign_in_mode(path: Path, address: str, insecure: bool) -> tuple[str, Path | None]:
    """(mode, Streamlit secrets file) for this store and address; refuses what would be unsafe."""
    try:
        cfg = load_auth(path)
        load_roles(path)  # a broken roles file is found now, not by the first user
    except AuthConfigError as exc:
        raise InputError(str(exc)) from None
    if cfg is None:
        if is_loopback(address):
            return "local", None
        if not insecure:
            raise InputError(
                f"Refusing to listen on {address} without sign-in: anyone who can reach it would see every "
                "inmate's identity; set up sign-in (docs/deployment.md) or pass --insecure-no-sign-in."
            )
        return "insecure", None
    if cfg.mode == "proxy":
        if not is_loopback(address):
            raise InputError(
                f"Reverse-proxy sign-in listens on the loopback address only (127.0.0.1), not {address}: "
                "anyone reaching popdash directly could forge the user headers."
            )
        return "proxy", None
    try:
        ensure_cookie_secret(path)  # generated once, kept in auth.toml, never printed
        written = load_auth(path)
        if written is None:  # removed between the two reads
            raise AuthConfigError("The sign-in settings file disappeared while popdash was starting.")
        secrets = write_streamlit_secrets(written, path / SECRETS_DIR)
    except (AuthConfigError, OSError) as exc:
        raise InputError(
            str(exc)
            if isinstance(exc, AuthConfigError)
            else f"The sign-in secrets could not be written ({type(exc).__name__})."
        ) from None
    return "oidc", secrets


def prepare(store: str | None) -> tuple[Path, dict[str, str]]:
    """Resolve (and, for the demo store, seed) the store; the environment for the dashboard."""
    path = resolve_store_path(store).resolve()  # absolute: the server starts in another folder
    env = dict(os.environ)
    env[STORE_ENV] = str(path)
    env.pop(DEMO_ENV, None)
    if path == demo_store_path().resolve():
        if not (path / "SAMPLE").exists():
            print(f"Building the sample data store at {path} (first start only; about a minute)...", flush=True)
        ensure_demo_store(path)
        env[DEMO_ENV] = "1"
    elif path.exists() and not path.is_dir():
        raise InputError(f"The store {path} is a file, not a folder.")
    return path, env


def run(args: Any) -> int:
    """Seed the demo store when needed, then replace this process with the Streamlit server."""
    if not 0 < args.port < 65536:
        raise InputError(f"--port must be between 1 and 65535, not {args.port}.")
    app = app_path()
    if not app.exists():
        raise InputError(f"The dashboard is not installed ({app} is missing).")
    address = (getattr(args, "address", None) or "127.0.0.1").strip()
    insecure = bool(getattr(args, "insecure_no_sign_in", False))
    # Decided before the demo store is built, so a refusal comes at once.
    mode, secrets = sign_in_mode(resolve_store_path(args.store).resolve(), address, insecure)
    path, env = prepare(args.store)
    env[MODE_ENV] = mode
    env[ADDRESS_ENV] = address
    _record_start(path, mode, address)
    _precompute_in_background(path)
    host = "localhost" if is_loopback(address) else address
    print(
        f"Serving the dashboard on http://{host}:{args.port} from the store at {path} ({MODE_TEXT[mode]})", flush=True
    )
    os.chdir(app.parent)  # Streamlit reads .streamlit/config.toml from its working folder
    os.execve(sys.executable, streamlit_command(app, args.port, address, secrets), env)
    return 0  # not reached: execve replaces the process


MODE_TEXT = {
    "local": "no sign-in: this computer only, as the local CMC user",
    "insecure": "NO SIGN-IN on a network address: anyone who can reach it sees everything",
    "oidc": "sign-in through the identity provider",
    "proxy": "sign-in by the reverse proxy in front",
}


def _record_start(path: Path, mode: str, address: str) -> None:
    """The server start, and any change of the roles or sign-in files since last recorded, in the audit log."""
    from loaders.audit import AuditError, local_operator, record, record_if_changed
    from loaders.auth_config import AUTH_FILE, ROLES_FILE

    if not path.is_dir():
        return  # a new store: nothing in it yet, and the dashboard creates the folder
    try:
        who = local_operator()
        for name, event in ((ROLES_FILE, "roles-changed"), (AUTH_FILE, "settings-changed")):
            record_if_changed(path, path / name, event, who, "operator")
        record(path, "server-start", who, "operator", mode=mode, address=address)
    except (AuditError, OSError) as exc:
        raise InputError(f"The audit log in {path} cannot be written ({type(exc).__name__}).") from None


def _precompute_in_background(path: Path) -> None:
    """A store whose current version lacks its kept figures (reports.kept) gets them computed in a
    separate low-priority process while the server starts, so no first page pays for them."""
    from loaders.kept import kept_names
    from loaders.store import Store
    from reports.kept import NAMES, start_background

    if not (path / "popdash.duckdb").exists():
        return  # a new, empty store: the first import computes them
    if set(NAMES) <= set(kept_names(path, Store(path).version())):
        return
    start_background(path, detach=True)
