"""`popdash project`: population projection with 80 % / 95 % bands.

`--series FILE.csv` projects facility-count histories (date, population, optional
facility), read by the facility_counts loader: one series per institution as written, and
a stderr line for each one that cannot be projected. Otherwise the institution in the store
is projected from its roster and pipeline (releases, designations, redesignations) plus the
drift measured in its history.
"""

from __future__ import annotations

import json
import sys
from argparse import Namespace
from pathlib import Path

import pandas as pd

from popdash.errors import InputError
from popdash.store_option import open_store

COLUMNS = ["facility", "date", "mean", "lo80", "hi80", "lo95", "hi95"]
MAX_HORIZON = 180


def run(args: Namespace) -> int:
    horizon = int(args.horizon)
    if not 1 <= horizon <= MAX_HORIZON:
        raise InputError(f"--horizon must be between 1 and {MAX_HORIZON} days, not {horizon}.")
    if args.series and args.store:
        raise InputError("give either --series or --store, not both.")
    if getattr(args, "scenario", None):
        if args.series:
            raise InputError("--scenario projects the store; it does not go with --series.")
        from popdash.commands import _scenario

        store = open_store(args.store)
        return _scenario.run(args, store, bool(store.is_sample))
    if args.series:
        out = project_file(Path(args.series), horizon)
        sample = False
        columns = COLUMNS
    else:
        out, sample = _from_store(args.store, horizon)
        columns = [*COLUMNS, "bands"]
    _print(out[columns], args.format, sample)
    return 0


def _from_store(store_arg: str | None, horizon: int) -> tuple[pd.DataFrame, bool]:
    """Facility rows of the institution projection from the store's snapshots.

    Adds `bands` ("measured" or "assumed", from the backtest's scored horizons) and says on
    stderr which export the projection went without and where its bands are assumed.
    """
    from reports import sources
    from reports.projection import project_store
    from reports.snapshots import NO_POPULATION
    from reports.track_record import backed_days, band_kind, band_note

    store = open_store(store_arg)
    as_of = store.latest_as_of("population")
    if as_of is None:
        raise InputError(NO_POPULATION)
    proj, record = project_store(store, horizon)
    rows = proj[proj["group"] == "facility"].rename(columns={"key": "facility"})
    latest = {k: store.latest_as_of(k) for k in sources.FIGURE_SOURCES["projected_arrivals"]}
    for _, why in sources.figure_gaps("projected_arrivals", latest, as_of):
        print(f"popdash project: {why}: projected without its pending moves.", file=sys.stderr)
    facility_record = record[record["group"] == "facility"] if "group" in record.columns else record
    backed = backed_days(facility_record)
    note = band_note(backed, horizon)
    if note:
        print(f"popdash project: {note}", file=sys.stderr)
    rows = rows.assign(bands=band_kind(rows["date"], as_of, backed).to_numpy())
    return rows, bool(store.is_sample)


def _say(name: str, why: str) -> None:
    print(f"popdash project: {name}: {why}; not projected.", file=sys.stderr)


def project_file(path: Path, horizon: int) -> pd.DataFrame:
    """Projection of every series of a facility-count file; each one left out is named on stderr."""
    from analytics.projection.series import project_series, unprojectable

    frame = read_series(path)
    skipped = unprojectable(frame)
    for name, why in skipped.items():
        _say(name, why)
    keep = frame[~frame["facility"].isin(list(skipped))]
    if keep.empty:
        raise InputError(f"no series in {path.name} can be projected (see the lines above).")
    return project_series(keep, horizon)


def read_series(path: Path) -> pd.DataFrame:
    """`date, population, facility` of a facility-count file, one series per institution.

    Read by the facility_counts loader (a file without a facility column is one series named
    after the file). Spellings of one institution ("FCI ALICEVILLE", "Aliceville FCI") are one
    series under the first spelling in the file; the members of a complex ("FCI Coleman Low",
    "USP Coleman I") stay apart (loaders.reference.institution_keys). A facility none of whose
    rows was accepted is named on stderr.
    """
    import loaders
    from loaders.reference import facility_list, institution_keys

    if not path.is_file():
        raise InputError(f"series file not found: {path.name}.")
    try:
        result = loaders.load(path, kind="facility_counts", single_facility=path.stem)
    except loaders.LoadError as exc:
        if str(exc).startswith("no as-of date"):  # a counts file takes its as-of date from its dates
            raise InputError(f"{path.name} has no row with a readable date and population.") from None
        raise InputError(str(exc).rstrip(".") + ".") from None
    frame = result.frame
    rejected = result.report.get("rows_rejected", 0)
    if rejected:
        lines = [str(e["line"]) for e in result.report.get("errors", [])][:5]
        print(
            f"popdash project: skipped {rejected} rejected row(s) (lines {', '.join(dict.fromkeys(lines))}"
            f"{', ...' if rejected > 5 else ''}); `popdash check` lists why.",
            file=sys.stderr,
        )
    ref = facility_list().drop_duplicates("code").set_index("code")
    written = frame["facility"].astype("str").str.strip()
    code = frame["facility_code"]
    key = institution_keys(written, code, code.map(ref["type"]), code.map(ref["security_level"]))
    lost = pd.Series(result.report.get("facilities_rejected", []), dtype="str")
    if len(lost):
        from loaders.reference import resolve_institutions

        for name, k in zip(lost, resolve_institutions(lost)):
            if pd.isna(k) or k not in set(key):
                _say(str(name), "no row with a readable date and population")
    if frame.empty:
        raise InputError(f"{path.name} has no row with a readable date and population.")
    name = written.groupby(key.to_numpy(), sort=False).first()
    return pd.DataFrame(
        {
            "date": frame["date"].to_numpy(),
            "population": frame["population"].astype(float).to_numpy(),
            "facility": name.reindex(key.to_numpy()).to_numpy(),
        }
    )


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
