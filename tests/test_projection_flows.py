"""Institution projection: known flows land exactly on their days, spread over units, drift from history."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.projection.flows import FlowParams, arrival_lag_days, known_events
from analytics.projection.institution import Inputs, project_institution

AS_OF = pd.Timestamp("2026-01-01")


def _roster(n=10, release_days=(), units=None):
    prd = [pd.NaT] * n
    for i, d in enumerate(release_days):
        prd[i] = AS_OF + pd.Timedelta(days=d)
    units = units or (["A1"] * (n // 2) + ["D1"] * (n - n // 2))
    return pd.DataFrame(
        {
            "register_number": [f"{10000 + i:05d}-001" for i in range(n)],
            "unit": units,
            "security_level": ["MEDIUM" if u.startswith("A") else "LOW" for u in units],
            "projected_release_date": pd.to_datetime(prd),
        }
    )


def _designations(days, levels=None, lag_from=None):
    n = len(days)
    return pd.DataFrame(
        {
            "register_number": [f"{90000 + i:05d}-002" for i in range(n)],
            "security_level": levels or ["LOW"] * n,
            "designation_date": [AS_OF - pd.Timedelta(days=5)] * n,
            "expected_arrival_date": [AS_OF + pd.Timedelta(days=d) if d is not None else pd.NaT for d in days],
        }
    )


def _facility_mean(proj):
    return proj[proj["group"] == "facility"].set_index("h")["mean"]


def test_three_releases_two_arrivals_move_the_mean_exactly(facility):
    roster = _roster(10, release_days=(4, 9, 9))
    proj, _ = project_institution(Inputs(roster, AS_OF, facility, designations=_designations([2, 9])), horizon=30)
    mean = _facility_mean(proj)
    expected = {1: 10, 2: 11, 3: 11, 4: 10, 8: 10, 9: 9, 10: 9, 30: 9}
    for h, value in expected.items():
        assert mean[h] == pytest.approx(value, abs=1e-9), h


def test_levels_and_units_add_up_to_the_facility(facility):
    roster = _roster(10, release_days=(4, 9, 9))
    des = _designations([2, 9, 12], levels=["LOW", "MEDIUM", "MINIMUM"])
    proj, _ = project_institution(Inputs(roster, AS_OF, facility, designations=des), horizon=20)
    by = proj.groupby(["group", "h"])["mean"].sum().unstack("group")
    assert np.allclose(by["facility"], by["security_level"]) and np.allclose(by["facility"], by["unit"])
    level = proj[(proj["group"] == "security_level") & (proj["h"] == 20)].set_index("key")["mean"]
    assert level["MINIMUM"] == pytest.approx(1) and level["MEDIUM"] == pytest.approx(3)  # 5 - 3 releases + 1
    camp = proj[(proj["group"] == "unit") & (proj["key"] == "CAMP") & (proj["h"] == 20)]["mean"]
    assert camp.iloc[0] == pytest.approx(1)  # the only MINIMUM unit takes the whole arrival
    d2 = proj[(proj["group"] == "unit") & (proj["key"] == "D2") & (proj["h"] == 20)]["mean"]
    assert d2.iloc[0] == pytest.approx(0.25)  # four LOW units of equal rated capacity


@pytest.mark.parametrize(
    "expected_day, designated_days_ago, lag, arrival_day",
    [
        (3, 5, None, 3),  # expected arrival date given
        (None, 5, None, 25),  # designation date + default 30-day lag
        (None, 5, 12.0, 7),  # designation date + lag measured in history
        (-4, 5, None, 1),  # overdue: counted on day 1
        (None, 50, None, 1),  # overdue by the lag: day 1
    ],
)
def test_arrival_day(expected_day, designated_days_ago, lag, arrival_day):
    des = _designations([expected_day])
    des["designation_date"] = AS_OF - pd.Timedelta(days=designated_days_ago)
    ev = known_events(_roster(4), AS_OF, 60, designations=des, arrival_lag=lag)
    assert ev.loc[ev["kind"] == "arrival", "day"].unique().tolist() == [arrival_day]


@pytest.mark.parametrize(
    "status, direction, on_roster, counted",
    [
        ("APPROVED", "OUT", True, -1),
        ("IN TRANSIT", "OUT", True, -1),
        ("PENDING", "OUT", True, 0),  # not approved: may never happen
        ("DENIED", "OUT", True, 0),
        ("APPROVED", "OUT", False, 0),  # not here: nothing to subtract
        ("APPROVED", "IN", False, 1),
        ("APPROVED", "IN", True, 0),  # already here
        ("COMPLETED", "IN", False, 0),
    ],
)
def test_redesignations(status, direction, on_roster, counted):
    roster = _roster(4)
    reg = roster["register_number"].iat[0] if on_roster else "55555-555"
    red = pd.DataFrame(
        {
            "register_number": [reg],
            "direction": [direction],
            "transfer_type": ["OTHER"],
            "status": [status],
            "security_level": ["LOW"],
            "expected_move_date": [AS_OF + pd.Timedelta(days=6)],
        }
    )
    ev = known_events(roster, AS_OF, 30, redesignations=red)
    assert ev["delta"].sum() == pytest.approx(counted)
    if counted:
        assert set(ev["day"]) == {6}


def test_transfer_out_before_release_is_not_counted_twice():
    roster = _roster(4, release_days=(20,))
    red = pd.DataFrame(
        {
            "register_number": [roster["register_number"].iat[0]],
            "direction": ["OUT"],
            "transfer_type": ["NEARER RELEASE"],
            "status": ["APPROVED"],
            "decision_date": [AS_OF - pd.Timedelta(days=2)],
            "expected_move_date": [pd.NaT],
        }
    )
    ev = known_events(roster, AS_OF, 60, redesignations=red, params=FlowParams(move_lag_days=10))
    assert ev["delta"].sum() == -1 and ev["day"].tolist() == [8]


def test_arrival_with_release_inside_horizon_leaves_again():
    des = _designations([5])
    des["projected_release_date"] = AS_OF + pd.Timedelta(days=40)
    ev = known_events(_roster(2), AS_OF, 60, designations=des)
    assert sorted(zip(ev["day"], ev["delta"])) == [(5, 1.0), (40, -1.0)]


def test_lifers_are_never_released():
    """LIFE in the release date column loads as NaT with life_sentence True: no release is scheduled."""
    roster = _roster(3, release_days=(10,)).assign(life_sentence=pd.array([False, True, True], dtype="boolean"))
    des = _designations([5]).assign(projected_release_date=pd.NaT, life_sentence=pd.array([True], dtype="boolean"))
    ev = known_events(roster, AS_OF, 400, designations=des)
    assert sorted(zip(ev["day"], ev["delta"], ev["kind"])) == [(5, 1.0, "arrival"), (10, -1.0, "release")]


def test_arrival_lag_is_the_median_seen_in_history():
    days = pd.date_range("2025-01-01", periods=60)
    rows, des = [], []
    for i, lag in enumerate([5, 8, 10, 12, 30]):
        reg = f"{20000 + i}-003"
        des.append(
            {"register_number": reg, "designation_date": days[10] - pd.Timedelta(days=lag), "as_of_date": days[5]}
        )
        rows += [{"as_of_date": d, "register_number": reg} for d in days[10:]]
    rows += [{"as_of_date": d, "register_number": "11111-111"} for d in days]
    assert arrival_lag_days(pd.DataFrame(des), pd.DataFrame(rows)) == 10


def _history(n_days=300, start=500, drift=0.25, seed=1):
    """Daily rosters: one arrival every 4 days, releases on their dates."""
    rng = np.random.default_rng(seed)
    days = pd.date_range(AS_OF - pd.Timedelta(days=n_days - 1), AS_OF)
    people = {f"{30000 + i}-004": days[0] + pd.Timedelta(days=int(rng.integers(1, 600))) for i in range(start)}
    frames, nxt = [], 30000 + start
    for _k, d in enumerate(days):
        if rng.random() < drift + 0.5:
            people[f"{nxt}-004"] = d + pd.Timedelta(days=int(rng.integers(200, 700)))
            nxt += 1
        people = {r: prd for r, prd in people.items() if prd > d}
        frames.append(
            pd.DataFrame(
                {
                    "as_of_date": d,
                    "register_number": list(people),
                    "unit": "A1",
                    "projected_release_date": list(people.values()),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def test_drift_measured_from_history_and_track_record(facility):
    hist = _history()
    roster = hist[hist["as_of_date"] == AS_OF].drop(columns="as_of_date")
    proj, rec = project_institution(Inputs(roster, AS_OF, facility, history=hist), horizon=90)
    fac = proj[proj["group"] == "facility"].set_index("h")
    # releases on their dates plus about 0.75 arrivals a day that no pipeline announces
    expected = len(roster) + fac.loc[90, "known"] + 0.75 * 90
    assert abs(fac.loc[90, "mean"] - expected) < 20
    assert fac.loc[90, "lo80"] < fac.loc[90, "mean"] < fac.loc[90, "hi80"]
    record = rec[rec["group"] == "facility"].set_index("horizon")
    assert set(record.index) == {7, 30, 90} and (record["n"] > 0).all()
    assert (record.loc[[7, 30], "mape"] < record.loc[[7, 30], "mape_naive"]).all()
    assert (record["mape"] <= record["mape_naive"] + 1e-9).all()


def test_pending_arrivals_without_pipeline_history_only_set_the_timing(facility):
    """The drift of a history without designation snapshots already holds the usual arrivals."""
    hist = _history()
    roster = hist[hist["as_of_date"] == AS_OF].drop(columns="as_of_date")
    des = _designations([5, 10, 20, 40])
    base, _ = project_institution(Inputs(roster, AS_OF, facility, history=hist), horizon=90)
    with_des, _ = project_institution(Inputs(roster, AS_OF, facility, designations=des, history=hist), horizon=90)
    diff = _facility_mean(with_des) - _facility_mean(base)
    assert diff[5] > 0.4  # one arrival by day 5, against 4 x 5/40 of the drift's usual inflow
    assert diff[60] == pytest.approx(0, abs=1e-6) and diff[90] == pytest.approx(0, abs=1e-6)


def test_move_lag_comes_from_the_rules_file(tmp_path):
    """The [projection] table of the rules file sets the lag for a move with no expected date."""
    from loaders.config import load_rules

    assert FlowParams.from_rules(load_rules()) == FlowParams()
    text = (load_rules.__globals__["DEFAULT_RULES"]).read_text().replace("move_lag_days = 30", "move_lag_days = 10")
    (tmp_path / "rules.toml").write_text(text)
    params = FlowParams.from_rules(load_rules(tmp_path / "rules.toml"))
    roster = _roster(4, release_days=(20,))
    red = pd.DataFrame(
        {
            "register_number": [roster["register_number"].iat[0]],
            "direction": ["OUT"],
            "transfer_type": ["NEARER RELEASE"],
            "status": ["APPROVED"],
            "decision_date": [AS_OF - pd.Timedelta(days=2)],
            "expected_move_date": [pd.NaT],
        }
    )
    ev = known_events(roster, AS_OF, 60, redesignations=red, params=params)
    assert ev["day"].tolist() == [8]
