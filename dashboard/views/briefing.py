"""/briefing: presentation mode for the department-head meeting.

Large type, few words, aggregates only: no name, no register number, no table of
inmates. The same Briefing object is drawn here and written to PDF / PPTX, so the
file circulated afterwards says exactly what the screen said.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard import cached as data
from dashboard import cached_scenarios, identity
from dashboard.components.safe_text import html_literal, md
from dashboard.components.widgets import section
from reports.briefing import Briefing, assemble, build_briefing
from reports.briefing.build import keep_together
from reports.theme import fmt_date

_CSS = """
<style>
.pd-brief-title {font-size: 2.6rem; font-weight: 700; line-height: 1.15; margin: 0;}
.pd-brief-sub {font-size: 1.35rem; color: #6b7280; margin: 0.2rem 0 1rem 0;}
.pd-brief-sample {color: #c8423b; font-weight: 700;}
.pd-takeaways {font-size: 1.55rem; line-height: 1.45; padding-left: 1.6rem; margin: 0.5rem 0 1.5rem 0;}
.pd-takeaways li {margin-bottom: 0.6rem;}
.pd-slide-title {font-size: 1.7rem; font-weight: 700; line-height: 1.3; margin: 2.2rem 0 0.4rem 0;}
.pd-lines {font-size: 1.35rem; line-height: 1.5;}
.pd-sources {font-size: 0.95rem; color: #6b7280; margin-top: 2rem;}
</style>
"""


@st.cache_resource(max_entries=4, show_spinner="Preparing the briefing…")
def _briefing(path: str, version: str, plans: str, as_of: date | None) -> Briefing:
    # `plans`: the planned events' version, so a scenario edited on /capacity shows here at once.
    if as_of is not None:  # an earlier day: projected from what was known then
        return build_briefing(data.store(), as_of)
    # The latest day: its aggregates kept beside the store, and the projection and scenarios the
    # /capacity page shows (cached).
    return assemble(data.briefing_inputs(cached_scenarios.runs()))


def _pick_as_of() -> date | None:
    """The day to brief on, in the sidebar and the address (?as_of=2026-11-14); None = the latest."""
    options = [d.isoformat() for d in reversed(data.as_of_dates("population"))]
    if not options:
        return None
    # ISO dates as shown: a bound widget writes its label to the address, and ISO is what
    # `popdash brief --as-of` takes too.
    asked = st.query_params.get("as_of")
    pick = st.sidebar.selectbox("Briefing as of", options, index=0, key="as_of", bind="query-params")
    if asked and asked not in options:
        # A link names a day the store has no roster for: say so, brief on a stored day, and
        # never build a briefing for a day the store does not hold (a link cannot cost more).
        st.info(
            md(f"The store holds no population snapshot for {asked[:40]}; this is the briefing as of {pick}."),
            icon=":material/info:",
        )
    return None if pick in (None, options[0]) else date.fromisoformat(pick)


@st.cache_data(max_entries=4, show_spinner=False)
def _file(path: str, version: str, plans: str, as_of: date | None, kind: str) -> bytes:
    b = _briefing(path, version, plans, as_of)
    if kind == "pdf":
        from reports.briefing.pdf import pdf_bytes

        return pdf_bytes(b)
    from reports.briefing.pptx import pptx_bytes

    return pptx_bytes(b)


def _esc(text: str) -> str:
    return keep_together(html_literal(text))


def _header(b: Briefing, as_of: date | None) -> None:
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    sample = ' · <span class="pd-brief-sample">SAMPLE DATA</span>' if b.is_sample else ""
    left.html(
        f'<p class="pd-brief-title">{_esc(b.facility_name)}</p>'
        f'<p class="pd-brief-sub">Warden\'s briefing · population as of {fmt_date(b.as_of)}{sample}</p>'
    )
    path, version, plans = cached_scenarios.key()
    stem = f"briefing_{b.facility_code}_{b.as_of.isoformat()}"
    with right:
        # Files are built only when a button is clicked (the callable runs then).
        st.download_button(
            "PDF",
            data=identity.logged(lambda: _file(path, version, plans, as_of, "pdf"), f"{stem}.pdf", "briefing"),
            file_name=f"{stem}.pdf",
            mime="application/pdf",
            icon=":material/picture_as_pdf:",
            width="stretch",
        )
        st.download_button(
            "PowerPoint",
            data=identity.logged(lambda: _file(path, version, plans, as_of, "pptx"), f"{stem}.pptx", "briefing"),
            file_name=f"{stem}.pptx",
            mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
            icon=":material/slideshow:",
            width="stretch",
        )


def main() -> None:
    st.html(_CSS)  # style only: applied to the page, not shown
    path, version, plans = cached_scenarios.key()
    as_of = _pick_as_of()
    b = _briefing(path, version, plans, as_of)
    _header(b, as_of)
    items = "".join(f"<li>{_esc(t)}</li>" for t in b.takeaways)
    st.html(f'<ol class="pd-takeaways">{items}</ol>')
    for slide in b.slides:
        with section(f"briefing chart {slide.key}"):
            st.html(f'<p class="pd-slide-title">{_esc(slide.takeaway)}</p>')
            st.plotly_chart(
                slide.figure, key=f"brief-{slide.key}", theme=None, width="stretch", config={"displayModeBar": False}
            )
            if slide.notes:
                st.html('<div class="pd-lines">' + "<br>".join(_esc(t) for t in slide.notes) + "</div>")
    st.html('<p class="pd-slide-title">Capacity crossing and track record</p>')
    lines = list(b.capacity_lines) or ["No projection is available for this date."]
    st.html('<div class="pd-lines">' + "<br>".join(_esc(t) for t in [*lines, b.track_line, *b.gaps_lines]) + "</div>")
    if b.track_figure is not None:
        st.plotly_chart(
            b.track_figure, key="brief-track", theme=None, width="stretch", config={"displayModeBar": False}
        )
    st.html(f'<p class="pd-sources">{_esc(b.sources_line)}</p>')


main()
