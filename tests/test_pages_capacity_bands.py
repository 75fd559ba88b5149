"""/capacity and the briefing on a store with no track record yet: the crossing sentence says its
date rests on assumed bands (the same words on both), and the chart's y axis holds every band drawn."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import numpy as np
import pytest
from pages_helpers import assert_clean, run_page

from analytics.briefing import Crossing
from reports import track_record as tracks
from reports.briefing import build_briefing


@pytest.fixture(scope="module")
def young_store(tmp_path_factory):
    """Three days of rosters and nothing else: too short for any track record."""
    import sample_data
    from loaders.store import Store

    src = tmp_path_factory.mktemp("young-capacity-src")
    sample_data.generate(src, days=3, seed=5)
    store = Store(tmp_path_factory.mktemp("young-capacity") / "store")
    store.import_files(sorted((src / "roster").glob("roster_*.csv")), "population", src / "facility.toml")
    return store


@pytest.fixture(scope="module")
def capacity_page(young_store):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("POPDASH_STORE", str(young_store.path))
        at = run_page("capacity")
    assert_clean(at)
    return at


def _values(trace: dict) -> list[float]:
    v = trace.get("y")
    if isinstance(v, dict) and "bdata" in v:  # Plotly's typed-array encoding
        v = np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"])).tolist()
    return [float(x) for x in (v or []) if x is not None and np.isfinite(float(x))]


def _holds_everything(layout_range: list[float], traces: list[dict]) -> None:
    lo, hi = layout_range
    drawn = [v for t in traces for v in _values(t)]
    assert drawn
    assert lo <= min(drawn) and max(drawn) <= hi, (layout_range, min(drawn), max(drawn))


def _no_record_words(young_store) -> str:
    """The caveat for any crossing date on a store with no track record (every date is beyond it)."""
    as_of = young_store.latest_as_of("population")
    c = Crossing(capacity=2000, mean=as_of + timedelta(days=1), early80=None, late80=None, horizon_end=as_of)
    words = tracks.crossing_caveat(c, 0, as_of, None)
    assert words
    return words


def test_capacity_crossing_on_assumed_bands_says_so_in_the_briefings_words(young_store, capacity_page):
    words = _no_record_words(young_store)
    lines = [m.value for m in capacity_page.markdown if m.value.startswith("**Rated capacity")]
    assert lines, "no crossing sentence on /capacity"
    dated = [line for line in lines if "passes it on" in line or "passed around" in line]
    assert dated, lines  # the assumed bands are wide: the top of the 80 % band passes rated capacity
    for line in dated:
        assert line.endswith(words) and "assumed 80 %" in line, line
    briefing = build_briefing(young_store)
    rated = next(line for line in briefing.capacity_lines if line.startswith("Rated capacity"))
    assert rated.endswith(words), rated  # one sentence, written once, on both


def test_capacity_y_axis_holds_every_band(capacity_page):
    spec = next(
        json.loads(c.proto.spec)
        for c in capacity_page.get("plotly_chart")
        if any(t.get("name") == "Projected" for t in json.loads(c.proto.spec)["data"])
    )
    assert any("95 %" in (t.get("name") or "") for t in spec["data"])  # the assumed 95 % band is drawn
    _holds_everything(spec["layout"]["yaxis"]["range"], spec["data"])


def test_briefing_y_axis_holds_every_band(young_store):
    fig = build_briefing(young_store).slides[0].figure.to_plotly_json()
    assert any("95 %" in (t.get("name") or "") for t in fig["data"])
    _holds_everything(fig["layout"]["yaxis"]["range"], fig["data"])
