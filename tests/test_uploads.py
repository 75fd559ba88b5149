"""Uploads leave nothing behind: the folder goes on leaving, and a stopped server's at the next upload."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
import time
from contextlib import nullcontext
from pathlib import Path

import pytest
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException

from loaders.uploads import PREFIX, upload_file

RAW = b"register_number,unit\n12345-678,A1\n"


@pytest.fixture()
def temp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.mark.parametrize("leave", [None, ValueError, RuntimeError, KeyboardInterrupt, RerunException])
def test_the_folder_goes_however_the_block_ends(temp_folder, leave):
    with pytest.raises(leave) if leave else nullcontext(), upload_file(RAW, "../x/roster_2026-11-22.csv") as path:
        assert path.read_bytes() == RAW and path.name == "roster_2026-11-22.csv"
        assert path.parent.parent == temp_folder
        if leave is RerunException:
            raise RerunException(None)  # a rerun interrupting the page mid-import
        if leave:
            raise leave("stop")
    assert list(temp_folder.iterdir()) == []


def test_a_killed_servers_upload_goes_at_the_next_upload(temp_folder):
    """kill -9 in the middle of a check leaves the folder; the next upload in any process removes it."""
    script = textwrap.dedent(
        """
        import os, signal
        from loaders.uploads import upload_file
        with upload_file(b"12345-678,ADAMS\\n", "roster.csv") as path:
            print(path, flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    env = {**os.environ, "TMPDIR": str(temp_folder)}
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == -9
    left = Path(proc.stdout.strip()).parent
    assert left.exists() and left.parent == temp_folder  # what a killed server leaves
    alive = temp_folder / f"{PREFIX}{os.getppid()}-busy"  # a running server's upload in progress
    alive.mkdir()
    with upload_file(RAW, "roster.csv"):
        assert not left.exists()
    assert list(temp_folder.iterdir()) == [alive]


@pytest.mark.parametrize(("age", "kept"), [(60, True), (2 * 3600, False)])
def test_folders_of_older_versions_go_once_an_hour_old(temp_folder, age, kept):
    old = temp_folder / f"{PREFIX}0fothkaf"  # no process id: written by an earlier version
    old.mkdir()
    (old / "roster.csv").write_bytes(RAW)
    then = time.time() - age
    os.utime(old, (then, then))
    with upload_file(RAW, "roster.csv"):
        pass
    assert old.exists() == kept
