"""The audit log: who did what, one JSON line per event, each line chained to the one before.

`<store>/audit.jsonl` is its own file, not a table in the store's database: DuckDB lets one
process write a database at a time, and both the dashboard server and the command line append
here. Every line carries `prev` (the SHA-256 of the previous line as written) and `hash` (the
SHA-256 of its own content without `hash`), so an edited line fails its own hash and a deleted
one breaks the next line's `prev`. Appends hold an exclusive lock, so two processes never chain
onto the same line.

Only staff identities, counts, file names and checksums go in: never an inmate's name, register
number or birth date (values shaped like a register number are blanked as a last guard).
"""

from __future__ import annotations

import fcntl
import getpass
import hashlib
import json
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from loaders._echo import REGISTER
from loaders.errors import PopdashError

AUDIT_FILE = "audit.jsonl"
GENESIS = "0" * 64
# The events the log knows; an unknown event is a programming error, refused at once.
EVENTS = frozenset(
    {
        "sign-in",
        "sign-out",
        "denied",
        "view-identities",
        "download",
        "export",
        "import",
        "planned-event",
        "roles-changed",
        "settings-changed",
        "server-start",
    }
)
# A register number (NNNNN-NNN or eight bare digits) must never be written, whatever the field.
_REGISTER = REGISTER
_FIELDS = ("time", "user", "role", "event")


class AuditError(PopdashError):
    """The audit log cannot be read or written; the message is one sentence."""


def audit_path(store: str | os.PathLike[str]) -> Path:
    """Where a store's audit log lives."""
    return Path(store) / AUDIT_FILE


def local_operator() -> str:
    """The command line's user: the account that ran it, on this machine."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = str(os.getuid())
    return f"{who}@{socket.gethostname()}"


def _clean(value: Any) -> Any:
    """Values as JSON; text shaped like a register number is blanked."""
    if isinstance(value, str):
        return _REGISTER.sub("(redacted)", value)
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return _clean(str(value))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _body_hash(entry: dict[str, Any]) -> str:
    """The hash of a line's content: every field but `hash`, keys sorted, compact."""
    body = {k: v for k, v in entry.items() if k != "hash"}
    return _digest(json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False))


def _last_line(handle: Any) -> str | None:
    """The last non-empty line of an open binary file (read from the end; the log can grow long)."""
    handle.seek(0, os.SEEK_END)
    end = handle.tell()
    if end == 0:
        return None
    block, data = 4096, b""
    pos = end
    while pos > 0:
        step = min(block, pos)
        pos -= step
        handle.seek(pos)
        data = handle.read(step) + data
        stripped = data.rstrip(b"\n")
        if b"\n" in stripped:
            return stripped.rsplit(b"\n", 1)[1].decode("utf-8")
    stripped = data.rstrip(b"\n")
    return stripped.decode("utf-8") if stripped else None


def record(store: str | os.PathLike[str], event: str, user: str, role: str, **details: Any) -> dict[str, Any]:
    """Append one event to the store's audit log and return the line written.

    `details` are counts, page names, file names and checksums; never inmate identities.
    """
    if event not in EVENTS:
        raise AuditError(f"'{event}' is not an audit event.")
    path = audit_path(store)
    if not path.parent.is_dir():
        raise AuditError(f"The store folder {path.parent} does not exist.")
    entry: dict[str, Any] = {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "user": _clean(user),
        "role": _clean(role),
        "event": event,
    }
    entry.update(
        {k: (v if k == "sha256" else _clean(v)) for k, v in details.items() if v is not None and k not in _FIELDS}
    )
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "r+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # one appender at a time: the chain stays a chain
        try:
            last = _last_line(handle)
            entry["prev"] = _digest(last) if last else GENESIS
            entry["hash"] = _body_hash(entry)
            line = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
            handle.seek(0, os.SEEK_END)
            handle.write(line.encode("utf-8") + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    return entry


@dataclass(frozen=True)
class Verdict:
    """The result of checking a log: `ok`, lines read, and the first bad line with the reason."""

    ok: bool
    lines: int
    bad_line: int | None = None
    reason: str = ""

    def sentence(self) -> str:
        if self.ok:
            return f"The audit log is intact: {self.lines} lines, each chained to the one before."
        return f"The audit log is broken at line {self.bad_line}: {self.reason}."


def read_lines(store: str | os.PathLike[str]) -> list[str]:
    """The log's lines as written (an absent log is empty)."""
    path = audit_path(store)
    if not path.exists():
        return []
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise AuditError(f"The audit log {path} cannot be read ({type(exc).__name__}).") from None


def verify(store: str | os.PathLike[str]) -> Verdict:
    """Walk the chain from the first line; stop at the first line that is not what was written."""
    prev = GENESIS
    lines = read_lines(store)
    for number, line in enumerate(lines, start=1):
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            return Verdict(False, len(lines), number, "it is not a JSON line")
        if not isinstance(entry, dict) or "hash" not in entry or "prev" not in entry:
            return Verdict(False, len(lines), number, "it has no hash chain fields")
        if entry["prev"] != prev:
            return Verdict(
                False,
                len(lines),
                number,
                "it does not follow the line before it (a line was removed, added or changed)",
            )
        if entry["hash"] != _body_hash(entry):
            return Verdict(False, len(lines), number, "its content was changed after it was written")
        prev = _digest(line)
    return Verdict(True, len(lines))


def entries(store: str | os.PathLike[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, event) for every line that parses; a broken line is skipped here (verify names it)."""
    for number, line in enumerate(read_lines(store), start=1):
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(entry, dict):
            yield number, entry


def file_sha256(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file, read in blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def record_if_changed(store: str | os.PathLike[str], file: Path, event: str, user: str, role: str) -> bool:
    """Record `event` with the file's checksum when it differs from the last one recorded for it.

    Used for the roles and sign-in settings: a change made by editing the file shows in the log
    the next time popdash reads it.
    """
    sha = file_sha256(file) if file.exists() else "absent"
    last = None
    for _, entry in entries(store):
        if entry.get("event") == event and entry.get("file") == file.name:
            last = entry.get("sha256")
    if last == sha:
        return False
    record(store, event, user, role, file=file.name, sha256=sha)
    return True
