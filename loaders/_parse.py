"""Parse a CSV export: the fast path of `_read` first, the row-by-row reader of `_records` when it needs one.

Kept apart from both so that data flows one way: `_records` builds on `_read`'s pieces,
and this module uses both.
"""

from __future__ import annotations

from pathlib import Path

from loaders._read import Parsed, _fast, _furniture_before, _line_ends, cp1252_lines, decode, find_header, read_bytes
from loaders._records import records


def parse(path: Path, kind: str | None) -> Parsed:
    """Read a CSV export into strings, locating its header and furniture; LoadError when unusable."""
    name = path.name
    raw = read_bytes(path)
    data, encoding = decode(raw, name)
    hline, delim, header, kind = find_header(data, kind, name)
    ends = _line_ends(data, hline + 1)
    head = [raw.rstrip(b"\r") for raw in data[: ends[-1]].split(b"\n")]
    header_bytes = head.pop()
    start = min(ends[-1] + 1, len(data))
    titles, title_lines, blank_lines = _furniture_before(head)
    p = _fast(data, start, delim, header, hline + 2)
    if p is None:  # furniture in the body, ragged rows or line breaks in quoted fields
        body = data[start:]
        if b"\r" in body:  # the slow path splits on \n alone; a CRLF file pays the copy only here
            body = body.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        p = records(body, delim, header, header_bytes, hline + 2, titles)
    p.kind, p.encoding = kind, encoding
    if encoding == "mixed":
        p.cp1252_lines = cp1252_lines(raw.lstrip(b"\xef\xbb\xbf"))
    p.furniture["blank"] = blank_lines + p.furniture.get("blank", [])
    p.furniture["title"] = title_lines + p.furniture.get("title", [])
    return p
