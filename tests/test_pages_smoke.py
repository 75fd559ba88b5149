"""Every page of the dashboard renders on a small demo store, with no exception and no error box."""

from __future__ import annotations

import re

import pytest
from pages_helpers import PAGES, assert_clean, page_text, run_page


@pytest.fixture(autouse=True)
def _store(page_store, monkeypatch):
    monkeypatch.setenv("POPDASH_STORE", str(page_store))


@pytest.mark.parametrize("page", list(PAGES))
def test_page_renders_with_sample_banner(page_run, page):
    at = page_run(page)
    assert_clean(at)
    assert "SAMPLE DATA" in page_text(at)


@pytest.mark.parametrize(
    "page", ["morning", "briefing", "explore", "designations", "capacity", "program-review", "national"]
)
def test_page_draws_charts_with_as_of_date(page_run, page):
    at = page_run(page)
    figs = at.get("plotly_chart")
    assert figs, f"/{page} drew no chart"
    for f in figs:
        assert re.search(r"As of \d{1,2} \w{3} \d{4}", f.proto.spec), f"/{page}: a chart without its as-of date"


def test_sidebar_names_the_store_and_its_date(page_run, page_store):
    at = page_run("morning")
    side = "\n".join(str(m.value) for m in at.sidebar.markdown) + "\n".join(str(c.value) for c in at.sidebar.caption)
    assert "FCC Example" in side
    assert str(page_store) in side
    assert re.search(r"as of \*\*\d{1,2} \w{3} \d{4}\*\*", side)


def test_store_without_facility_file_is_one_sentence(tmp_path, monkeypatch):
    monkeypatch.setenv("POPDASH_STORE", str(tmp_path / "empty-store"))
    at = run_page("morning")
    assert not at.exception
    assert len(at.error) == 1
    message = str(at.error[0].value)
    assert "no facility file" in message and "Traceback" not in message
