"""/morning: a rule skipped for a missing column names the roster header that is probably it."""

from __future__ import annotations

import pytest
from pages_helpers import assert_clean, page_text, run_page

from dashboard.components.safe_text import md
from loaders.store import Store
from tests._loadhelp import write
from tests.conftest import SAMPLE_FACILITY

ROSTER = (
    "Reg No,Unit,Sec Lvl,Cust,Arr Dt,PSF,MGTV,Init Clss Dt,Last Team Dt\n"
    "12345-678,A1,LOW,IN,2026-11-01,,,2026-11-10,2026-11-12\n"
    "23456-789,B2,MEDIUM,OUT,2026-10-01,,,2026-10-20,2026-10-25\n"
)


@pytest.fixture()
def store_with_typo(tmp_path, monkeypatch):
    path = tmp_path / "store"
    Store(path).import_file(
        write(tmp_path, "roster_2026-11-22.csv", ROSTER), kind="population", facility=SAMPLE_FACILITY
    )
    monkeypatch.setenv("POPDASH_STORE", str(path))
    return path


def test_skipped_rule_names_the_unrecognised_header(store_with_typo):
    at = run_page("morning")
    assert_clean(at)
    text = page_text(at)
    hint = "Init Clss Dt was not recognised; did you mean initial_classification_date?"
    # Captions escape text from data (header names come from the file), so AppTest sees the escaped form.
    assert md(f"CLASSIFICATION-OVERDUE (the roster has no initial_classification_date column; {hint})") in text
    assert md(f"initial classification (the roster has no initial_classification_date column; {hint})") in text
    # Last Team Dt was recognised: the review rule ran and no hint speaks of it.
    assert "REVIEW-OVERDUE (" not in text and "Last Team Dt" not in text
