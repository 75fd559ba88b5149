"""`popdash import`: one line per file and the exit codes of data-contract.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.store import Store
from popdash.cli import main
from tests.test_store import BAD, FACILITY, OTHER, ROWS, write_csv


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("POPDASH_STORE", raising=False)
    src = tmp_path / "in"
    src.mkdir()
    write_csv(src, "roster_2026-11-20.csv", ROWS)
    write_csv(src, "other_2026-11-20.csv", OTHER)
    write_csv(src, "roster_2026-11-21.csv", OTHER)
    write_csv(src, "bad_2026-11-20.csv", BAD)
    (src / "notes.csv").write_text("just,some\nwords,here\n")
    return tmp_path


def _run(env: Path, *argv: str) -> int:
    args = [str(env / "in" / a) if a.endswith(".csv") else a for a in argv]
    return main(["import", *args, "--store", str(env / "store"), "--facility", str(FACILITY)])


@pytest.mark.parametrize(
    ("before", "files", "extra", "code", "out", "err"),
    [
        (
            [],
            ["roster_2026-11-20.csv"],
            [],
            0,
            ["roster_2026-11-20.csv: imported population snapshot of 2026-11-20 (2 rows)"],
            [],
        ),
        (
            ["roster_2026-11-20.csv"],
            ["roster_2026-11-20.csv"],
            [],
            0,
            ["roster_2026-11-20.csv: unchanged: this population snapshot of 2026-11-20 is already in the store"],
            [],
        ),
        (
            ["roster_2026-11-20.csv"],
            ["other_2026-11-20.csv"],
            [],
            0,
            [
                "other_2026-11-20.csv: replaced the population snapshot of 2026-11-20 (was roster_2026-11-20.csv, 2 rows) with this file (3 rows)"
            ],
            [],
        ),
        ([], ["bad_2026-11-20.csv"], [], 1, ["bad_2026-11-20.csv: refused: 1 row rejected — run popdash check "], []),
        (
            [],
            ["bad_2026-11-20.csv"],
            ["--allow-rejects"],
            0,
            [
                "bad_2026-11-20.csv: imported population snapshot of 2026-11-20 (2 rows, 1 rejected and kept in the raw archive)"
            ],
            [],
        ),
        (
            [],
            ["bad_2026-11-20.csv", "roster_2026-11-21.csv"],
            [],
            1,
            ["bad_2026-11-20.csv: refused", "roster_2026-11-21.csv: imported"],
            [],
        ),
        ([], ["missing.csv"], [], 2, [], ["popdash import: file not found: missing.csv"]),
        ([], ["notes.csv", "roster_2026-11-21.csv"], [], 2, ["roster_2026-11-21.csv: imported"], ["popdash import: "]),
        ([], ["roster_2026-11-21.csv"], ["--kind", "findings"], 2, [], ["popdash import: "]),
    ],
)
def test_outcomes_and_exit_codes(env, capsys, before, files, extra, code, out, err):
    if before:
        assert _run(env, *before) == 0
        capsys.readouterr()
    assert _run(env, *files, *extra) == code
    got = capsys.readouterr()
    lines, errs = got.out.splitlines(), got.err.splitlines()
    assert len(lines) + len(errs) == len(files)  # one line per file
    for want, line in zip(out, lines):
        assert line.startswith(want)
    for want, line in zip(err, errs):
        assert line.startswith(want)
    assert "Traceback" not in got.err


def test_facility_is_validated_and_copied(env, capsys):
    assert _run(env, "roster_2026-11-20.csv") == 0
    assert (env / "store" / "facility.toml").read_bytes() == FACILITY.read_bytes()
    bad = env / "in" / "facility.toml"
    bad.write_text("[facility]\ncode = 'TOOLONG'\n")
    code = main(
        ["import", str(env / "in" / "roster_2026-11-21.csv"), "--store", str(env / "store"), "--facility", str(bad)]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("popdash import: facility file facility.toml") and len(err.splitlines()) == 1
    assert Store(env / "store").as_of_dates() == [Store(env / "store").latest_as_of()]  # nothing imported


def test_as_of_from_the_caller(env, capsys):
    path = write_csv(env / "in", "roster.csv", ROWS)
    assert (
        main(["import", str(path), "--store", str(env / "store"), "--facility", str(FACILITY), "--as-of", "11/19/2026"])
        == 0
    )
    assert "snapshot of 2026-11-19" in capsys.readouterr().out


def test_store_from_the_environment(env, capsys, monkeypatch):
    monkeypatch.setenv("POPDASH_STORE", str(env / "envstore"))
    assert main(["import", str(env / "in" / "roster_2026-11-20.csv"), "--facility", str(FACILITY)]) == 0
    assert Store(env / "envstore").latest_as_of() is not None


@pytest.mark.parametrize("how", ["default", "explicit"])
def test_the_demo_store_refuses_real_files(env, capsys, how):
    demo = env / "xdg" / "popdash" / "demo"
    if how == "explicit":
        Store(demo)
        (demo / "SAMPLE").write_text("SAMPLE DATA\n")
    argv = ["import", str(env / "in" / "roster_2026-11-20.csv")] + (["--store", str(demo)] if how == "explicit" else [])
    assert main(argv) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "--store" in err[0] and "sample data" in err[0]
    assert not (demo / "raw").exists()
