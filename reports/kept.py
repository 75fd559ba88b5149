"""Figures that depend only on the store's contents, computed once per store version and kept beside it.

A page's first render after an import, and `popdash brief`, should not pay seconds for work that
only an import can change. Kept (files written by `loaders.kept` under `<store>/kept/`):

- `projection`: the institution projection of the latest roster over PROJECTION_HORIZON days
  and its track record (`reports.projection.project_store`, unchanged);
- `flags`: the FlagReport of the latest roster and of the one before it (the morning page's
  flags and the flags that appeared or cleared since);
- `movements`: the movements from the roster before the latest to the latest (the morning page);
- `daily`: the head count per day of every roster (the population charts);
- `pipeline`: the designation pipeline of the latest designations export (/designations, /national);
- `national`: the latest facility counts and their national view (/national);
- `capacity` and `work`: the latest roster's occupancy per unit, level and facility and its
  classification work queue (the morning page, /capacity).
- `briefing`: the briefing's aggregates of the latest roster (`reports.briefing.gather` with the
  kept projection and no scenario: scenarios follow the planned events and are added when read).

Each accessor reads the kept file when its version is the store's, else computes, keeps (when
no import happened meanwhile) and returns. `precompute(store)` fills every missing one: called
after `popdash import`, after an import on the /data page and by `popdash serve` (in the
background, `start_background`); `python -m reports.kept STORE` runs it.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from analytics.flags import FlagReport
from analytics.movements import Movements
from loaders.kept import Kept, computing, read_kept, remove_others, write_kept
from loaders.store import Store

if TYPE_CHECKING:
    from analytics.capacity import CapacityView
    from analytics.national import NationalView
    from analytics.pipeline import Pipeline
    from analytics.workqueue import WorkQueue
    from reports.briefing.build import BriefingInputs
    from reports.scenarios import ScenarioRuns

NAMES = ("projection", "flags", "movements", "daily", "briefing", "pipeline", "national", "capacity", "work")
BACKGROUND_NICE = 5  # the background precompute yields to page renders on a busy server


def _kept_or_computed(
    store: Store, name: str, compute: Callable[[], tuple[dict[str, pd.DataFrame], dict[str, Any]]]
) -> Kept:
    """The kept result of this store version, else computed now (and kept if the store did not change meanwhile)."""
    version = store.version()
    found = read_kept(store.path, name, version)
    if found is not None:
        return found
    with computing(store.path, name) as held:
        if held:  # another process may have kept it while this one waited
            found = read_kept(store.path, name, version)
            if found is not None:
                return found
        frames, values = compute()
        # An import during the computation may have mixed two versions' inputs: never keep that.
        # A read-only store still answers; it just cannot keep.
        if store.version() == version:
            with contextlib.suppress(OSError):
                write_kept(store.path, name, version, frames, values)
    return Kept(frames, values)


# --- projection ---------------------------------------------------------------------


def _compute_projection(store: Store) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    from reports.projection import PROJECTION_HORIZON, project_store

    proj, record = project_store(store, PROJECTION_HORIZON)
    return {"projection": proj, "track_record": record}, {"horizon": PROJECTION_HORIZON}


def projection(store: Store) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The institution projection of the latest roster (PROJECTION_HORIZON days) and its track record."""
    kept = _kept_or_computed(store, "projection", lambda: _compute_projection(store))
    return kept.frames["projection"], kept.frames["track_record"]


# --- flags of the latest rosters ------------------------------------------------------


def _flag_days(store: Store) -> list[date]:
    days = [pd.Timestamp(d).date() for d in store.as_of_dates("population")]
    return days[-2:]


def _compute_flags(store: Store) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    from reports import roster

    frames: dict[str, pd.DataFrame] = {}
    values: dict[str, Any] = {}
    for day in _flag_days(store):
        report = roster.flags(store, day)
        frames[day.isoformat()] = report.flags
        values[day.isoformat()] = {"skipped": [list(s) for s in report.skipped], "warnings": list(report.warnings)}
    return frames, values


def flags(store: Store, as_of: date) -> FlagReport | None:
    """The FlagReport of the roster at `as_of` when it is one of the two latest (else None: compute it)."""
    if as_of not in _flag_days(store):
        return None
    kept = _kept_or_computed(store, "flags", lambda: _compute_flags(store))
    key = as_of.isoformat()
    if key not in kept.frames:
        return None
    extra = kept.meta.get(key, {})
    return FlagReport(
        flags=kept.frames[key],
        skipped=[(str(a), str(b)) for a, b in extra.get("skipped", [])],
        warnings=[str(w) for w in extra.get("warnings", [])],
    )


# --- movements into the latest roster ---------------------------------------------------


def _compute_movements(store: Store) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    from reports import roster

    days = _flag_days(store)
    found = roster.movements(store, days[-1], flags_at=lambda day: flags(store, day) or roster.flags(store, day))
    if found is None:
        return {}, {"none": True}
    frames = {f.name: getattr(found, f.name) for f in fields(found) if isinstance(getattr(found, f.name), pd.DataFrame)}
    values = {
        f.name: (v.isoformat() if isinstance(v, date) else v.item() if hasattr(v, "item") else v)
        for f in fields(found)
        if not isinstance(v := getattr(found, f.name), pd.DataFrame)
    }
    return frames, values


def movements(store: Store, as_of: date) -> Movements | None:
    """Movements into the latest roster when `as_of` is its day, kept once per store version.

    None when `as_of` is another day or there is no earlier roster (the caller computes or says so).
    """
    days = _flag_days(store)
    if len(days) < 2 or as_of != days[-1]:
        return None
    kept = _kept_or_computed(store, "movements", lambda: _compute_movements(store))
    if kept.meta.get("none"):
        return None
    values = dict(kept.meta)
    for name in ("as_of_before", "as_of_after"):
        if values.get(name) is not None:
            values[name] = date.fromisoformat(values[name])
    values["problems"] = [str(x) for x in values.get("problems", [])]
    values["notes"] = [str(x) for x in values.get("notes", [])]
    return Movements(**kept.frames, **values)


# --- daily head count -------------------------------------------------------------------


def daily(store: Store) -> pd.DataFrame:
    """Head count per roster day (as_of_date, population): Store.population_by_day(), kept."""
    kept = _kept_or_computed(store, "daily", lambda: ({"daily": store.population_by_day()}, {}))
    return kept.frames["daily"]


# --- the briefing's aggregates of the latest roster ---------------------------------------

_BRIEFING_FRAMES = ("series", "pipeline", "reviews")


def _compute_briefing(store: Store) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    from reports.briefing.build import gather
    from reports.projection import facility_rows
    from reports.scenarios import ScenarioRuns

    i = gather(store, None, projection=facility_rows(*projection(store)), scenarios=ScenarioRuns(()))
    counts = i.level_counts
    frames = {name: getattr(i, name) for name in _BRIEFING_FRAMES}
    frames["level_counts"] = pd.DataFrame({"level": counts.index.astype(str), "inmates": counts.to_numpy()})
    values = {
        "facility_name": i.facility_name,
        "facility_code": i.facility_code,
        "as_of": i.as_of.isoformat(),
        "is_sample": i.is_sample,
        "sources": list(i.sources),
        "latest": {k: v.isoformat() if v is not None else None for k, v in i.latest.items()},
        "small_group": i.small_group,
        "level_index": counts.index.name,
        "level_series": counts.name,
    }
    return frames, values


def briefing_inputs(
    store: Store, projection_rows: tuple[pd.DataFrame, pd.DataFrame], scenarios: ScenarioRuns
) -> BriefingInputs:
    """The briefing's inputs of the latest roster: its aggregates kept once per store version, with the
    facility projection and track record (`reports.projection.facility_rows` of the kept projection)
    and the store's scenarios as the caller has them (they change with the planned events, not the store).
    """
    from reports.briefing.build import BriefingInputs
    from reports.briefing.scenarios import brief_scenarios

    kept = _kept_or_computed(store, "briefing", lambda: _compute_briefing(store))
    v = kept.meta
    rows = kept.frames["level_counts"]
    counts = pd.Series(
        rows["inmates"].astype("int64").to_numpy(),
        index=pd.Index(rows["level"].astype(object).to_numpy(), name=v["level_index"]),
        name=v["level_series"],
    )
    fac = store.facility()
    briefed, problems = brief_scenarios(scenarios, fac.facility.name)
    proj, record = projection_rows
    return BriefingInputs(
        facility_name=v["facility_name"],
        facility_code=v["facility_code"],
        as_of=date.fromisoformat(v["as_of"]),
        is_sample=bool(v["is_sample"]),
        facility=fac,
        series=kept.frames["series"],
        level_counts=counts,
        pipeline=kept.frames["pipeline"],
        reviews=kept.frames["reviews"],
        projection=proj,
        track_record=record,
        sources=tuple(v["sources"]),
        latest={k: date.fromisoformat(d) if d is not None else None for k, d in v["latest"].items()},
        small_group=v["small_group"],
        scenarios=briefed,
        scenario_problems=problems,
    )


# --- results made of frames, dates and lists (pipeline, national view) --------------------------


def _split(obj: Any, prefix: str = "") -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """A dataclass of frames, dates and JSON values as (frames, values); dates as ISO text."""
    frames: dict[str, pd.DataFrame] = {}
    values: dict[str, Any] = {}
    for f in fields(obj):
        v = getattr(obj, f.name)
        if isinstance(v, pd.DataFrame):
            frames[prefix + f.name] = v
        else:
            values[prefix + f.name] = v.isoformat() if isinstance(v, date) else v
    return frames, values


def _joined(cls: Any, kept: Kept, dates: tuple[str, ...], prefix: str = "") -> Any:
    """The dataclass `cls` back from `_split`'s frames and values."""
    args: dict[str, Any] = {}
    for f in fields(cls):
        key = prefix + f.name
        if key in kept.frames:
            args[f.name] = kept.frames[key]
        else:
            v = kept.meta.get(key)
            args[f.name] = date.fromisoformat(v) if f.name in dates and v is not None else v
    return cls(**args)


def _compute_pipeline(store: Store) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    from reports import designations

    latest = store.latest_as_of("designations")
    if latest is None:
        return {}, {"none": True}  # kept as absent: nothing to compute until an export is imported
    return _split(designations.pipeline(store, latest))


def pipeline(store: Store, as_of: date) -> Pipeline | None:
    """The designation pipeline when `as_of` is the latest designations export's day, kept once per store
    version (reports.designations.pipeline); None for another day (the caller computes it)."""
    from analytics.pipeline import Pipeline

    if as_of != store.latest_as_of("designations"):
        return None
    kept = _kept_or_computed(store, "pipeline", lambda: _compute_pipeline(store))
    if kept.meta.get("none"):
        return None
    return _joined(Pipeline, kept, ("as_of",))


def _compute_national(store: Store) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    from reports import national as national_figures

    if store.latest_as_of("facility_counts") is None:
        return {}, {"none": True}  # kept as absent: nothing to compute until counts are imported
    counts, view = national_figures.national(store)
    frames, values = _split(view, "view_")
    return {"counts": counts, **frames}, values


def national(store: Store) -> tuple[pd.DataFrame, NationalView]:
    """The latest facility counts and their national view (reports.national.national), kept once per store version."""
    from analytics.national import NationalView
    from reports import national as national_figures

    kept = _kept_or_computed(store, "national", lambda: _compute_national(store))
    if kept.meta.get("none"):
        return national_figures.national(store)  # no counts: fails as it always did (the page asks first)
    return kept.frames["counts"], _joined(NationalView, kept, ("latest_date",), "view_")


def capacity(store: Store, as_of: date) -> CapacityView | None:
    """Occupancy per unit, level and facility of the latest roster (reports.roster.capacity), kept once
    per store version; None for another day (the caller computes it)."""
    from analytics.capacity import CapacityView
    from reports import roster

    days = _flag_days(store)
    if not days or as_of != days[-1]:
        return None
    kept = _kept_or_computed(store, "capacity", lambda: _split(roster.capacity(store, days[-1])))
    return _joined(CapacityView, kept, ())


def work(store: Store, as_of: date) -> WorkQueue | None:
    """The classification work queue of the latest roster (reports.roster.classification_work, with its
    kept flags), kept once per store version; None for another day (the caller computes it)."""
    from analytics.workqueue import WorkQueue
    from reports import roster

    days = _flag_days(store)
    if not days or as_of != days[-1]:
        return None

    def compute() -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
        return _split(roster.classification_work(store, days[-1], flags(store, days[-1])))

    found = _joined(WorkQueue, _kept_or_computed(store, "work", compute), ())
    found.skipped[:] = [(str(a), str(b)) for a, b in found.skipped]  # JSON keeps pairs as lists
    return found


# --- filling them ---------------------------------------------------------------------


def precompute(store: Store) -> list[str]:
    """Compute and keep every result this store version lacks; the names computed (empty when all were kept).

    A store without a roster, or without a facility file, has nothing to keep yet.
    """
    if store.latest_as_of("population") is None or not (store.path / "facility.toml").exists():
        return []
    version = store.version()
    remove_others(store.path, version)  # earlier versions' files are never read again
    done = []
    for name in NAMES:
        if read_kept(store.path, name, version) is None:
            latest = _flag_days(store)[-1]
            if name == "projection":
                projection(store)
            elif name == "flags":
                flags(store, latest)
            elif name == "movements":
                movements(store, latest)
            elif name == "daily":
                daily(store)
            elif name == "pipeline":
                _kept_or_computed(store, name, lambda: _compute_pipeline(store))
            elif name == "national":
                _kept_or_computed(store, name, lambda: _compute_national(store))
            elif name == "capacity":
                capacity(store, latest)
            elif name == "work":
                work(store, latest)
            else:
                from reports.projection import facility_rows
                from reports.scenarios import ScenarioRuns

                briefing_inputs(store, facility_rows(*projection(store)), ScenarioRuns(()))
            done.append(name)
    return done


def start_background(store_path: Path, detach: bool = False) -> None:
    """Start `precompute` for a store in a separate low-priority process; nothing happens when it cannot start.

    The process reads and writes only the store folder; its output is discarded (a failure just
    means the first page computes what it needs). `detach`: the caller is about to replace itself
    (`popdash serve` becomes the Streamlit server), so the process is handed to the system
    through a short-lived intermediate and never lingers as a zombie of the server.
    """
    command = [sys.executable, "-m", "reports.kept", str(store_path)]
    quiet: dict[str, Any] = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    try:
        if detach and hasattr(os, "fork"):
            pid = os.fork()
            if pid == 0:  # the intermediate: start the worker, then leave at once
                try:
                    subprocess.Popen(command, start_new_session=True, close_fds=True, **quiet)
                finally:
                    os._exit(0)
            os.waitpid(pid, 0)
        else:
            proc = subprocess.Popen(command, close_fds=True, **quiet)
            # Waited for on a thread of its own, so the finished process is reaped, not left a zombie.
            threading.Thread(target=proc.wait, name="popdash-precompute-reaper", daemon=True).start()
    except OSError:
        pass


def main(argv: list[str]) -> int:
    """`python -m reports.kept STORE`: precompute one store at a low priority."""
    if len(argv) != 1:
        print("usage: python -m reports.kept STORE", file=sys.stderr)
        return 2
    if hasattr(os, "nice"):
        os.nice(BACKGROUND_NICE)
    path = Path(argv[0])
    if not (path / "popdash.duckdb").exists():
        return 0  # nothing imported yet: nothing to keep
    precompute(Store(path))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
