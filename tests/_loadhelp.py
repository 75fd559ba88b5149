"""Helpers shared by the loader tests: write a small CSV and load it."""

from __future__ import annotations

from pathlib import Path

from loaders import LoadResult, load

POP_HEADER = "register_number,unit,security_level,custody,arrival_date"
POP_ROW = "12345-678,A1,LOW,IN,2026-01-05"


def write(folder: Path, name: str, text: str | bytes, encoding: str = "utf-8") -> Path:
    """Write `text` exactly (no newline translation) and return the path."""
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
    return path


def roster(
    folder: Path, *rows: str, header: str = POP_HEADER, name: str = "roster_2026-11-22.csv", facility=None, **kw
) -> LoadResult:
    """Load a population file made of a header and rows (one per argument)."""
    path = write(folder, name, "\n".join((header, *rows)) + "\n")
    return load(path, kind=kw.pop("kind", "population"), facility=facility, **kw)


def error_lines(result: LoadResult) -> list[int]:
    return sorted({e["line"] for e in result.report["errors"]})
