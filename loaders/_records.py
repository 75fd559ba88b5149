"""The careful path for a CSV body with furniture, ragged rows or line breaks inside quotes.

numpy finds the record boundaries (newlines outside quotes) and each record's field count;
only the odd records (wrong field count, repeated headers, total lines) are looked at one by
one, and the rest is parsed by pyarrow in one go.
"""

from __future__ import annotations

import io

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from loaders._read import _PAGE, _TOTAL, Parsed, _drop_furniture_rows, _options, _split
from loaders.errors import LoadError


def records(
    body: bytes, delim: str, header: list[str], header_bytes: bytes, first_line: int, titles: list[str]
) -> Parsed:
    """Split the body into records, set furniture aside, parse the rest with pyarrow."""
    ncols = len(header)
    if body and not body.endswith(b"\n"):
        body += b"\n"
    arr = np.frombuffer(body, dtype=np.uint8)
    nl = np.flatnonzero(arr == 10)
    has_quotes = b'"' in body
    if has_quotes:
        qpos = np.flatnonzero(arr == 34)
        ends = nl[(np.searchsorted(qpos, nl) & 1) == 0]
        if len(qpos) % 2:
            _refuse_open_quote(body, int(qpos[-1]), delim, nl, first_line)
        if len(ends) == 0 or ends[-1] != len(body) - 1:  # an unclosed quote runs to the end
            ends = np.append(ends, len(body) - 1) if len(body) else ends
    else:
        ends = nl
    starts = np.concatenate(([0], ends[:-1] + 1)) if len(ends) else ends
    lines = first_line + np.searchsorted(nl, starts)
    dpos = np.flatnonzero(arr == ord(delim))
    if has_quotes and len(dpos):
        dpos = dpos[(np.searchsorted(qpos, dpos) & 1) == 0]
    counts = np.searchsorted(dpos, ends) - np.searchsorted(dpos, starts) + 1
    length = ends - starts
    blank = (length == 0) | ((counts == ncols) & (length == ncols - 1))
    keep = (counts == ncols) & ~blank
    kinds: dict[str, list[int]] = {"blank": [int(x) for x in lines[blank]], "header": [], "title": []}
    total: tuple[int, int] | None = None
    ragged: list[tuple[int, int]] = []

    # Repeated header rows: cheap first-byte filter, then an exact look.
    h = header_bytes.strip().lower()
    if h and len(starts):
        first = arr[np.minimum(starts, max(len(arr) - 1, 0))]
        cand = np.flatnonzero(keep & ((first == h[0]) | (first == ord(chr(h[0]).upper()))))
        for k in cand:
            rec = body[starts[k] : ends[k]].strip().lower()
            if rec == h or [f.strip().lower() for f in _split(rec.decode("utf-8", "replace"), delim)] == [
                f.strip().lower() for f in header
            ]:
                keep[k] = False
                kinds["header"].append(int(lines[k]))
    # Odd records, last non-blank record: title, page, total lines or ragged rows.
    odd = list(np.flatnonzero(~keep & ~blank & (counts != ncols)))
    nonblank = np.flatnonzero(~blank)
    if len(nonblank) and keep[nonblank[-1]]:
        odd.append(nonblank[-1])
    title_set = {t.lower() for t in titles}
    for k in odd:
        text = body[starts[k] : ends[k]].decode("utf-8", "replace")
        bare = text.strip().strip(delim + "\"' ")
        m = _TOTAL.match(bare.replace(delim, " ") if delim != "," else bare)
        if not bare.strip(',;|\t "'):
            kinds["blank"].append(int(lines[k]))
        elif m and (k == nonblank[-1] or counts[k] != ncols):
            total = (int(lines[k]), int(m.group(1).replace(",", "")))
            kinds.setdefault("total", []).append(total[0])
        elif counts[k] == ncols:
            continue  # a data row that merely is the last one
        elif _PAGE.match(bare) or text.strip().lower() in title_set:
            kinds["title"].append(int(lines[k]))
        else:
            ragged.append((int(lines[k]), int(counts[k])))
            continue
        keep[k] = False
    _page_titles(ragged, kinds)
    if total is not None and not (keep & (lines > total[0])).any():
        # a report footer below the last total line (no data rows follow) is furniture too
        kinds["footer"] = [line for line, _ in ragged if line > total[0]]
        ragged[:] = [r for r in ragged if r[0] < total[0]]

    table, bad = _arrow(body, starts[keep], ends[keep], delim, ncols, has_quotes)
    if len(bad):
        kept = np.flatnonzero(keep)
        ragged += [(int(lines[kept[i]]), n) for i, n in bad]
        keep[kept[[i for i, _ in bad]]] = False
    table, kept_lines = _drop_furniture_rows(table, lines[keep], header, kinds)
    return Parsed("", header, delim, "", table, kept_lines, ragged, kinds, total)


def _refuse_open_quote(body: bytes, at: int, delim: str, nl: np.ndarray, first_line: int) -> None:
    """A quote that opens a field and never closes would swallow the rest of the file into one field."""
    if at > 0 and body[at - 1 : at] not in (delim.encode(), b"\n", b" "):
        return  # a quote inside a field (5'10"): text, not quoting
    opens = first_line + int(np.searchsorted(nl, at))
    last = first_line + max(len(nl) - 1, 0)
    raise LoadError(
        f"the quote that opens a field on line {opens} is never closed, so lines {opens} to {last} "
        "(the end of the file) would be one value; close the quote"
    )


def _page_titles(ragged: list[tuple[int, int]], kinds: dict[str, list[int]]) -> None:
    """Ragged lines right above a repeated header row are a page header, not data rows."""
    skip = set(kinds["blank"]) | set(kinds["title"])
    by_line = dict(ragged)
    for hl in kinds["header"]:
        line = hl - 1
        while line in skip or line in by_line:
            if line in by_line:
                del by_line[line]
                kinds["title"].append(line)
            line -= 1
    ragged[:] = sorted(by_line.items())


def _arrow(
    body: bytes, starts: np.ndarray, ends: np.ndarray, delim: str, ncols: int, has_quotes: bool
) -> tuple[pa.Table, list[tuple[int, int]]]:
    """Parse the kept records as all-string columns c0..c{n-1}; also (index, field count) of misfits."""
    names = [f"c{i}" for i in range(ncols)]
    if len(starts) == 0:
        return pa.table({n: pa.array([], pa.large_string()) for n in names}), []
    contiguous = bool(np.all(starts[1:] == ends[:-1] + 1))
    if contiguous:
        buf = body[starts[0] : ends[-1] + 1]
    else:
        breaks = np.flatnonzero(starts[1:] != ends[:-1] + 1)
        run_starts = np.concatenate(([starts[0]], starts[breaks + 1]))
        run_ends = np.concatenate((ends[breaks], [ends[-1]]))
        buf = b"".join(body[s : e + 1] for s, e in zip(run_starts, run_ends))
    try:
        table = pacsv.read_csv(io.BytesIO(buf), **_options(delim, ncols, has_quotes))
        if table.num_rows == len(starts):
            return table, []
    except (pa.ArrowInvalid, pa.ArrowException):
        pass
    return _python_parse(body, starts, ends, delim, ncols)


def _python_parse(
    body: bytes, starts: np.ndarray, ends: np.ndarray, delim: str, ncols: int
) -> tuple[pa.Table, list[tuple[int, int]]]:
    """Slow parse record by record, for quoting pyarrow refuses; misfits are set aside."""
    cols: list[list[str]] = [[] for _ in range(ncols)]
    bad: list[tuple[int, int]] = []
    for i, (s, e) in enumerate(zip(starts, ends)):
        fields = _split(body[s:e].decode("utf-8", "replace"), delim)
        if len(fields) != ncols:
            bad.append((i, len(fields)))
            continue
        for c, v in zip(cols, fields):
            c.append(v)
    return pa.table({f"c{i}": pa.array(c, pa.large_string()) for i, c in enumerate(cols)}), bad
