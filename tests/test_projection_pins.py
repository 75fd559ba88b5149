"""The institution projection gives the numbers pinned in tests/data/projection_pins.csv.

The pins were computed by tests/projection_pins.py from small generated histories (a store,
the same history without a facility file, and one whose backtest origins see a pipeline); a
change of speed or memory must not change them beyond floating-point rounding.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import projection_pins  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def computed(tmp_path_factory) -> pd.DataFrame:
    store = projection_pins.generated_store(tmp_path_factory.mktemp("pins"))
    return projection_pins.table(projection_pins.cases(store))


@pytest.mark.parametrize("case", ["store", "no-facility", "pipeline"])
def test_projection_matches_the_pins(computed, case):
    pins = pd.read_csv(projection_pins.PINS, keep_default_na=False, na_values=[""], dtype={"key": "str"})
    pins = pins.assign(key=pins["key"].fillna(""))
    index = ["case", "part", "group", "key", "h", "column"]
    want = pins[pins["case"] == case].set_index(index)["value"]
    got = computed[computed["case"] == case].assign(key=lambda d: d["key"].fillna("")).set_index(index)["value"]
    assert len(want) > 100 and got.index.sort_values().equals(want.index.sort_values())
    got = got.reindex(want.index)
    both_nan = want.isna() & got.isna()
    close = np.isclose(got.to_numpy(), want.to_numpy(), rtol=1e-9, atol=1e-7)
    bad = want[~(close | both_nan.to_numpy())]
    assert bad.empty, f"{len(bad)} values moved, first: {bad.index[0]} pinned {bad.iloc[0]}, now {got[bad.index[0]]}"
