"""The audit log: a hash chain that names the first line edited or removed; popdash audit prints and verifies it."""

from __future__ import annotations

import json
import os
import stat

import pytest

from loaders import audit
from popdash.cli import main


def _log(tmp_path, n: int = 4):
    for i in range(n):
        audit.record(tmp_path, "download", f"user{i}@agency.gov", "analyst", file=f"f{i}.csv", rows=i, sha256="ab" * 32)
    return audit.audit_path(tmp_path)


def test_intact_log_verifies_and_each_line_names_the_one_before(tmp_path):
    path = _log(tmp_path)
    lines = path.read_text().splitlines()
    assert len(lines) == 4
    first = json.loads(lines[0])
    assert first["prev"] == audit.GENESIS
    assert {"time", "user", "role", "event", "file", "rows", "sha256", "prev", "hash"} <= set(first)
    assert audit.verify(tmp_path).ok
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


@pytest.mark.parametrize(
    "change, bad_line",
    [
        ("edit 2", 2),  # an edited line fails its own hash
        ("edit 4", 4),  # also the last one
        ("delete 2", 2),  # the line that took its place does not follow line 1
        ("delete 1", 1),  # the first line no longer starts the chain
        ("swap 2 3", 2),
        ("garbage 3", 3),
    ],
)
def test_a_changed_or_removed_line_is_named(tmp_path, change, bad_line):
    path = _log(tmp_path)
    lines = path.read_text().splitlines()
    op, *idx = change.split()
    i = int(idx[0]) - 1
    if op == "edit":
        lines[i] = lines[i].replace('"rows":', '"rows":1')
    elif op == "delete":
        del lines[i]
    elif op == "swap":
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
    else:
        lines[i] = "not json"
    path.write_text("\n".join(lines) + "\n")
    verdict = audit.verify(tmp_path)
    assert not verdict.ok and verdict.bad_line == bad_line


def test_register_numbers_never_reach_the_log(tmp_path):
    audit.record(tmp_path, "download", "cmc@agency.gov", "cmc", file="rows_12345-678_and_01234567.csv")
    text = audit.audit_path(tmp_path).read_text()
    assert "12345-678" not in text and "01234567" not in text
    assert audit.verify(tmp_path).ok


def test_unknown_event_is_refused(tmp_path):
    with pytest.raises(audit.AuditError):
        audit.record(tmp_path, "made-up", "x", "cmc")


def test_changed_file_is_recorded_once_per_change(tmp_path):
    roles = tmp_path / "roles.toml"
    roles.write_text("[roles.cmc]\nemails = ['a@b.gov']\n")
    assert audit.record_if_changed(tmp_path, roles, "roles-changed", "op", "operator")
    assert not audit.record_if_changed(tmp_path, roles, "roles-changed", "op", "operator")
    roles.write_text("[roles.cmc]\nemails = ['c@b.gov']\n")
    assert audit.record_if_changed(tmp_path, roles, "roles-changed", "op", "operator")
    assert [e["event"] for _, e in audit.entries(tmp_path)] == ["roles-changed"] * 2


def test_popdash_audit_prints_filters_and_verifies(tmp_path, capsys):
    path = _log(tmp_path)
    assert main(["audit", "--store", str(tmp_path), "--verify", "--user", "user2@agency.gov"]) == 0
    out = capsys.readouterr().out
    assert "user2@agency.gov" in out and "user1@agency.gov" not in out and "intact: 4 lines" in out
    assert main(["audit", "--store", str(tmp_path), "--format", "json", "--since", "2000-01-01"]) == 0
    assert len(json.loads(capsys.readouterr().out)["events"]) == 4
    lines = path.read_text().splitlines()
    del lines[2]
    path.write_text("\n".join(lines) + "\n")
    assert main(["audit", "--store", str(tmp_path), "--verify"]) == 1
    assert "broken at line 3" in capsys.readouterr().out
    assert main(["audit", "--store", str(tmp_path), "--since", "yesterday"]) == 2


def test_command_line_import_is_recorded_as_the_local_operator(tmp_path, page_sample_files, capsys):
    store = tmp_path / "store"
    assert (
        main(
            [
                "import",
                str(page_sample_files / "findings.csv"),
                "--kind",
                "findings",
                "--as-of",
                "2026-11-21",
                "--store",
                str(store),
                "--facility",
                str(page_sample_files / "facility.toml"),
            ]
        )
        == 0
    )
    ((_, entry),) = audit.entries(store)
    assert entry["event"] == "import" and entry["role"] == "operator" and entry["user"] == audit.local_operator()
    assert entry["sha256"] == audit.file_sha256(page_sample_files / "findings.csv")  # the raw file, as archived
    assert entry["file"] == "findings.csv" and entry["rows"] > 0
    assert audit.verify(store).ok
