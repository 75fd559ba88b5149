"""/program-review on the demo store and on a hand-made log: the numbers, and agreement with `popdash findings`."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from pages_helpers import assert_clean, page_text, run_page
from test_findings_cli import HEADER, ROWS

from analytics import findings as analytics_findings
from loaders.store import Store
from popdash.cli import main

SAMPLE_FACILITY = "sample_data/facility.toml"


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _log_table(at) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "line" in d.value.columns)


def test_demo_store_page_shows_the_computed_numbers(page_store, monkeypatch):
    monkeypatch.setenv("POPDASH_STORE", str(page_store))
    store = Store(page_store)
    as_of = store.latest_as_of("findings")
    log = analytics_findings.home(analytics_findings.annotate(store.frame("findings"), as_of))
    queue = analytics_findings.action_queue(log, as_of, 30)
    at = run_page("program-review")
    assert_clean(at)
    assert "SAMPLE DATA" in page_text(at)
    m = _metrics(at)
    assert m["Findings (home)"] == f"{len(log):,}"
    assert m["Repeat findings"] == str(int(log["repeat"].sum())) and int(m["Repeat findings"]) > 0
    assert m["Overdue actions"] == str(int((queue["action_status"] == "OVERDUE").sum()))
    assert int(m["Overdue actions"]) > 0
    figs = at.get("plotly_chart")
    assert len(figs) == 3
    for f in figs:
        subtitle = json.loads(f.proto.spec)["layout"]["title"]["subtitle"]["text"]
        assert re.fullmatch(r"As of \d{1,2} \w{3} \d{4} · SAMPLE DATA", subtitle)
    agenda = at.code[0].value
    assert agenda.startswith("Program Review follow-up") and "Overdue corrective actions" in agenda
    worse = next(d.value for d in at.dataframe if "why" in d.value.columns)
    assert worse["discipline"].tolist() == analytics_findings.trending_worse(log)["discipline"].tolist()
    assert "Correctional Programs" in worse["discipline"].tolist()


@pytest.fixture()
def log_store(tmp_path, monkeypatch):
    path = tmp_path / "findings_2026-06-30.csv"
    path.write_text("\n".join((HEADER, *ROWS)) + "\n")
    store = Store(tmp_path / "store")
    store.set_facility(SAMPLE_FACILITY)
    assert store.import_file(path, kind="findings").status == "imported"
    monkeypatch.setenv("POPDASH_STORE", str(store.path))
    return path


def test_page_and_popdash_findings_agree_on_the_same_log(log_store, capsys):
    at = run_page("program-review")
    assert_clean(at)
    assert "SAMPLE DATA" not in page_text(at)
    assert main(["findings", str(log_store), "--format", "json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    page = _log_table(at)
    page_rows = [
        {
            "line": int(line),
            "repeat": bool(rep),
            "action_status": status,
            "repeat_of": None if pd.isna(of) else pd.Timestamp(of).date().isoformat(),
        }
        for line, rep, status, of in zip(page["line"], page["repeat"], page["action_status"], page["repeat_of"])
    ]
    assert page_rows == [{k: r[k] for k in ("line", "repeat", "action_status", "repeat_of")} for r in cli]
    m = _metrics(at)
    home = [r for r in cli if r["facility"] is None]
    assert (m["Findings (home)"], m["Repeat findings"], m["Overdue actions"]) == (
        str(len(home)),
        str(sum(r["repeat"] for r in home)),
        str(sum(r["action_status"] == "OVERDUE" for r in home)),
    )
    assert m["Due within 30 days"] == "2"  # F-3 (closed after the as-of date) and F-5 (due that day)
    agenda = at.code[0].value
    assert "as of 30 Jun 2026" in agenda and "2. Overdue corrective actions (1)" in agenda
    assert "3. Corrective actions due within 30 days (2)" in agenda


def test_a_log_with_only_the_required_columns_still_draws(tmp_path, monkeypatch):
    path = tmp_path / "findings_2025-06-01.csv"
    path.write_text("Review Date,Discipline,Finding\n01/05/2024,Safety,Dirty\n03/05/2025,Safety,Dirty again\n")
    store = Store(tmp_path / "store")
    store.set_facility(SAMPLE_FACILITY)
    store.import_file(path, kind="findings")
    monkeypatch.setenv("POPDASH_STORE", str(store.path))
    at = run_page("program-review")
    assert_clean(at)
    text = page_text(at)
    assert "The findings log carries no ratings." in text
    assert "No corrective action is overdue or due within 30 days." in text
    assert _metrics(at)["Repeat findings"] == "0"  # no policy reference: never a repeat
    assert len(at.get("plotly_chart")) == 2
