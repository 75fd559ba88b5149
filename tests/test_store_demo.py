"""The demo store (seeded from the sample generator, never half-built) and store resolution."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

import sample_data
from loaders.store import Store, StoreError, demo_store_path, resolve_store_path
from sample_data.demo_store import ensure_demo_store
from tests.test_store import FACILITY, ROWS, write_csv

END = date(2026, 11, 20)


def fake_generate(out_dir, days=730, seed=7, end=None):  # noqa: ANN001, ARG001
    """A tiny stand-in for sample_data.generate: the same files, a few rows each."""
    out = Path(out_dir)
    (out / "roster").mkdir(parents=True)
    shutil.copy(FACILITY, out / "facility.toml")
    for i in range(days):
        day = END - timedelta(days=days - 1 - i)
        write_csv(out / "roster", f"roster_{day.isoformat()}.csv", ROWS[: 1 + i % 2])
    write_csv(
        out,
        f"designations_{END}.csv",
        ["45678-012,MEDIUM,2026-11-01"],
        "register_number,security_level,designation_date",
    )
    write_csv(
        out,
        f"redesignations_{END}.csv",
        ["12345-067,OUT,LESSER SECURITY,2026-10-01,PENDING"],
        "register_number,direction,transfer_type,request_date,status",
    )
    write_csv(
        out, "findings.csv", ["2025-04-01,Correctional Programs,Files incomplete"], "review_date,discipline,finding"
    )
    write_csv(out, "facility_counts.csv", ["FCI EXAMPLE,2026-11-20,1200"], "facility,date,population")


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setattr(sample_data, "generate", fake_generate, raising=False)


def test_seeds_every_kind_and_marks_it_sample(tmp_path, fake):
    store = ensure_demo_store(tmp_path / "demo", days=5)
    assert store.is_sample
    assert (store.path / "SAMPLE").read_text().startswith("SAMPLE DATA")
    assert store.facility().facility.code == "XMP"
    assert store.population_by_day()["population"].tolist() == [1, 2, 1, 2, 1]
    assert set(store.snapshots()["kind"]) == {
        "population",
        "designations",
        "redesignations",
        "findings",
        "facility_counts",
    }
    assert store.latest_as_of("findings") == END  # the whole logs take the roster's latest as-of date
    assert len(store.snapshots()) == 9
    assert len(list(store.raw_dir.iterdir())) == 6  # rosters with the same bytes share one archive file
    assert [p.name for p in tmp_path.iterdir()] == ["demo"]  # no building or sample folder left


def test_a_complete_demo_store_is_reused(tmp_path, fake, monkeypatch):
    first = ensure_demo_store(tmp_path / "demo", days=3)
    version = first.version()
    monkeypatch.setattr(sample_data, "generate", lambda *a, **k: pytest.fail("rebuilt"), raising=False)
    assert ensure_demo_store(tmp_path / "demo").version() == version


def test_a_failed_build_leaves_nothing_behind(tmp_path, monkeypatch):
    def broken(out_dir, **_):  # noqa: ANN001, ANN003
        fake_generate(out_dir, days=2)
        raise RuntimeError("disk full")

    monkeypatch.setattr(sample_data, "generate", broken, raising=False)
    with pytest.raises(RuntimeError, match="disk full"):
        ensure_demo_store(tmp_path / "demo")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize("leftover", ["empty folder", "empty store", "half-built sample store"])
def test_an_empty_or_half_built_demo_store_is_rebuilt(tmp_path, fake, leftover):
    demo = tmp_path / "demo"
    demo.mkdir()
    if leftover != "empty folder":
        Store(demo)
    if leftover == "half-built sample store":
        (demo / "SAMPLE").write_text("SAMPLE DATA\n")  # marker but no snapshots
    store = ensure_demo_store(demo, days=2)
    assert store.is_sample and len(store.as_of_dates()) == 2


def test_a_folder_with_real_data_is_never_replaced(tmp_path, fake):
    real = Store(tmp_path / "demo")
    real.import_file(write_csv(tmp_path, "roster_2026-11-20.csv", ROWS), facility=FACILITY)
    with pytest.raises(StoreError, match="--store"):
        ensure_demo_store(tmp_path / "demo", days=2)
    assert real.as_of_dates() == [date(2026, 11, 20)]


def test_the_demo_store_refuses_real_imports(tmp_path, fake):
    store = ensure_demo_store(tmp_path / "demo", days=2)
    with pytest.raises(StoreError, match="--store"):
        store.import_file(write_csv(tmp_path, "roster_2026-11-25.csv", ROWS))
    assert len(store.as_of_dates()) == 2


@pytest.mark.parametrize(
    ("cli", "env", "xdg", "expected"),
    [
        ("/s/cli", "/s/env", "/x", "/s/cli"),
        (None, "/s/env", "/x", "/s/env"),
        (None, None, "/x", "/x/popdash/demo"),
        (None, "", "/x", "/x/popdash/demo"),
        (None, None, None, "HOME/.local/share/popdash/demo"),
        (None, None, "", "HOME/.local/share/popdash/demo"),
    ],
)
def test_resolve_store_path(monkeypatch, tmp_path, cli, env, xdg, expected):
    monkeypatch.setenv("HOME", str(tmp_path))
    for name, value in (("POPDASH_STORE", env), ("XDG_DATA_HOME", xdg)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert resolve_store_path(cli) == Path(expected.replace("HOME", str(tmp_path)))
    if cli is None and not env:
        assert resolve_store_path(cli) == demo_store_path()
