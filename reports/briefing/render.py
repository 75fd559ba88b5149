"""Static chart images for the PDF and PPTX: Plotly's export through kaleido and the local Chromium.

One export browser is kept warm for the life of the process (about 0.2 s a figure
instead of about 3 s). MathJax is off: by default kaleido would fetch it from a CDN,
and the briefing makes no outbound connection.
"""
from __future__ import annotations

import os
import shutil
import threading

import plotly.graph_objects as go

from loaders.errors import PopdashError

WIDTH, HEIGHT = 1000, 500   # 2:1, fills a 16:9 page under a title line; 18 px type reads large
SCALE = 2                   # sharp on a projector and in print

_lock = threading.Lock()


class RenderError(PopdashError):
    """No Chromium to draw charts with; the message says what to install."""


def chromium_path() -> str | None:
    """The Chromium kaleido will drive: $BROWSER_PATH, else chromium on PATH."""
    env = os.environ.get("BROWSER_PATH")
    if env and os.path.exists(env):
        return env
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _ensure_server() -> None:
    import kaleido

    path = chromium_path()
    if path is None:
        raise RenderError("charts cannot be drawn: no Chromium found (install Debian's chromium package).")
    # A no-op when the server already runs (kaleido keeps one per process).
    kaleido.start_sync_server(n=1, mathjax=False, path=path, silence_warnings=True)


def figure_png(fig: go.Figure, width: int = WIDTH, height: int = HEIGHT, scale: int = SCALE) -> bytes:
    """The figure as PNG bytes, drawn by the warm export browser."""
    import kaleido

    with _lock:  # one browser tab: one figure at a time
        _ensure_server()
        # kaleido directly, not plotly.io.to_image: that passes per-call options a warm
        # server ignores (with a warning) and would otherwise start a browser per call.
        return kaleido.calc_fig_sync(fig.to_dict(), opts=dict(format="png", width=width, height=height,
                                                              scale=scale))


def stop() -> None:
    """Close the export browser (tests; the process exit closes it anyway)."""
    import kaleido

    kaleido.stop_sync_server(silence_warnings=True)
