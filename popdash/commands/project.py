"""`popdash project`: population projection with 80 % / 95 % bands.

`--series FILE.csv` projects facility-count histories (date, population, optional
facility); otherwise the institution in the store is projected from its roster and
pipeline (releases, designations, redesignations) plus the drift measured in its history.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pandas as pd

from popdash.errors import InputError

COLUMNS = ["facility", "date", "mean", "lo80", "hi80", "lo95", "hi95"]
MAX_HORIZON = 180
_ALIASES = {
    "date": ("date", "datetimeofdata", "asof", "asofdate", "countdate", "reportdate"),
    "population": ("population", "pop", "count", "total", "totalpopulation"),
    "facility": ("facility", "title", "name", "institution", "facilityname"),
}
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y", "%Y%m%d")


def run(args) -> int:
    horizon = int(args.horizon)
    if not 1 <= horizon <= MAX_HORIZON:
        raise InputError(f"--horizon must be between 1 and {MAX_HORIZON} days, not {horizon}.")
    if args.series and args.store:
        raise InputError("give either --series or --store, not both.")
    if getattr(args, "scenario", None):
        if args.series:
            raise InputError("--scenario projects the store; it does not go with --series.")
        from popdash.commands import _scenario
        from popdash.commands.events import open_store

        store = open_store(args.store)
        return _scenario.run(args, store, bool(store.is_sample))
    if args.series:
        from analytics.projection.series import project_series

        out = project_series(read_series(Path(args.series)), horizon)
        sample = False
    else:
        out, sample = _from_store(args.store, horizon)
    _print(out[COLUMNS], args.format, sample)
    return 0


def _from_store(store_arg: str | None, horizon: int) -> tuple[pd.DataFrame, bool]:
    """Facility rows of the institution projection from the store's snapshots."""
    from loaders.store import Store, StoreError, demo_store_path, ensure_demo_store, resolve_store_path

    path = resolve_store_path(store_arg)
    if path == demo_store_path():
        try:
            store = ensure_demo_store(path)
        except StoreError as exc:
            raise InputError(str(exc).rstrip(".") + ".") from None
    elif not path.is_dir():
        raise InputError(f"no store at {path}; import exports there first (popdash import --store).")
    else:
        store = Store(path)
    proj, _ = project_store(store, horizon)
    rows = proj[proj["group"] == "facility"].rename(columns={"key": "facility"})
    return rows, bool(store.is_sample)


def _history(store, kind: str) -> pd.DataFrame | None:
    return store.history(kind) if store.latest_as_of(kind) is not None else None


def project_store(store, horizon: int = 90) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Institution projection and track record from a store (the one place that reads it)."""
    from analytics.projection.flows import FlowParams
    from analytics.projection.institution import Inputs, project_institution

    as_of = store.latest_as_of("population")
    if as_of is None:
        raise InputError("the store holds no population snapshot yet; import a roster first.")
    try:
        facility = store.facility()
    except Exception:  # noqa: BLE001 - without a facility file, units come from the roster
        facility = None
    cols = ["register_number", "unit", "security_level", "projected_release_date"]
    history = store.history("population", columns=cols)
    inp = Inputs(
        roster=store.frame("population"), as_of=pd.Timestamp(as_of), facility=facility,
        designations=store.frame("designations") if store.latest_as_of("designations") else None,
        redesignations=store.frame("redesignations") if store.latest_as_of("redesignations") else None,
        history=history, designation_history=_history(store, "designations"),
        redesignation_history=_history(store, "redesignations"),
    )
    return project_institution(inp, horizon, flow_params=FlowParams.from_rules(store.rules()))


def _norm(name: str) -> str:
    return re.sub(r"[\s_\-.]+", "", str(name)).rstrip(":").lower()


def _read_text(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise InputError(f"series file not found: {path.name}.")
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    delim = max((",", "\t", "|", ";"), key=first.count)
    if not first or first.count(delim) == 0:
        raise InputError(f"{path.name} is not a CSV with date and population columns.")
    import io

    try:
        return pd.read_csv(io.StringIO(text), sep=delim, dtype=str, skip_blank_lines=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError):
        raise InputError(f"{path.name} could not be read as a CSV file.") from None


def read_series(path: Path) -> pd.DataFrame:
    """Read a facility-count history: a facility_counts file through the loader, else `date, population`."""
    import loaders

    if not path.is_file():
        raise InputError(f"series file not found: {path.name}.")
    try:
        result = loaders.load(path, kind="facility_counts")
    except loaders.LoadError:
        return _read_plain(path)      # no facility column: one series, read here
    frame = result.frame.dropna(subset=["date", "population"])
    rejected = result.report.get("rows_rejected", 0)
    if rejected:
        lines = [str(e["line"]) for e in result.report.get("errors", [])][:5]
        print(f"popdash project: skipped {rejected} rejected row(s) (lines {', '.join(lines)}"
              f"{', ...' if rejected > 5 else ''}); `popdash check` lists why.", file=sys.stderr)
    if frame.empty:
        raise InputError(f"{path.name} has no row with a readable date and population.")
    # "FCI ALICEVILLE" and "ALICEVILLE FCI" are one facility when the reference list knows it
    key = frame["facility_code"].fillna(frame["facility"]) if "facility_code" in frame.columns else frame["facility"]
    name = frame.groupby(key.to_numpy())["facility"].first()
    return pd.DataFrame({"date": frame["date"].to_numpy(), "population": frame["population"].astype(float).to_numpy(),
                         "facility": name.reindex(key.to_numpy()).to_numpy()})


def _read_plain(path: Path) -> pd.DataFrame:
    """Read a `date, population` CSV without a facility column (aliases, thousands separators)."""
    df = _read_text(path)
    names = {}
    for col in df.columns:
        for canon, aliases in _ALIASES.items():
            if _norm(col) in aliases and canon not in names.values():
                names[col] = canon
    df = df.rename(columns=names)
    missing = [c for c in ("date", "population") if c not in df.columns]
    if missing:
        raise InputError(f"{path.name} has no {' or '.join(missing)} column.")
    date_text = df["date"].astype("str").str.strip().str.extract(r"^(\S+)", expand=False)
    dates = pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
    for fmt in _DATE_FORMATS:
        todo = dates.isna()
        dates[todo] = pd.to_datetime(date_text[todo], format=fmt, errors="coerce")
    pop_text = df["population"].astype("str").str.replace(",", "", regex=False).str.strip()
    pop = pd.to_numeric(pop_text, errors="coerce")
    good = dates.notna() & pop.notna() & (pop >= 0)
    if not good.any():
        raise InputError(f"{path.name} has no row with a readable date and population.")
    bad = (~good).sum()
    if bad:
        lines = (df.index[~good] + 2).tolist()[:5]
        print(f"popdash project: skipped {bad} row(s) without a readable date and population "
              f"(lines {', '.join(map(str, lines))}{', ...' if bad > 5 else ''}).", file=sys.stderr)
    out = pd.DataFrame({"date": dates[good], "population": pop[good].astype(float)})
    if "facility" in df.columns:
        out["facility"] = df.loc[good, "facility"].astype("str").str.strip().str.upper()
    else:
        out["facility"] = path.stem
    return out


def _print(out: pd.DataFrame, fmt: str, sample: bool) -> None:
    out = out.assign(date=pd.to_datetime(out["date"]).dt.strftime("%Y-%m-%d"))
    nums = ["mean", "lo80", "hi80", "lo95", "hi95"]
    out[nums] = out[nums].astype(float).round(1)
    if fmt == "json":
        print(json.dumps(out.to_dict(orient="records")))
    elif fmt == "csv":
        sys.stdout.write(out.to_csv(index=False))
    else:
        if sample:
            print("SAMPLE DATA")
        print(out.to_string(index=False))
