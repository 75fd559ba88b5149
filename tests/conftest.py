"""Shared fixtures. Area-specific fixtures live beside their tests."""
from __future__ import annotations

from pathlib import Path

import pytest

from loaders.config import Facility, Rules, load_facility, load_rules

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_FACILITY = ROOT / "sample_data" / "facility.toml"


@pytest.fixture(scope="session")
def facility() -> Facility:
    """The fictional FCC Example complex of the sample data."""
    return load_facility(SAMPLE_FACILITY)


@pytest.fixture(scope="session")
def rules() -> Rules:
    """The shipped default rules."""
    return load_rules()
