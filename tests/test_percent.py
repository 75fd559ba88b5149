"""The one percentage rule (analytics.percent): half up, exact for counts, missing is never zero."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.percent import half_up_percent, half_up_percents


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (1, 40, 3),
        (5, 200, 3),
        (1, 8, 13),
        (1742, 1968, 89),
        (0, 10, 0),
        (5, 0, None),
        (-5, 200, -2),
        (0.805, 1, 81),
        (0.8049, 1, 80),
    ],
)
def test_half_up_percent(part, whole, expected):
    assert half_up_percent(part, whole) == expected


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (540, 250, 216),  # 216.0
        (1, 200, 1),  # 0.5 rounds up
        (1, 400, 0),  # 0.25 rounds down
        (199, 200, 100),  # 99.5 rounds up
        (0, 100, 0),  # nobody there: 0 %, not missing
        (3, None, None),  # no rated capacity: missing
        (3, 0, None),  # zero capacity: missing, not a division by zero
        (None, 100, None),  # no count: missing
    ],
)
def test_half_up_percents(part, whole, expected):
    got = half_up_percents(pd.Series([part], dtype="Int64"), pd.Series([whole], dtype="Int64")).iloc[0]
    assert (got is pd.NA) if expected is None else got == expected
