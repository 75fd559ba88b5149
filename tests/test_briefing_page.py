"""/briefing renders on the demo store: takeaways in large type, every chart with its as-of date,
two download buttons, and nothing that identifies an inmate."""

from __future__ import annotations

import html
import json
import re

import pytest
from pages_helpers import assert_clean, page_text, run_page


@pytest.fixture(scope="module")
def page(page_store):
    """The page, run once for the module."""
    return _run_with(page_store, None)


@pytest.fixture(scope="module")
def briefing(briefing_inputs):
    """What `popdash brief` would write: the page must say the same."""
    from reports.briefing import assemble

    return assemble(briefing_inputs)


def _html_text(at) -> str:
    text = html.unescape("\n".join(re.sub(r"<[^>]+>", " ", e.proto.body) for e in at.get("html")))
    return text.replace("\u00a0", " ")


def test_renders_clean_with_title_and_sample_mark(page, briefing):
    assert_clean(page)
    text = _html_text(page)
    assert "FCC Example" in text and "SAMPLE DATA" in text
    assert f"population as of {briefing.as_of.day} {briefing.as_of:%b %Y}" in text


def test_every_takeaway_is_on_the_page_twice(page, briefing):
    """Once in the list at the top, once above its chart."""
    text = _html_text(page)
    for t in briefing.takeaways:
        assert text.count(t) == 2, t
    assert briefing.track_line in text and briefing.sources_line in text


def test_charts_state_their_as_of_date(page, briefing):
    charts = page.get("plotly_chart")
    assert len(charts) == len(briefing.slides) + int(briefing.track_figure is not None)
    for c in charts:
        subtitle = json.loads(c.proto.spec)["layout"]["title"]["subtitle"]["text"]
        assert re.fullmatch(r"As of \d{1,2} \w{3} \d{4} · SAMPLE DATA", subtitle)


def test_two_downloads_pdf_and_pptx(page):
    labels = [b.proto.label for b in page.get("download_button")]
    assert labels == ["PDF", "PowerPoint"]


def test_no_register_number_or_roster_name(page, page_store):
    from loaders.store import Store

    text = (_html_text(page) + "\n" + page_text(page)).upper()
    assert not re.search(r"\d{5}-\d{3}", text)
    roster = Store(page_store).frame("population")
    words = set(re.findall(r"[A-Z][A-Z'.-]*", text))
    surnames = {n.upper() for n in roster["last_name"].dropna().unique()}
    assert not (surnames & words), "a roster surname on the briefing page"
    full = {f"{a}, {b}".upper() for a, b in roster[["last_name", "first_name"]].dropna().itertuples(index=False)}
    assert not [n for n in full if n in text]


def _run_with(page_store, query):
    """Run /briefing on the store (AppTest reads it from $POPDASH_STORE, restored afterwards)."""
    import os

    old = os.environ.get("POPDASH_STORE")
    os.environ["POPDASH_STORE"] = str(page_store)
    try:
        return run_page("briefing", query=query)
    finally:
        if old is None:
            os.environ.pop("POPDASH_STORE")
        else:
            os.environ["POPDASH_STORE"] = old


def test_as_of_deep_link_briefs_an_earlier_day(page_store):
    from loaders.store import Store

    day = Store(page_store).as_of_dates("population")[-8]
    at = _run_with(page_store, {"as_of": day.isoformat()})
    assert_clean(at)
    assert f"population as of {day.day} {day:%b %Y}" in _html_text(at)
    assert at.sidebar.selectbox[0].value == day.isoformat()


def test_unknown_as_of_in_the_address_falls_back_to_the_latest(page_store, briefing):
    at = _run_with(page_store, {"as_of": "1999-01-01"})
    assert_clean(at)
    assert at.sidebar.selectbox[0].value == briefing.as_of.isoformat()
    assert [i.value for i in at.info] == [
        f"The store holds no population snapshot for 1999-01-01; this is the briefing as of {briefing.as_of.isoformat()}."
    ]
