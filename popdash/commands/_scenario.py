"""`popdash project --scenario NAME`: the baseline and one scenario of planned events side by side."""

from __future__ import annotations

import json
import sys
from argparse import Namespace
from typing import Any

import pandas as pd

from popdash.errors import InputError

TEXT_EVERY = 7  # text output shows every 7th day (and the last); csv and json every day


def compare(store: Any, name: str, horizon: int) -> tuple[pd.DataFrame, pd.DataFrame, Any]:
    """(projection rows side by side, crossing dates side by side, the scenario) for one store."""
    from loaders.events import list_events
    from reports.projection import project_store
    from reports.scenarios import ScenarioUnavailable, run_scenarios, scenario_context
    from reports.scenarios import compare as side_by_side

    events = list_events(store, scenario=name)
    if not events:
        raise InputError(f"the store holds no scenario named {name!r}; popdash events list shows those it has.")
    try:
        ctx = scenario_context(store)
    except ScenarioUnavailable as exc:
        raise InputError(str(exc)) from None
    baseline, _ = project_store(store, horizon)
    runs = run_scenarios(baseline, ctx, events, [name])
    if runs.problems:
        raise InputError(runs.problems[0][1])
    scen = runs.scenarios[0]
    side, cross = side_by_side(baseline, scen, ctx.facility)
    return side, cross, scen


def run(args: Namespace, store: Any, sample: bool) -> int:
    side, cross, scen = compare(store, args.scenario, int(args.horizon))
    if args.format == "json":
        print(
            json.dumps(
                {
                    "scenario": scen.name,
                    "events": [
                        {"id": e.id, "name": e.name, "enabled": e.enabled, "what": e.describe()} for e in scen.events
                    ],
                    "projection": _records(side),
                    "crossings": _records(cross),
                }
            )
        )
        return 0
    if args.format == "csv":
        sys.stdout.write(_dated(side).to_csv(index=False))
        return 0
    if sample:
        print("SAMPLE DATA")
    on = [e for e in scen.events if e.enabled]
    print(f"Scenario {scen.name}: {len(on)} of {len(scen.events)} planned event(s) switched on")
    for e in scen.events:
        print(f"  {'on ' if e.enabled else 'off'}  {e.describe()}")
    fac = _dated(side[side["group"] == "facility"]).sort_values("date").reset_index(drop=True)
    shown = fac[(fac.index % TEXT_EVERY == TEXT_EVERY - 1) | (fac.index == len(fac) - 1)]
    table = pd.DataFrame(
        {
            "date": shown["date"],
            "baseline": shown["mean_baseline"].round(1),
            "baseline 80 %": _band(shown, "baseline"),
            "scenario": shown["mean_scenario"].round(1),
            "scenario 80 %": _band(shown, "scenario"),
        }
    )
    print(f"\n{fac['key'].iat[0]} (every {TEXT_EVERY}th day; --format csv gives every day and every level and unit)")
    print(table.to_string(index=False))
    print("\nCapacity crossing (first day the mean / the upper 80 % band is over; '-' none within the horizon)")
    print(_crossing_text(cross))
    return 0


def _band(frame: pd.DataFrame, which: str) -> pd.Series:
    return (
        frame[f"lo80_{which}"].round(0).astype("Int64").astype("str")
        + "-"
        + frame[f"hi80_{which}"].round(0).astype("Int64").astype("str")
    )


def _dated(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.assign(date=pd.to_datetime(frame["date"]).dt.strftime("%Y-%m-%d"))
    nums = [c for c in out.columns if c.startswith(("mean", "lo", "hi"))]
    out[nums] = out[nums].astype(float).round(1)
    return out


def _when(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "-"
    return value if isinstance(value, str) else pd.Timestamp(value).strftime("%Y-%m-%d")


def _records(frame: pd.DataFrame) -> list[dict]:
    out = frame.copy()
    for c in out.columns:
        if c == "date" or c.endswith(("_crosses_baseline", "_crosses_scenario")):
            out[c] = [None if _when(v) == "-" else _when(v) for v in out[c]]
    return json.loads(out.to_json(orient="records"))


def _crossing_text(cross: pd.DataFrame) -> str:
    moved = cross.copy()
    for c in ("mean_crosses", "hi80_crosses"):
        for s in ("baseline", "scenario"):
            moved[f"{c}_{s}"] = [_when(v) for v in moved[f"{c}_{s}"]]
    # every facility and level row; unit rows only where something crosses or the scenario moves it
    keep = (
        (moved["group"] != "unit")
        | (moved[[c for c in moved.columns if "crosses" in c]] != "-").any(axis=1)
        | (moved["capacity_baseline"] != moved["capacity_scenario"])
    )
    moved = moved[keep]
    return pd.DataFrame(
        {
            "group": moved["group"],
            "key": moved["key"],
            "capacity": moved["definition"],
            "baseline mean": moved["mean_crosses_baseline"],
            "baseline hi80": moved["hi80_crosses_baseline"],
            "scenario mean": moved["mean_crosses_scenario"],
            "scenario hi80": moved["hi80_crosses_scenario"],
        }
    ).to_string(index=False)
