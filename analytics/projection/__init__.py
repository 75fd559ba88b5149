"""Capacity projection with bands measured by rolling-origin backtests (issue 4)."""
from analytics.projection.series import project_series, series_track_record

__all__ = sorted(["project_series", "series_track_record"])
