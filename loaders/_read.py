"""Bytes to a table of strings: encoding, delimiter, header row, report furniture, line numbers.

The clean path (`_fast`) is one pyarrow parse of the body in place, every record on its own
line, so line numbers follow by counting. Anything else goes to `loaders._records`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from loaders._schema import KINDS, guess_kind, score
from loaders.errors import LoadError

DELIMITERS = (",", "\t", "|", ";")
HEAD_LINES = 60  # the header row must be among the first lines of the file
_TOTAL = re.compile(
    r"^[\W_]*(?:grand\s+)?(?:total(?:\s+(?:records|rows|inmates|count))?|records|record\s+count|count|rows)"
    r"\s*[:=#-]?\s*([0-9][0-9,]*)[\W_]*$",
    re.IGNORECASE,
)
_PAGE = re.compile(r"^[\W_]*page\s+\d+(\s+of\s+\d+)?[\W_]*$", re.IGNORECASE)
_BARE_CR = re.compile(rb"\r(?!\n)")
_CR_PROBE = 65536  # bytes searched for bare \r line ends
_SIGNATURES = {
    b"PK\x03\x04": "a zip archive or Excel workbook, not a CSV file (save it as CSV)",
    b"\xd0\xcf\x11\xe0": "an old Excel or Office file, not a CSV file (save it as CSV)",
    b"%PDF": "a PDF document, not a CSV file",
}


@dataclass
class Parsed:
    """A CSV file's header, its data rows as strings, and what was skipped or rejected on the way."""

    kind: str
    header: list[str]
    delimiter: str
    encoding: str
    table: pa.Table  # one string column per header field, named c0, c1, ...
    lines: np.ndarray  # the editor line of each table row
    ragged: list[tuple[int, int]] = field(default_factory=list)  # (line, field count) of rejected rows
    furniture: dict[str, list[int]] = field(default_factory=dict)  # kind of line -> line numbers
    total: tuple[int, int] | None = None  # (line, stated count) of a trailing total line
    cp1252_lines: list[int] = field(default_factory=list)  # of a file mixing UTF-8 and Windows-1252

    @property
    def rows_read(self) -> int:
        return self.table.num_rows + len(self.ragged)


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or LoadError for a missing file, a folder, or an empty file."""
    if not path.exists():
        raise LoadError(f"file not found: {path.name}")
    if path.is_dir():
        raise LoadError(f"{path.name} is a folder, not a CSV file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"cannot read {path.name}: {exc.strerror or 'read error'}") from None
    if not data or data.isspace():
        raise LoadError(f"{path.name} is empty")
    return data


def decode(data: bytes, name: str) -> tuple[bytes, str]:
    """UTF-8 bytes with a BOM removed and line ends \\n or \\r\\n, plus the encoding found."""
    for sig, what in _SIGNATURES.items():
        if data.startswith(sig):
            raise LoadError(f"{name} is {what}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text": UTF-16 with a BOM
        try:
            return decode(data.decode("utf-16").encode("utf-8"), name)[0], "utf-16"
        except UnicodeDecodeError:
            raise LoadError(f"{name} is not valid UTF-16 text") from None
    if b"\x00" in data:
        raise LoadError(f"{name} is a binary file, not a CSV file")
    encoding = "utf-8"
    if data.startswith(b"\xef\xbb\xbf"):
        data, encoding = data[3:], "utf-8-sig"
    if not _is_utf8(data):
        data, encoding = _decode_by_line(data, name)
    return _newlines(data), encoding


def _newlines(data: bytes) -> bytes:
    """The bytes with line ends pyarrow and the line counter agree on, copied only when needed.

    CRLF files are kept as they are (rewriting them cost a third of a large file's load):
    pyarrow reads \\r\\n as one line end and every line still ends in \\n, so line numbers
    count the same. A file whose first lines end in a bare \\r (old Mac exports) is rewritten
    with \\n; a bare \\r further down is a line end to pyarrow too, and `parse` rewrites it on
    the slow path.
    """
    bare = _BARE_CR.search(data[: _CR_PROBE + 1])
    if bare is not None and bare.start() < _CR_PROBE:
        return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return data


_UTF8_SEQ = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


def _decode_by_line(data: bytes, name: str) -> tuple[bytes, str]:
    """A file that is not UTF-8: Windows-1252, or a mix of both read line by line ("mixed").

    Read whole as Windows-1252, a UTF-8 line would come out garbled (Ä as Ã„): each line
    that is valid UTF-8 stays UTF-8 and only the others are read as Windows-1252.
    """
    if not _UTF8_SEQ.search(data):  # no UTF-8 sequence anywhere: plain Windows-1252
        lines, mixed = [data], False
    else:
        lines, mixed = data.split(b"\n"), False
    out = []
    for number, line in enumerate(lines, start=1):
        if len(lines) > 1 and not line.isascii():
            try:
                out.append(line.decode("utf-8").encode("utf-8"))
                mixed = True
                continue
            except UnicodeDecodeError:
                pass
        try:
            out.append(line.decode("cp1252").encode("utf-8"))
        except UnicodeDecodeError:
            where = f" (line {number})" if len(lines) > 1 else ""
            raise LoadError(f"{name} is neither UTF-8 nor Windows-1252 text{where}") from None
    return b"\n".join(out), "mixed" if mixed else "cp1252"


def cp1252_lines(data: bytes) -> list[int]:
    """Line numbers of a mixed file that are not UTF-8 (read as Windows-1252)."""
    bad = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(number)
    return bad


def _is_utf8(data: bytes) -> bool:
    """Valid UTF-8? (pyarrow's validator: a whole-file bytes.decode costs ten times more)."""
    if data.isascii():
        return True
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    try:
        pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)]).cast(pa.large_string())
    except (pa.ArrowInvalid, pa.ArrowException):
        return False
    return True


def _split(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return line.split(delimiter)


def _line_ends(data: bytes, count: int) -> list[int]:
    """Offsets of the first `count` newlines (without copying the rest of the file)."""
    ends: list[int] = []
    pos = 0
    while len(ends) < count:
        pos = data.find(b"\n", pos)
        if pos < 0:
            ends.append(len(data))
            break
        ends.append(pos)
        pos += 1
    return ends


def find_header(data: bytes, kind: str | None, name: str) -> tuple[int, str, list[str], str]:
    """(0-based line, delimiter, fields, kind) of the header row among the first lines."""
    ends = _line_ends(data, HEAD_LINES)
    head = [raw.rstrip(b"\r") for raw in data[: ends[-1]].split(b"\n")]
    kinds = (kind,) if kind else KINDS
    best: tuple[int, int, str, list[str]] | None = None  # score, line, delimiter, fields
    for i, raw in enumerate(head):
        line = raw.decode("utf-8", "replace")
        for d in DELIMITERS:
            if d not in line:
                continue
            fields = _split(line, d)
            s = max(score(fields, k) for k in kinds)
            if s >= 2 and (best is None or s > best[0]):
                best = (s, i, d, fields)
        if best is not None and best[1] == i and best[0] == len(best[3]) and best[0] >= 3:
            break  # every field of this line is a known column: the header, no need to read on
    if best is None:
        what = f"{kind} " if kind else ""
        raise LoadError(f"no {what}header row found in the first {HEAD_LINES} lines of {name}")
    _, i, d, fields = best
    if kind is None:
        kind = guess_kind(fields)
        if kind is None:
            raise LoadError(f"cannot tell the kind of {name} from its header; give the kind")
    return i, d, fields, kind


def _furniture_before(head: list[bytes]) -> tuple[list[str], list[int], list[int]]:
    """Title lines (text) and the line numbers of title and blank lines above the header."""
    titles, title_lines, blank_lines = [], [], []
    for i, raw in enumerate(head, start=1):
        text = raw.decode("utf-8", "replace").strip()
        if text.strip(',;|\t "') == "":
            blank_lines.append(i)
        else:
            titles.append(text)
            title_lines.append(i)
    return titles, title_lines, blank_lines


def _lines_text(lines: list[int], limit: int = 12) -> str:
    shown = ", ".join(str(n) for n in lines[:limit])
    return shown + (f" and {len(lines) - limit} more" if len(lines) > limit else "")


_LABELS = {
    "title": "title or page header lines skipped",
    "blank": "blank lines skipped",
    "header": "repeated header rows skipped",
    "total": "total lines skipped",
    "footer": "lines after the total line skipped",
}


def furniture_warnings(p: Parsed) -> list[str]:
    """One warning per kind of furniture line, with their line numbers."""
    found = dict(p.furniture)
    found.setdefault("total", [p.total[0]] if p.total else [])
    return [f"{label}: line {_lines_text(sorted(found[k]))}" for k, label in _LABELS.items() if found.get(k)]


def _options(
    delim: str, ncols: int, quotes: bool, handler: Callable[[pacsv.InvalidRow], str] | None = None
) -> dict[str, Any]:
    names = [f"c{i}" for i in range(ncols)]
    return dict(
        read_options=pacsv.ReadOptions(column_names=names),
        parse_options=pacsv.ParseOptions(
            delimiter=delim, newlines_in_values=quotes, ignore_empty_lines=False, invalid_row_handler=handler
        ),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.large_string() for n in names},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )


def _trailing_total(data: bytes, begin: int, delim: str) -> tuple[int, int] | None:
    """(byte offset, stated count) of a total line that ends the data after `begin`, if any."""
    tail = data[-4096:]
    end = len(data) - (len(tail) - len(tail.rstrip()))
    start = max(data.rfind(b"\n", begin, end) + 1, begin)
    if end <= start:
        return None
    bare = data[start:end].decode("utf-8", "replace").strip().strip(delim + "\"' ")
    m = _TOTAL.match(bare.replace(delim, " ") if delim != "," else bare)
    return (start, int(m.group(1).replace(",", ""))) if m else None


def _drop_furniture_rows(
    table: pa.Table, lines: np.ndarray, header: list[str], kinds: dict[str, list[int]]
) -> tuple[pa.Table, np.ndarray]:
    """Drop parsed rows that are blank (only delimiters and spaces) or repeat the header row."""
    n = table.num_rows
    if not n or not table.num_columns:
        return table, lines
    keep = np.ones(n, bool)
    c0 = pc.utf8_trim_whitespace(table.column(0))
    cand = np.flatnonzero(pc.equal(c0, "").to_numpy(zero_copy_only=False))  # cheap filter first
    if len(cand):
        sub = table.take(pa.array(cand))
        empty = np.ones(len(cand), bool)
        for col in sub.columns:
            empty &= pc.equal(pc.utf8_trim_whitespace(col), "").to_numpy(zero_copy_only=False)
        keep[cand[empty]] = False
        kinds.setdefault("blank", []).extend(int(x) for x in lines[cand[empty]])
    cand = np.flatnonzero(pc.equal(pc.utf8_lower(c0), header[0].strip().lower()).to_numpy(zero_copy_only=False))
    want = [f.strip().lower() for f in header]
    for k in cand:
        if [str(v).strip().lower() for v in table.slice(int(k), 1).to_pylist()[0].values()] == want:
            keep[k] = False
            kinds.setdefault("header", []).append(int(lines[k]))
    if keep.all():
        return table, lines
    return table.filter(pa.array(keep)), lines[keep]


def _fast(data: bytes, start: int, delim: str, header: list[str], first_line: int) -> Parsed | None:
    """The clean path: one pyarrow parse, every record on its own line; None sends the file to `_records`.

    Works on offsets into `data` so that a large file is never copied.
    """
    ncols = len(header)
    total_at = _trailing_total(data, start, delim)
    end = total_at[0] if total_at else len(data)
    if total_at and data[total_at[0] :].strip().count(b"\n"):  # text after the total line
        return None
    quotes = data.find(b'"', start, end) >= 0
    odd: list[int] = []

    def skip(row: pacsv.InvalidRow) -> str:
        odd.append(1)  # a record pyarrow cannot split: counted, and the file goes to `_records`
        return "skip"

    try:
        main = pa.BufferReader(pa.py_buffer(memoryview(data)[start:end]))
        table = pacsv.read_csv(main, **_options(delim, ncols, quotes, skip))
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    n = table.num_rows
    if quotes:
        last = data[end - 1 : end]
        physical = data.count(b"\n", start, end) + (0 if last in (b"\n", b"") or end <= start else 1)
    else:
        physical = n
    if odd or physical != n:
        return None
    lines = first_line + np.arange(n, dtype=np.int64)
    kinds: dict[str, list[int]] = {"blank": [], "header": []}
    table, lines = _drop_furniture_rows(table, lines, header, kinds)
    total = None
    if total_at:
        total = (first_line + n, total_at[1])
        trailing = data[total_at[0] :].split(b"\n")[1:-1]
        kinds["blank"] += [total[0] + 1 + i for i in range(len(trailing))]
    return Parsed("", header, delim, "", table, lines, [], kinds, total)
