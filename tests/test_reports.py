"""The read side's shared rules: the snapshot in force on a day, and the one error family."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from loaders.config import ConfigError
from loaders.errors import LoadError, PopdashError, one_sentence
from loaders.store import StoreBusy, StoreError
from popdash.cli import main
from popdash.errors import InputError
from reports.briefing import BriefingError
from reports.briefing.render import RenderError
from reports.snapshots import NoSnapshotError, frame_on_or_before, latest_on_or_before, on_or_before

DAYS = [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)]


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2026, 11, 1), None),  # before the first snapshot: none in force
        (date(2026, 11, 2), date(2026, 11, 2)),  # on the day itself
        (date(2026, 11, 8), date(2026, 11, 2)),  # the day before the next one
        (date(2026, 11, 9), date(2026, 11, 9)),
        (date(2026, 12, 31), date(2026, 11, 16)),  # after the last: the last holds
    ],
)
def test_on_or_before(as_of, expected):
    assert on_or_before(DAYS, as_of) == expected
    assert on_or_before([pd.Timestamp(d) for d in DAYS], as_of) == expected  # store dates may be Timestamps


def test_on_or_before_without_dates():
    assert on_or_before([], date(2026, 11, 9)) is None


class _Source:
    """Designations on two days; no redesignations."""

    def as_of_dates(self, kind: str = "population") -> list[date]:
        return DAYS[:2] if kind == "designations" else []

    def frame(self, kind: str, as_of: date | None = None) -> pd.DataFrame:
        return pd.DataFrame({"as_of_date": [as_of]})


@pytest.mark.parametrize(
    ("kind", "as_of", "expected"),
    [
        ("designations", date(2026, 11, 10), date(2026, 11, 9)),
        ("designations", date(2026, 11, 1), None),
        ("redesignations", date(2026, 11, 10), None),
    ],
)
def test_the_snapshot_in_force(kind, as_of, expected):
    source = _Source()
    assert latest_on_or_before(source, kind, as_of) == expected
    frame, when = frame_on_or_before(source, kind, as_of)
    assert when == expected
    assert (frame is None) if expected is None else frame["as_of_date"].iloc[0] == expected


@pytest.mark.parametrize(
    "error", [LoadError, ConfigError, StoreError, StoreBusy, NoSnapshotError, BriefingError, RenderError, InputError]
)
def test_every_user_error_is_one_family(error):
    assert issubclass(error, PopdashError) and issubclass(error, ValueError)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("no store at X", "no store at X."),
        ("no store at X.", "no store at X."),
        ("first line\nsecond line", "first line."),
        ("is that a date?", "is that a date?"),
    ],
)
def test_one_sentence(message, expected):
    assert one_sentence(PopdashError(message)) == expected


def test_the_command_line_catches_the_family_once(tmp_path, capsys):
    """A store error raised deep in a command comes out as one sentence and exit 2."""
    (tmp_path / "store").write_text("not a folder")
    assert main(["import", str(tmp_path / "x.csv"), "--store", str(tmp_path / "store")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("popdash import: ") and err.endswith(".") and "\n" not in err
