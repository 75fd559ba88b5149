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


@pytest.fixture(scope="session", autouse=True)
def _own_data_home(tmp_path_factory):
    """No test reads or builds the user's real demo store (~/.local/share/popdash/demo) or store."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data-home")))
        mp.delenv("POPDASH_STORE", raising=False)
        yield


# --- dashboard page fixtures (tests/test_pages_*.py, tests/browser/) ------------------

PAGE_STORE_DAYS = 60


@pytest.fixture(scope="session")
def page_store(tmp_path_factory) -> Path:
    """A demo store (SAMPLE) of 60 days of sample history: a copy for this session of one built once a day."""
    from tests._stores import demo_store

    return demo_store(tmp_path_factory.mktemp("page-store") / "demo", days=PAGE_STORE_DAYS, seed=7)


@pytest.fixture(scope="session")
def page_sample_files(tmp_path_factory) -> Path:
    """Sample export files (a few days) to hand over on the /data page."""
    import sample_data

    out = tmp_path_factory.mktemp("page-sample")
    sample_data.generate(out, days=3, seed=11)
    return out


@pytest.fixture(scope="session")
def briefing_inputs(page_store):
    """The briefing's gathered aggregates for the 60-day demo store (projection included), once per session."""
    from loaders.store import Store
    from reports.briefing import gather

    return gather(Store(page_store))


@pytest.fixture(scope="module")
def page_run(page_store):
    """`run_page` on the page store, each (page, link parameters) run once per test module and shared
    by its tests: read the AppTest it returns, never drive it (a test that clicks runs its own)."""
    from pages_helpers import run_page

    runs: dict[str, object] = {}

    def run(page: str, query: dict[str, str | list[str]] | None = None):
        key = repr((page, sorted((query or {}).items())))
        if key not in runs:
            with pytest.MonkeyPatch.context() as mp:
                mp.setenv("POPDASH_STORE", str(page_store))
                runs[key] = run_page(page, query)
        return runs[key]

    return run
