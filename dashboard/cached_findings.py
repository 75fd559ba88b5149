"""The Program Review page's figures, computed once per store version and as-of date.

Every figure on /program-review is a pure function of the findings log (analytics.findings);
computing them on each rerun cost about 0.3 s of a 0.5 s page. Like `dashboard.cached`, the
objects are shared between sessions: read them, never modify them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from analytics import findings as analytics_findings
from dashboard import cached

QUEUE_DAYS = 30  # issue 6: overdue first, then actions due within 30 days


@dataclass(frozen=True)
class FindingsView:
    """What /program-review shows, for one store version and as-of date."""

    annotated: pd.DataFrame  # the whole log, with repeats and action status
    log: pd.DataFrame  # the home institution's findings (rows with a blank facility)
    queue: pd.DataFrame  # corrective actions overdue or due within QUEUE_DAYS
    trend: pd.DataFrame
    found: pd.DataFrame  # findings per discipline and review
    repeated: pd.DataFrame  # of which repeats
    ratings: pd.DataFrame
    worse: pd.DataFrame
    agenda: str


@st.cache_resource(max_entries=8)
def _view(path: str, version: str, as_of: date) -> FindingsView:
    annotated = cached.findings(as_of)
    log = analytics_findings.home(annotated)
    if log.empty:  # the page says so and shows nothing else
        none = pd.DataFrame()
        return FindingsView(annotated, log, none, none, none, none, none, none, "")
    found, repeated = analytics_findings.repeat_matrix(log)
    queue = analytics_findings.action_queue(log, as_of, within_days=QUEUE_DAYS)
    worse = analytics_findings.trending_worse(log)
    return FindingsView(
        annotated=annotated,
        log=log,
        queue=queue,
        trend=analytics_findings.trend(log),
        found=found,
        repeated=repeated,
        ratings=analytics_findings.ratings(log),
        worse=worse,
        # the queue and the disciplines trending worse, as the page shows them
        agenda=analytics_findings.agenda(annotated, as_of, within_days=QUEUE_DAYS, queue=queue, worse=worse),
    )


def view(as_of: date) -> FindingsView:
    """The page's figures at `as_of`; recomputed only when the store changes."""
    return _view(*cached.key(), as_of)
