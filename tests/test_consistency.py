"""One name, one number: every figure shown on more than one surface reads the same on each.

A short sample history is imported into a store, whole and then lacking each optional source
in turn. Every surface is rendered: the pages through AppTest, the commands' JSON, the
briefing's sentences, its PDF text (pypdf) and its PPTX text (python-pptx). The figures are
computed once from the store through `reports` (what the surfaces should all say) and each
surface is read back as a user sees it. Where a source is absent, a surface must show the same
figure or say in words that the source is missing (`reports.sources.source_gap`), never 0.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pages_helpers import assert_clean, run_page
from pages_helpers import page_text as raw_page_text

import sample_data
from analytics import findings as analytics_findings
from analytics.briefing import MIX_LEVELS, level_name
from analytics.disclosure import group_texts
from analytics.percent import half_up_percent
from analytics.pipeline import PENDING_REDESIGNATION
from loaders.store import Store
from reports import designations as designation_figures
from reports import roster as roster_figures
from reports.briefing import assemble, gather, render
from reports.definitions import LEVEL_LABELS, PENDING_LABELS
from reports.projection import PROJECTION_HORIZON, facility_rows, project_store
from reports.sources import SOURCE_NAMES, source_gap

DAYS = 30  # long enough for a projection and yesterday's movements, short enough to build in seconds
OPTIONAL = ("designations", "redesignations", "facility_counts", "findings")
PAGES = ("morning", "capacity", "designations", "national", "program-review")

pytestmark = pytest.mark.skipif(
    render.chromium_path() is None, reason="no Chromium installed: the PDF and PPTX charts cannot be drawn"
)


@dataclass
class Surfaces:
    """One store and everything each surface showed of it."""

    lacking: str | None
    store: Store
    files: Path
    as_of: date
    pages: dict[str, object] = field(default_factory=dict)  # url -> AppTest
    cli: dict[str, object] = field(default_factory=dict)  # command -> parsed JSON (or text)
    briefing_text: str = ""
    briefing_inputs: object = None
    pdf_text: str = ""
    pptx_text: str = ""

    @property
    def small_group(self) -> int:
        """The rules file's "fewer than N" threshold for shared screens."""
        return self.store.rules().disclosure.small_group


@pytest.fixture(scope="module")
def sample_files(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("consistency-files")
    sample_data.generate(out, days=DAYS, seed=7)
    return out


def build_store(files: Path, path: Path, lacking: str | None) -> Store:
    """The sample files imported into a new store, every kind but `lacking`."""
    store = Store(path)
    fac = store.set_facility(files / "facility.toml")
    store.import_files(sorted((files / "roster").glob("roster_*.csv")), "population", fac, allow_rejects=True)
    for kind in ("designations", "redesignations"):
        if kind != lacking:
            store.import_files(sorted(files.glob(f"{kind}_*.csv")), kind, fac, allow_rejects=True)
    latest = store.latest_as_of("population")
    for kind in ("findings", "facility_counts"):
        if kind != lacking:
            store.import_files(sorted(files.glob(f"{kind}*.csv")), kind, fac, as_of=latest, allow_rejects=True)
    return store


def _cli(argv: list[str]) -> str:
    from popdash.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    assert code == 0, (argv[0], err.getvalue())
    return out.getvalue()


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)


def _pptx_text(path: Path) -> str:
    from pptx import Presentation

    parts = []
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
    return "\n".join(parts)


@pytest.fixture(scope="module", params=[None, *OPTIONAL], ids=["whole", *(f"no-{k}" for k in OPTIONAL)])
def surfaces(request, sample_files, tmp_path_factory) -> Surfaces:
    from reports.briefing.pdf import write_pdf
    from reports.briefing.pptx import write_pptx

    lacking = request.param
    folder = tmp_path_factory.mktemp(f"consistency-{lacking or 'whole'}")
    store = build_store(sample_files, folder / "store", lacking)
    as_of = store.latest_as_of("population")
    s = Surfaces(lacking, store, sample_files, as_of)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("POPDASH_STORE", str(store.path))
        for page in PAGES:
            at = run_page(page)
            assert_clean(at)
            s.pages[page] = at
    roster_file = sample_files / "roster" / f"roster_{as_of.isoformat()}.csv"
    flags_argv = ["flags", str(roster_file), "--facility", str(sample_files / "facility.toml"), "--format", "json"]
    if lacking != "designations":
        flags_argv += ["--designations", str(sample_files / f"designations_{as_of.isoformat()}.csv")]
    s.cli["flags"] = json.loads(_cli(flags_argv))
    s.cli["project"] = json.loads(_cli(["project", "--store", str(store.path), "--horizon", "90", "--format", "json"]))
    if lacking != "facility_counts":
        counts = str(sample_files / "facility_counts.csv")
        s.cli["capacity"] = json.loads(_cli(["capacity", "--counts", counts, "--format", "json"]))
    if lacking != "findings":
        log = str(sample_files / "findings.csv")
        s.cli["findings"] = json.loads(_cli(["findings", log, "--as-of", as_of.isoformat(), "--format", "json"]))
        s.cli["findings_text"] = _cli(["findings", log, "--as-of", as_of.isoformat()])
    s.briefing_inputs = gather(store)
    briefing = assemble(s.briefing_inputs)
    s.briefing_text = "\n".join(briefing.texts())
    write_pdf(briefing, folder / "briefing.pdf")
    write_pptx(briefing, folder / "briefing.pptx")
    s.pdf_text, s.pptx_text = _pdf_text(folder / "briefing.pdf"), _pptx_text(folder / "briefing.pptx")
    return s


@pytest.fixture(scope="module", autouse=True)
def _one_export_browser():
    yield
    render.stop()


# ------------------------------------------------------------------ reading the surfaces


def page_text(at) -> str:
    """What a page said, as a reader reads it: markdown escapes (facility\\_counts) removed."""
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!|~<>$])", r"\1", raw_page_text(at))


def flat(text: str) -> str:
    """Line breaks and runs of spaces folded: a PDF or slide wraps its sentences anywhere."""
    return re.sub(r"\s+", " ", text).strip()


def metric(at, label: str) -> str:
    found = [m for m in at.metric if m.label == label]
    assert found, f"no metric {label!r}: {[m.label for m in at.metric]}"
    return found[0].value


def frames(at) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe]


def frame_with(at, *columns: str) -> pd.DataFrame:
    for f in frames(at):
        if set(columns) <= set(f.columns):
            return f
    raise AssertionError(f"no table with {columns}")


def said_missing(text: str, kind: str) -> bool:
    """The page or file says in words that `kind` is not in the store."""
    return flat(source_gap(kind, None, None) or "").lower() in flat(text).lower()


def shared_texts(s: Surfaces) -> list[tuple[str, str]]:
    """(surface, text) of the shared screens: the briefing, its PDF and its PPTX, folded by `flat`."""
    return [("briefing", flat(s.briefing_text)), ("PDF", flat(s.pdf_text)), ("PPTX", flat(s.pptx_text))]


def n(value: int) -> str:
    return f"{value:,}"


def _trace_values(trace: dict, axis: str) -> list:
    v = trace.get(axis)
    if isinstance(v, dict) and "bdata" in v:  # Plotly's typed-array encoding
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"])).tolist()
    return list(v or [])


# ------------------------------------------------------------------ what every surface should say


def population(s: Surfaces) -> int:
    return len(s.store.frame("population", as_of=s.as_of))


def levels(s: Surfaces) -> pd.DataFrame:
    return roster_figures.level_counts(s.store, s.as_of).set_index("level")


def pending(s: Surfaces) -> tuple[int, int] | None:
    """(in, out) from the designations exports, or None when there is no designations export."""
    day = s.store.latest_as_of("designations")
    if day is None:
        return None
    row = designation_figures.pipeline(s.store, day).projection.set_index("security_level").loc["FACILITY"]
    return int(row["pending_in"]), int(row["pending_out"])


# ------------------------------------------------------------------ the tests


def test_population_and_rated_capacity(surfaces):
    s = surfaces
    pop, rated = population(s), s.store.facility().rated_capacity
    pct = half_up_percent(pop, rated)
    assert metric(s.pages["capacity"], "Population") == n(pop)
    assert metric(s.pages["morning"], "Population") == n(pop)
    assert metric(s.pages["capacity"], "Rated capacity") == n(rated)
    assert metric(s.pages["capacity"], "Occupancy") == f"{pct} %"
    assert metric(s.pages["morning"], "Of rated capacity") == f"{pct} %"
    for name, text in (("briefing", s.briefing_text), ("PDF", s.pdf_text), ("PPTX", s.pptx_text)):
        assert f"Population {n(pop)}" in flat(text), name
        if pop < rated:
            assert f"{pct} % of rated capacity" in flat(text), name
    if s.lacking != "designations":
        delta = s.pages["designations"].metric[4].delta
        assert f"today's {n(pop)}" in delta


def test_counts_per_level_under_each_labelled_definition(surfaces):
    s = surfaces
    counts = levels(s)
    # Housing level on /capacity, labelled as such, pointing to the two other definitions.
    cap = s.pages["capacity"]
    table = frame_with(cap, "level", "population", "crowding").set_index("level")["population"]
    for lv, value in counts["housing"].dropna().items():
        assert int(table[lv.title()]) == int(value), lv
    text = page_text(cap)
    assert "By housing level" in text and "by required level" in text and "by scored level" in text
    # Required level in the briefing and its files, labelled there.
    # A group smaller than the rules file's small_group reads "fewer than 5" on shared screens, and
    # one hidden beside it (the population is shown too) "not shown": in the briefing's level order.
    required = counts["required"].reindex(list(MIX_LEVELS)).fillna(0).astype("int64")
    shown = dict(zip(required.index, group_texts(required.tolist(), s.small_group)))
    for name, body in shared_texts(s):
        assert "required security level" in body, name
        for lv, value in required.items():
            if lv in ("UNASSIGNED",) or value == 0:
                continue
            name_, num = level_name(lv), shown[lv]
            assert re.search(rf"{name_} {num} for|{num} at {name_}", body), (name, lv)
    # Scored level on /designations (its own column label), pointing to the others.
    if s.lacking != "designations":
        des = s.pages["designations"]
        proj = frame_with(des, "level", "current", "pending_in").set_index("level")["current"]
        for lv, value in counts["scored"].dropna().items():
            if lv.title() in proj.index:
                assert int(proj[lv.title()]) == int(value), lv
        assert f"by {LEVEL_LABELS['scored'].lower()}" in page_text(des).lower()
    # The three differ on the sample (that is why each carries its label); the totals do not.
    assert int(counts["required"].sum()) == int(counts["scored"].sum()) == population(s)


def test_pending_in_and_out_under_each_labelled_definition(surfaces):
    s = surfaces
    moves = pending(s)
    if moves is None:
        assert said_missing(page_text(s.pages["designations"]), "designations")
        assert said_missing(page_text(s.pages["capacity"]), "designations")
        # No export is not zero pending: the briefing and its files say which export is missing.
        for name, body in shared_texts(s):
            assert said_missing(body, "designations"), name
            assert "Nothing pending in or out." not in body and not re.search(r"[\d,]+ in, [\d,]+ out", body), name
        # The transfer requests still show, from the redesignations export alone: pending transfers
        # out are counted on no other page.
        redes = s.store.frame("redesignations")
        waiting = redes[redes["status"].isin(PENDING_REDESIGNATION)]
        des = s.pages["designations"]
        assert metric(des, "Transfer requests pending") == n(len(waiting))
        ways = [int((waiting["direction"] == d).sum()) for d in ("IN", "OUT")]
        assert f"{ways[0]} in · {ways[1]} out" in page_text(des)
        return
    pin, pout = moves
    des = s.pages["designations"]
    table = frame_with(des, "level", "pending_in", "pending_out").set_index("level")
    assert int(table.loc["Facility", "pending_in"]) == pin
    if s.lacking == "redesignations":
        # Departures come only from redesignations: the page says so and leaves the cell empty.
        assert table["pending_out"].isna().all()
        assert said_missing(page_text(des), "redesignations")
        assert metric(des, "Transfer requests pending") == "not known"
        for name, body in shared_texts(s):
            assert said_missing(body, "redesignations"), name
            assert not re.search(r"\b0 out\b", body), name  # departures not known, never none
    else:
        assert int(table.loc["Facility", "pending_out"]) == pout
        for name, body in shared_texts(s):
            assert f"Pending: {n(pin)} in, {n(pout)} out" in body, name
    # /national labels the sheet's pending and names the exports' figure beside it.
    if s.lacking != "facility_counts":
        nat = page_text(s.pages["national"])
        assert PENDING_LABELS["sheet"] in nat and PENDING_LABELS["exports"] in nat
        assert f"{n(pin)} in, {n(pout)} out" in nat


def test_capacity_sheet_page_and_command_agree(surfaces):
    s = surfaces
    nat = s.pages["national"]
    if s.lacking == "facility_counts":
        assert said_missing(page_text(nat), "facility_counts")
        return
    page = frame_with(nat, "facility", "pending_in", "projected").reset_index(drop=True)
    cli = pd.DataFrame(s.cli["capacity"])
    assert page["facility"].astype(str).tolist() == cli["facility"].tolist()
    for col in ("population", "rated_capacity", "pending_in", "pending_out", "projected"):
        assert page[col].astype("Int64").tolist() == cli[col].astype("Int64").tolist(), col
    assert PENDING_LABELS["sheet"] in page_text(nat)


def test_open_flags_per_rule(surfaces):
    s = surfaces
    report = roster_figures.flags(s.store, s.as_of)
    want = Counter(report.flags["rule"])
    got = Counter(f["rule"] for f in s.cli["flags"])
    if s.lacking == "designations":
        want.pop("DESIG-LEVEL", None)  # neither side can check it; both report the skip
        assert any(rule == "DESIG-LEVEL" for rule, _ in report.skipped)
    assert got == want
    assert metric(s.pages["morning"], "Open flags") == n(len(report.flags))
    # One definition of an expiring MGTV: the work queue lists exactly the flagged inmates.
    work = roster_figures.classification_work(s.store, s.as_of).items
    flagged = set(report.flags.loc[report.flags["rule"] == "MGTV-EXPIRING", "register_number"])
    assert set(work.loc[work["task"] == "MGTV EXPIRY", "register_number"]) == flagged


def test_findings_count(surfaces):
    s = surfaces
    page = s.pages["program-review"]
    if s.lacking == "findings":
        assert said_missing(page_text(page), "findings")
        for name, body in shared_texts(s):
            assert said_missing(body, "findings"), name
            assert not re.search(r"\b0 findings\b", body), name  # absent, not zero
        return
    log = analytics_findings.annotate(s.store.frame("findings"), s.as_of)
    own, other = analytics_findings.scope_counts(log)
    assert metric(page, "Findings (home)") == n(own)
    assert len(s.cli["findings"]) == own + other
    first = s.cli["findings_text"].splitlines()[0]
    assert f"{n(own + other)} findings" in first and analytics_findings.scope_sentence(log) in first
    if other:
        assert f"{n(other)} of other facilities" in page_text(page)
    # The briefing's last Program Review counts the home institution's findings of that review.
    trend = s.briefing_inputs.reviews
    if len(trend):
        last = trend[trend["review_date"] == trend["review_date"].max()]["findings"].sum()
        assert f"{n(int(last))} findings" in flat(s.briefing_text)


@pytest.mark.parametrize("days", [30, 90])
def test_projection_mean(surfaces, days):
    s = surfaces
    day = pd.Timestamp(s.as_of + timedelta(days=days))
    proj, _ = facility_rows(*project_store(s.store, PROJECTION_HORIZON))
    want = float(proj.loc[pd.to_datetime(proj["date"]) == day, "mean"].iloc[0])
    cli = {r["date"]: r["mean"] for r in s.cli["project"]}
    assert cli[day.strftime("%Y-%m-%d")] == pytest.approx(round(want, 1), abs=0.05)
    briefing = s.briefing_inputs.projection
    assert float(briefing.loc[pd.to_datetime(briefing["date"]) == day, "mean"].iloc[0]) == pytest.approx(want)
    # /capacity draws the same mean (its chart's "Projected" line, 90 days shown by default).
    traces = [t for c in s.pages["capacity"].get("plotly_chart") for t in json.loads(c.proto.spec)["data"]]
    line = next(t for t in traces if t.get("name") == "Projected")
    drawn = dict(zip((str(x)[:10] for x in _trace_values(line, "x")), _trace_values(line, "y")))
    assert drawn[day.strftime("%Y-%m-%d")] == pytest.approx(want)


def test_missing_sources_are_said_in_words(surfaces):
    s = surfaces
    if s.lacking is None:
        for page in PAGES:
            assert "export in the store" not in page_text(s.pages[page]), page
        return
    words = source_gap(s.lacking, None, None)
    # The morning page lists every source to import, and its arrivals say which export is missing.
    assert said_missing(page_text(s.pages["morning"]), s.lacking)
    if s.lacking == "designations":
        assert "Arrivals are not known." in page_text(s.pages["morning"])
        assert "holds no pending designations" not in page_text(s.pages["morning"])
    # The page that draws from the missing source says so, in the one copy of the words.
    owner = {
        "designations": "designations",
        "redesignations": "designations",
        "facility_counts": "national",
        "findings": "program-review",
    }[s.lacking]
    assert said_missing(page_text(s.pages[owner]), s.lacking), (owner, words, SOURCE_NAMES[s.lacking])
    # The briefing and its files draw on every optional source but the national counts: each says
    # the same words, and none still speaks of the source as if it were there.
    for name, body in shared_texts(s):
        if s.lacking == "facility_counts":
            assert "export in the store" not in body, name
        else:
            assert said_missing(body, s.lacking), name
