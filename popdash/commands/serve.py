"""`popdash serve`: start the dashboard on a store (the demo store of sample data by default)."""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

from loaders.store import STORE_ENV, demo_store_path, resolve_store_path
from sample_data.demo_store import ensure_demo_store
from popdash.errors import InputError

DEMO_ENV = "POPDASH_DEMO"

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


def streamlit_command(app: Path, port: int) -> list[str]:
    """The command line that runs the dashboard with popdash's settings."""
    flags = [f"--{name}={value}" for name, value in SETTINGS.items()]
    return [sys.executable, "-m", "streamlit", "run", str(app), f"--server.port={port}", *flags]


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
    path, env = prepare(args.store)
    print(f"Serving the dashboard on http://localhost:{args.port} from the store at {path}", flush=True)
    os.chdir(app.parent)  # Streamlit reads .streamlit/config.toml from its working folder
    os.execve(sys.executable, streamlit_command(app, args.port), env)
    return 0  # not reached: execve replaces the process
