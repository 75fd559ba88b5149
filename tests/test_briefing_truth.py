"""The briefing says only what its sources back: missing is not zero, assumed bands say so,
small groups read "fewer than 5", and no two sentences read against each other."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, timedelta

import pandas as pd
import pytest

from analytics import briefing as briefing_figures
from loaders.config import load_rules
from reports import track_record as tracks
from reports.briefing import assemble, charts

AS_OF = date(2026, 11, 22)


# ---------------------------------------------------------------- small groups (rules: [disclosure])


def test_threshold_lives_in_the_rules_file(tmp_path):
    assert load_rules().disclosure.small_group == 5
    path = tmp_path / "rules.toml"
    path.write_text("[disclosure]\nsmall_group = 3\n", encoding="utf-8")
    assert load_rules(path).disclosure.small_group == 3


@pytest.mark.parametrize(
    ("n", "shown"),
    [
        (4, "fewer than 5"),  # the largest small group
        (5, "5"),  # the threshold itself is shown
        (1, "fewer than 5"),
        (0, "0"),  # none names nobody, and "nobody at High" is what the meeting needs to know
        (1234, "1,234"),
    ],
)
def test_count_text_at_the_boundary(n, shown):
    assert briefing_figures.count_text(n, 5) == shown
    assert briefing_figures.count_text(n, None) == f"{n:,}"  # the CMC's own pages: exact


@pytest.mark.parametrize(
    ("high", "unassigned", "low", "clause"),
    [
        # three groups of "fewer than 5" summing to 12 can only be 4 each: Low is hidden too
        (
            4,
            4,
            "not shown",
            "; fewer than 5 at High, a level no unit here is rated for; fewer than 5 not yet classified.",
        ),
        # Minimum alone would be the population less the rest: the next-smallest (High, 5) goes with it
        (5, 5, "600", "; not shown at High, a level no unit here is rated for; 5 not yet classified."),
        (0, 0, "not shown", "."),
    ],
)
def test_level_mix_sentence_small_groups(facility, high, unassigned, low, clause):
    counts = pd.Series({"MINIMUM": 4, "LOW": 600, "MEDIUM": 800, "HIGH": high, "UNASSIGNED": unassigned})
    mix = briefing_figures.level_mix(counts[counts > 0], facility)
    text = briefing_figures.level_mix_sentence(mix, 5)
    # a hidden level loses its percentage too: 4 of 256 beds would give the count back
    pct = "" if low == "not shown" else " (89 %)"
    assert text.startswith(
        f"By required security level (points and PSF floors): Minimum fewer than 5 for 256 beds, Low {low} for 672{pct}"
    )
    assert text.endswith(clause)
    assert "Minimum 4 " in briefing_figures.level_mix_sentence(mix)  # exact without a threshold


@pytest.mark.parametrize(
    ("pending_in", "pending_out", "expected"),
    [
        (4, 31, "Pending: fewer than 5 in, 31 out."),  # the total would give the 4 back
        (5, 31, "Pending: 5 in, 31 out; 1,716 if every pending move were completed today, 87 % of rated capacity."),
        (0, 31, "Pending: 0 in, 31 out; 1,711 if every pending move were completed today, 87 % of rated capacity."),
        (48, 4, "Pending: 48 in, fewer than 5 out."),
        (0, 0, "Nothing pending in or out."),
    ],
)
def test_pipeline_sentence_small_groups(pending_in, pending_out, expected):
    p = briefing_figures.PendingMoves(1742, pending_in, pending_out, 1968)
    assert briefing_figures.pipeline_sentence(p, 5) == expected


def _numbers(fig) -> list[float]:
    """Every number a figure's traces carry (what a viewer could read off the bars or the hover)."""
    out = []
    for t in fig.data:
        if t.type == "bar":
            out += [v for v in list(t.y if t.y is not None else ()) if v is not None]
            texts = list(t.text if t.text is not None else ())
            out += [float(x.replace(",", "")) for x in texts if x and x.replace(",", "").isdigit()]
    return out


@pytest.mark.parametrize(("n", "hidden"), [(4, True), (5, False), (0, False)])
def test_charts_never_carry_a_small_count(facility, n, hidden):
    mix = briefing_figures.level_mix(pd.Series({"LOW": 600, "MEDIUM": 800, "HIGH": n}), facility)
    fig = charts.level_mix(mix, AS_OF, small=5)
    pipe = pd.DataFrame({"level": ["LOW", "HIGH"], "pending_in": [40, n], "pending_out": [n, 12]})
    fig2 = charts.pipeline(pipe, AS_OF, small=5)
    for f in (fig, fig2):
        labels = [x for t in f.data if t.type == "scatter" for x in list(t.text if t.text is not None else ()) if x]
        if hidden:
            assert 4 not in _numbers(f) and "fewer than 5" in labels
        else:
            assert not labels
    if n == 5:
        assert 5 in _numbers(fig) and 5 in _numbers(fig2)


# ---------------------------------------------------------------- bands only with a track record


def _record(ns: dict[int, int]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "horizon": list(ns),
            "n": list(ns.values()),
            "mape": [1.0 if n else float("nan") for n in ns.values()],
            "mape_naive": [1.5 if n else float("nan") for n in ns.values()],
        }
    )


@pytest.mark.parametrize(
    ("ns", "backed"),
    [
        ({7: 0, 30: 0, 90: 0}, None),  # no scored origin anywhere: no track record yet
        ({7: 1, 30: 0, 90: 0}, 7),  # one scored origin is a track record at that horizon
        ({7: 12, 30: 8, 90: 0}, 30),
        ({7: 12, 30: 8, 90: 2}, 90),
    ],
)
def test_backed_days_come_from_the_backtest(ns, backed):
    assert tracks.backed_days(_record(ns)) == backed


def test_no_record_at_all_is_no_track_record():
    assert tracks.backed_days(None) is None
    assert tracks.backed_days(pd.DataFrame(columns=["horizon", "n", "mape"])) is None


@pytest.mark.parametrize(
    ("backed", "kinds"),
    [(None, ["assumed"] * 4), (2, ["measured", "measured", "assumed", "assumed"]), (30, ["measured"] * 4)],
)
def test_band_kind_per_projected_day(backed, kinds):
    dates = pd.Series(pd.date_range(pd.Timestamp(AS_OF) + pd.Timedelta(days=1), periods=4))
    assert tracks.band_kind(dates, AS_OF, backed).tolist() == kinds


def _projection(level: float, days: int = 90) -> pd.DataFrame:
    d = pd.date_range(pd.Timestamp(AS_OF) + pd.Timedelta(days=1), periods=days)
    return pd.DataFrame(
        {"date": d, "mean": level, "lo80": level - 20, "hi80": level + 20, "lo95": level - 40, "hi95": level + 40}
    )


@pytest.mark.parametrize(("backed", "measured", "assumed"), [(None, 0, 2), (30, 2, 2), (90, 2, 0)])
def test_population_chart_draws_assumed_bands_apart(backed, measured, assumed):
    series = pd.DataFrame({"as_of_date": pd.date_range(end=pd.Timestamp(AS_OF), periods=30), "population": 1700})
    fig = charts.population_trend(series, _projection(1700), 1856, 1998, AS_OF, backed=backed)
    names = [t.name for t in fig.data if "range" in (t.name or "")]
    assert sum("assumed" not in n for n in names) == measured
    assert sum("assumed" in n for n in names) == assumed
    for t in fig.data:
        if "assumed" in (t.name or ""):
            assert t.fill is None and t.line.dash in ("dash", "dot")  # an outline, never a measured-looking fill


# ---------------------------------------------------------------- sources missing or behind, and one story


@pytest.fixture(scope="module")
def inputs(briefing_inputs):
    """The 60-day demo store's aggregates with every source present and as new as the roster."""
    latest = dict.fromkeys(("designations", "redesignations", "findings"), briefing_inputs.as_of)
    return dataclasses.replace(briefing_inputs, latest=latest)


def _pipeline_text(b) -> str:
    return next(s.takeaway for s in b.slides if s.key == "pipeline")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"designations": None, "redesignations": None},
            "Pending moves not shown: no designations export in the store; no redesignations export in the store.",
        ),
        ({"designations": None}, "pending in not shown: no designations export in the store."),
        ({"redesignations": None}, "Pending moves not shown: no redesignations export in the store."),
        ({"designations": -12}, "(designations are 12 days older than the roster)."),
        ({"redesignations": -1}, "(redesignations are 1 day older than the roster)."),
        ({"designations": +3}, "if every pending move were completed today"),  # newer than the roster is fine
    ],
)
def test_pipeline_says_which_export_is_missing_or_behind(inputs, change, expected):
    latest = dict(inputs.latest)
    for kind, v in change.items():
        latest[kind] = None if v is None else inputs.as_of + timedelta(days=v)
    b = assemble(dataclasses.replace(inputs, latest=latest))
    text = _pipeline_text(b)
    assert expected in text
    assert "Nothing pending" not in text
    fig = next(s.figure for s in b.slides if s.key == "pipeline")
    drawn = {t.name for t in fig.data if t.type == "bar"}
    if change.get("redesignations", 0) is None:
        assert not drawn  # no axis that reads as 0
    elif change.get("designations", 0) is None:
        assert drawn == {"Pending out"}
    gaps = " ".join(b.gaps_lines)
    for kind, v in change.items():
        if v is None:
            assert f"no {kind} export in the store" in gaps


def test_findings_log_missing_is_said(inputs):
    b = assemble(dataclasses.replace(inputs, latest={**inputs.latest, "findings": None}, reviews=inputs.reviews[:0]))
    assert "Program Review findings not shown: no findings log export in the store." in b.takeaways


def test_pending_total_and_projection_never_contradict(inputs):
    """A store where the pending total passes rated capacity while the projection's mean stays under it."""
    rated = inputs.facility.rated_capacity
    population = int(inputs.series["population"].iloc[-1])
    pending_in = rated - population + 40  # all moves today: 40 over rated capacity
    pipeline = pd.DataFrame({"level": ["LOW"], "pending_in": [pending_in], "pending_out": [0]})
    under = _projection(rated - 60)  # the projection spreads the moves out and stays under
    b = assemble(dataclasses.replace(inputs, pipeline=pipeline, projection=under))
    head, pipe = b.takeaways[0], _pipeline_text(b)
    # the total assumes every move completed today; the crossing speaks of the projection's mean
    assert f"{rated + 40:,} if every pending move were completed today" in pipe
    assert "the projection's mean (each move on its expected date) stays under rated capacity" in head
    for text in (head, pipe, *b.capacity_lines):
        assert "not projected to pass" not in text and "once they move" not in text
    assert any("projected mean stays under it" in line for line in b.capacity_lines)


def test_assumed_bands_are_worded_as_assumed(inputs):
    none = pd.DataFrame({"horizon": [7, 30, 90], "n": [0, 0, 0], "mape": [float("nan")] * 3})
    b = assemble(dataclasses.replace(inputs, track_record=none))
    assert b.track_figure is None
    assert b.track_line.startswith("No track record yet") and "assumed" in b.track_line
    bands = [t.name for t in b.slides[0].figure.data if "range" in (t.name or "")]
    assert bands and all("assumed" in n for n in bands)
    assert all("(80 %" not in line for line in b.capacity_lines)  # quoted as "assumed 80 %" if at all


# ---------------------------------------------------------------- no hidden group worked out by subtraction

GROUP = r"(fewer than 5|not shown|[\d,]+)"


def _reader_options(total: int, shown: list[int], kinds: list[str], small: int = 5) -> list[set[int]]:
    """Every value each hidden group could hold, as a reader who knows the rule works it out: the
    hidden groups sum to the total less the groups shown, "fewer than 5" is 1 to 4 and "not shown"
    (hidden only beside a small group) is 5 or more."""
    rest = total - sum(shown)
    bounds = [(1, small - 1) if k == "fewer than 5" else (small, rest) for k in kinds]
    options: list[set[int]] = [set() for _ in kinds]

    def walk(i: int, left: int, picked: list[int]) -> None:
        lo, hi = bounds[i]
        if i == len(bounds) - 1:  # the last group is what is left
            if lo <= left <= hi:
                for j, v in enumerate([*picked, left]):
                    options[j].add(v)
            return
        for v in range(lo, min(hi, left) + 1):
            walk(i + 1, left - v, [*picked, v])

    if kinds:
        walk(0, rest, [])
    return options


def _assert_nothing_derivable(total: int, groups: dict[str, str], truth: dict[str, int]) -> None:
    shown = [int(t.replace(",", "")) for t in groups.values() if t not in ("fewer than 5", "not shown")]
    names = [g for g, t in groups.items() if t in ("fewer than 5", "not shown")]
    assert names, "the case hides nothing: it tests nothing"
    options = _reader_options(total, shown, [groups[g] for g in names])
    for g, seen in zip(names, options):
        assert truth[g] in seen  # the reader's model holds the truth ...
        assert len(seen) > 1, (g, seen)  # ... and never only the truth


@pytest.mark.parametrize(
    ("levels", "pending_in", "pending_out"),
    [
        ({"MINIMUM": 4, "LOW": 600, "MEDIUM": 800, "UNASSIGNED": 7}, [4, 30, 12], [0, 6, 2]),
        ({"MINIMUM": 1, "LOW": 5, "MEDIUM": 800}, [1, 5, 40], [3, 3, 20]),
        ({"MINIMUM": 2, "LOW": 3, "MEDIUM": 800, "HIGH": 1, "UNASSIGNED": 1}, [2, 2, 0], [0, 9, 4]),
        ({"MINIMUM": 4, "LOW": 4, "MEDIUM": 900, "UNASSIGNED": 4}, [1, 1, 60], [4, 0, 12]),
    ],
)
def test_no_hidden_group_can_be_worked_out_from_the_briefing(inputs, levels, pending_in, pending_out):
    counts = pd.Series(levels, dtype="int64").rename_axis("required_level")
    population = int(counts.sum())
    series = inputs.series.copy()
    series.loc[pd.to_datetime(series["as_of_date"]).dt.date == inputs.as_of, "population"] = population
    pipe = pd.DataFrame({"level": ["MINIMUM", "LOW", "MEDIUM"], "pending_in": pending_in, "pending_out": pending_out})
    b = assemble(dataclasses.replace(inputs, level_counts=counts, series=series, pipeline=pipe))
    text = " ".join(b.texts())
    assert f"Population {population:,}" in text
    # The level mix: every group of the population, by the sentence.
    mix = next(s.takeaway for s in b.slides if s.key == "levels")
    groups = {lv.upper(): t for lv, t in re.findall(rf"(Minimum|Low|Medium|High) {GROUP} for", mix)}
    groups |= {lv.upper(): t for t, lv in re.findall(rf"; {GROUP} at (Minimum|Low|Medium|High)", mix)}
    unassigned = re.search(rf"; {GROUP} not yet classified", mix)
    if unassigned:
        groups["UNASSIGNED"] = unassigned.group(1)
    assert set(groups) == set(levels)
    _assert_nothing_derivable(population, groups, levels)
    # The pipeline: each side's total from the sentence, its levels from the chart (bars and labels).
    pipeline = next(s for s in b.slides if s.key == "pipeline")
    totals = dict(zip(("pending_in", "pending_out"), re.findall(rf"{GROUP} (?:in|out)\b", pipeline.takeaway)))
    for col, name in (("pending_in", "Pending in"), ("pending_out", "Pending out")):
        truth = dict(zip(pipe["level"], pipe[col]))
        if totals[col] == "fewer than 5":
            continue  # no total to subtract from
        bars = next(t for t in pipeline.figure.data if t.type == "bar" and t.name == name)
        seen = {str(x).upper(): f"{int(y):,}" for x, y in zip(bars.x, bars.y) if y is not None}
        for t in pipeline.figure.data:
            if t.type == "scatter" and t.offsetgroup == col:
                seen |= {str(x).upper(): label for x, label in zip(t.x, t.text) if label}
        assert set(seen) == {lv for lv, v in truth.items() if v or lv in seen}
        if any(label in ("fewer than 5", "not shown") for label in seen.values()):
            _assert_nothing_derivable(int(totals[col].replace(",", "")), seen, truth)


# ---------------------------------------------------------------- crossing dates beyond the track record


def _cross(mean: int | None, early: int | None = None, capacity: int = 1968) -> briefing_figures.Crossing:
    day = lambda n: None if n is None else AS_OF + timedelta(days=n)  # noqa: E731
    return briefing_figures.Crossing(capacity, day(mean), day(early), None, AS_OF + timedelta(days=90))


@pytest.mark.parametrize(
    ("crossing", "population", "backed", "words"),
    [
        (_cross(30), 1700, 30, None),  # on the last backed day: measured
        (_cross(31), 1700, 30, "That date is 31 days ahead, beyond the 30 days the track record has tested: "),
        (_cross(None, early=45), 1700, 30, "That date is 45 days ahead, beyond the 30 days"),  # the band top's date
        (_cross(5), 1700, None, "That date rests on assumed bands: there is no track record yet."),
        (_cross(None), 1700, 30, None),  # no date, nothing to caveat
        (_cross(60), 2000, 30, None),  # over capacity already: no date is said
    ],
)
def test_crossing_caveat(crossing, population, backed, words):
    got = tracks.crossing_caveat(crossing, population, AS_OF, backed)
    if words is None:
        assert got is None
    else:
        assert got is not None and got.startswith(words)
        assert got.endswith(("assumed bands.", "no track record yet."))


@pytest.mark.parametrize(
    ("backed", "horizon", "label"), [(None, 90, "assumed 80 %"), (30, 90, "assumed 80 %"), (90, 90, "80 %")]
)
def test_band_label(backed, horizon, label):
    assert tracks.band_label(backed, horizon) == label


def test_briefing_crossing_line_carries_the_caveat(inputs):
    rated = inputs.facility.rated_capacity
    rising = _projection(rated - 50).assign(mean=lambda f: rated - 50 + f.index * 1.0)  # passes on day 51
    for col, d in (("lo80", -20), ("hi80", 20), ("lo95", -40), ("hi95", 40)):
        rising[col] = rising["mean"] + d
    population = rated - 50
    series = inputs.series.copy()
    series.loc[pd.to_datetime(series["as_of_date"]).dt.date == inputs.as_of, "population"] = population
    b = assemble(dataclasses.replace(inputs, series=series, projection=rising, track_record=_record({7: 5, 30: 3})))
    line = next(x for x in b.capacity_lines if x.startswith("Rated capacity"))
    crossing = briefing_figures.crossing(rising, rated)
    assert crossing.mean is not None and (crossing.mean - inputs.as_of).days > 30
    assert line.endswith(" " + tracks.crossing_caveat(crossing, population, inputs.as_of, 30))
    assert "(assumed 80 %:" in line


# ---------------------------------------------------------------- the scenario slide's bands


def _one_scenario(inputs) -> tuple:
    from reports.briefing.scenarios import BriefScenario

    p = inputs.projection[["date", "mean", "lo80", "hi80", "lo95", "hi95"]].copy()
    p[["mean", "lo80", "hi80", "lo95", "hi95"]] += 30.0
    fac = inputs.facility

    def line(v: int) -> pd.DataFrame:
        return pd.DataFrame({"date": pd.to_datetime(p["date"]), "capacity": float(v)})

    return (BriefScenario("Scenario A", p, line(fac.rated_capacity), line(fac.operational_capacity), ("30 arrivals",)),)


@pytest.mark.parametrize(("record", "measured"), [(None, False), (_record({7: 5, 30: 3, 90: 0}), True)])
def test_scenario_slide_bands_follow_the_track_record(inputs, record, measured):
    b = assemble(dataclasses.replace(inputs, track_record=record, scenarios=_one_scenario(inputs)))
    slide = next(s for s in b.slides if s.key == "scenarios")
    bands = [t for t in slide.figure.data if "range" in (t.name or "")]
    for who in ("Baseline", "Scenario A"):
        mine = [t for t in bands if t.name.startswith(who)]
        assumed = [t for t in mine if "assumed" in t.name]
        assert assumed, who  # beyond 30 days (or everywhere): drawn as assumed
        assert all(t.fill is None and t.line.dash in ("dash", "dot") for t in assumed)
        filled = [t for t in mine if t.fill == "toself"]
        assert bool(filled) == measured, who  # measured, filled, only as far as the record backs
        if measured:
            last = pd.Timestamp(inputs.as_of + timedelta(days=30))
            assert max(pd.to_datetime(pd.Series(filled[0].x))) <= last
    # the crossing lines under the chart name the range as the population sentence does (90 days: assumed)
    ranges = re.findall(r"\((?:assumed )?80 %", " ".join(slide.notes))
    assert ranges and all(r == "(assumed 80 %" for r in ranges)
