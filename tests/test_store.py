"""The history store: import outcomes, round trips, the raw archive and history queries."""

from __future__ import annotations

import gzip
import hashlib
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

import loaders
from loaders import _duck
from loaders.store import Store, StoreBusy, StoreError

ROOT = Path(__file__).resolve().parent.parent
FACILITY = ROOT / "sample_data" / "facility.toml"
HEADER = "Reg No,Unit,Sec Lvl,Custody,Arrival Date"
ROWS = ["12345-067,A1,MEDIUM,IN,2024-01-05", "00012-345,A2,MEDIUM,OUT,01/02/2025"]
OTHER = ["12345-067,A1,MEDIUM,IN,2024-01-05", "00012-345,A2,MEDIUM,OUT,01/02/2025", "22222-222,B1,MEDIUM,IN,2026-11-01"]
BAD = ROWS + ["33333-333,NOWHERE,LOW,OUT,2025-03-04"]  # unit not in the facility: one rejected row


def write_csv(folder: Path, name: str, rows: list[str], header: str = HEADER) -> Path:
    """A small roster export."""
    path = folder / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "store")
    s.set_facility(FACILITY)
    return s


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    src = tmp_path / "in"
    src.mkdir()
    (src / "again").mkdir()
    return {
        "a": write_csv(src, "roster_2026-11-20.csv", ROWS),
        "a_copy": write_csv(src / "again", "roster_2026-11-20.csv", ROWS),
        "b": write_csv(src, "roster_20261120.csv", OTHER),
        "bad": write_csv(src, "bad_2026-11-20.csv", BAD),
        "next_day": write_csv(src, "roster_2026-11-21.csv", OTHER),
    }


@pytest.mark.parametrize(
    ("first", "second", "allow", "status", "snapshots", "rows", "says"),
    [
        (None, "a", False, "imported", 1, 2, "imported population snapshot of 2026-11-20 (2 rows)"),
        ("a", "a", False, "unchanged", 1, 2, "already in the store"),
        ("a", "a_copy", False, "unchanged", 1, 2, "already in the store"),
        (
            "a",
            "b",
            False,
            "replaced",
            1,
            3,
            "replaced the population snapshot of 2026-11-20 (was roster_2026-11-20.csv, 2 rows)",
        ),
        ("a", "next_day", False, "imported", 2, 3, "imported population snapshot of 2026-11-21"),
        (None, "bad", False, "refused", 0, None, "refused: 1 row rejected — run popdash check "),
        ("a", "bad", False, "refused", 1, 2, "--allow-rejects"),
        (None, "bad", True, "imported", 1, 2, "2 rows, 1 rejected and kept in the raw archive"),
        ("a", "bad", True, "replaced", 1, 2, "1 rejected"),
    ],
)
def test_import_outcomes(store, files, first, second, allow, status, snapshots, rows, says):
    if first:
        assert store.import_file(files[first]).status == "imported"
    outcome = store.import_file(files[second], allow_rejects=allow)
    assert outcome.status == status
    assert says in outcome.message
    assert len(store.snapshots()) == snapshots
    if rows is not None:
        assert len(store.frame("population")) == rows


def test_refused_and_unchanged_write_nothing(store, files):
    store.import_file(files["a"])
    before = (store.version(), sorted(p.name for p in store.raw_dir.iterdir()), store.db.stat().st_mtime_ns)
    assert store.import_file(files["a"]).status == "unchanged"
    assert store.import_file(files["bad"]).status == "refused"
    after = (store.version(), sorted(p.name for p in store.raw_dir.iterdir()), store.db.stat().st_mtime_ns)
    assert after == before


def test_version_changes_on_every_committed_import(store, files):
    seen = {store.version()}
    for name in ("a", "b", "next_day"):
        store.import_file(files[name])
        seen.add(store.version())
    assert len(seen) == 4


def test_frame_round_trips_the_loaded_frame(store, tmp_path):
    header = "Reg No,Unit,Sec Lvl,Custody,Arrival Date,Name,Points,Detainer,MCL,PSF,PRD"
    rows = [
        '00123-045,A1,MEDIUM,IN,2024-01-05,"DOE, JOHN",14,N,2,,2031-05-06',
        '12345-067,C1,LOW,OUT,01/02/2025,"ROE, RICH",,Y,,sex offender;deportable alien,',
        '22222-222,B1,HIGH,IN,2025-03-04,"POE, PAT",25,N,1,SLG,Life',
    ]
    path = write_csv(tmp_path, "roster_2026-11-20.csv", rows, header)
    loaded = loaders.load(path, facility=FACILITY).frame
    store.import_file(path)
    pd.testing.assert_frame_equal(store.frame("population", "2026-11-20"), loaded)
    assert loaded["life_sentence"].tolist() == [False, False, True]
    assert store.frame("population").loc[0, "register_number"] == "00123-045"  # leading zeros kept


def test_absent_columns_stay_absent_per_snapshot(store, tmp_path):
    wide = write_csv(tmp_path, "roster_2026-11-20.csv", [r + ",M,12" for r in ROWS], HEADER + ",Sex,Points")
    narrow = write_csv(tmp_path, "roster_2026-11-21.csv", ROWS)
    store.import_file(wide)
    store.import_file(narrow)
    assert {"sex", "security_points"} <= set(store.frame("population", "2026-11-20").columns)
    assert not {"sex", "security_points"} & set(store.frame("population", "2026-11-21").columns)
    assert list(store.frame("population").columns) == list(loaders.load(narrow, facility=FACILITY).frame.columns)


def test_raw_archive_keeps_the_bytes_of_every_stored_file(store, files):
    store.import_file(files["bad"], allow_rejects=True)
    data = files["bad"].read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    assert store.snapshots().loc[0, "sha256"] == sha
    assert gzip.decompress((store.raw_dir / f"{sha}.csv.gz").read_bytes()) == data  # rejected row included
    assert not [p for p in store.raw_dir.iterdir() if p.name.endswith(".tmp")]


def test_report_is_kept_with_the_snapshot(store, files):
    store.import_file(files["bad"], allow_rejects=True)
    report = store.report("population", "2026-11-20")
    assert report["rows_rejected"] == 1 and report["errors"][0]["line"] == 4
    assert store.report("population", "2020-01-01") is None


def test_dates_and_latest(store, files):
    assert store.latest_as_of("population") is None
    assert store.as_of_dates() == []
    for name in ("next_day", "a"):
        store.import_file(files[name])
    assert store.as_of_dates("population") == [date(2026, 11, 20), date(2026, 11, 21)]
    assert store.latest_as_of("population") == date(2026, 11, 21)
    assert store.latest_as_of("findings") is None


def test_population_by_day(store, files):
    store.import_file(files["a"])
    store.import_file(files["next_day"])
    total = store.population_by_day()
    assert total["population"].tolist() == [2, 3]
    assert total["as_of_date"].tolist() == [pd.Timestamp("2026-11-20"), pd.Timestamp("2026-11-21")]
    by_unit = store.population_by_day(["unit"], start="2026-11-21")
    assert by_unit[["unit", "population"]].values.tolist() == [["A1", 1], ["A2", 1], ["B1", 1]]
    assert store.population_by_day(end=date(2026, 11, 20))["population"].tolist() == [2]
    assert store.population_by_day(["custody", "security_level"]).groupby("as_of_date")[
        "population"
    ].sum().tolist() == [2, 3]


@pytest.mark.parametrize("column", ["no_such_column", "snapshot_id", 'unit" FROM population; --'])
def test_population_by_day_refuses_unknown_columns(store, files, column):
    store.import_file(files["a"])
    with pytest.raises(StoreError, match="has no column"):
        store.population_by_day([column])


def test_history(store, files):
    store.import_file(files["a"])
    store.import_file(files["next_day"])
    hist = store.history("population", columns=["register_number", "unit"])
    assert list(hist.columns) == ["as_of_date", "register_number", "unit"]
    assert len(hist) == 5
    assert len(store.history(start="2026-11-21")) == 3
    assert "custody" in store.history().columns


def test_query_is_read_only(store, files):
    store.import_file(files["a"])
    got = store.query("SELECT count(*) AS n FROM population WHERE unit = ?", ["A1"])
    assert got["n"].tolist() == [1]
    with pytest.raises(Exception, match="read-only"):
        store.query("DELETE FROM population")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.frame("population"), "holds no population snapshot"),
        (lambda s: s.frame("population", "2026-01-01"), "no population snapshot for 2026-01-01"),
        (lambda s: s.frame("rosters"), "Unknown kind"),
    ],
)
def test_frame_errors_are_one_sentence(store, call, message):
    with pytest.raises(StoreError, match=message):
        call(store)


def test_facility_and_rules(tmp_path):
    s = Store(tmp_path / "s")
    with pytest.raises(StoreError, match="--facility"):
        s.facility()
    s.set_facility(FACILITY)
    assert s.facility().facility.code == "XMP"
    assert s.rules().days.program_review == 180
    assert not s.is_sample


def test_sample_store_refuses_real_files(store, files):
    (store.path / "SAMPLE").write_text("SAMPLE DATA\n")
    assert store.is_sample
    with pytest.raises(StoreError, match="--store"):
        store.import_file(files["a"])
    assert store.snapshots().empty


def test_unusable_file_raises_load_error(store, tmp_path):
    with pytest.raises(loaders.LoadError):
        store.import_file(tmp_path / "missing.csv")


def test_a_batch_commits_many_snapshots(store, tmp_path):
    paths = [write_csv(tmp_path, f"roster_2026-10-{d:02d}.csv", ROWS[: 1 + d % 2]) for d in range(1, 31)]
    outcomes = store.import_files(paths)
    assert {o.status for o in outcomes} == {"imported"}
    assert store.population_by_day()["population"].sum() == sum(1 + d % 2 for d in range(1, 31))


def test_readers_wait_for_a_writer_then_give_up_in_one_sentence(store, files, monkeypatch):
    store.import_file(files["a"])
    hold = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(float(sys.argv[2]))"
    with subprocess.Popen(
        [sys.executable, "-c", hold, str(store.db), "1.0"], stdout=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stdout.readline().strip() == "held"
        started = time.monotonic()
        assert len(store.frame("population")) == 2  # waited for the writer to go away
        assert time.monotonic() - started > 0.3
    with subprocess.Popen([sys.executable, "-c", hold, str(store.db), "3"], stdout=subprocess.PIPE, text=True) as proc:
        try:
            assert proc.stdout.readline().strip() == "held"
            monkeypatch.setattr(_duck, "WAIT_SECONDS", 0.3)
            with pytest.raises(StoreBusy, match="in use by another import; try again in a moment"):
                # a Store object of its own: the one above holds this version's snapshot list already
                Store(store.path).snapshots()
        finally:
            proc.kill()


def test_a_file_is_not_a_store(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(StoreError, match="is a file, not a folder"):
        Store(tmp_path / "f")


def test_worker_processes_give_the_same_outcomes(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    paths = [write_csv(src, f"roster_2026-09-{d:02d}.csv", BAD if d == 3 else ROWS[: 1 + d % 2]) for d in range(1, 5)]
    paths.append(src / "missing.csv")
    results = []
    for workers in (1, 2):
        store = Store(tmp_path / f"s{workers}")
        store.set_facility(FACILITY)
        outcomes = store.import_files(paths, workers=workers)
        said = [(o.status, o.message.replace(str(store.path), "STORE")) for o in outcomes]  # the hint names the store
        results.append((said, store.population_by_day()["population"].tolist()))
    assert results[0] == results[1]
    assert [s for s, _ in results[0][0]] == ["imported", "imported", "refused", "imported", "unusable"]


def test_two_files_for_one_day_in_one_batch_the_later_wins(store, files):
    outcomes = store.import_files([files["a"], files["b"]])
    assert [o.status for o in outcomes] == ["imported", "replaced"]
    assert len(store.snapshots()) == 1
    assert store.snapshots().loc[0, "source_name"] == "roster_20261120.csv"
    assert store.query("SELECT count(*) AS n FROM population")["n"].tolist() == [3]  # no orphan rows


@pytest.mark.parametrize("bad", ["yesterday", "2026-13-01"])
def test_date_filters_must_be_dates(store, files, bad):
    store.import_file(files["a"])
    with pytest.raises(StoreError, match="is not a date"):
        store.population_by_day(start=bad)


def test_a_column_absent_from_one_day_counts_as_unknown_that_day(store, tmp_path):
    store.import_file(write_csv(tmp_path, "roster_2026-11-20.csv", [r + ",M" for r in ROWS], HEADER + ",Sex"))
    store.import_file(write_csv(tmp_path, "roster_2026-11-21.csv", ROWS))
    by_sex = store.population_by_day(["sex"])
    assert by_sex["sex"].tolist()[0] == "M" and pd.isna(by_sex["sex"].tolist()[1])
    assert by_sex["population"].tolist() == [2, 2]
    assert store.history(columns=["sex"])["sex"].isna().tolist() == [False, False, True, True]


def test_a_store_made_before_a_column_existed_gains_it_at_the_next_import(store, files):
    import duckdb

    con = duckdb.connect(str(store.db))
    con.execute('ALTER TABLE population DROP COLUMN "quarters"')
    con.close()
    store.import_file(files["a"])
    assert "quarters" in store.query("SELECT * FROM population LIMIT 0").columns
    assert store.population_by_day(["quarters"])["population"].tolist() == [2]


def test_an_import_waits_for_a_reader_in_the_same_process(store, files):
    import threading

    import duckdb

    reader = duckdb.connect(str(store.db), read_only=True)  # as a dashboard page would hold one
    timer = threading.Timer(0.5, reader.close)
    timer.start()
    try:
        assert store.import_file(files["a"]).status == "imported"
    finally:
        timer.cancel()
        reader.close()
    assert store.latest_as_of() == date(2026, 11, 20)


def test_a_roster_needs_the_facility_to_check_units(tmp_path, files):
    bare = Store(tmp_path / "bare")
    outcome = bare.import_files([files["a"]])[0]
    assert outcome.status == "unusable" and "--facility" in outcome.message
    assert bare.snapshots().empty
    assert bare.import_file(files["a"], facility=FACILITY).status == "imported"
