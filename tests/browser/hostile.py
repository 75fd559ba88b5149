"""A store whose text fields carry hostile strings: Markdown images and links, HTML, Streamlit
colour directives, LaTeX and a right-to-left override, in every kind of file, in the facility
file (its name and a unit's name) and, through `hostile_links`, in every link parameter.

The hostile addresses point at port 9 of the loopback: a request for them never leaves the
machine even when a test fails, and a test tells them from the server by their port.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd

RLO = "\u202e"
TRAP = "127.0.0.1:9"
HOSTILE = [
    f"![i](http://{TRAP}/x.png)",
    f'<a href="http://{TRAP}/">x</a>',
    f"<img src=http://{TRAP}/y.png>",
    ":red[x]",
    "$x^2$",
    f"[link](http://{TRAP}/)",
    f"{RLO}evil",
]
FACILITY_NAME = f"FCC ![f](http://{TRAP}/f.png) <b>x</b> :red[y] $z$ {RLO}XMP"
UNIT_NAME = f'<a href="http://{TRAP}/u">A1</a><img src=http://{TRAP}/u.png>'
# Shown literally on the page (the right-to-left override removed): what a reader must see.
FACILITY_SHOWN = FACILITY_NAME.replace(RLO, "")

# Columns the loaders parse (dates, numbers, codes): a hostile value there only makes the row
# rejected, so they are left alone and the text columns carry the strings.
_PARSED = (
    "date",
    "dob",
    "_pts",
    "pts",
    "population",
    "capacity",
    "pending",
    "level",
    "lvl",
    "care",
    "reg",
    "register",
    "sex",
    "cust",
    "status",
    "direction",
    "rating",
    "severity",
    "review_type",
    "time",
    "finding_id",
    "mgtv",
    "arr",
    "class",
    "review",
    "rel",
    "qtrs",
    "unit",
    "cim",
    "detainer",
    "type",
    "title",
    "region",
)


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if not any(p in c.lower().replace(" ", "_") for p in _PARSED)]


def _poison(path: Path) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    text = _text_columns(frame)
    for i in range(0, len(frame), 3):
        for j, col in enumerate(text):
            frame.loc[frame.index[i], col] = HOSTILE[(i // 3 + j) % len(HOSTILE)]
    # The unit in the facility file and in the roster; free-text titles in the counts and
    # findings (an unknown facility title is kept and listed by name).
    for col in frame.columns:
        if col.lower() == "unit":
            frame.loc[frame[col] == "A1", col] = UNIT_NAME
    if "title" in frame.columns:
        frame.loc[frame.index[::7], "title"] = HOSTILE[0]
        frame.loc[frame.index[1::7], "title"] = HOSTILE[1]
    if "discipline" in frame.columns:
        frame.loc[frame.index[::4], "discipline"] = HOSTILE[1]
    frame.to_csv(path, index=False)


def build_hostile_store(folder: Path, days: int = 3) -> Path:
    """Sample exports with hostile strings imported into a new store in `folder`; its path."""
    import sample_data
    from loaders.store import Store

    files = folder / "files"
    sample_data.generate(files, days=days, seed=5)
    toml = (files / "facility.toml").read_text(encoding="utf-8")
    toml = toml.replace('name = "FCC Example"', f"name = {json.dumps(FACILITY_NAME)}", 1)
    toml = toml.replace('name = "A1"', f"name = {json.dumps(UNIT_NAME)}", 1)
    (files / "facility.toml").write_text(toml, encoding="utf-8")
    exports = sorted(p for p in files.rglob("*.csv"))
    for path in exports:
        _poison(path)
    store = Store(folder / "store")
    store.set_facility(files / "facility.toml")
    for path in exports:  # one at a time: a file the loaders refuse outright is simply left out
        store.import_files([path], allow_rejects=True, workers=1)
    return store.path


def hostile_links(server: str) -> list[str]:
    """Every page, and every link parameter a page reads, set to hostile strings."""
    h = HOSTILE
    q = [
        (
            "explore",
            {
                "kind": "population",
                "f1": "unit",
                "q1": h[0],
                "f2": h[1],
                "q2": h[2],
                "f3": "name",
                "q3": f">= {h[3]} {h[4]}",
                "by1": h[5],
                "by2": h[6],
                "in1": h[1],
                "drill": h[0],
                "asof": h[2],
                "names": h[4],
            },
        ),
        ("explore", {"kind": h[0], "asof": "1999-01-01"}),
        ("briefing", {"as_of": h[0]}),
        ("briefing", {"as_of": "1999-01-01"}),
        ("capacity", {"capacity": h[1], "scope": h[2], "horizon": h[3]}),
        ("national", {"fac": h[0]}),
        ("designations", {"x": h[1]}),
        ("morning", {"x": h[2]}),
        ("program-review", {"x": h[5]}),
        ("data", {"x": h[6]}),
    ]
    return [f"{server}/{page}?{urlencode(params)}" for page, params in q]
