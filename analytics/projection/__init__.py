"""Capacity projection with bands measured by rolling-origin backtests (issue 4).

- series.py: facility-count histories (popdash project --series);
- flows.py / institution.py: the institution from its roster, pipeline and history;
- backtest.py: weights, band quantiles and the track record; crossing.py: capacity dates.
"""

from analytics.projection.crossing import ALREADY_OVER, capacities, crossing_dates
from analytics.projection.flows import FlowParams, known_events
from analytics.projection.institution import Inputs, project_institution
from analytics.projection.series import SeriesParams, project_series, series_track_record

__all__ = [
    "ALREADY_OVER",
    "FlowParams",
    "Inputs",
    "SeriesParams",
    "capacities",
    "crossing_dates",
    "known_events",
    "project_institution",
    "project_series",
    "series_track_record",
]
