"""A killed import leaves the store exactly as it was (issue 2: atomic imports)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd

from loaders.store import PAUSE_ENV, Store
from tests.test_store import FACILITY, OTHER, ROWS, write_csv


def test_sigkill_inside_the_transaction_keeps_the_old_state(tmp_path: Path):
    store = Store(tmp_path / "store")
    old = write_csv(tmp_path, "roster_2026-11-20.csv", ROWS)
    store.import_file(old, facility=FACILITY)
    before = (store.frame("population"), store.snapshots(), store.version())

    (tmp_path / "new").mkdir()
    new = write_csv(tmp_path / "new", "roster_2026-11-20.csv", OTHER)  # would replace the snapshot
    extra = write_csv(tmp_path / "new", "roster_2026-11-21.csv", OTHER[1:])  # would add one
    env = {**os.environ, PAUSE_ENV: "60"}
    cmd = [sys.executable, "-m", "popdash", "import", str(new), str(extra), "--store", str(store.path)]
    with subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True) as proc:
        try:
            assert "pausing inside the import transaction" in proc.stderr.readline()
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL

    after = Store(store.path)
    pd.testing.assert_frame_equal(after.frame("population"), before[0])
    pd.testing.assert_frame_equal(after.snapshots(), before[1])
    assert after.version() == before[2]
    assert after.as_of_dates() == [date(2026, 11, 20)]
    # The file being written was archived before its rows (each file is its own transaction,
    # so the second file was not reached): old file plus the one in flight.
    assert len(list(after.raw_dir.glob("*.csv.gz"))) == 2
    # And the store is usable: the same import now goes through.
    outcomes = after.import_files([new, extra])
    assert [o.status for o in outcomes] == ["replaced", "imported"]
    assert after.population_by_day()["population"].tolist() == [3, 2]


def test_a_demo_build_killed_midway_is_not_taken_as_complete(tmp_path: Path, monkeypatch):
    demo = tmp_path / "demo"
    code = (
        "import sys, sample_data; from tests.test_store_demo import fake_generate; "
        "sample_data.generate = fake_generate; from sample_data.demo_store import ensure_demo_store; "
        "ensure_demo_store(sys.argv[1], days=3)"
    )
    env = {**os.environ, PAUSE_ENV: "60", "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    with subprocess.Popen([sys.executable, "-c", code, str(demo)], env=env, stderr=subprocess.PIPE, text=True) as proc:
        try:
            assert "pausing inside the import transaction" in proc.stderr.readline()
        finally:
            proc.kill()
            proc.wait()
    assert not demo.exists()  # the half-built store lives only in its building folder
    assert any(p.name.startswith(".demo.building-") for p in tmp_path.iterdir())

    import sample_data
    from sample_data.demo_store import ensure_demo_store
    from tests.test_store_demo import fake_generate

    monkeypatch.setattr(sample_data, "generate", lambda out, **k: fake_generate(out, days=2), raising=False)
    store = ensure_demo_store(demo)
    assert store.is_sample and len(store.as_of_dates()) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["demo"]  # the killed build's folders are cleared
