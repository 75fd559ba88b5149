"""A shared /explore link keeps its snapshot: the as-of date is in the URL also when it is the
newest, so after a newer roster is imported the link still opens the day it was copied on.

AppTest cannot see the widget-to-URL sync (it happens in the browser), hence a real browser.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from conftest import SETTLE_MS, new_context, serving
from test_dashboard_browser import _selected, settle

from loaders.store import Store


@pytest.fixture()
def growing_store(tmp_path, page_sample_files):
    """A store of one's own holding the first two of three sample rosters (the third imported later)."""
    rosters = sorted((page_sample_files / "roster").glob("roster_*.csv"))
    store = Store(tmp_path / "store")
    store.import_files(rosters[:2], "population", page_sample_files / "facility.toml", allow_rejects=True)
    return store, rosters[2]


def _as_of_in(url: str) -> str | None:
    return (parse_qs(urlparse(url).query).get("asof") or [None])[0]


def test_a_link_to_the_newest_snapshot_keeps_its_day(growing_store, browser, page):
    store, third = growing_store
    newest = store.latest_as_of("population").isoformat()
    with serving(store.path) as url:
        page.goto(f"{url}/explore")
        settle(page)
        # The newest day is written to the address bar, not left out as a default.
        page.wait_for_function("d => location.search.includes('asof=' + d)", arg=newest, timeout=SETTLE_MS)
        link = page.url
        assert _as_of_in(link) == newest

        store.import_files([third], "population", allow_rejects=True)
        newer = store.latest_as_of("population").isoformat()
        assert newer > newest

        shared = new_context(browser).new_page()
        try:
            shared.goto(link)
            settle(shared)
            assert _selected(shared, "Snapshot as of") == newest
            assert _as_of_in(shared.url) == newest
            assert "not in the store" not in shared.locator("[data-testid=stMain]").inner_text()
        finally:
            shared.context.close()

        # A fresh visit without a date opens the new snapshot and writes its date.
        page.goto(f"{url}/explore")
        settle(page)
        page.wait_for_function("d => location.search.includes('asof=' + d)", arg=newer, timeout=SETTLE_MS)
        assert _selected(page, "Snapshot as of") == newer
