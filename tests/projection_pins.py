"""The institution projection of small generated histories, pinned so that a faster engine gives the same numbers.

`python tests/projection_pins.py` regenerates tests/data/projection_pins.csv from the code as it
stands; tests/test_projection_pins.py recomputes the same cases and compares. Regenerate only
when the model is meant to change, and say why in the commit.

Cases (all from the sample generator with a fixed end date, so the inputs never change):
- "store": a store of the generated files, projected as `popdash project` does (project_store);
- "no-facility": the same history without a facility file (units and weights from the roster);
- "pipeline": the designation and redesignation lists repeated as snapshots every 10 days of
  the history, so the backtest's origins see a pipeline (flows.known_events per origin).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
PINS = Path(__file__).resolve().parent / "data" / "projection_pins.csv"
DAYS, SEED, END = 150, 23, dt.date(2026, 11, 21)
HORIZON = 90
KEPT_H = (1, 2, 3, 7, 10, 14, 21, 30, 45, 60, 90)  # a sample of horizons keeps the table small
VALUE_COLUMNS = ("current", "known", "mean", "lo80", "hi80", "lo95", "hi95")
RECORD_COLUMNS = ("n", "mape", "mape_naive", "coverage_80", "coverage_95")


def generated_store(folder: Path):  # -> loaders.store.Store
    """A store holding DAYS days of sample files (seed SEED, ending END)."""
    from loaders.store import Store
    from sample_data import generate

    files = folder / "files"
    generate(files, days=DAYS, seed=SEED, end=END)
    store = Store(folder / "store")
    facility = store.set_facility(files / "facility.toml")
    store.import_files(sorted((files / "roster").glob("roster_*.csv")), "population", facility)
    for kind in ("designations", "redesignations"):
        store.import_files(sorted(files.glob(f"{kind}_*.csv")), kind, facility)
    return store


def _with_snapshots(frame: pd.DataFrame | None, days: list[pd.Timestamp]) -> pd.DataFrame | None:
    if frame is None:
        return None
    base = frame.drop(columns="as_of_date", errors="ignore")
    return pd.concat([base.assign(as_of_date=d) for d in days], ignore_index=True)


def cases(store) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """Projection and track record of each case, from the current code."""
    from dataclasses import replace

    from analytics.projection.flows import FlowParams
    from analytics.projection.institution import project_institution
    from reports.projection import project_store, projection_inputs

    params = FlowParams.from_rules(store.rules())
    out = {"store": project_store(store, HORIZON)}
    inp = projection_inputs(store)
    out["no-facility"] = project_institution(replace(inp, facility=None), HORIZON, flow_params=params)
    assert inp.history is not None
    days = sorted(pd.to_datetime(inp.history["as_of_date"]).unique())[::10]
    piped = replace(
        inp,
        designation_history=_with_snapshots(inp.designations, days),
        redesignation_history=_with_snapshots(inp.redesignations, days),
    )
    out["pipeline"] = project_institution(piped, HORIZON, flow_params=params)
    return out


def table(results: dict[str, tuple[pd.DataFrame, pd.DataFrame]]) -> pd.DataFrame:
    """One long table: case, part (projection or record), group, key, h, value column, value."""
    rows = []
    for case, (proj, rec) in results.items():
        p = proj[proj["h"].isin(KEPT_H)]
        long = p.melt(id_vars=["group", "key", "h"], value_vars=list(VALUE_COLUMNS), var_name="column")
        rows.append(long.assign(case=case, part="projection"))
        r = rec.rename(columns={"horizon": "h"}).assign(key="")
        long = r.melt(id_vars=["group", "key", "h"], value_vars=list(RECORD_COLUMNS), var_name="column")
        rows.append(long.assign(case=case, part="record"))
    out = pd.concat(rows, ignore_index=True)[["case", "part", "group", "key", "h", "column", "value"]]
    return out.astype({"h": "int64", "value": "float64", "key": "str"})


def main() -> None:
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        pins = table(cases(generated_store(Path(tmp))))
    PINS.parent.mkdir(exist_ok=True)
    pins.to_csv(PINS, index=False, float_format="%.12g")
    print(f"wrote {len(pins)} values to {PINS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
