"""`popdash serve`: which store, the demo seeding line, and the Streamlit command line."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

import dashboard
import sample_data
from popdash.cli import main
from popdash.commands import serve
from tests.test_store_demo import fake_generate


@pytest.fixture
def execs(monkeypatch, tmp_path):
    """Capture the exec instead of replacing the test process; a home of our own."""
    calls: list[tuple[str, list[str], dict[str, str]]] = []
    monkeypatch.setattr(os, "execve", lambda exe, argv, env: calls.append((exe, argv, env)))
    monkeypatch.setattr(os, "chdir", lambda where: calls.append(("chdir", where, {})))
    monkeypatch.setattr(serve, "app_path", lambda: tmp_path / "app.py")
    (tmp_path / "app.py").write_text("")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("POPDASH_STORE", raising=False)
    monkeypatch.delenv("POPDASH_DEMO", raising=False)
    monkeypatch.setattr(sample_data, "generate", lambda out, **k: fake_generate(out, days=3), raising=False)
    return calls


def test_streamlit_command_carries_the_privacy_settings(tmp_path):
    cmd = serve.streamlit_command(tmp_path / "app.py", 8600)
    assert cmd[:5] == [sys.executable, "-m", "streamlit", "run", str(tmp_path / "app.py")]
    for flag in (
        "--server.port=8600",
        "--server.headless=true",
        "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",
        "--client.showErrorDetails=none",
        "--client.toolbarMode=minimal",
        "--browser.serverAddress=localhost",
    ):
        assert flag in cmd


def test_app_is_found_in_the_installed_package(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert serve.app_path() == Path(dashboard.__file__).resolve().parent / "app.py"


def test_first_start_seeds_the_demo_store(execs, capsys, tmp_path):
    assert main(["serve", "--port", "8599"]) == 0
    out = capsys.readouterr().out
    assert "Building the sample data store" in out
    demo = tmp_path / "xdg" / "popdash" / "demo"
    assert (demo / "SAMPLE").exists()
    assert execs[0] == ("chdir", tmp_path, {})  # the folder of app.py, where its config lives
    exe, argv, env = execs[1]
    assert exe == sys.executable and "--server.port=8599" in argv
    assert env["POPDASH_STORE"] == str(demo) and env["POPDASH_DEMO"] == "1"
    main(["serve"])
    assert "Building" not in capsys.readouterr().out  # only the first start builds


@pytest.mark.parametrize("how", ["--store", "POPDASH_STORE"])
def test_a_chosen_store_is_served_as_is(execs, capsys, tmp_path, monkeypatch, how):
    store = tmp_path / "mine"
    argv = ["serve"]
    if how == "--store":
        argv += ["--store", str(store)]
    else:
        monkeypatch.setenv("POPDASH_STORE", str(store))
    assert main(argv) == 0
    env = execs[-1][2]
    assert env["POPDASH_STORE"] == str(store) and "POPDASH_DEMO" not in env
    assert "Building" not in capsys.readouterr().out
    assert not (tmp_path / "xdg").exists()


@pytest.mark.parametrize("port", ["0", "70000"])
def test_bad_port_is_one_line(execs, capsys, port):
    assert main(["serve", "--port", port]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "--port" in err[0]
    assert execs == []


def test_streamlit_config_ships_beside_the_app():
    """The server starts in app.py's folder, so this file applies to every installed popdash."""
    import tomllib

    config = tomllib.loads((Path(dashboard.__file__).parent / ".streamlit" / "config.toml").read_text())
    assert config["browser"]["gatherUsageStats"] is False
    assert config["browser"]["serverAddress"] == "localhost"
    assert config["client"]["showErrorDetails"] == "none"
    assert config["theme"]["primaryColor"]


@pytest.fixture
def in_tmp(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # before `execs` replaces os.chdir


def test_a_relative_store_is_passed_as_an_absolute_path(in_tmp, execs, tmp_path):
    assert main(["serve", "--store", "rel-store"]) == 0
    assert execs[-1][2]["POPDASH_STORE"] == str(tmp_path / "rel-store")
