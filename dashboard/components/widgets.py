"""Small Streamlit pieces every page uses: the SAMPLE DATA banner, headers, error guards."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

import plotly.graph_objects as go
import streamlit as st

from dashboard.components.safe_text import literal_figure, md
from loaders.errors import PopdashError
from loaders.errors import one_sentence as one_sentence_of
from reports.theme import fmt_date

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger("popdash.dashboard")


def sample_banner() -> None:
    """The banner on every page drawn from the demo store."""
    st.warning(
        "**SAMPLE DATA** — a fictional complex (FCC Example). Nothing on these pages is real; "
        "start popdash with `--store PATH` to use your own exports.",
        icon=":material/science:",
    )


def page_header(title: str, as_of: date | None = None, caption: str | None = None) -> None:
    """A page title with its as-of date beside it, after checking the user may open the page."""
    from dashboard.components.gate import require

    require()  # a typed URL does not get around the navigation
    st.title(title)
    bits = [f"As of **{fmt_date(as_of)}**"] if as_of is not None else []
    if caption:
        bits.append(caption if bits else caption[:1].upper() + caption[1:])
    if bits:
        st.markdown(" · ".join(bits))


def page_start(title: str, kind: str, missing: str, caption: str | None = None) -> date | None:
    """Title a page with the as-of date of its `kind`; when the store has none, say `missing` and
    return None (the page stops there)."""
    from dashboard import cached as data

    as_of = data.latest_as_of(kind)
    page_header(title, as_of, caption)
    if as_of is None:
        empty(missing)
    return as_of


def one_sentence(exc: BaseException) -> str:
    """What went wrong, in one sentence that names no person (no traceback, no values)."""
    if isinstance(exc, ImportError):
        return "This part of the dashboard is not installed yet."
    if isinstance(exc, PopdashError):  # written for the user: shown as it is
        return one_sentence_of(exc)
    return f"This could not be drawn ({type(exc).__name__}); the rest of the dashboard still works."


def show_error(exc: BaseException, where: str) -> None:
    """Show one clear sentence; log only the kind of error and where (no data values)."""
    log.warning("dashboard: %s failed with %s", where, type(exc).__name__)
    st.error(md(one_sentence(exc)), icon=":material/error:")


@contextlib.contextmanager
def section(where: str) -> Iterator[None]:
    """Run one part of a page; if it fails, say so in one sentence and let the rest of the page draw."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - one failing part must not take the page down
        show_error(exc, where)


def chart(fig: go.Figure, key: str | None = None) -> None:
    """A Plotly chart at full width with the dashboard's quiet mode bar."""
    # Again here (it is idempotent): a figure a page builds itself gets the same treatment.
    st.plotly_chart(
        literal_figure(fig),
        width="stretch",
        key=key,
        config={"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]},
    )


# Abbreviations the agency writes in capitals.
_CAPITALS = {
    "psf": "PSF",
    "mgtv": "MGTV",
    "msl": "MSL",
    "cim": "CIM",
    "id": "ID",
    "mape": "MAPE",
    "sha256": "SHA-256",
    "pct": "%",
}


def heading(column: object) -> str:
    """A column name as a table heading: 'register_number' -> 'Register number', 'mgtv_expires' -> 'MGTV expires'."""
    words = [_CAPITALS.get(w.lower(), w) for w in str(column).replace("_", " ").split()]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _with_headings(frame: pd.DataFrame, cfg: dict) -> dict:
    """Every column without a label of its own gets its name in words."""
    out = dict(cfg)
    for c in frame.columns:
        given = out.get(c)
        if isinstance(given, str) or (c in out and given is None):
            continue  # a label of its own, or a hidden column
        if isinstance(given, dict):
            if not given.get("label"):
                out[c] = {**given, "label": heading(c)}
        else:
            out[c] = heading(c)
    return out


def table(frame: pd.DataFrame, config: dict | None = None, **kwargs: Any) -> None:
    """st.dataframe without index: headings in words, thousands separators on whole numbers, dates as
    YYYY-MM-DD, "—" for a missing value, and no empty grid below a short table."""
    import pandas as pd

    from dashboard.identity import note_shown, visible

    frame = visible(frame)  # identities leave the data for a role that may not see them
    note_shown(frame)
    cfg: dict = {}
    for c, dtype in frame.dtypes.items():  # dtypes, not columns: a column lookup costs more than the test
        if pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
            cfg[c] = st.column_config.NumberColumn(format="localized")
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            cfg[c] = st.column_config.DateColumn(format="YYYY-MM-DD")
    for c, given in (config or {}).items():
        # A plain label keeps the number or date format chosen above.
        cfg[c] = {**cfg[c], "label": given} if isinstance(given, str) and isinstance(cfg.get(c), dict) else given
    cfg = _with_headings(frame, cfg)
    if "height" in kwargs and isinstance(kwargs["height"], int):
        kwargs["height"] = min(kwargs["height"], 40 + 35 * max(len(frame), 1) + 8)
    kwargs.setdefault("placeholder", "—")  # a missing value reads as a dash, not "None"
    st.dataframe(frame, hide_index=True, width="stretch", column_config=cfg, **kwargs)


def empty(message: str) -> None:
    """A calm note where there is nothing to show."""
    st.info(message, icon=":material/info:")


def wrapped_table(frame: pd.DataFrame, labels: dict[str, str] | None = None, limit: int = 30, **kwargs: Any) -> None:
    """A short table whose long text wraps (st.table, `labels` as headings); past `limit` rows a
    scrolling table() (`kwargs`: its config and height)."""
    import pandas as pd

    from dashboard.identity import note_shown, visible

    frame = visible(frame)
    note_shown(frame)
    if len(frame) > limit:
        table(frame, **kwargs)
        return
    shown = frame.rename(columns={c: (labels or {}).get(c, heading(c)) for c in frame.columns})
    text = [
        c
        for c in shown.columns
        if not pd.api.types.is_numeric_dtype(shown[c]) and not pd.api.types.is_datetime64_any_dtype(shown[c])
    ]
    shown = shown.astype(dict.fromkeys(text, "object")).fillna(dict.fromkeys(text, "—"))
    # st.table renders Markdown in its cells (st.dataframe does not): text from data is escaped.
    shown = shown.assign(**{c: shown[c].map(lambda v: md(v) if isinstance(v, str) else v) for c in text})
    st.table(shown, hide_index=True)
