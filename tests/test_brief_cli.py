"""`popdash brief`: one line naming the file written; unusable arguments exit 2 with one sentence."""

from __future__ import annotations

import re

import pytest

from popdash.cli import main
from reports.briefing import render

needs_chromium = pytest.mark.skipif(
    render.chromium_path() is None, reason="no Chromium installed: charts cannot be drawn (apt-get install chromium)"
)


@pytest.fixture(scope="module", autouse=True)
def _browser():
    yield
    render.stop()


@needs_chromium
def test_writes_deck_and_says_so(page_store, tmp_path, capsys):
    out = tmp_path / "brief.PPTX"  # the extension in any case
    assert main(["brief", "--store", str(page_store), "--out", str(out)]) == 0
    printed = capsys.readouterr().out.strip().splitlines()
    assert len(printed) == 1 and re.fullmatch(
        rf"wrote {re.escape(str(out))} \(as of \d{{4}}-\d\d-\d\d\) "
        r"\(SAMPLE DATA\)",
        printed[0],
    )
    assert out.read_bytes().startswith(b"PK")


@needs_chromium
def test_pdf_as_of_an_earlier_snapshot(page_store, tmp_path, capsys):
    from pypdf import PdfReader

    from loaders.store import Store

    dates = Store(page_store).as_of_dates("population")
    out = tmp_path / "early.pdf"
    assert main(["brief", "--store", str(page_store), "--out", str(out), "--as-of", dates[-10].isoformat()]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out} (as of {dates[-10].isoformat()}) (SAMPLE DATA)"
    title = PdfReader(out).pages[0].extract_text()
    assert f"population as of {dates[-10].day} {dates[-10]:%B %Y}" in title


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--out", "{tmp}/brief.docx"], "--out must end in .pdf or .pptx, not 'brief.docx'."),
        (["--out", "{tmp}/brief"], "--out must end in .pdf or .pptx, not 'brief'."),
        (["--out", "{tmp}/nowhere/brief.pdf"], "the folder {tmp}/nowhere does not exist."),
        (
            ["--out", "{tmp}/b.pdf", "--as-of", "22/11/2026"],
            "--as-of must be a date like 2026-11-22, not '22/11/2026'.",
        ),
        (
            ["--out", "{tmp}/b.pdf", "--as-of", "1999-01-01"],
            "the store has no population snapshot for 1 Jan 1999; it holds",
        ),
    ],
)
def test_unusable_arguments_exit_2(page_store, tmp_path, capsys, extra, message):
    args = ["brief", "--store", str(page_store), *[a.format(tmp=tmp_path) for a in extra]]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"popdash brief: {message.format(tmp=tmp_path)}")
    assert len(err.splitlines()) == 1 and not list(tmp_path.iterdir())


def test_missing_store_exits_2(tmp_path, capsys):
    assert main(["brief", "--store", str(tmp_path / "none"), "--out", str(tmp_path / "b.pdf")]) == 2
    assert capsys.readouterr().err.strip() == (
        f"popdash brief: no store at {tmp_path / 'none'}; import exports there first (popdash import --store)."
    )
    assert not (tmp_path / "none").exists()
