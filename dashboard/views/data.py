"""/data: hand over an export, read its report line by line, import it or not; the store's snapshots."""

from __future__ import annotations

import hashlib
from datetime import date

import pandas as pd
import streamlit as st

from dashboard import cached as data
from dashboard import identity
from dashboard.components import source_notes
from dashboard.components.downloads import to_csv_bytes
from dashboard.components.safe_text import md
from dashboard.components.widgets import empty, page_header, section, table
from loaders import KINDS as FILE_KINDS
from loaders.uploads import safe_name, upload_file
from reports import sources
from reports.theme import fmt_int

KINDS = FILE_KINDS
GUESS = "Guess from the header"


def _check(raw: bytes, name: str, kind: str | None, as_of: date | None) -> tuple[dict, str | None]:
    """The loader's report for an upload, kept per session so reruns do not re-read the file."""
    from loaders import load

    memo = st.session_state.setdefault("_data_checks", {})
    sig = (hashlib.sha256(raw).hexdigest(), name, kind, str(as_of), data.key())
    if sig not in memo:
        memo.clear()
        try:
            with upload_file(raw, name) as path:  # removed on leaving, whatever the outcome
                result = load(path, kind=kind, facility=data.facility(), as_of=as_of)
            memo[sig] = (result.report, None)
        except ValueError as exc:
            memo[sig] = (None, str(exc))
    return memo[sig]


def _decoded_lines(raw: bytes) -> list[str]:
    """The file's lines as the loader reads them: UTF-8 where a line is UTF-8, else Windows-1252."""
    out = []
    for line in raw.removeprefix(b"\xef\xbb\xbf").splitlines():
        try:
            out.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            out.append(line.decode("cp1252", errors="replace"))
    return out


def rejected_rows(raw: bytes, errors: list[dict]) -> pd.DataFrame:
    """One row per error with the file's own line beside it, for fixing at the source."""
    lines = _decoded_lines(raw)
    err = pd.DataFrame(errors, columns=["line", "column", "value", "reason"])
    text = [lines[n - 1] if isinstance(n, int) and 0 < n <= len(lines) else "" for n in err["line"]]
    return err.assign(source_line=text)


def _report(report: dict) -> None:
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Kind", report.get("kind") or "—")
    c2.metric("As of", str(report.get("as_of") or "—"))
    c3.metric("Rows accepted", fmt_int(report["rows_accepted"]), help=f"of {fmt_int(report['rows_read'])} read")
    c4.metric("Rows rejected", fmt_int(report["rows_rejected"]))
    if report["errors"]:
        st.markdown("**Rejected rows**, line by line (line numbers as an editor shows them)")
        table(pd.DataFrame(report["errors"]), {"line": st.column_config.NumberColumn("Line", format="%d")})
    else:
        st.success("Every row was accepted.", icon=":material/check_circle:")
    for w in report.get("warnings", []):
        st.warning(md(w), icon=":material/warning:")
    if report.get("unknown_columns"):
        st.caption(md("Columns kept in the archive but not used: " + ", ".join(map(str, report["unknown_columns"]))))


def _import(raw: bytes, name: str, kind: str | None, as_of: date | None, report: dict) -> None:
    store = data.store()
    user = identity.current_user()
    if user is None or not user.may_import:
        st.info(
            "Your role does not include importing; ask the Case Management Coordinator to import this file.",
            icon=":material/lock:",
        )
        return
    if store.is_sample:
        st.info(
            "This is the demo store: it holds sample data only, and real exports are never mixed "
            "into it. Start popdash with `--store PATH` to import your own files.",
            icon=":material/lock:",
        )
        return
    allow = False
    if report["rows_rejected"]:
        allow = st.checkbox(
            f"Import anyway, leaving out the {fmt_int(report['rows_rejected'])} rejected rows", key="data_allow"
        )
    if st.button("Import into the store", type="primary", disabled=bool(report["rows_rejected"]) and not allow):
        with upload_file(raw, name) as path:
            outcome = store.import_file(path, kind=kind, facility=None, as_of=as_of, allow_rejects=allow)
            if outcome.status in ("imported", "replaced"):
                data.after_import()
                identity.record(
                    "import",
                    user,
                    file=safe_name(name),
                    kind=outcome.kind,
                    as_of=outcome.as_of,
                    rows=(outcome.report or {}).get("rows_accepted"),
                    sha256=outcome.sha256,
                    via="dashboard",
                )
        (st.error if outcome.status == "refused" else st.success)(md(outcome.message))


def upload() -> None:
    st.subheader("Hand over an export")
    up = st.file_uploader(
        "Export file (CSV, tab, pipe or semicolon separated)", type=["csv", "txt", "tsv"], key="data_upload"
    )
    c1, c2 = st.columns(2)
    choice = c1.selectbox("Kind", [GUESS, *KINDS], key="data_kind")
    as_of = c2.date_input(
        "As-of date (when neither a column nor the file name gives it)",
        value=None,
        key="data_asof",
        format="YYYY-MM-DD",
    )
    if up is None:
        return
    raw, name = up.getvalue(), up.name
    kind = None if choice == GUESS else choice
    report, problem = _check(raw, name, kind, as_of)
    if problem:
        st.error(md(problem), icon=":material/error:")
        return
    _report(report)
    if report["errors"]:
        rejected = identity.visible(rejected_rows(raw, report["errors"]))
        file = f"rejected_{safe_name(name).rsplit('.', 1)[0]}.csv"
        st.download_button(
            "Download the rejected rows (CSV)",
            file_name=file,
            mime="text/csv",
            data=identity.logged(lambda: to_csv_bytes(rejected), file, "data", len(rejected)),
        )
    _import(raw, name, kind, as_of, report)


def snapshot_list() -> None:
    st.subheader("Snapshots in the store")
    snaps = data.snapshots()
    if snaps.empty:
        empty("The store holds no snapshot yet.")
        return
    for kind in sources.SOURCE_NAMES:  # a kind never imported, or behind the roster, is said in words
        why = source_notes.gap(kind)
        if why is not None:
            st.caption(md(sources.sentence(why)))
    kinds = sorted(snaps["kind"].unique())
    pick = st.multiselect("Kinds", kinds, default=kinds, key="data_kinds")
    view = snaps[snaps["kind"].isin(pick)].sort_values(["as_of", "kind"], ascending=[False, True])
    st.caption(
        f"{fmt_int(len(view))} of {fmt_int(len(snaps))} snapshots. Every file handed over is archived "
        "byte for byte under its SHA-256 checksum, rejected rows included."
    )
    cols = [
        c
        for c in (
            "kind",
            "as_of",
            "source_name",
            "rows_read",
            "rows_accepted",
            "rows_rejected",
            "imported_at",
            "sha256",
        )
        if c in view.columns
    ]
    table(
        view[cols],
        height=420,
        config={
            "as_of": st.column_config.DateColumn("As of", format="YYYY-MM-DD"),
            "source_name": "File",
            "imported_at": "Imported",
            "sha256": st.column_config.TextColumn("SHA-256"),
        },
    )


page_header("Data", data.latest_as_of("population"), "what the store holds, and new exports")
with section("upload"):
    upload()
with section("snapshot list"):
    snapshot_list()
