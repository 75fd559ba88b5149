"""Sign-in end to end: a real OpenID Connect provider (oidc-provider-mock) on the loopback address, a real
`popdash serve` reading the store's auth.toml and roles.toml, and Chromium clicking through both. Nothing is
replaced: the identity comes from the provider's signed token, the roles from the roles file.

Also the reverse-proxy mode (headers on the loopback listener) and the insecure flag. One server per mode.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SETTLE_MS, _free_port, new_context, serving, settle

from loaders import audit

REGISTER = re.compile(r"\d{5}-\d{3}")
CMC, WARDEN, NOBODY = "cmc@agency.test", "warden@agency.test", "new.hire@agency.test"
ROLES = """contact = "the CMC, Jane Roe (ext. 4411)"
[roles.cmc]
groups = ["popdash-cmc"]
[roles.executive]
groups = ["warden-staff"]
[roles.analyst]
emails = ["awp@agency.test"]
"""
EXECUTIVE_PAGES = ("briefing", "capacity", "national", "program-review")


def _ready(pg, timeout: int = SETTLE_MS) -> None:
    # Streamlit's signals (something drawn, the run finished, no placeholder left): right after a
    # navigation the app reads "notRunning" before its first run starts, so that alone is no signal.
    settle(pg, timeout=timeout)


def _copy_store(page_store, tmp_path_factory, name: str):
    store = tmp_path_factory.mktemp(name) / "store"
    shutil.copytree(page_store, store, ignore=shutil.ignore_patterns(audit.AUDIT_FILE))
    (store / "roles.toml").write_text(ROLES)
    return store


@pytest.fixture(scope="module")
def provider():
    """oidc-provider-mock in its own process on a free loopback port, with three predefined users."""
    import json
    import os
    import signal
    import time
    import urllib.request

    port = _free_port()
    users = [
        {"sub": CMC, "email": CMC, "groups": ["popdash-cmc"]},
        {"sub": WARDEN, "email": WARDEN, "groups": ["warden-staff"]},
        {"sub": NOBODY, "email": NOBODY, "groups": ["other-staff"]},
    ]
    args = [a for u in users for a in ("--user-claims", json.dumps(u))]
    proc = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # a busy machine starts Python slowly
        while True:
            try:
                with urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the OpenID Connect provider did not start within 180 s")
            time.sleep(0.2)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def roster_names(page_store):
    from loaders.store import Store

    roster = Store(page_store).frame("population")
    return {f"{r.last_name}, {r.first_name}".upper() for r in roster.itertuples()} | {
        f"{r.first_name} {r.last_name}".upper() for r in roster.itertuples()
    }


@pytest.fixture(scope="module")
def oidc_app(provider, page_store, tmp_path_factory):
    store = _copy_store(page_store, tmp_path_factory, "oidc")
    port = _free_port()
    (store / "auth.toml").write_text(f"""mode = "oidc"
[oidc]
server_metadata_url = "{provider}/.well-known/openid-configuration"
client_id = "popdash"
client_secret = "client-secret"
redirect_uri = "http://localhost:{port}/oauth2callback"
""")
    with serving(store, port=port, host="localhost") as url:
        yield url, store


def _sign_in(browser, url: str, who: str):
    context = new_context(browser)
    pg = context.new_page()
    pg.goto(url)
    pg.get_by_role("button", name="Sign in").click()
    pg.wait_for_url(re.compile(r"/oauth2/authorize"), timeout=SETTLE_MS)
    pg.locator(f"button[name=sub][value='{who}']").click()
    pg.wait_for_url(re.compile(re.escape(url) + r"/?$"), timeout=SETTLE_MS)
    _ready(pg)
    return context, pg


def _open(pg, url: str, path: str) -> str:
    pg.goto(f"{url}/{path}")
    _ready(pg)
    return pg.inner_text("[data-testid=stMain]")


def _sidebar_text(pg) -> str:
    # Text from the identity provider is shown literally: an address gets an invisible word joiner
    # so Markdown cannot turn it into a link; a reader sees the address as it is.
    return pg.inner_text("[data-testid=stSidebar]").replace("\u2060", "")


def _nav(pg) -> list[str]:
    return [t.strip().splitlines()[-1] for t in pg.locator("[data-testid=stSidebarNav] a").all_inner_texts()]


def test_cmc_signs_in_and_sees_identities(browser, oidc_app):
    url, store = oidc_app
    context, pg = _sign_in(browser, url, CMC)
    try:
        assert {"Morning check", "Explore", "Data", "Briefing"} <= set(_nav(pg))
        _open(pg, url, "morning")
        # The morning lists draw on a canvas grid: what it showed is the count the page logged.
        shown = [e for _, e in audit.entries(store) if e["event"] == "view-identities" and e.get("page") == "morning"]
        assert shown and shown[-1]["user"] == CMC and shown[-1]["identities_shown"] > 0
        assert f"Signed in as {CMC}" in _sidebar_text(pg)
        _open(pg, url, "explore?kind=population&names=true")
        # The grid draws on a canvas, so what it holds is read from the rows the page hands over.
        assert pg.get_by_text("Show names").count() == 1
        with pg.expect_download() as dl:
            pg.get_by_role("button", name="Download these rows (CSV)").click()
        body = Path(dl.value.path()).read_text(encoding="utf-8")
        assert "last_name" in body.splitlines()[0] and REGISTER.search(body)
        pg.get_by_role("button", name="Sign out").click()
        # Streamlit signs out at the provider too; this provider asks to confirm.
        pg.wait_for_url(re.compile(r"/oauth2/end_session"), timeout=SETTLE_MS)
        pg.get_by_role("button", name="End session").click()
        pg.get_by_role("button", name="Sign in").wait_for(timeout=SETTLE_MS)
    finally:
        context.close()
    events = [(e["user"], e["event"]) for _, e in audit.entries(store)]
    assert {(CMC, "sign-in"), (CMC, "view-identities"), (CMC, "download"), (CMC, "sign-out")} <= set(events)
    download = next(e for _, e in audit.entries(store) if e["event"] == "download")
    import hashlib

    assert download["sha256"] == hashlib.sha256(body.encode("utf-8")).hexdigest()
    assert download["rows"] == len(body.splitlines()) - 1 and download["file"].endswith(".csv")


def test_executive_sees_no_identity_anywhere(browser, oidc_app, roster_names):
    url, store = oidc_app
    context, pg = _sign_in(browser, url, WARDEN)
    try:
        nav = _nav(pg)
        assert {"Briefing", "Capacity", "National", "Program Review"} == set(nav)
        for typed in ("explore", "data", "morning"):
            text = _open(pg, url, typed)
            assert "Your role does not include this page; ask the CMC, Jane Roe (ext. 4411) if you need it." in text
            assert not REGISTER.search(pg.content())
        seen = []
        for path in EXECUTIVE_PAGES:
            _open(pg, url, path)
            if path != "program-review":
                pg.wait_for_selector(".js-plotly-plot", timeout=SETTLE_MS)
            seen.append(pg.content())
            seen.append(
                pg.evaluate("() => JSON.stringify([...document.querySelectorAll('.js-plotly-plot')].map(p => p.data))")
            )
            if path == "briefing":
                with pg.expect_download(timeout=600_000) as dl:  # builds the PDF (slow on a busy machine)
                    pg.get_by_role("button", name="PDF").click()
                from pypdf import PdfReader

                pdf = PdfReader(io.BytesIO(Path(dl.value.path()).read_bytes()))
                seen.append("\n".join(p.extract_text() or "" for p in pdf.pages))
            if path == "program-review":
                with pg.expect_download() as dl:
                    pg.get_by_role("button", name="Download the agenda (.txt)").click()
                seen.append(Path(dl.value.path()).read_text(encoding="utf-8"))
        everything = "\n".join(seen)
        assert not REGISTER.search(everything)
        upper = everything.upper()
        assert not [n for n in roster_names if n in upper]
    finally:
        context.close()
    mine = [e for _, e in audit.entries(store) if e["user"] == WARDEN]
    assert {e["event"] for e in mine} >= {"sign-in", "denied", "download"}
    assert {e.get("page") for e in mine if e["event"] == "denied"} >= {"explore", "data", "morning"}
    assert not [e for e in mine if e["event"] == "view-identities"]


def test_user_with_no_role_is_refused(browser, oidc_app):
    url, store = oidc_app
    context, pg = _sign_in(browser, url, NOBODY)
    try:
        text = pg.inner_text("[data-testid=stMain]")
        assert f"You are signed in as {NOBODY} but hold no popdash role; ask the CMC, Jane Roe (ext. 4411)" in text
        assert not _nav(pg)
        assert not REGISTER.search(_open(pg, url, "morning") + pg.content())
    finally:
        context.close()


def test_audit_log_verifies_and_names_an_edited_or_deleted_line(oidc_app, tmp_path):
    """Runs after the sign-in tests above: their events are in the log; then a copy is tampered with."""
    _, store = oidc_app
    log = audit.audit_path(store)
    text = log.read_text(encoding="utf-8")
    assert not REGISTER.search(text)
    cli = [sys.executable, "-m", "popdash", "audit", "--verify", "--store"]
    ok = subprocess.run([*cli, str(store)], capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0 and "The audit log is intact" in ok.stdout
    lines = text.splitlines()
    assert len(lines) >= 8
    edited = lines[:3] + [lines[3].replace('"time":"', '"time":"1', 1)] + lines[4:]  # line 4 altered
    deleted = lines[:4] + lines[5:]  # line 5 removed: the line now 5th does not follow line 4
    for change, (bad_lines, named) in {"edit": (edited, 4), "delete": (deleted, 5)}.items():
        copy = tmp_path / change
        copy.mkdir()
        (copy / audit.AUDIT_FILE).write_text("\n".join(bad_lines) + "\n", encoding="utf-8")
        bad = subprocess.run([*cli, str(copy)], capture_output=True, text=True, timeout=300)
        assert bad.returncode == 1, change
        assert f"broken at line {named}" in bad.stdout, (change, bad.stdout)


@pytest.fixture(scope="module")
def proxy_app(page_store, tmp_path_factory):
    store = _copy_store(page_store, tmp_path_factory, "proxy")
    (store / "auth.toml").write_text(
        'mode = "proxy"\n[proxy]\nuser_header = "X-Auth-User"\ngroups_header = "X-Auth-Groups"\n'
    )
    with serving(store) as url:
        yield url, store


def test_reverse_proxy_headers_are_honoured_on_loopback(browser, proxy_app):
    url, store = proxy_app
    context = new_context(
        browser,
        extra_http_headers={"X-Auth-User": WARDEN, "X-Auth-Groups": "other, warden-staff"},
    )
    pg = context.new_page()
    try:
        _open(pg, url, "")
        assert set(_nav(pg)) == {"Briefing", "Capacity", "National", "Program Review"}
        assert f"Signed in as {WARDEN}" in _sidebar_text(pg)
        assert "Your role does not include this page" in _open(pg, url, "explore")
    finally:
        context.close()
    bare = new_context(browser)
    pg = bare.new_page()
    try:
        assert "No signed-in user came from the reverse proxy" in _open(pg, url, "morning")
    finally:
        bare.close()
    assert {(e["user"], e["event"]) for _, e in audit.entries(store)} >= {(WARDEN, "sign-in"), (WARDEN, "denied")}


def test_reverse_proxy_refuses_another_address(page_store, tmp_path):
    store = tmp_path / "store"
    store.mkdir()
    (store / "auth.toml").write_text('mode = "proxy"\n')
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "popdash",
            "serve",
            "--store",
            str(store),
            "--address",
            "0.0.0.0",
            "--port",
            str(_free_port()),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2 and "loopback address only" in done.stderr


def test_insecure_flag_starts_and_every_page_says_so(browser, page_store, tmp_path_factory):
    """Another address than 127.0.0.1 without sign-in: 127.0.0.2 stands in for a network address (it is
    treated like one, yet nothing outside this machine can reach the test server)."""
    store = _copy_store(page_store, tmp_path_factory, "insecure")
    refused = subprocess.run(
        [
            sys.executable,
            "-m",
            "popdash",
            "serve",
            "--store",
            str(store),
            "--address",
            "127.0.0.2",
            "--port",
            str(_free_port()),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert refused.returncode == 2 and "--insecure-no-sign-in" in refused.stderr
    with serving(store, "--address", "127.0.0.2", "--insecure-no-sign-in", host="127.0.0.2") as url:
        context = new_context(browser)
        pg = context.new_page()
        try:
            for path in ("morning", "briefing", "explore", "data", "national"):
                text = _open(pg, url, path)
                assert "Sign-in is off and popdash listens on 127.0.0.2" in text, path
        finally:
            context.close()
