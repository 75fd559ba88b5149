"""No outbound connection: `popdash serve` with every page visited (and a briefing PDF built), the
browser that visits them, and `popdash brief` writing a deck (which starts the export Chromium), all run under
`strace -f`; any TCP connection or any packet sent to an address outside the loopback fails.

Chromium connects a UDP socket to a public address to learn the local address (an IPv6
reachability probe) and sends nothing through it: a connected UDP socket that carries no
packet is not traffic, so only a packet sent through it would count.
"""

from __future__ import annotations

import ipaddress
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CHROMIUM, LAUNCH_ARGS, ROOT, serving, settle

STRACE = shutil.which("strace")
TRACE = ("-f", "-qq", "-yy", "-e", "trace=connect,sendto,sendmsg,sendmmsg", "-e", "signal=none")
# The briefing last: the page it leaves open is the one whose PDF button is clicked.
PAGES = ["morning", "designations", "capacity", "national", "explore", "program-review", "data", "briefing"]

_CALL = re.compile(r"^\d+\s+(connect|sendto|sendmsg|sendmmsg)\((\d+)<((?:->|[^>])*)>")
_INET = re.compile(r'inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6?, "([^"]+)"')
_REMOTE = re.compile(r"->(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+)):\d+\]")


def _loopback(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_loopback or ip.is_unspecified


def outbound(log: str) -> list[str]:
    """The lines of an `strace -yy` log that reach past the loopback: a TCP connect() to another
    address, or a packet sent to one (named in the call, or the socket's connected peer)."""
    bad = []
    for line in log.splitlines():
        m = _CALL.match(line)
        if not m:
            continue
        call, _fd, sock = m.groups()
        if sock.startswith(("UNIX", "NETLINK")) or "AF_UNIX" in line or "AF_NETLINK" in line:
            continue
        named = [a or b for a, b in _INET.findall(line)]
        peers = [a or b for a, b in _REMOTE.findall(sock)]
        if call == "connect":
            if sock.startswith(("TCP", "socket:")) and any(not _loopback(a) for a in named):
                bad.append(line)
        elif any(not _loopback(a) for a in [*named, *peers]):
            bad.append(line)
    return bad


@pytest.mark.parametrize(
    ("line", "reaches_out"),
    [
        (
            '7 connect(22<TCP:[4242]>, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("142.250.1.1")}, 16) = -1 EINPROGRESS',
            True,
        ),
        (
            '7 connect(22<TCPv6:[4242]>, {sa_family=AF_INET6, sin6_port=htons(443), inet_pton(AF_INET6, "2a00:1450::1", &sin6_addr)}, 28) = 0',
            True,
        ),
        (
            '7 connect(22<TCP:[4242]>, {sa_family=AF_INET, sin_port=htons(8501), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
            False,
        ),
        (
            '7 connect(22<TCPv6:[4242]>, {sa_family=AF_INET6, sin6_port=htons(8501), inet_pton(AF_INET6, "::1", &sin6_addr)}, 28) = 0',
            False,
        ),
        (
            '7 connect(22<UDPv6:[4242]>, {sa_family=AF_INET6, sin6_port=htons(443), inet_pton(AF_INET6, "2001:4860:4860::8888", &sin6_addr)}, 28) = 0',
            False,
        ),
        ('7 sendto(22<UDPv6:[[fe80::1]:5000->[2001:4860:4860::8888]:443]>, "x", 1, 0, NULL, 0) = 1', True),
        ('7 sendto(5<UDP:[10.0.0.2:5000->10.0.0.1:53]>, "q", 30, MSG_NOSIGNAL, NULL, 0) = 30', True),
        (
            '7 sendto(5<UDP:[4242]>, "q", 30, 0, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("8.8.8.8")}, 16) = 30',
            True,
        ),
        ('7 sendto(5<UDP:[127.0.0.1:5000->127.0.0.53:53]>, "q", 30, MSG_NOSIGNAL, NULL, 0) = 30', False),
        ('7 sendto(13<UNIX-STREAM:[1->2]>, "x", 1, MSG_NOSIGNAL, NULL, 0) = 1', False),
        ('7 connect(3<UNIX-STREAM:[99]>, {sa_family=AF_UNIX, sun_path="/run/x"}, 110) = 0', False),
    ],
)
def test_outbound_reads_an_strace_log(line, reaches_out):
    assert bool(outbound(line)) is reaches_out


@pytest.fixture(scope="module")
def traced():
    if STRACE is None:
        pytest.skip("the outbound test needs strace (apt-get install strace)")
    probe = subprocess.run([STRACE, "-f", "-qq", "-e", "trace=connect", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"strace cannot trace here: {probe.stderr.strip()[:200]}")
    return STRACE


def _traced_chromium(folder: Path, log: Path) -> str:
    """A launcher Playwright starts instead of Chromium: the same browser under strace."""
    script = folder / "chromium-traced"
    script.write_text(f'#!/bin/sh\nexec {STRACE} {" ".join(TRACE)} -o {log} {CHROMIUM} "$@"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def test_serve_brief_and_browser_make_no_outbound_connection(traced, page_store, tmp_path, playwright_driver):
    p = playwright_driver  # a Chromium of its own (under strace), from the session's one Playwright
    logs = {
        "serve": tmp_path / "serve.strace",
        "browser": tmp_path / "browser.strace",
        "brief": tmp_path / "brief.strace",
    }
    with serving(page_store, prefix=(traced, *TRACE, "-o", str(logs["serve"]))) as url:
        browser = p.chromium.launch(executable_path=_traced_chromium(tmp_path, logs["browser"]), args=LAUNCH_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1500, "height": 1000}, accept_downloads=True)
            context.set_default_timeout(600_000)
            page = context.new_page()
            for name in PAGES:
                page.goto(f"{url}/{name}")
                settle(page, timeout=600_000)
            # A briefing file (the page left open): the PDF's charts are drawn without a browser; the
            # deck written by `popdash brief` below starts the export Chromium for its pictures.
            assert PAGES[-1] == "briefing"
            with page.expect_download(timeout=600_000) as download:
                page.get_by_role("button", name="PDF").click()
            assert download.value.suggested_filename.endswith(".pdf")
        finally:
            browser.close()
    out = tmp_path / "brief.pptx"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    done = subprocess.run(
        [
            traced,
            *TRACE,
            "-o",
            str(logs["brief"]),
            sys.executable,
            "-m",
            "popdash",
            "brief",
            "--store",
            str(page_store),
            "--out",
            str(out),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    for name, log in logs.items():
        text = log.read_text(encoding="utf-8", errors="replace")
        assert "connect(" in text, f"{name}: strace recorded no connect() at all"
        assert outbound(text) == [], f"{name} reached past the loopback:\n" + "\n".join(outbound(text)[:10])
