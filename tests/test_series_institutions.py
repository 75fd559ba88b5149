"""One series per institution: spellings of one institution merge, members of a complex never do.

`popdash project --series` returns one forecast per institution written in the file, under the
first spelling written, and names on stderr each series it cannot project.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from loaders.reference import resolve_institutions
from popdash.cli import main

BENCH = Path(__file__).resolve().parent.parent / "bench" / "data"


@pytest.mark.parametrize(
    "written, key",
    [
        # one institution, several spellings
        ("FCI ALICEVILLE", "ALI"),
        ("Aliceville FCI", "ALI"),
        ("ALICEVILLE", "ALI"),
        ("ali", "ALI"),
        ("Federal Correctional Institution, Aliceville", "ALI"),
        ("Aliceville Low", "ALI"),  # its listed level
        # a camp beside an institution is its own
        ("Aliceville Camp", "ALI CAMP"),
        ("FPC Aliceville", "ALI CAMP"),
        ("Aliceville Satellite Camp", "ALI CAMP"),
        # a listed camp is itself
        ("FPC Alderson", "ALD"),
        ("Alderson Camp", "ALD"),
        ("Federal Prison Camp Alderson", "ALD"),
        # the members of a complex, each with its spellings
        ("FCC Allenwood", "ALX"),
        ("Allenwood", "ALX"),
        ("FCI Allenwood Low", "ALX FCI LOW"),
        ("Allenwood Low", "ALX FCI LOW"),
        ("ALLENWOOD LOW FCI", "ALX FCI LOW"),
        ("FCI Allenwood Medium", "ALX FCI MEDIUM"),
        ("FCI Allenwood Med", "ALX FCI MEDIUM"),
        ("USP Allenwood", "ALX USP"),
        ("USP Allenwood High", "ALX USP"),
        ("United States Penitentiary Allenwood", "ALX USP"),
        ("Allenwood Camp", "ALX CAMP"),
        ("FPC Allenwood", "ALX CAMP"),
        ("USP Coleman I", "COX USP I"),
        ("USP Coleman 1", "COX USP I"),
        ("USP Coleman II", "COX USP II"),
        ("FCI Butner Medium I", "BUX FCI MEDIUM I"),
        ("FCI Butner Medium II", "BUX FCI MEDIUM II"),
        ("FMC Butner", "BUX FMC"),
        # names the list does not know: spellings merge, a camp stays apart
        ("FCI Nowhere", "NOWHERE FCI"),
        ("Nowhere FCI", "NOWHERE FCI"),
        ("Nowhere Camp", "NOWHERE CAMP"),
    ],
)
def test_institution_key(written, key):
    assert resolve_institutions(pd.Series([written])).tolist() == [key]


def test_members_of_every_complex_are_distinct():
    """Low, Medium, USP and camp of each listed complex: four keys, never one."""
    from loaders.reference import facility_list

    fl = facility_list()
    places = fl.loc[fl["type"] == "FCC", "name"].tolist()
    assert len(places) >= 10
    for place in places:
        names = pd.Series([f"FCI {place} Low", f"FCI {place} Medium", f"USP {place}", f"{place} Camp", f"FCC {place}"])
        assert resolve_institutions(names).nunique() == 5, place


def _day(d: int) -> str:
    return (pd.Timestamp("2025-01-01") + pd.Timedelta(days=d)).strftime("%Y-%m-%d")


def _run(tmp_path: Path, capsys, text: str, name: str = "counts.csv", horizon: int = 7) -> tuple[pd.DataFrame, str]:
    f = tmp_path / name
    f.write_text(text)
    assert main(["project", "--series", str(f), "--horizon", str(horizon), "--format", "csv"]) == 0
    cap = capsys.readouterr()
    return pd.read_csv(io.StringIO(cap.out)), cap.err


def test_complex_members_and_spellings(tmp_path, capsys):
    # each member holds its own level: its forecast is its own last count, whatever the model's weights
    own = {"FCI Coleman Low": 1812, "FCI Coleman Medium": 1517, "USP Coleman I": 1203, "FCI ALICEVILLE": 1301}
    lines = ["facility,date,population"]
    for d in range(70):
        lines += [
            f"FCI Coleman Low,{_day(d)},{own['FCI Coleman Low']}",
            f"FCI Coleman Medium,{_day(d)},{own['FCI Coleman Medium']}",
            f"USP Coleman I,{_day(d)},{own['USP Coleman I']}",
            # one institution spelled two ways on alternate days
            f"{'FCI ALICEVILLE' if d % 2 == 0 else 'Aliceville FCI'},{_day(d)},{own['FCI ALICEVILLE']}",
        ]
    lines += [f"FPC Nowhere,{_day(69)},40"]  # one count: too short
    lines += [f"FCI Closed,{_day(d)},{0 if d > 60 else 300}" for d in range(70)]  # counted empty: closed
    lines += [f"FCI Berlin,{_day(d)}," for d in range(3)]  # no readable count
    out, err = _run(tmp_path, capsys, "\n".join(lines) + "\n")
    assert sorted(out["facility"].unique()) == sorted(own)  # first spelling written, one per institution
    assert out.groupby("facility").size().eq(7).all()
    got = out.groupby("facility")["mean"].agg(["min", "max"])
    for name, value in own.items():
        assert got.loc[name].tolist() == [value, value], name
    said = [ln for ln in err.splitlines() if "not projected" in ln]
    assert len(said) == 3
    assert any(ln.startswith("popdash project: FPC Nowhere: too short: 1 count") for ln in said)
    assert any(ln.startswith("popdash project: FCI Closed: closed: its last 3 counts are 0") for ln in said)
    assert any(ln.startswith("popdash project: FCI Berlin: no row with a readable date and population") for ln in said)
    assert "skipped 3 rejected row(s)" in err


def test_one_series_without_a_facility_column(tmp_path, capsys):
    text = "date,population\n" + "".join(f'{_day(d)},"1,{200 + d}"\n' for d in range(28))
    out, err = _run(tmp_path, capsys, text, name="my_unit.csv", horizon=3)
    assert out["facility"].unique().tolist() == ["my_unit"]
    assert len(out) == 3 and out["mean"].iloc[0] == pytest.approx(1227, abs=5)
    assert err == ""


def test_nothing_projectable_is_one_sentence(tmp_path, capsys):
    f = tmp_path / "short.csv"
    f.write_text(f"facility,date,population\nFCI A,{_day(0)},10\n")
    assert main(["project", "--series", str(f)]) == 2
    err = capsys.readouterr().err
    assert "FCI A: too short" in err and "no series in short.csv can be projected" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "files, expected",
    [
        (["bop_facility_counts_2023_2024.csv"], 7),
        # both extracts in one file: FCI Coleman Low is in the first, FCI Coleman Medium in the second
        (["bop_facility_counts_2023_2024.csv", "bop_more_facilities_2023_2024.csv"], 36),
    ],
)
def test_public_counts_one_forecast_per_institution(tmp_path, capsys, files, expected):
    raw = pd.concat([pd.read_csv(BENCH / f, dtype=str) for f in files], ignore_index=True)
    # counted from the raw names alone: case and spacing folded, nothing else
    institutions = set(raw["facility"].str.upper().str.split().str.join(" "))
    out, err = _run(tmp_path, capsys, raw.to_csv(index=False), horizon=1)
    assert out["facility"].nunique() == len(institutions) == expected
    assert set(out["facility"].str.upper()) == institutions
    assert "not projected" not in err
    # each label carries its own numbers: the forecast is near that facility's own last count
    last = raw.assign(date=pd.to_datetime(raw["date"])).sort_values("date").groupby("facility").last()
    own = last["population"].astype(float).reindex(out["facility"]).to_numpy()
    assert (abs(out["mean"].to_numpy() - own) <= 0.02 * own).all()
