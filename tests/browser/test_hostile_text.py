"""Text from data is text, in a real browser: a store whose every text field, facility name and
unit name carries Markdown images and links, HTML, `:red[...]`, LaTeX and a right-to-left
override, and links whose every parameter does too. On every page: no request leaves for another
host or port, no link points off the server, no image comes from data, no maths is typeset,
and the facility name reads exactly as written.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from conftest import serving, settle
from hostile import FACILITY_SHOWN, RLO, TRAP, build_hostile_store, hostile_links

PAGES = ["morning", "briefing", "designations", "capacity", "national", "explore", "program-review", "data"]

# Every link and image source on the page, the SVG ones of the charts included.
_LINKS_AND_IMAGES = """() => {
    const out = [];
    for (const a of document.querySelectorAll('a')) {
        const href = a.getAttribute('href') || a.getAttribute('xlink:href');
        if (href) out.push(['a', new URL(href, location.href).href]);
    }
    for (const img of document.querySelectorAll('img, image')) {
        const src = img.getAttribute('src') || img.getAttribute('href') || img.getAttribute('xlink:href');
        if (src) out.push(['img', new URL(src, location.href).href]);
    }
    return out;
}"""


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    from tests._stores import cached_store

    store = cached_store("hostile", {"days": 3}, build_hostile_store, tmp_path_factory.mktemp("hostile") / "store")
    with serving(store) as url:
        yield url


def _foreign(url: str, server: str) -> bool:
    """A URL the browser would fetch from anywhere but the server (data: and blob: stay local)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "javascript"):
        return False
    return parts.netloc != urlsplit(server).netloc


def _check(pg, server: str, requests: list[str]) -> None:
    settle(pg)
    body = pg.inner_text("body")
    assert "Traceback" not in body
    assert RLO not in body
    assert pg.locator(".katex, mjx-container").count() == 0, "LaTeX from data was typeset"
    found = pg.evaluate(_LINKS_AND_IMAGES)
    off = [(tag, url) for tag, url in found if _foreign(url, server)]
    assert not off, off
    assert not [url for tag, url in found if tag == "img" and TRAP in url]
    assert not [u for u in requests if _foreign(u, server)], [u for u in requests if _foreign(u, server)]


def _links(server: str) -> tuple[dict[str, str], list[str]]:
    """(page -> the one hostile link that also opens it for the page test, the other links).

    A page whose link parameters only pre-set widgets or are unknown draws what it always draws, so
    one visit checks both the store's hostile text and the link's; /explore and /briefing read
    their parameters to choose what to show, so they are also visited plainly.
    """
    first: dict[str, str] = {}
    rest: list[str] = []
    for link in hostile_links(server):
        name = urlsplit(link).path.strip("/")
        if name in PAGES and name not in first and name not in ("explore", "briefing"):
            first[name] = link
        else:
            rest.append(link)
    return first, rest


@pytest.mark.parametrize("name", PAGES)
def test_every_page_shows_hostile_text_as_text(hostile_server, page, name):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(_links(hostile_server)[0].get(name, f"{hostile_server}/{name}"))
    _check(page, hostile_server, requests)
    assert page.locator("[data-testid=stException]").count() == 0
    # The facility name from facility.toml, literally, in the sidebar of every page.
    # (Word joiners, invisible, keep "http://" from turning into a link.)
    assert FACILITY_SHOWN in page.inner_text("[data-testid=stSidebar]").replace("\u2060", "")
    if name in ("morning", "capacity"):
        # A unit named with HTML is a label on the occupancy chart, not a link.
        page.wait_for_selector(".js-plotly-plot")
        svg = " ".join(page.locator(".js-plotly-plot").all_text_contents())
        assert '<a href="http://127.0.0.1:9/u">A1</a>' in svg


def test_every_link_parameter_shows_hostile_text_as_text(hostile_server, page):
    """The links the page test did not already open (every link is opened once in this file)."""
    first, rest = _links(hostile_server)
    assert len(first) + len(rest) == len(hostile_links(hostile_server)) and {"explore", "briefing"} <= {
        urlsplit(u).path.strip("/") for u in rest
    }
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    for link in rest:
        page.goto(link)
        _check(page, hostile_server, requests)
        assert page.locator("[data-testid=stException]").count() == 0, link
