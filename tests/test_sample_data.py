"""The sample data set: deterministic, internally consistent, and loadable without a rejected row."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

import loaders
from loaders.config import load_facility, load_rules
from popdash.cli import main
from sample_data import DEFAULT_END, generate
from sample_data import _names as names

DAYS = 45
END = DEFAULT_END
REG = re.compile(r"^\d{5}-\d{3}$")


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    generate(out, days=DAYS, seed=11)
    return out


@pytest.fixture(scope="module")
def rosters(sample) -> dict[dt.date, pd.DataFrame]:
    files = sorted((sample / "roster").glob("roster_*.csv"))
    return {dt.date.fromisoformat(f.stem[7:]): pd.read_csv(f, dtype=str, keep_default_na=False) for f in files}


@pytest.fixture(scope="module")
def redesignations(sample) -> pd.DataFrame:
    return pd.read_csv(sample / f"redesignations_{END.isoformat()}.csv", dtype=str, keep_default_na=False)


def _us(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%m/%d/%Y").date()


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_gives_identical_bytes_and_another_seed_does_not(tmp_path):
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        generate(tmp_path / name, days=8, seed=seed)
    a, b, c = (_files(tmp_path / n) for n in "abc")
    assert a == b
    assert a.keys() == c.keys() and a != c


def test_writes_every_file_of_the_set(sample):
    written = {p.name for p in sample.iterdir()}
    assert {
        "facility.toml",
        "README.txt",
        "findings.csv",
        "facility_counts.csv",
        "roster",
        f"designations_{END.isoformat()}.csv",
        f"redesignations_{END.isoformat()}.csv",
    } <= written
    assert len(list((sample / "roster").glob("*.csv"))) == DAYS
    assert "FICTIONAL" in (sample / "README.txt").read_text()


def test_population_stays_near_the_complex_size(rosters):
    sizes = [len(r) for r in rosters.values()]
    assert min(sizes) >= 1700 and max(sizes) <= 1900


def test_units_exist_and_register_numbers_are_valid_and_unique(sample, rosters):
    units = {u.name for u in load_facility(sample / "facility.toml").units}
    for roster in rosters.values():
        assert set(roster["Unit"]) <= units
        assert roster["Reg No"].str.match(REG).all()
        assert roster["Reg No"].is_unique
    assert any(r["Reg No"].str.startswith("0").any() for r in rosters.values())


def test_names_come_only_from_the_made_up_lists(rosters):
    last = next(iter(rosters.values()))
    parts = last["Name"].str.split(", ", expand=True)
    assert set(parts[0]) <= set(names.SURNAMES) and set(parts[1]) <= set(names.GIVEN_NAMES)


def test_yesterday_plus_arrivals_minus_departures_is_today(rosters, redesignations):
    completed_out = redesignations[(redesignations["direction"] == "OUT") & (redesignations["status"] == "COMPLETED")]
    moved_on = dict(zip(completed_out["register_number"], completed_out["expected_move_date"]))
    days = sorted(rosters)
    gone: set[str] = set()
    for before, day in zip(days, days[1:]):
        y, t = rosters[before].set_index("Reg No"), rosters[day].set_index("Reg No")
        arrivals, departures = t.index.difference(y.index), y.index.difference(t.index)
        assert len(y) + len(arrivals) - len(departures) == len(t)
        assert not set(arrivals) & gone, "a register number came back after leaving"
        assert all(_us(d) == day for d in t.loc[arrivals, "Arr Date"])
        for reg in departures:
            released = _us(y.at[reg, "Proj Rel Date"]) == day
            transferred = moved_on.get(reg) == day.isoformat()
            assert released != transferred, "each departure is a release or a transfer, never neither or both"
        gone |= set(departures)
        stayed = y.index.intersection(t.index)
        assert (y.loc[stayed, "Arr Date"] == t.loc[stayed, "Arr Date"]).all()


def test_open_outbound_redesignations_are_current_inmates(rosters, redesignations):
    last = set(rosters[END]["Reg No"])
    out = redesignations[redesignations["direction"] == "OUT"]
    open_ = out[out["status"].isin(["PENDING", "APPROVED"])]
    assert len(open_) > 0 and set(open_["register_number"]) <= last
    assert set(out.loc[out["status"] != "COMPLETED", "register_number"]) <= last
    done = out[out["status"] == "COMPLETED"]
    assert not set(done["register_number"]) & last


def test_completed_inbound_transfers_arrive_on_their_move_date(rosters, redesignations):
    first = min(rosters)
    done = redesignations[(redesignations["direction"] == "IN") & (redesignations["status"] == "COMPLETED")]
    seen = 0
    for reg, move in zip(done["register_number"], done["expected_move_date"]):
        day = dt.date.fromisoformat(move)
        if day > first:
            assert reg in set(rosters[day]["Reg No"]) and reg not in set(rosters[day - dt.timedelta(days=1)]["Reg No"])
            seen += 1
    assert seen > 0


def test_pending_designations_are_future_arrivals_and_two_need_more_security(sample, rosters):
    desig = pd.read_csv(sample / f"designations_{END.isoformat()}.csv", dtype=str, keep_default_na=False)
    every_reg = set().union(*(set(r["Reg No"]) for r in rosters.values()))
    assert not set(desig["register_number"]) & every_reg
    assert set(desig["status"]) == {"AWAITING TRANSPORT", "IN TRANSIT", "VOLUNTARY SURRENDER", "HOLDOVER"}
    assert (desig["security_level"] == "HIGH").sum() == 2
    expected = desig.loc[desig["expected_arrival_date"] != "", "expected_arrival_date"].map(_us)
    assert (expected > END).all()


def test_security_level_agrees_with_the_male_point_ranges(rosters):
    ranges = load_rules().points["M"]
    code = {"MIN": "MINIMUM", "LOW": "LOW", "MED": "MEDIUM", "HI": "HIGH"}
    roster = rosters[END]
    scored = roster[roster["Sec Lvl"] != "UNAS"]
    pts = scored["Sec Pts"].astype(int)
    level = scored["Sec Lvl"].map(code)
    ok = [ranges[lv][0] <= p and (ranges[lv][1] < 0 or p <= ranges[lv][1]) for lv, p in zip(level, pts)]
    assert sum(ok) / len(ok) >= 0.99


def test_national_counts_carry_the_roster_population(sample, rosters):
    counts = pd.read_csv(sample / "facility_counts.csv", dtype=str, keep_default_na=False)
    home = counts[counts["title"] == "FCC EXAMPLE"]
    assert [int(p.replace(",", "")) for p in home["population"]] == [len(r) for r in rosters.values()]
    assert counts["title"].nunique() >= 30
    assert {"ALICEVILLE FCI", "FCI ALICEVILLE"} <= set(counts["title"])


def test_findings_log_has_repeats_across_four_or_more_reviews(sample):
    log = pd.read_csv(sample / "findings.csv", dtype=str, keep_default_na=False)
    home = log[log["facility"] == ""]
    assert home["review_date"].nunique() >= 4
    ref = home["policy_reference"].str.upper().str.split().str.join(" ")
    per_ref = home.assign(ref=ref).groupby(["discipline", "ref"])["review_date"].nunique()
    assert (per_ref >= 4).any()
    assert (home["policy_reference"] != ref).any(), "some references differ in case or spacing"
    assert (log["facility"] != "").any()


def test_every_generated_file_loads_with_no_rejected_row(sample):
    facility = load_facility(sample / "facility.toml")
    files = sorted((sample / "roster").glob("*.csv")) + sorted(sample.glob("*.csv"))
    for path in files:
        report = loaders.load(path, facility=facility, as_of=END).report
        assert report["rows_rejected"] == 0, (path.name, report["errors"][:3])
        assert report["rows_accepted"] > 0


def test_the_flags_find_the_planted_slips(sample):
    from analytics.flags import evaluate_flags

    facility = load_facility(sample / "facility.toml")
    roster = loaders.load(sample / "roster" / f"roster_{END.isoformat()}.csv", facility=facility).frame
    desig = loaders.load(sample / f"designations_{END.isoformat()}.csv", facility=facility).frame
    rules = set(evaluate_flags(roster, facility, load_rules(), END, designations=desig).flags["rule"])
    assert {
        "SEC-ABOVE",
        "CUSTODY-UNIT",
        "CARE-LEVEL",
        "DESIG-LEVEL",
        "SEC-BELOW",
        "UNCLASSIFIED",
        "CLASSIFICATION-OVERDUE",
        "MGTV-EXPIRED",
        "REVIEW-OVERDUE",
    } <= rules


def test_rerun_into_the_same_folder_leaves_no_stale_roster_and_other_folders_are_refused(tmp_path):
    generate(tmp_path / "s", days=6, seed=1)
    generate(tmp_path / "s", days=3, seed=1)
    assert len(list((tmp_path / "s" / "roster").glob("*.csv"))) == 3
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(ValueError, match="not empty"):
        generate(tmp_path / "mine", days=3)
    assert main(["sample", "--out", str(tmp_path / "mine"), "--days", "3"]) == 2
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["--days", "3", "--seed", "2"], 0),
        (["--days", "3", "--end", "2025-02-28"], 0),
        (["--days", "0"], 2),
        (["--days", "3", "--end", "28/02/2025"], 2),
    ],
)
def test_popdash_sample_command(tmp_path, capsys, argv, code):
    assert main(["sample", "--out", str(tmp_path / "out"), *argv]) == code
    err = capsys.readouterr().err
    if code == 0:
        # Ends on --end, else today (as the demo store does): a first import is not days old.
        last = dt.date(2025, 2, 28) if "--end" in argv else dt.date.today()
        days = [last - dt.timedelta(days=n) for n in (2, 1, 0)]
        names = sorted(p.name for p in (tmp_path / "out" / "roster").glob("*.csv"))
        assert names == [f"roster_{d.isoformat()}.csv" for d in days]
    else:
        assert err.count("\n") == 1


def test_a_handful_of_life_sentences(sample, rosters):
    last = rosters[END]
    life = last["Proj Rel Date"] == "LIFE"
    assert 1 <= int(life.sum()) <= 20
    frame = loaders.load(
        sample / "roster" / f"roster_{END.isoformat()}.csv", facility=load_facility(sample / "facility.toml")
    ).frame
    assert int(frame["life_sentence"].sum()) == int(life.sum())
    assert frame.loc[frame["life_sentence"].to_numpy(dtype=bool), "projected_release_date"].isna().all()


def test_default_flow_rates_are_the_shipped_sample_and_other_rates_change_the_history(tmp_path):
    from sample_data._flow import FlowRates

    generate(tmp_path / "a", days=40, seed=5)
    generate(tmp_path / "b", days=40, seed=5, rates=FlowRates())
    generate(tmp_path / "c", days=40, seed=5, rates=FlowRates(growth=-400.0, pull=0.2))
    a, b, c = (_files(tmp_path / n) for n in "abc")
    assert a == b
    last = sorted(k for k in a if k.startswith("roster"))[-1]
    # a target 400 lower, closed fast: the last roster is clearly smaller
    assert c[last].count(b"\n") < a[last].count(b"\n") - 10
