"""Series projection: beats "same as last count" on trends, calibrated bands, closures and jumps."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from analytics.projection.series import project_series, series_track_record
from popdash.cli import main


def _frame(values, facility="F", start="2024-01-01", step=1):
    dates = pd.date_range(start, periods=len(values), freq=f"{step}D")
    return pd.DataFrame({"date": dates, "population": np.asarray(values, float), "facility": facility})


def _walks(n_series=6, n=600, drift=0.0, sd=3.0, seed=0):
    rng = np.random.default_rng(seed)
    return pd.concat(
        [_frame(np.round(1000 + np.cumsum(rng.normal(drift, sd, n))), facility=f"F{i}") for i in range(n_series)]
    )


def test_output_shape_and_dates():
    out = project_series(_frame(np.arange(100) + 500.0), horizon=30)
    assert list(out.columns) == ["facility", "date", "mean", "lo80", "hi80", "lo95", "hi95"]
    assert len(out) == 30
    assert out["date"].iloc[0] == pd.Timestamp("2024-04-10")  # the day after the last count
    assert (out["lo95"] <= out["lo80"]).all() and (out["lo80"] <= out["mean"] + 1e-9).all()
    assert (out["mean"] <= out["hi80"] + 1e-9).all() and (out["hi80"] <= out["hi95"]).all()


def test_bands_widen_with_horizon():
    out = project_series(_walks(n_series=3), horizon=180)
    for _, g in out.groupby("facility"):
        width80 = (g["hi80"] - g["lo80"]).to_numpy()
        width95 = (g["hi95"] - g["lo95"]).to_numpy()
        assert np.all(np.diff(width80) >= -1e-6) and np.all(np.diff(width95) >= -1e-6)
        assert width80[-1] > 3 * width80[0]


def test_calibrated_on_random_walks():
    tr = series_track_record(_walks(n_series=16, n=500, seed=3))
    assert tr["n"].min() > 1000
    assert tr["coverage_80"].between(72, 88).all(), tr  # about 80 %: the target is 75-88 on real data
    assert tr["coverage_95"].between(90, 99.5).all(), tr


def test_beats_naive_on_trended_series():
    rng = np.random.default_rng(5)
    frames = [
        _frame(np.round(900 + (i + 1) * 0.8 * np.arange(700) + np.cumsum(rng.normal(0, 2, 700))), facility=f"T{i}")
        for i in range(4)
    ]
    tr = series_track_record(pd.concat(frames)).set_index("horizon")
    assert (tr.loc[[30, 90], "mape"] < 0.8 * tr.loc[[30, 90], "mape_naive"]).all(), tr


def test_beats_naive_on_counts_managed_toward_a_level():
    """Counts pulled back toward a level (as designators keep a facility near its beds)."""
    rng = np.random.default_rng(4)
    frames = []
    for i in range(12):
        target = rng.uniform(500, 2000)
        y = np.empty(500)
        y[0] = target
        for t in range(1, 500):
            y[t] = y[t - 1] + 0.03 * (target - y[t - 1]) + rng.normal(0, target * 0.005)
        frames.append(_frame(np.round(y), facility=f"M{i}"))
    tr = series_track_record(pd.concat(frames)).set_index("horizon")
    assert (tr.loc[[30, 90], "mape"] < 0.97 * tr.loc[[30, 90], "mape_naive"]).all(), tr
    assert tr["coverage_80"].between(72, 88).all(), tr


def test_closure_goes_to_zero_and_stays():
    values = np.r_[np.full(300, 1200.0), np.linspace(1200, 0, 30), np.zeros(10)]
    out = project_series(_frame(values), horizon=90)
    assert (out[["mean", "lo80", "hi80", "lo95", "hi95"]].to_numpy() == 0).all()


def test_jump_is_a_new_level_not_a_trend():
    values = np.r_[np.full(300, 800.0), np.full(20, 1100.0)]
    out = project_series(_frame(values), horizon=90)
    assert out["mean"].iloc[0] == pytest.approx(1100, abs=5)
    assert out["mean"].iloc[-1] == pytest.approx(1100, abs=40)


def test_gaps_are_allowed():
    out = project_series(_frame(np.arange(80) * 2 + 600.0, step=3), horizon=14)
    assert len(out) == 14 and out["mean"].iloc[-1] > 758


def test_cli_series_json(tmp_path, capsys):
    f = tmp_path / "counts.csv"
    f.write_text(
        "facility,date,population\n"
        + "".join(f'FCI A,2025-0{1 + d // 28}-{1 + d % 28:02d} 10:15:41 PST,"1,{500 + d}"\n' for d in range(84))
        + "".join(f"FCI B,{1 + d // 28}/{1 + d % 28}/2025,{900 - d}\n" for d in range(84))
    )
    assert main(["project", "--series", str(f), "--horizon", "7", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 14 and set(rows[0]) == {"facility", "date", "mean", "lo80", "hi80", "lo95", "hi95"}
    assert {r["facility"] for r in rows} == {"FCI A", "FCI B"}
    assert rows[0]["date"] == "2025-03-29" and rows[0]["mean"] == pytest.approx(1584, abs=3)


def test_cli_series_csv_without_facility(tmp_path, capsys):
    f = tmp_path / "xmp.csv"
    f.write_text("date,population\n" + "".join(f"2025-01-{d:02d},{700 + d}\n" for d in range(1, 29)))
    assert main(["project", "--series", str(f), "--format", "csv", "--horizon", "5"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "facility,date,mean,lo80,hi80,lo95,hi95" and len(lines) == 6


@pytest.mark.parametrize(
    "content, args, message",
    [
        (None, [], "not found"),
        ("day,count_x\n1,2\n", [], "no facility_counts header row found"),
        ("date,population\nabc,xyz\n", [], "no row with a readable"),
        ("date,population\n2025-01-01,5\n", ["--horizon", "0"], "between 1 and 180"),
        ("date,population\n2025-01-01,5\n", ["--horizon", "181"], "between 1 and 180"),
    ],
)
def test_cli_unusable_input_exits_2(tmp_path, capsys, content, args, message):
    f = tmp_path / "s.csv"
    if content is not None:
        f.write_text(content)
    assert main(["project", "--series", str(f), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_cli_series_reads_facility_counts_files_through_the_loader(tmp_path, capsys):
    f = tmp_path / "counts.csv"
    rows = "".join(
        f'{"FCI ALICEVILLE" if d % 2 else "ALICEVILLE FCI"},"1,{600 + d}",2025-02-{d + 1:02d} 10:15:41 PST\n'
        for d in range(20)
    )
    f.write_text("DAILY COUNTS\ntitle,population,datetime_of_data\n" + rows + "TOTAL: 20\n")
    assert main(["project", "--series", str(f), "--horizon", "2", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out) == 2 and {r["facility"] for r in out} == {"ALICEVILLE FCI"}  # one facility, two spellings
    assert out[0]["date"] == "2025-02-21"


@pytest.mark.parametrize(
    "written, expected_next_day",
    [
        ("2025-03-04", "2025-03-05"),
        ("03/04/2025", "2025-03-05"),  # month first: March 4
        ("3/4/2025", "2025-03-05"),
        ("03-04-2025", "2025-03-05"),
        ("20250304", "2025-03-05"),
        ("2025-03-04 10:15:41 PST", "2025-03-05"),
    ],
)
def test_plain_series_dates(tmp_path, capsys, written, expected_next_day):
    f = tmp_path / "plain.csv"
    f.write_text(f'Date,Population\n2025-03-01,"1,200"\n{written},"1,210"\n')
    assert main(["project", "--series", str(f), "--horizon", "1", "--format", "json"]) == 0
    row = json.loads(capsys.readouterr().out)[0]
    assert row["date"] == expected_next_day and row["facility"] == "plain"


@pytest.mark.parametrize(
    "n_series, span_days, h, expected",
    [
        (1, 0, 30, 1.0),  # one facility, one window
        (4, 0, 30, 2.0),  # four facilities over the same weeks: sqrt(4), not 4
        (9, 60, 30, 9.0),  # three windows of 30 days, sqrt(9) facilities
        (16, 89, 90, 4.0 * (1 + 89 / 90)),
    ],
)
def test_facilities_over_the_same_weeks_are_not_independent_windows(n_series, span_days, h, expected):
    from analytics.projection.backtest import _n_windows

    x = {"target": np.array([0.0, float(span_days)] * n_series), "sid": np.repeat(np.arange(n_series), 2)}
    assert _n_windows(x, h) == pytest.approx(expected)
