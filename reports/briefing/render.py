"""Static chart images for the PDF and PPTX: Plotly's export through kaleido and the local Chromium.

One export browser is kept warm for the life of the process (about 0.2 s a figure
instead of about 3 s). MathJax is off: by default kaleido would fetch it from a CDN,
and the briefing makes no outbound connection.

kaleido starts Chromium with flags of its own and takes no others, and a plain Chromium
looks up Google's update, sign-in and field-trial hosts at start. So kaleido is handed a
small launcher that starts the real Chromium with everything that talks to the network
off and every host name resolving to nothing but the local machine.
"""

from __future__ import annotations

import atexit
import os
import shlex
import shutil
import stat
import tempfile
import threading
from pathlib import Path

import plotly.graph_objects as go

from loaders.errors import PopdashError

WIDTH, HEIGHT = 1000, 500  # 2:1, fills a 16:9 page under a title line; 18 px type reads large
SCALE = 2  # sharp on a projector and in print

_lock = threading.Lock()

# Chromium without its own traffic: no background networking, component or field-trial
# downloads, sync, default apps, domain reliability, phishing checks, pings or proxy lookup;
# and any host name other than the local machine fails to resolve, whatever a chart holds.
OFFLINE_FLAGS = (
    "--no-proxy-server",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-field-trial-config",
    "--disable-features=OptimizationHints,OptimizationHintsFetching,OptimizationGuideModelDownloading,"
    "MediaRouter,DialMediaRouteProvider,Translate,AutofillServerCommunication,"
    "CertificateTransparencyComponentUpdater,InterestFeedContentSuggestions,NetworkTimeServiceQuerying,"
    "SafeBrowsing,PrivacySandboxSettings4",
    "--metrics-recording-only",
    "--no-first-run",
    "--no-default-browser-check",
    "--no-pings",
    "--disable-breakpad",
    "--safebrowsing-disable-auto-update",
    "--dns-prefetch-disable",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
)


class RenderError(PopdashError):
    """No Chromium to draw charts with; the message says what to install."""


def chromium_path() -> str | None:
    """The Chromium kaleido will drive: $BROWSER_PATH, else chromium on PATH."""
    env = os.environ.get("BROWSER_PATH")
    if env and os.path.exists(env):
        return env
    return shutil.which("chromium") or shutil.which("chromium-browser")


def offline_launcher(chromium: str, folder: str | None = None) -> str:
    """An executable script that starts `chromium` with OFFLINE_FLAGS before kaleido's own flags."""
    where = Path(folder or tempfile.mkdtemp(prefix="popdash-chromium-"))
    script = where / "chromium-offline"
    flags = " ".join(shlex.quote(f) for f in OFFLINE_FLAGS)
    script.write_text(f'#!/bin/sh\nexec {shlex.quote(chromium)} {flags} "$@"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return str(script)


_launcher: str | None = None


def _ensure_server() -> None:
    import kaleido

    global _launcher
    path = chromium_path()
    if path is None:
        raise RenderError("charts cannot be drawn: no Chromium found (install Debian's chromium package).")
    if _launcher is None or not os.path.exists(_launcher):
        _launcher = offline_launcher(path)
        # The launcher's folder goes with the process: nothing is left in the temp folder.
        atexit.register(shutil.rmtree, os.path.dirname(_launcher), True)
    # A no-op when the server already runs (kaleido keeps one per process).
    kaleido.start_sync_server(n=1, mathjax=False, path=_launcher, silence_warnings=True)


def figure_png(fig: go.Figure, width: int = WIDTH, height: int = HEIGHT, scale: int = SCALE) -> bytes:
    """The figure as PNG bytes, drawn by the warm export browser."""
    import kaleido

    with _lock:  # one browser tab: one figure at a time
        _ensure_server()
        # kaleido directly, not plotly.io.to_image: that passes per-call options a warm
        # server ignores (with a warning) and would otherwise start a browser per call.
        return kaleido.calc_fig_sync(fig.to_dict(), opts=dict(format="png", width=width, height=height, scale=scale))


def stop() -> None:
    """Close the export browser (tests; the process exit closes it anyway)."""
    import kaleido

    kaleido.stop_sync_server(silence_warnings=True)
